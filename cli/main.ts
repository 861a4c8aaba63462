// The `clearway` command-line tool: bulk lodgement, status, quotes, reference data and revenue exports
// over the public API (DESIGN.md section 13).
import { Command, CommanderError, Option } from 'commander';
import { registerAdmin } from './commands/admin.js';
import type { CommandContext } from './commands/common.js';
import { registerDeclarations } from './commands/declarations.js';
import { registerFinance } from './commands/finance.js';
import { registerLodge } from './commands/lodge.js';
import { type GlobalOptions, UsageError } from './context.js';

export const buildProgram = (): Command => {
  const program = new Command('clearway')
    .description('Clearway customs declarations from the command line')
    .addOption(new Option('--api <url>', 'the API base URL').env('CLEARWAY_API'))
    .addOption(
      new Option('--token <token>', 'bearer token (locally local:<role>:<subject>)').env('CLEARWAY_TOKEN'),
    )
    .option(
      '--retry-for <seconds>',
      'keep sending a request the API answers 429 or 503 (after its Retry-After) for this long',
      (raw) => {
        const value = Number(raw);
        if (!(value >= 0)) throw new UsageError('--retry-for takes a number of seconds');
        return value;
      },
      300,
    )
    .addHelpText(
      'after',
      `
Without --api (or CLEARWAY_API) the CLI uses the local runtime \`npm start\` runs (COUNTRY picks one when
several run), with the demo identity of the role a command needs unless --token says otherwise.`,
    )
    .showHelpAfterError()
    .exitOverride();
  const context: CommandContext = {
    globals: () => program.opts<GlobalOptions>(),
    usage: (message) => new UsageError(message),
  };
  registerLodge(program, context);
  registerDeclarations(program, context);
  registerAdmin(program, context);
  registerFinance(program, context);
  return program;
};

export const main = async (argv: string[]): Promise<void> => {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      process.exitCode = error.exitCode === 0 ? 0 : 1;
      return;
    }
    process.stderr.write(`clearway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
};
