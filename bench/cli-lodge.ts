// The CLI against the batch API it drives, in the same run on the same runtime: 10,000 declarations from a
// JSONL file through `clearway lodge` (the whole process: start-up, reading, chunking, progress), and the
// same number posted straight to POST /v1/declarations/batch in the CLI's chunk size and concurrency. The
// direct posts run in two halves, before and after the CLI, so both see a pipeline equally busy behind them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryingFetch } from '../cli/retry.js';
import { mapConcurrent } from '../shared/adapters/retry.js';
import { runCli } from '../test/fixtures/cli.js';
import { greenConsignment } from './release-latency.js';

const CHUNK = 500;
const IN_FLIGHT = 4;

const declarations = (prefix: string, count: number, country: string) =>
  Array.from({ length: count }, (_, index) => greenConsignment(`${prefix}-${index}`, country));

/**
 * Posts declarations straight to the batch route, sending a batch again on 429 and 5xx as any client
 * must (the same rules as the CLI's); resolves with the milliseconds it took.
 */
const postBatches = async (url: string, items: unknown[]): Promise<number> => {
  const send = retryingFetch({ retryForMs: 300_000 });
  const chunks = Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) =>
    items.slice(index * CHUNK, (index + 1) * CHUNK),
  );
  const started = performance.now();
  await mapConcurrent(chunks, IN_FLIGHT, async (chunk) => {
    const response = await send(`${url}/v1/declarations/batch`, {
      method: 'POST',
      headers: { authorization: 'Bearer local:platform:bench-batch-api', 'content-type': 'application/json' },
      body: JSON.stringify({ declarations: chunk }),
    });
    const body = (await response.json()) as { results?: { status: number }[] };
    // A batch sent again after a 5xx may find part of itself lodged already (200).
    const accepted =
      body.results?.filter((result) => result.status === 202 || result.status === 200).length ?? 0;
    if (response.status !== 207 || accepted !== chunk.length)
      throw new Error(
        `The batch API answered ${response.status} with ${accepted} of ${chunk.length} accepted`,
      );
  });
  return performance.now() - started;
};

export interface CliLodgeResult {
  declarations: number;
  batchApiPerSecond: number;
  cliPerSecond: number;
  /** cliPerSecond / batchApiPerSecond; the target is 0.8 or more. */
  ratio: number;
}

export const cliVersusBatchApi = async (
  url: string,
  count = 10_000,
  country = 'NL',
): Promise<CliLodgeResult> => {
  const run = randomBytes(4).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'clearway-bench-cli-'));
  try {
    const file = join(dir, 'declarations.jsonl');
    writeFileSync(
      file,
      `${declarations(`CLI-${run}`, count, country)
        .map((declaration) => JSON.stringify(declaration))
        .join('\n')}\n`,
    );
    // The same kind of declarations, made before the clock starts, as the CLI's file is.
    const direct = declarations(`API-${run}`, count, country);
    const half = Math.floor(count / 2);

    const firstHalfMs = await postBatches(url, direct.slice(0, half));
    const started = performance.now();
    const cli = await runCli([
      'lodge',
      file,
      '--json',
      '--api',
      url,
      '--token',
      'local:platform:bench-cli',
      '--chunk-size',
      String(CHUNK),
      '--concurrency',
      String(IN_FLIGHT),
    ]);
    const cliMs = performance.now() - started;
    const secondHalfMs = await postBatches(url, direct.slice(half));

    const summary = JSON.parse(cli.stdout || '{}') as { accepted?: number; alreadyLodged?: number };
    if (cli.code !== 0 || (summary.accepted ?? 0) + (summary.alreadyLodged ?? 0) !== count)
      throw new Error(
        `clearway lodge exited ${cli.code} with ${summary.accepted} accepted: ${cli.stdout}\n${cli.stderr}`,
      );
    const batchApiPerSecond = (count * 1000) / (firstHalfMs + secondHalfMs);
    const cliPerSecond = (count * 1000) / cliMs;
    return {
      declarations: count,
      batchApiPerSecond: Math.round(batchApiPerSecond),
      cliPerSecond: Math.round(cliPerSecond),
      ratio: Math.round((cliPerSecond / batchApiPerSecond) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
