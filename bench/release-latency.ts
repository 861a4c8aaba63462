// Release latency: the time from `POST /v1/declarations` to RELEASED for green consignments, measured
// against a running local runtime (`npm start`) over its public HTTP API.
//
// For each consignment the clock starts just before the POST is sent; the release time is the `at` of
// the declaration's RELEASED history entry, stamped by the step that released it. Both clocks are this
// machine's, so the difference is exact to the millisecond and does not depend on how often the bench
// looks. The bench polls GET /v1/declarations/{id} (every `pollIntervalMs`) only to learn that the
// release has happened; `observed` reports when a poll first saw it, an upper bound that includes the
// polling interval.
//
// Usage from code: `await measureReleaseLatency({ url: 'http://localhost:3000', count: 100 })`.
// From the command line: `npx tsx bench/release-latency.ts [url] [count] [concurrency]`.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

export interface ReleaseLatencyOptions {
  /** Base URL of the running runtime, e.g. http://localhost:3000. */
  url: string;
  /** Green consignments to lodge. */
  count: number;
  /** Consignments in flight at once; 1 measures an idle pipeline. Default 1. */
  concurrency?: number;
  /** A platform token the runtime accepts. Default `local:platform:bench-<random>`. */
  token?: string;
  /** Pause between two GETs of one declaration. Default 50 ms: it only decides when the bench learns of a release, not the latency measured. */
  pollIntervalMs?: number;
  /** How long one consignment may take before it counts as not released. Default 30 s. */
  timeoutMs?: number;
  /** The stack's country; decides the destination and currency of the consignments. Default NL. */
  country?: string;
  /** Consignments lodged and released first, not measured (warm module caches and connections). */
  warmup?: number;
}

export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface ReleaseLatencyReport extends LatencySummary {
  count: number;
  released: number;
  /** Consignments that ended in another status or timed out, with the reason. */
  failures: { reference: string; reason: string }[];
  concurrency: number;
  /** Consignments released per second over the measured run (lodgement of the first to release of the last). */
  releasedPerSecond: number;
  /** When a poll first saw RELEASED (includes up to `pollIntervalMs` of polling delay). */
  observed: LatencySummary;
  /** Lodgement (the POST round trip) alone. */
  lodgement: LatencySummary;
  /** Each measured consignment's latency in ms, in completion order. */
  samplesMs: number[];
}

const CURRENCY: Record<string, string> = { GB: 'GBP', US: 'USD', CA: 'CAD', AU: 'AUD', JP: 'JPY', CN: 'CNY' };

/**
 * A consignment every pack releases at once: cotton T-shirts with a plain description, shipped to a
 * consignee of its own (no 72-hour history, so no splitting profile), carrier collects on delivery.
 */
export const greenConsignment = (reference: string, country: string) => ({
  reference,
  dispatchCountry: country === 'CN' ? 'US' : 'CN',
  destinationCountry: country,
  channel: 'EXPRESS',
  transactionType: 'B2C',
  collectionModel: 'INTERMEDIARY_ON_DELIVERY',
  currency: CURRENCY[country] ?? 'EUR',
  transportCost: country === 'JP' ? '500' : '4.50',
  seller: { name: 'Shenzhen Apparel Co', country: country === 'CN' ? 'US' : 'CN', id: 'SELLER-1' },
  consignee: {
    name: `Bench Consignee ${reference}`,
    address: { line1: `${reference} Main Street`, city: 'Capital', postcode: reference.slice(-8), country },
    email: 'consignee@example.org',
  },
  items: [
    {
      description: "Men's cotton T-shirt, knitted",
      hsCode: '610910',
      originCountry: country === 'CN' ? 'US' : 'CN',
      quantity: 2,
      value: country === 'JP' ? '3000' : '19.98',
      netMassKg: '0.40',
    },
  ],
});

/** Nearest-rank percentile of sorted values. */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
};

export const summarize = (values: readonly number[]): LatencySummary => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((total, value) => total + value, 0) / (sorted.length || 1);
  return {
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    meanMs: Math.round(mean * 10) / 10,
  };
};

interface Sample {
  reference: string;
  latencyMs?: number;
  observedMs?: number;
  lodgementMs?: number;
  failure?: string;
}

interface DeclarationView {
  status: string;
  history: { to: string; at: string }[];
}

const TERMINAL = new Set(['RELEASED', 'REJECTED', 'SEIZED', 'CANCELLED']);

const releaseOne = async (
  options: Required<Omit<ReleaseLatencyOptions, 'warmup'>>,
  reference: string,
): Promise<Sample> => {
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const body = JSON.stringify(greenConsignment(reference, options.country));
  const startedAt = Date.now();
  const lodged = await fetch(`${options.url}/v1/declarations`, { method: 'POST', headers, body });
  const lodgementMs = Date.now() - startedAt;
  if (lodged.status !== 202) {
    return { reference, failure: `lodgement answered ${lodged.status}: ${await lodged.text()}` };
  }
  const { id } = (await lodged.json()) as { id: string };
  const deadline = startedAt + options.timeoutMs;
  for (;;) {
    const response = await fetch(`${options.url}/v1/declarations/${id}`, { headers });
    if (response.ok) {
      const view = (await response.json()) as DeclarationView;
      if (TERMINAL.has(view.status)) {
        const observedMs = Date.now() - startedAt;
        const released = view.history.findLast((entry) => entry.to === 'RELEASED');
        if (!released) return { reference, failure: `ended ${view.status}, not RELEASED` };
        return { reference, latencyMs: Date.parse(released.at) - startedAt, observedMs, lodgementMs };
      }
    } else if (response.status !== 404) {
      return { reference, failure: `GET answered ${response.status}` };
    }
    if (Date.now() > deadline) return { reference, failure: `not released within ${options.timeoutMs} ms` };
    await sleep(options.pollIntervalMs);
  }
};

const runAll = async (
  options: Required<Omit<ReleaseLatencyOptions, 'warmup'>>,
  references: string[],
): Promise<Sample[]> => {
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < references.length) {
      const reference = references[next] as string;
      next += 1;
      samples.push(await releaseOne(options, reference));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return samples;
};

/** Lodges `count` green consignments and reports the time each took to be RELEASED. */
export const measureReleaseLatency = async (
  options: ReleaseLatencyOptions,
): Promise<ReleaseLatencyReport> => {
  const run = randomBytes(4).toString('hex');
  const settings = {
    url: options.url.replace(/\/+$/, ''),
    count: options.count,
    concurrency: options.concurrency ?? 1,
    token: options.token ?? `local:platform:bench-${run}`,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    timeoutMs: options.timeoutMs ?? 30_000,
    country: (options.country ?? 'NL').toUpperCase(),
  };
  const reference = (prefix: string, index: number) => `RL-${run}-${prefix}${String(index).padStart(6, '0')}`;
  await runAll(
    settings,
    Array.from({ length: options.warmup ?? 2 }, (_, index) => reference('W', index)),
  );
  const started = Date.now();
  const samples = await runAll(
    settings,
    Array.from({ length: settings.count }, (_, index) => reference('M', index)),
  );
  const seconds = (Date.now() - started) / 1000;
  const measured = samples.filter((sample) => sample.latencyMs !== undefined);
  return {
    count: settings.count,
    released: measured.length,
    failures: samples.flatMap((sample) =>
      sample.failure ? [{ reference: sample.reference, reason: sample.failure }] : [],
    ),
    concurrency: settings.concurrency,
    releasedPerSecond: Math.round((measured.length / seconds) * 10) / 10,
    ...summarize(measured.map((sample) => sample.latencyMs as number)),
    observed: summarize(measured.map((sample) => sample.observedMs as number)),
    lodgement: summarize(measured.map((sample) => sample.lodgementMs as number)),
    samplesMs: measured.map((sample) => sample.latencyMs as number),
  };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url = 'http://localhost:3000', count = '50', concurrency = '1'] = process.argv.slice(2);
  const { samplesMs: _samples, ...report } = await measureReleaseLatency({
    url,
    count: Number(count),
    concurrency: Number(concurrency),
    country: process.env.COUNTRY ?? 'NL',
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
