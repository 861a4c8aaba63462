// The `clearway` command-line tool against `npm start`'s runtime, run as a user runs it: a child process
// with its output piped. Lodging a file of 5,000 declarations with 1 % bad lines, a run interrupted with
// Ctrl-C and run again, a CSV file and standard input; status, list, quote, reference data, revenue and
// statements. (The API answering 503 for a while: test/integration/faults/cli-busy.test.ts.)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../shared/domain/money.js';
import { runCli, spawnCli } from '../fixtures/cli.js';
import { declarationFile, writeDeclarationFile } from '../fixtures/lodge-files.js';
import { type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

interface Summary {
  total: number;
  accepted: number;
  alreadyLodged: number;
  refused: number;
  conflicts: number;
  notSent: number;
  interrupted: boolean;
  rejectedFile?: string;
}

const summaryOf = (stdout: string): Summary =>
  JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Summary;

describe('clearway lodge', () => {
  let runtime: RuntimeProcess;
  let dir: string;
  const as = (platform: string) => ['--api', runtime.url, '--token', `local:platform:${platform}`];

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ CLEARWAY_LOG_LEVEL: 'warn' });
    dir = mkdtempSync(join(tmpdir(), 'clearway-cli-'));
  });

  afterAll(async () => {
    await runtime?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists its commands, and every command explains itself', async () => {
    // Act
    const help = await runCli(['--help']);
    // Assess
    expect(help.code).toBe(0);
    const listed = help.stdout.slice(help.stdout.indexOf('Commands:'));
    const commands = [...listed.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
      .map((match) => match[1])
      .filter((name) => name !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['lodge']));
    expect(help.stdout).toMatch(/CLEARWAY_API/);
    expect(help.stdout).toMatch(/CLEARWAY_TOKEN/);
    for (const command of commands) {
      const own = await runCli([command as string, '--help']);
      expect(own.code, command).toBe(0);
      expect(own.stdout).toContain(`Usage: clearway ${command}`);
    }
  });

  it('lodges 5,000 declarations, writes the 1 % bad lines to rejected.jsonl and exits 2', async () => {
    // Prepare
    const file = declarationFile(5000, `E2E-5K-${process.pid}`, 100);
    const input = join(dir, 'five-thousand.jsonl');
    writeDeclarationFile(input, file);

    // Act
    const result = await runCli(['lodge', input, '--json', ...as('cli-5k')]);

    // Assess
    expect(result.code, result.stderr).toBe(2);
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({
      total: 5000,
      accepted: 4950,
      alreadyLodged: 0,
      refused: 50,
      conflicts: 0,
      notSent: 0,
      interrupted: false,
      rejectedFile: join(dir, 'rejected.jsonl'),
    });
    const rejected = readFileSync(join(dir, 'rejected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { lines: number[]; status: number; errors: { path: string }[] });
    expect(rejected.map((entry) => entry.lines[0]).sort((a, b) => (a as number) - (b as number))).toEqual([
      ...file.bad.keys(),
    ]);
    const pathsByKind = new Map<string, string[]>();
    for (const entry of rejected) {
      const kind = file.bad.get(entry.lines[0] as number) as string;
      expect(entry.status).toBe(400);
      pathsByKind.set(
        kind,
        entry.errors.map((error) => error.path),
      );
    }
    expect(pathsByKind.get('unknown-hs-code')).toContain('items.0.hsCode');
    expect(pathsByKind.get('no-consignee')).toContain('consignee');
    expect(pathsByKind.get('negative-value')).toContain('items.0.value');
    expect(pathsByKind.get('not-json')).toEqual(['']);
    // Plain progress lines, not a bar, when the output is not a terminal
    expect(result.stderr).toMatch(/^progress 5000\/5000 100% \d+\/s/m);
  });

  it('runs again after Ctrl-C and lodges the rest, nothing twice', async () => {
    // Prepare: small chunks, one in flight, so the first run is still going when it is interrupted
    const file = declarationFile(1000, `E2E-RESUME-${process.pid}`);
    const input = join(dir, 'resume.jsonl');
    writeDeclarationFile(input, file);
    const args = ['lodge', input, '--json', ...as('cli-resume')];

    // Act
    const first = spawnCli([...args, '--chunk-size', '25', '--concurrency', '1']);
    await first.waitFor(/^progress ([1-9]\d*)\/1000/m);
    first.interrupt();
    const interrupted = await first.done;
    const second = await runCli(args);

    // Assess
    expect(interrupted.code, interrupted.stderr).toBe(1);
    const before = summaryOf(interrupted.stdout);
    expect(before.interrupted).toBe(true);
    expect(before.accepted).toBeGreaterThan(0);
    expect(before.notSent).toBeGreaterThan(0);
    expect(before.accepted + before.notSent).toBe(1000);
    expect(second.code, second.stderr).toBe(0);
    const after = summaryOf(second.stdout);
    // What the first run lodged comes back as lodged before, exactly; the rest is new
    expect(after).toMatchObject({
      total: 1000,
      alreadyLodged: before.accepted,
      accepted: 1000 - before.accepted,
      refused: 0,
      conflicts: 0,
      notSent: 0,
    });
  });
});

describe('clearway status, list, quote, admin load and revenue', () => {
  let runtime: RuntimeProcess;
  let dir: string;
  const api = () => ['--api', runtime.url];
  const PLATFORM = `cli-follow-${process.pid}`;
  /** Lodges the CSV and standard-input files, apart from PLATFORM's list. */
  const FILES_PLATFORM = `cli-files-${process.pid}`;

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ CLEARWAY_LOG_LEVEL: 'warn' });
    dir = mkdtempSync(join(tmpdir(), 'clearway-cli-'));
  });

  afterAll(async () => {
    await runtime?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads exchange rates from the ECB reference rates CSV as published, after a dry run', async () => {
    // Prepare: eurofxref.csv as the ECB publishes it (trailing separators included)
    const ecb = join(dir, 'eurofxref.csv');
    writeFileSync(ecb, 'Date, USD, JPY, GBP, \n04 December 2026, 1.0500, 160.12, 0.8400, \n');
    const admin = [...api(), '--token', 'local:admin:admin-1'];

    // Act
    const dryRun = await runCli([...admin, 'admin', 'load', 'exchange-rates', ecb, '--dry-run']);
    const beforeLoad = await fetch(`${runtime.url}/v1/admin/exchange-rates/USD`, {
      headers: { authorization: 'Bearer local:admin:admin-1' },
    });
    const load = await runCli([...admin, 'admin', 'load', 'exchange-rates', ecb]);
    const again = await runCli([...admin, 'admin', 'load', 'exchange-rates', ecb, '--dry-run']);

    // Assess
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain(
      'line 2: add USD from 2026-12-04: {"rate":"0.9523809524","validFrom":"2026-12-04"}',
    );
    expect(((await beforeLoad.json()) as { versions?: unknown[] }).versions ?? []).toEqual([]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    expect(load.stdout).toContain('loaded 3 of 3 rows');
    expect(again.stdout).toContain('line 2: unchanged USD from 2026-12-04');
  });

  it('reports every wrong tariff row by line number and loads nothing', async () => {
    // Prepare
    const tariffs = join(dir, 'tariffs.csv');
    writeFileSync(
      tariffs,
      ['hsCode,dutyRate,validFrom', '6109,0.12,2026-01-01', '42x,0.03,2026-01-01', '8471,,2026-01-01'].join(
        '\n',
      ),
    );

    // Act
    const result = await runCli([
      ...api(),
      '--token',
      'local:admin:admin-1',
      'admin',
      'load',
      'tariff-rates',
      tariffs,
    ]);
    const stored = await fetch(`${runtime.url}/v1/admin/tariff-rates/6109`, {
      headers: { authorization: 'Bearer local:admin:admin-1' },
    });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^line 3: hsCode /m);
    expect(result.stdout).toMatch(/^line 4: dutyRate is required unless specific is given/m);
    expect(result.stdout).toContain('nothing was loaded');
    expect(((await stored.json()) as { versions?: unknown[] }).versions ?? []).toEqual([]);
  });

  it('lodges a CSV file, one row per goods item grouped by reference, refused rows to rejected.jsonl', async () => {
    // Prepare: the template's two-item declaration, a one-item one, and one with an unknown HS code
    const template = await runCli(['lodge', '--template']);
    const [header, templateFirst, second] = template.stdout.trim().split('\n') as [string, string, string];
    const tag = `CSV-${process.pid}`;
    // A consignee of its own: the consignment-splitting profile must not count these with other tests'
    const first = templateFirst
      .replace('Anna de Vries', `Consignee ${tag}`)
      .replace('Keizersgracht 1', `Street ${tag}`);
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir);
    const input = join(csvDir, 'orders.csv');
    writeFileSync(
      input,
      [
        header,
        first.replace('ORDER-10001', `${tag}-1`),
        second.replace('ORDER-10001', `${tag}-1`),
        first.replace('ORDER-10001', `${tag}-2`),
        first.replace('ORDER-10001', `${tag}-3`).replace(',610910,', ',999999,'),
      ].join('\n'),
    );
    const platform = [...api(), '--token', `local:platform:${FILES_PLATFORM}`];

    // Act
    const result = await runCli(['lodge', input, '--json', ...platform]);
    const twoItems = await runCli([...platform, 'status', `${tag}-1`, '--json']);

    // Assess
    expect(template.code).toBe(0);
    expect(result.code, result.stderr).toBe(2);
    expect(summaryOf(result.stdout)).toMatchObject({
      total: 3,
      accepted: 2,
      refused: 1,
      conflicts: 0,
      rejectedFile: join(csvDir, 'rejected.jsonl'),
    });
    const rejected = readFileSync(join(csvDir, 'rejected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { lines: number[]; reference: string; errors: { path: string }[] });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ lines: [5], reference: `${tag}-3` });
    expect(rejected[0]?.errors.map((error) => error.path)).toContain('items.0.hsCode');
    expect(twoItems.code, twoItems.stderr).toBe(0);
    const view = JSON.parse(twoItems.stdout) as {
      declaration: { items: { description: string; hsCode: string }[] };
    };
    expect(view.declaration.items.map((item) => item.hsCode)).toEqual(['610910', '420330']);
  });

  it('lodges from standard input with "-" and writes refused lines to rejected.jsonl in the current directory', async () => {
    // Prepare: three lines, the second not a declaration; run from a directory of its own
    const file = declarationFile(3, `E2E-STDIN-${process.pid}`);
    // A consignee of its own: the consignment-splitting profile must not count these with other tests'
    const ownConsignee = (line: string | undefined) =>
      JSON.stringify({
        ...(JSON.parse(line ?? '{}') as Record<string, unknown>),
        consignee: {
          name: `Consignee STDIN-${process.pid}`,
          address: {
            line1: `Street STDIN-${process.pid}`,
            city: 'Utrecht',
            postcode: '3511 AB',
            country: 'NL',
          },
        },
      });
    const lines = [
      ownConsignee(file.lines[0]),
      '{"reference": "only this"}',
      ownConsignee(file.lines[2]),
    ].join('\n');
    const workDir = join(dir, 'stdin-run');
    mkdirSync(workDir);

    // Act
    const result = await runCli(
      ['lodge', '-', '--json', ...api(), '--token', `local:platform:${FILES_PLATFORM}`],
      {
        cwd: workDir,
        stdin: `${lines}\n`,
      },
    );

    // Assess
    expect(result.code, result.stderr).toBe(2);
    expect(summaryOf(result.stdout)).toMatchObject({
      total: 3,
      accepted: 2,
      refused: 1,
      rejectedFile: join(workDir, 'rejected.jsonl'),
    });
    const rejected = readFileSync(join(workDir, 'rejected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { lines: number[]; status: number; errors: { path: string }[] });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ lines: [2], status: 400 });
    expect(rejected[0]?.errors.map((error) => error.path)).toEqual(
      expect.arrayContaining(['consignee', 'items']),
    );
    expect(existsSync(join(dir, 'rejected.jsonl'))).toBe(false);
  });

  it('loads tax rates from CSV after a dry run, and reports a wrong JSONL row by line number, loading nothing', async () => {
    // Prepare
    const rates = join(dir, 'tax-rates.csv');
    writeFileSync(
      rates,
      [
        'hsPrefix,rate,validFrom,validTo,legalBasis',
        '490110,0.09,2026-01-01,,"Wet OB 1968, Tabel I, post a.6"',
        '490191,0,2026-01-01,2026-12-31,Zero rate (worked example)',
      ].join('\n'),
    );
    const wrong = join(dir, 'tax-rates.jsonl');
    writeFileSync(
      wrong,
      [
        JSON.stringify({ hsPrefix: '490199', rate: '0.09', validFrom: '2026-01-01', legalBasis: 'Act' }),
        '',
        JSON.stringify({ hsPrefix: '4901', rate: '0.09', validFrom: '2026-01-01' }),
        JSON.stringify({ hsPrefix: '4', rate: '1.5', validFrom: '2026-01-01', legalBasis: 'Act' }),
      ].join('\n'),
    );
    const admin = [...api(), '--token', 'local:admin:admin-1'];
    const read = async (hsPrefix: string) =>
      (await (
        await fetch(`${runtime.url}/v1/admin/tax-rates/${hsPrefix}`, {
          headers: { authorization: 'Bearer local:admin:admin-1' },
        })
      ).json()) as { versions?: Record<string, unknown>[] };

    // Act
    const refused = await runCli([...admin, 'admin', 'load', 'tax-rates', wrong]);
    const dryRun = await runCli([...admin, 'admin', 'load', 'tax-rates', rates, '--dry-run']);
    const beforeLoad = await read('490110');
    const load = await runCli([...admin, 'admin', 'load', 'tax-rates', rates]);
    const afterLoad = await read('490110');

    // Assess
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stdout).toMatch(/^line 3: legalBasis /m);
    expect(refused.stdout).toMatch(/^line 4: hsPrefix /m);
    expect(refused.stdout).toContain('nothing was loaded');
    expect((await read('490199')).versions ?? []).toEqual([]);
    expect(dryRun.code, dryRun.stdout + dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('line 2: add 490110 from 2026-01-01');
    expect(beforeLoad.versions ?? []).toEqual([]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    expect(load.stdout).toContain('loaded 2 of 2 rows');
    expect(afterLoad.versions).toEqual([
      { rate: '0.09', validFrom: '2026-01-01', legalBasis: 'Wet OB 1968, Tabel I, post a.6' },
    ]);
  });

  it('loads a risk profile from CSV, with its pattern, after a dry run', async () => {
    // Prepare: a profile in force from today; the `when` cell holds the pattern as JSON
    const id = `CLI-PROFILE-${process.pid}`;
    const today = new Date().toISOString().slice(0, 10);
    const when = { item: { hsChapter: ['97'] } };
    const profiles = join(dir, 'profiles.csv');
    writeFileSync(
      profiles,
      [
        'id,description,validFrom,score,lane,when',
        `${id},Works of art declared by e-commerce,${today},40,AMBER,"${JSON.stringify(when).replace(/"/g, '""')}"`,
      ].join('\n'),
    );
    const admin = [...api(), '--token', 'local:admin:admin-1'];
    const read = async () =>
      (await (
        await fetch(`${runtime.url}/v1/admin/risk-profiles/${id}`, {
          headers: { authorization: 'Bearer local:admin:admin-1' },
        })
      ).json()) as { versions?: Record<string, unknown>[] };

    // Act
    const dryRun = await runCli([...admin, 'admin', 'load', 'risk-profiles', profiles, '--dry-run']);
    const beforeLoad = await read();
    const load = await runCli([...admin, 'admin', 'load', 'risk-profiles', profiles]);
    const afterLoad = await read();

    // Assess
    expect(dryRun.code, dryRun.stdout + dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain(`line 2: add ${id} from ${today}`);
    expect(beforeLoad.versions ?? []).toEqual([]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    expect(load.stdout).toContain('loaded 1 of 1 rows');
    expect(afterLoad.versions).toEqual([
      expect.objectContaining({ id, validFrom: today, score: 40, lane: 'AMBER', when }),
    ]);
  });

  it('follows a lodged declaration by its reference, lists it, quotes, exports revenue and prints the account statement', async () => {
    // Prepare
    const file = declarationFile(3, `E2E-FOLLOW-${process.pid}`);
    const input = join(dir, 'follow.jsonl');
    writeDeclarationFile(input, file);
    const platform = [...api(), '--token', `local:platform:${PLATFORM}`];
    const quoteFile = join(dir, 'quote.json');
    const { reference: _reference, ...unreferenced } = JSON.parse(file.lines[0] as string) as Record<
      string,
      unknown
    >;
    writeFileSync(quoteFile, JSON.stringify(unreferenced));
    const today = new Date().toISOString().slice(0, 10);
    const tariffs = join(dir, 'tariffs-ok.csv');
    writeFileSync(
      tariffs,
      [
        'hsCode,dutyRate,validFrom',
        '6109,0.12,2026-01-01',
        '4203,0.03,2026-01-01',
        '8211,0.085,2026-01-01',
        '8471,0,2026-01-01',
      ].join('\n'),
    );

    // Act
    const tariffLoad = await runCli([
      ...api(),
      '--token',
      'local:admin:admin-1',
      'admin',
      'load',
      'tariff-rates',
      tariffs,
    ]);
    const lodged = await runCli(['lodge', input, ...platform]);
    const status = await runCli([
      ...platform,
      'status',
      file.references[0] as string,
      '--watch',
      '--interval',
      '1',
    ]);
    const list = await runCli([...platform, 'list', '--all', '--json']);
    const quote = await runCli([...platform, 'quote', quoteFile]);
    const revenue = await runCli([
      ...api(),
      '--token',
      'local:finance:finance-1',
      'revenue',
      '--from',
      today,
      '--to',
      today,
      '--group-by',
      'platform',
      '--csv',
    ]);
    const released = await runCli([...platform, 'status', file.references[0] as string, '--json']);
    const month = today.slice(0, 7);
    const statement = await runCli([
      ...api(),
      '--token',
      'local:finance:finance-1',
      'statement',
      '--account',
      PLATFORM,
      '--month',
      month,
    ]);
    const missing = await runCli([...platform, 'status', 'NO-SUCH-REFERENCE']);

    // Assess
    expect(tariffLoad.code, tariffLoad.stdout + tariffLoad.stderr).toBe(0);
    expect(tariffLoad.stdout).toContain('loaded 4 of 4 rows');
    expect(lodged.code, lodged.stderr).toBe(0);
    expect(lodged.stdout).toMatch(/^accepted {8}3$/m);
    expect(status.code, status.stderr).toBe(0);
    // --watch follows it to its final status: released (a deferred account pays what is due)
    expect(status.stdout).toContain(file.references[0]);
    expect(status.stdout).toMatch(/ RELEASED {2}lane GREEN/);
    expect(list.code, list.stderr).toBe(0);
    const listedItems = list.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reference: string; goodsValue?: { currency: string } });
    expect(listedItems.map((item) => item.reference).sort()).toEqual([...file.references].sort());
    expect(listedItems.every((item) => item.goodsValue?.currency === 'EUR')).toBe(true);
    expect(quote.code, quote.stderr).toBe(0);
    expect(JSON.parse(quote.stdout)).toMatchObject({
      quoteId: expect.any(String),
      assessment: expect.any(Object),
    });
    expect(revenue.code, revenue.stderr).toBe(0);
    expect(revenue.stdout.split('\n')[0]).toMatch(/^platform,currency,assessed/);
    // The platform's row: what the released declaration was assessed is booked
    const revenueRow = revenue.stdout.split('\n').find((line) => line.startsWith(`${PLATFORM},`));
    expect(revenueRow).toBeDefined();
    const [, currency, assessed] = (revenueRow as string).split(',');
    expect(currency).toBe('EUR');
    expect(Number(assessed)).toBeGreaterThan(0);
    // The deferred account's statement carries what the released declaration owes at import
    const { assessment } = JSON.parse(released.stdout) as {
      assessment: { currency: string; totals: { dueAtImport: string } };
    };
    expect(statement.code, statement.stderr).toBe(0);
    const monthly = JSON.parse(statement.stdout) as {
      account: string;
      month: string;
      lines: { collectionModel: string; taxCode: string; dueAtImport: string }[];
      totals: { currency: string; dueAtImport: string }[];
    };
    expect(monthly).toMatchObject({ account: PLATFORM, month });
    expect(monthly.lines.length).toBeGreaterThan(0);
    // Besides the deferred declaration, the account carries only the EU flat duty it owes as declarant on
    // the consumer-paid declarations lodged before (Delegated Regulation (EU) 2026/1022).
    const deferred = monthly.lines.filter((line) => line.collectionModel === 'DEFERRED_ACCOUNT');
    const others = monthly.lines.filter((line) => line.collectionModel !== 'DEFERRED_ACCOUNT');
    expect(deferred.reduce((total, line) => total.plus(line.dueAtImport), new Decimal(0)).toFixed(2)).toBe(
      assessment.totals.dueAtImport,
    );
    expect(others.map((line) => `${line.collectionModel} ${line.taxCode}`)).toEqual(
      others.map(() => 'CONSUMER_AT_IMPORT EU_FLAT_DUTY'),
    );
    expect(monthly.totals.map((total) => total.currency)).toEqual([assessment.currency]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/HTTP 404/);
  });
});
