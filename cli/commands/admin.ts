// `clearway admin load <kind> <file> [--dry-run]`: reference data from spreadsheets. Every row is
// checked first with the API's own parsers for that kind (nothing is sent while any row is wrong); a dry
// run then compares each row with what the API holds and says what would change. A load PUTs row by row
// (each PUT is idempotent) and reports every row that failed by its line number.
import type { Command } from 'commander';
import { mapConcurrent } from '../../shared/adapters/retry.js';
import type { FieldError } from '../../shared/domain/declaration/declaration.js';
import { ValidationError } from '../../shared/domain/errors.js';
import type { Period } from '../../shared/domain/reference/versions.js';
import type { RouteContract } from '../../shared/http/contract.js';
import type { KindSpec } from '../../shared/use-cases/admin/versioned-reference.js';
import { type Json, readRows, type SourceRow } from '../admin/rows.js';
import type { ApiClient } from '../context.js';
import { apiClient, resolveTarget } from '../context.js';
import type { CommandContext } from './common.js';

type Kind = 'tariff-rates' | 'tax-rates' | 'exchange-rates' | 'risk-profiles';
export const ADMIN_KINDS: readonly Kind[] = ['tariff-rates', 'tax-rates', 'exchange-rates', 'risk-profiles'];

interface Answer {
  ok: boolean;
  status: number;
  body: unknown;
}

interface KindAccess {
  /** The field of a row that names what it is about (the path parameter). */
  key: string;
  /** Whether the body keeps the key (a risk profile carries its id). */
  keyInBody: boolean;
  get(client: ApiClient, key: string): Promise<Answer>;
  put(client: ApiClient, key: string, body: Json): Promise<Answer>;
}

const answer = ({
  data,
  error,
  response,
}: {
  data?: unknown;
  error?: unknown;
  response: Response;
}): Answer => ({
  ok: response.ok,
  status: response.status,
  body: data ?? error,
});

const ACCESS: Record<Kind, KindAccess> = {
  'tariff-rates': {
    key: 'hsCode',
    keyInBody: false,
    get: async (client, hsCode) =>
      answer(await client.GET('/v1/admin/tariff-rates/{hsCode}', { params: { path: { hsCode } } })),
    put: async (client, hsCode, body) =>
      answer(
        await client.PUT('/v1/admin/tariff-rates/{hsCode}', {
          params: { path: { hsCode } },
          // Checked with the API's own parser before it is sent.
          body: body as { validFrom: string },
        }),
      ),
  },
  'tax-rates': {
    key: 'hsPrefix',
    keyInBody: false,
    get: async (client, hsPrefix) =>
      answer(await client.GET('/v1/admin/tax-rates/{hsPrefix}', { params: { path: { hsPrefix } } })),
    put: async (client, hsPrefix, body) =>
      answer(
        await client.PUT('/v1/admin/tax-rates/{hsPrefix}', {
          params: { path: { hsPrefix } },
          // Checked with the API's own parser before it is sent.
          body: body as { rate: string; validFrom: string; legalBasis: string },
        }),
      ),
  },
  'exchange-rates': {
    key: 'currency',
    keyInBody: false,
    get: async (client, currency) =>
      answer(await client.GET('/v1/admin/exchange-rates/{currency}', { params: { path: { currency } } })),
    put: async (client, currency, body) =>
      answer(
        await client.PUT('/v1/admin/exchange-rates/{currency}', {
          params: { path: { currency } },
          // Checked with the API's own parser before it is sent.
          body: body as { rate: string; validFrom: string },
        }),
      ),
  },
  'risk-profiles': {
    key: 'id',
    keyInBody: true,
    get: async (client, id) =>
      answer(await client.GET('/v1/admin/risk-profiles/{id}', { params: { path: { id } } })),
    put: async (client, id, body) =>
      answer(
        await client.PUT('/v1/admin/risk-profiles/{id}', {
          params: { path: { id } },
          // Checked with the API's own parser before it is sent.
          body: body as { id: string; description: string; validFrom: string; when: Json; score: number },
        }),
      ),
  },
};

/** The API's parsers for each kind, loaded when needed (they bring the server's validation rules). */
/**
 * A row checked as the API checks a PUT of it: the key and the body with the route's own schemas, then
 * what the use case checks; answers the key, or throws the ValidationError the API would answer.
 */
const parsersFor = async (kind: Kind) => {
  const [{ TARIFF_RATES }, { TAX_RATES }, { EXCHANGE_RATES }, { RISK_PROFILES }] = await Promise.all([
    import('../../shared/use-cases/admin/tariff-rates.js'),
    import('../../shared/use-cases/admin/tax-rates.js'),
    import('../../shared/use-cases/admin/exchange-rates.js'),
    import('../../shared/use-cases/admin/risk-profiles.js'),
  ]);
  const { adminRoutes } = await import('../../shared/http/routes/reference.js');
  const { parseInput } = await import('../../shared/http/parse.js');
  const spec: KindSpec<Period, unknown> = {
    'tariff-rates': TARIFF_RATES,
    'tax-rates': TAX_RATES,
    'exchange-rates': EXCHANGE_RATES,
    'risk-profiles': RISK_PROFILES,
  }[kind] as KindSpec<Period, unknown>;
  const route: RouteContract | undefined = adminRoutes.find(
    (candidate) => candidate.method === 'PUT' && candidate.path === `/v1/admin/${kind}/{${spec.keyName}}`,
  );
  if (!route?.params || !route.body) throw new Error(`No PUT route for ${kind}`);
  const { params, body: bodySpec } = route;
  return (rawKey: string, body: unknown, deps: { stackCurrency: string }): string => {
    parseInput(params, { [spec.keyName]: rawKey }, 'The key is not valid');
    const request = parseInput(bodySpec.schema, body, `The ${spec.noun} is not valid`);
    spec.checkKey?.(rawKey, deps);
    spec.toVersion(request, rawKey);
    return rawKey;
  };
};

interface CheckedRow {
  line: number;
  key: string;
  body: Json;
}

const fieldErrors = (error: unknown): FieldError[] =>
  error instanceof ValidationError ? error.errors : [{ path: '', message: (error as Error).message }];

const problemErrors = (body: unknown): string => {
  const problem = (body ?? {}) as { detail?: string; title?: string; errors?: FieldError[] };
  if (problem.errors?.length)
    return problem.errors.map((error) => `${error.path}: ${error.message}`).join('; ');
  return problem.detail ?? problem.title ?? 'refused';
};

/** What a row would change in the versions the API holds. */
export const describeChange = (current: Json | undefined, key: string, body: Json): string => {
  const versions = (current?.versions as Json[] | undefined) ?? [];
  const same = versions.find((version) => version.validFrom === body.validFrom);
  if (!same) return `add ${key} from ${String(body.validFrom)}: ${JSON.stringify(body)}`;
  const before = JSON.stringify(same, Object.keys(body).sort());
  const after = JSON.stringify(body, Object.keys(body).sort());
  return before === after
    ? `unchanged ${key} from ${String(body.validFrom)}`
    : `change ${key} from ${String(body.validFrom)}: ${JSON.stringify(same)} -> ${after}`;
};

export const registerAdmin = (program: Command, context: CommandContext) => {
  const admin = program.command('admin').description('reference data for the administration (admin token)');
  admin
    .command('load')
    .description('load tariff rates, tax rates, exchange rates or risk profiles from a CSV or JSONL file')
    .argument('<kind>', ADMIN_KINDS.join(' | '))
    .argument('<file>', '.csv (a header of field names, e.g. hsCode,dutyRate,validFrom) or .jsonl')
    .option('--dry-run', 'check every row and show what would change; change nothing')
    .option('--concurrency <n>', 'requests in flight', (raw) => Number(raw), 4)
    .addHelpText(
      'after',
      `
Columns (CSV) or fields (JSONL), one version per row:
  tariff-rates    hsCode, dutyRate, specific.amount, specific.per, validFrom, validTo
  tax-rates       hsPrefix, rate, validFrom, validTo, legalBasis
  exchange-rates  currency, rate, validFrom; or the ECB's euro reference rates CSV as published
                  (eurofxref.csv, eurofxref-hist.csv), converted into the stack currency
  risk-profiles   id, description, validFrom, validTo, when (JSON), score, lane, action, agency, reason
Rows are checked before anything is sent: with any wrong row, nothing is loaded. Exit codes: 0 every row
loaded (or, with --dry-run, valid); 2 some rows refused, each reported with its line number; 1 otherwise.`,
    )
    .action(async (kindArg: string, file: string, flags: { dryRun?: boolean; concurrency: number }) => {
      if (!ADMIN_KINDS.includes(kindArg as Kind))
        throw context.usage(`admin load takes one of ${ADMIN_KINDS.join(', ')}, not "${kindArg}"`);
      const kind = kindArg as Kind;
      const access = ACCESS[kind];
      const target = resolveTarget(context.globals(), 'admin');
      const client = apiClient(target, { retryForMs: context.globals().retryFor * 1000 });
      const rules = await client.GET('/v1/public/rules', {});
      const stackCurrency = String((rules.data as { currency?: unknown } | undefined)?.currency ?? 'EUR');
      const rows: SourceRow[] = await readRows(file, {
        exchangeRates: kind === 'exchange-rates',
        stackCurrency,
      });
      const check = await parsersFor(kind);

      const refused: string[] = [];
      const checked: CheckedRow[] = [];
      for (const row of rows) {
        if (row.problem) {
          refused.push(`line ${row.line}: ${row.problem}`);
          continue;
        }
        const { [access.key]: rawKey, ...rest } = row.fields;
        const body = access.keyInBody ? row.fields : rest;
        try {
          if (typeof rawKey !== 'string' || rawKey === '')
            throw new ValidationError([{ path: access.key, message: 'is required' }], '');
          const key = check(rawKey, body, { stackCurrency });
          checked.push({ line: row.line, key, body });
        } catch (error) {
          for (const problem of fieldErrors(error))
            refused.push(`line ${row.line}: ${problem.path} ${problem.message}`);
        }
      }
      const print = (line: string) => process.stdout.write(`${line}\n`);
      if (refused.length > 0) {
        for (const line of refused) print(line);
        print(`${rows.length} rows read, ${refused.length} problems: nothing was loaded`);
        process.exitCode = 2;
        return;
      }

      if (flags.dryRun) {
        const changes = await mapConcurrent(checked, flags.concurrency, async (row) => {
          const current = await access.get(client, row.key);
          if (!current.ok && current.status !== 404)
            throw new Error(`GET ${row.key}: HTTP ${current.status}`);
          return `line ${row.line}: ${describeChange(current.ok ? (current.body as Json) : undefined, row.key, row.body)}`;
        });
        for (const line of changes) print(line);
        print(`${checked.length} rows valid; --dry-run: nothing was changed`);
        return;
      }

      const failed: { line: number; text: string; refused: boolean }[] = [];
      let loaded = 0;
      await mapConcurrent(checked, flags.concurrency, async (row) => {
        try {
          const result = await access.put(client, row.key, row.body);
          if (result.ok) loaded += 1;
          else
            failed.push({
              line: row.line,
              text: `${row.key}: HTTP ${result.status} ${problemErrors(result.body)}`,
              refused: result.status < 500,
            });
        } catch (error) {
          failed.push({
            line: row.line,
            text: `${row.key}: not sent (${(error as Error).message})`,
            refused: false,
          });
        }
      });
      for (const failure of failed.sort((a, b) => a.line - b.line))
        print(`line ${failure.line}: ${failure.text}`);
      print(
        `loaded ${loaded} of ${checked.length} rows` +
          (failed.length > 0
            ? `; ${failed.length} not loaded (above): fix them and load the file again (loaded rows are written the same again)`
            : ''),
      );
      process.exitCode = failed.length === 0 ? 0 : failed.every((failure) => failure.refused) ? 2 : 1;
    });
};
