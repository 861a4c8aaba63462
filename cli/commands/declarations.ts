// `clearway status`, `clearway list` and `clearway quote`: following declarations and asking what one
// would cost, for platforms (and officers).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { components } from '../../shared/http/api-types.js';
import { type ApiClient, apiClient, isInteractive, resolveTarget } from '../context.js';
import {
  type CommandContext,
  formatTable,
  integerOption,
  printJson,
  problemLine,
  RequestFailed,
} from './common.js';

type View = components['schemas']['DeclarationView'];
type Status = components['schemas']['Status'];

const FINAL: ReadonlySet<string> = new Set(['RELEASED', 'REJECTED', 'SEIZED', 'CANCELLED']);

/**
 * A declaration id as given, or the id of the caller's declaration with that reference (an officer names
 * the platform). Ids are keyed by the stack's secret, so only the API can turn a reference into one.
 */
export const resolveDeclarationId = async (
  idOrReference: string,
  client: ApiClient,
  platform?: string,
): Promise<string> => {
  if (/^dcl_[0-9a-z]+$/i.test(idOrReference)) return idOrReference;
  const { data, error, response } = await client.GET('/v1/declarations', {
    params: { query: { reference: idOrReference, ...(platform ? { platformId: platform } : {}) } },
  });
  if (!data) throw new RequestFailed(`${idOrReference}: ${problemLine(response.status, error)}`);
  const found = data.items[0];
  if (!found) {
    const problem = { title: 'Not Found', detail: 'no declaration with this reference is visible to you' };
    throw new RequestFailed(`${idOrReference}: ${problemLine(404, problem)}`);
  }
  return found.id;
};

const statusLines = (view: View): string[] => {
  const totals = (view.assessment as { totals?: Record<string, string>; currency?: string } | null)?.totals;
  const currency = (view.assessment as { currency?: string } | null)?.currency ?? '';
  return [
    `${view.id}  ${view.reference}  ${view.status}${view.risk ? `  lane ${view.risk.lane}` : ''}`,
    ...(totals
      ? [
          `  duty ${totals.duty}  tax ${totals.tax}  fees ${totals.fees}  due at import ${totals.dueAtImport} ${currency}`,
        ]
      : []),
    ...(view.risk?.hits ?? []).map((hit) => `  risk ${hit.profileId}: ${hit.reason}`),
    ...view.holds
      .filter((hold) => !hold.liftedAt)
      .map((hold) => `  hold ${hold.id}${hold.agency ? ` (${hold.agency})` : ''}: ${hold.reason}`),
    ...view.history.map((entry) => `  ${entry.at}  ${entry.from ?? '-'} -> ${entry.to}  ${entry.reason}`),
  ];
};

export const registerDeclarations = (program: Command, context: CommandContext) => {
  program
    .command('status')
    .description('a declaration: status, risk lane, amounts, holds and history')
    .argument('<id-or-reference>', 'dcl_… or your own reference')
    .option('--platform <id>', 'whose reference it is, for officers (a platform or post gives its own)')
    .option('--watch', 'follow it until it is released, rejected, seized or cancelled')
    .option('--interval <seconds>', 'how often --watch asks', integerOption(1, 3600), 2)
    .option('--json', 'print the declaration as JSON')
    .addHelpText('after', '\nExit codes: 0 found; 1 not found or any other failure.')
    .action(
      async (
        idOrReference: string,
        flags: { platform?: string; watch?: boolean; interval: number; json?: boolean },
      ) => {
        const target = resolveTarget(context.globals(), 'platform');
        const client = apiClient(target, { retryForMs: context.globals().retryFor * 1000 });
        const id = await resolveDeclarationId(idOrReference, client, flags.platform);
        let shown = '';
        for (;;) {
          const { data, error, response } = await client.GET('/v1/declarations/{id}', {
            params: { path: { id } },
          });
          if (!data) throw new RequestFailed(`${idOrReference}: ${problemLine(response.status, error)}`);
          const text = flags.json
            ? `${JSON.stringify(data, null, isInteractive(process.stdout) ? 2 : undefined)}\n`
            : `${statusLines(data).join('\n')}\n`;
          if (text !== shown) process.stdout.write(text);
          shown = text;
          if (!flags.watch || FINAL.has(data.status)) return;
          await sleep(flags.interval * 1000);
        }
      },
    );

  program
    .command('list')
    .description('declarations, newest first')
    .option('--status <status>', 'only in this status, e.g. HELD')
    .option('--from <date>', 'lodged on or after (YYYY-MM-DD)')
    .option('--to <date>', 'lodged on or before (YYYY-MM-DD)')
    .option('--limit <n>', 'page size', integerOption(1, 100), 25)
    .option('--all', 'every page, not just the first')
    .option('--json', 'one JSON object per line')
    .action(
      async (flags: {
        status?: string;
        from?: string;
        to?: string;
        limit: number;
        all?: boolean;
        json?: boolean;
      }) => {
        const target = resolveTarget(context.globals(), 'platform');
        const client = apiClient(target, { retryForMs: context.globals().retryFor * 1000 });
        let cursor: string | undefined;
        let first = true;
        do {
          const { data, error, response } = await client.GET('/v1/declarations', {
            params: {
              query: {
                ...(flags.status ? { status: flags.status as Status } : {}),
                ...(flags.from ? { from: flags.from } : {}),
                ...(flags.to ? { to: flags.to } : {}),
                ...(cursor ? { cursor } : {}),
                limit: flags.limit,
              },
            },
          });
          if (!data) throw new RequestFailed(problemLine(response.status, error));
          if (flags.json) for (const item of data.items) process.stdout.write(`${JSON.stringify(item)}\n`);
          else {
            const table = formatTable(
              data.items.map((item) => ({
                ...item,
                goodsValue: item.goodsValue ? `${item.goodsValue.amount} ${item.goodsValue.currency}` : '',
                dueAtImport: item.totals?.dueAtImport ?? '',
              })),
              ['id', 'reference', 'status', 'lane', 'goodsValue', 'dueAtImport', 'createdAt'],
              isInteractive(process.stdout),
            );
            // The header once, however many pages follow.
            process.stdout.write(first ? table : table.slice(table.indexOf('\n') + 1));
          }
          first = false;
          cursor = data.cursor ?? undefined;
        } while (flags.all && cursor);
      },
    );

  program
    .command('quote')
    .description(
      'what clearance would charge for a declaration (no reference needed), as a quote valid 30 days',
    )
    .argument('<file>', 'a declaration as JSON')
    .action(async (file: string) => {
      const target = resolveTarget(context.globals(), 'platform');
      const client = apiClient(target, { retryForMs: context.globals().retryFor * 1000 });
      const body = JSON.parse(readFileSync(file, 'utf8')) as components['schemas']['QuoteRequest'];
      const { data, error, response } = await client.POST('/v1/quotes', { body });
      if (!data) throw new RequestFailed(`${file}: ${problemLine(response.status, error)}`);
      printJson(data, isInteractive(process.stdout));
    });
};
