// `clearway revenue` and `clearway statement`: the ledger's sums for finance (finance token).
import type { Command } from 'commander';
import { apiClient, isInteractive, resolveTarget } from '../context.js';
import { type CommandContext, formatTable, printJson, problemLine, RequestFailed } from './common.js';

const AMOUNTS = ['currency', 'assessed', 'collected', 'refunded', 'extinguished', 'outstanding'];

export const registerFinance = (program: Command, context: CommandContext) => {
  program
    .command('revenue')
    .description('revenue sums per group: assessed, collected, refunded, outstanding, per currency')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (at most 366 days after --from)')
    .option('--group-by <keys>', 'comma-separated: day, month, taxCode, collectionModel, platform, payer')
    .option('--csv', "the API's CSV export")
    .option('--json', 'the report as JSON')
    .action(async (flags: { from: string; to: string; groupBy?: string; csv?: boolean; json?: boolean }) => {
      const target = resolveTarget(context.globals(), 'finance');
      const client = apiClient(target, { retryForMs: context.globals().retryFor * 1000 });
      const query = { from: flags.from, to: flags.to, ...(flags.groupBy ? { groupBy: flags.groupBy } : {}) };
      if (flags.csv) {
        const { data, error, response } = await client.GET('/v1/revenue', {
          params: { query },
          headers: { accept: 'text/csv' },
          parseAs: 'text',
        });
        if (data === undefined) throw new RequestFailed(problemLine(response.status, error));
        process.stdout.write(data);
        return;
      }
      const { data, error, response } = await client.GET('/v1/revenue', { params: { query } });
      if (!data) throw new RequestFailed(problemLine(response.status, error));
      if (flags.json) {
        printJson(data, isInteractive(process.stdout));
        return;
      }
      const keys = data.groupBy ?? [];
      const amounts = AMOUNTS.filter((column) => data.rows.some((row) => column in row));
      process.stdout.write(
        formatTable(
          data.rows as Record<string, unknown>[],
          [...keys, ...amounts],
          isInteractive(process.stdout),
        ),
      );
    });

  program
    .command('statement')
    .description("a collecting account's monthly statement")
    .requiredOption('--account <id>', "the account: a platform's id")
    .requiredOption('--month <month>', 'YYYY-MM')
    .action(async (flags: { account: string; month: string }) => {
      const target = resolveTarget(context.globals(), 'finance');
      const client = apiClient(target, { retryForMs: context.globals().retryFor * 1000 });
      const { data, error, response } = await client.GET('/v1/revenue/statements', {
        params: { query: { account: flags.account, month: flags.month } },
      });
      if (!data) throw new RequestFailed(problemLine(response.status, error));
      printJson(data, isInteractive(process.stdout));
    });
};
