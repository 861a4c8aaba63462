// `clearway lodge <file.jsonl | file.csv | ->`
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { apiClient, isInteractive, resolveTarget } from '../context.js';
import { CSV_COLUMNS, csvTemplate } from '../lodge/csv.js';
import { readInput } from '../lodge/input.js';
import { exitCodeOf, type LodgeSummary, lodge, type Refusal } from '../lodge/lodge.js';
import { lineProgress, type Progress, terminalProgress } from '../lodge/progress.js';
import { type CommandContext, integerOption } from './common.js';

interface LodgeFlags {
  rejected?: string;
  chunkSize: number;
  concurrency: number;
  format?: string;
  json?: boolean;
  template?: boolean;
}

/** rejected.jsonl next to the input file, in the current directory for standard input. */
export const rejectedPathFor = (file: string, given?: string): string =>
  resolve(given ?? (file === '-' ? 'rejected.jsonl' : join(dirname(file), 'rejected.jsonl')));

/** Refusals go to the file as they arrive, so an interrupted run keeps what it learnt. */
const rejectedWriter = (path: string) => {
  rmSync(path, { force: true });
  let stream: WriteStream | undefined;
  return {
    write: (refusal: Refusal) => {
      stream ??= createWriteStream(path, { flags: 'a' });
      stream.write(`${JSON.stringify(refusal)}\n`);
    },
    close: () => new Promise<boolean>((done) => (stream ? stream.end(() => done(true)) : done(false))),
  };
};

const summaryLines = (summary: LodgeSummary, rejectedFile: string | undefined): string[] => [
  `accepted        ${summary.accepted}`,
  `already lodged  ${summary.alreadyLodged}`,
  `refused         ${summary.refused}`,
  `conflicts       ${summary.conflicts}`,
  ...(summary.notSent > 0 ? [`not sent        ${summary.notSent}`] : []),
  `rate            ${summary.ratePerSecond.toFixed(0)} declarations/s (${summary.total - summary.notSent} in ${(summary.elapsedMs / 1000).toFixed(1)} s)`,
  ...(rejectedFile ? [`refusals and their errors: ${rejectedFile}`] : []),
  ...(summary.interrupted
    ? ['interrupted: run the same command again to lodge the rest (nothing is lodged twice)']
    : []),
  ...(summary.failure ? [`stopped: ${summary.failure}`] : []),
];

export const registerLodge = (program: Command, context: CommandContext) =>
  program
    .command('lodge')
    .description(
      'lodge declarations from a JSONL or CSV file (or - for standard input) through the batch API',
    )
    .argument(
      '[file]',
      'declarations: .jsonl (one per line), .csv (one row per item) or - for standard input',
    )
    .option('--rejected <path>', 'where refused declarations go (default: rejected.jsonl next to the file)')
    .option('--chunk-size <n>', 'declarations per batch request (1 to 1000)', integerOption(1, 1000), 500)
    .option('--concurrency <n>', 'batch requests in flight', integerOption(1, 32), 4)
    .option('--format <format>', 'csv or jsonl (default: from the file name; standard input is sniffed)')
    .option('--json', 'print the summary as JSON')
    .option('--template', 'print the CSV header and an example declaration, and exit')
    .addHelpText(
      'after',
      `
CSV: one row per goods item; rows with the same reference form one declaration. Columns:
  ${CSV_COLUMNS.join(', ')}
Money stays a decimal string ("12.50"). Declaration-level cells may be empty on a declaration's later rows.

Exit codes: 0 all accepted or already lodged; 2 some refused (see rejected.jsonl); 1 anything else.
Interrupt with Ctrl-C and run the same command again: declarations are keyed on their reference, so
nothing is lodged twice.`,
    )
    .action(async (file: string | undefined, flags: LodgeFlags) => {
      if (flags.template) {
        process.stdout.write(csvTemplate());
        return;
      }
      if (!file)
        throw context.usage('lodge needs a file, or - for standard input (see clearway lodge --help)');
      const target = resolveTarget(context.globals(), 'platform');
      const { entries } = await readInput(file, flags.format);
      const interactive = isInteractive() && !flags.json;
      const progress: Progress = interactive
        ? terminalProgress(entries.length)
        : lineProgress(entries.length);
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(1);
        controller.abort();
        process.stderr.write('\nstopping: waiting for the requests in flight (Ctrl-C again to quit now)\n');
      };
      process.on('SIGINT', onSigint);
      const rejectedFile = rejectedPathFor(file, flags.rejected);
      const rejected = rejectedWriter(rejectedFile);
      const client = apiClient(target, {
        retryForMs: context.globals().retryFor * 1000,
        onRetry: (reason, waitMs) => progress.retry(reason, waitMs),
        signal: controller.signal,
      });
      const summary = await lodge(entries, {
        client,
        chunkSize: flags.chunkSize,
        concurrency: flags.concurrency,
        signal: controller.signal,
        onRefused: rejected.write,
        onProgress: (done, counts) => progress.update(done, counts),
      });
      progress.stop();
      process.off('SIGINT', onSigint);
      const wroteRejected = await rejected.close();
      const rejectedPath = wroteRejected ? rejectedFile : undefined;
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...summary, ...(rejectedPath ? { rejectedFile: rejectedPath } : {}) })}\n`
          : `${summaryLines(summary, rejectedPath).join('\n')}\n`,
      );
      process.exitCode = exitCodeOf(summary);
    });
