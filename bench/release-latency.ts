// Release latency: the time from `POST /v1/declarations` to RELEASED for green consignments, measured
// against a running local runtime (`npm start`) over its public HTTP API.
//
// For each consignment the clock starts just before the POST is sent; the release time is the
// `releasedAt` the releasing step stamped (the DeclarationReleased event, or the RELEASED history entry).
// Both clocks are this machine's, so the difference is exact to the millisecond and does not depend on
// how the bench learns of the release. It learns of it from the platform webhook: the bench registers a
// receiver of its own (PUT /v1/webhooks) and the runtime POSTs the events to it, so the bench does not
// load the system it measures with polling. Without webhooks (or when an event is late) it polls
// GET /v1/declarations/{id}. `observed` is when the bench learnt of each release.
//
// Usage from code: `await measureReleaseLatency({ url: 'http://localhost:3000', count: 100 })`.
// From the command line: `npx tsx bench/release-latency.ts [url] [count] [concurrency]`.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
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
  /**
   * Learn of each release from the platform webhook (PUT /v1/webhooks to a receiver the bench runs)
   * instead of polling the API being measured. Default true; polling is the fallback when the runtime
   * has no webhooks or an event does not arrive within 3 s.
   */
  subscribe?: boolean;
  /** Pause between two GETs of one declaration when polling. Default 100 ms. */
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
  /** How the bench learnt of each release: webhook deliveries, or polling GET. */
  learntBy: { events: number; polling: number };
  /** Consignments released per second over the measured run (lodgement of the first to release of the last). */
  releasedPerSecond: number;
  /** When the bench learnt of the release (webhook receipt, or the poll that saw it). */
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
  /** Learnt from a webhook delivery (true) or from polling (false). */
  byEvent?: boolean;
  failure?: string;
}

interface DeclarationView {
  status: string;
  history: { to: string; at: string }[];
}

/** What a webhook delivery told about a declaration's outcome. */
interface Outcome {
  type: string;
  status: string;
  /** `releasedAt` of a release, else the event's `occurredAt`. */
  at: string;
  receivedAt: number;
}

const OUTCOME_TYPES = new Set([
  'DeclarationReleased',
  'DeclarationHeld',
  'DeclarationRejected',
  'DeclarationCancelled',
]);
const TERMINAL = new Set(['RELEASED', 'REJECTED', 'SEIZED', 'CANCELLED']);

interface Subscriber {
  url: string;
  /** The outcome of a declaration, once delivered; undefined after `withinMs` without one. */
  outcome(id: string, withinMs: number): Promise<Outcome | undefined>;
  close(): Promise<void>;
}

/**
 * A local receiver for the platform webhook (PUT /v1/webhooks): the runtime POSTs every event about the
 * bench's declarations to it, so the bench learns of a release without polling the API it measures.
 */
const startSubscriber = async (): Promise<Subscriber> => {
  const outcomes = new Map<string, Outcome>();
  const waiting = new Map<string, (outcome: Outcome) => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      try {
        const delivery = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          type?: string;
          data?: { declarationId?: string; status?: string; occurredAt?: string; releasedAt?: string };
        };
        const id = delivery.data?.declarationId;
        if (!id || !delivery.type || !OUTCOME_TYPES.has(delivery.type) || outcomes.has(id)) return;
        const outcome: Outcome = {
          type: delivery.type,
          status: delivery.data?.status ?? '',
          at: delivery.data?.releasedAt ?? delivery.data?.occurredAt ?? '',
          receivedAt: Date.now(),
        };
        outcomes.set(id, outcome);
        waiting.get(id)?.(outcome);
      } catch {
        // not a delivery: ignore
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/clearway-events`,
    outcome: (id, withinMs) => {
      const known = outcomes.get(id);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(undefined);
        }, withinMs);
        waiting.set(id, (outcome) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(outcome);
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** Registers the subscriber as the bench platform's webhook; false when the runtime has no webhooks. */
const subscribe = async (url: string, token: string, subscriber: Subscriber): Promise<boolean> => {
  const response = await fetch(`${url}/v1/webhooks`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: subscriber.url, secret: randomBytes(24).toString('hex') }),
  }).catch(() => undefined);
  return response?.ok === true;
};

type Settings = Required<Omit<ReleaseLatencyOptions, 'warmup'>> & { subscriber?: Subscriber };

/** Without an event this long after lodgement, the bench asks the API instead. */
const EVENT_GRACE_MS = 3_000;

const pollOutcome = async (
  options: Settings,
  id: string,
  reference: string,
  startedAt: number,
  lodgementMs: number,
): Promise<Sample> => {
  const headers = { authorization: `Bearer ${options.token}` };
  const deadline = startedAt + options.timeoutMs;
  for (;;) {
    const response = await fetch(`${options.url}/v1/declarations/${id}`, { headers });
    if (response.ok) {
      const view = (await response.json()) as DeclarationView;
      if (TERMINAL.has(view.status) || view.status === 'HELD' || view.status === 'AWAITING_PAYMENT') {
        const observedMs = Date.now() - startedAt;
        const released = view.history.findLast((entry) => entry.to === 'RELEASED');
        if (!released) return { reference, failure: `ended ${view.status}, not RELEASED` };
        return {
          reference,
          latencyMs: Date.parse(released.at) - startedAt,
          observedMs,
          lodgementMs,
          byEvent: false,
        };
      }
    } else if (response.status !== 404) {
      return { reference, failure: `GET answered ${response.status}` };
    }
    if (Date.now() > deadline) return { reference, failure: `not released within ${options.timeoutMs} ms` };
    await sleep(options.pollIntervalMs);
  }
};

const releaseOne = async (options: Settings, reference: string): Promise<Sample> => {
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const body = JSON.stringify(greenConsignment(reference, options.country));
  const startedAt = Date.now();
  const lodged = await fetch(`${options.url}/v1/declarations`, { method: 'POST', headers, body });
  const lodgementMs = Date.now() - startedAt;
  if (lodged.status !== 202) {
    return { reference, failure: `lodgement answered ${lodged.status}: ${await lodged.text()}` };
  }
  const { id } = (await lodged.json()) as { id: string };
  const outcome = await options.subscriber?.outcome(id, EVENT_GRACE_MS);
  if (!outcome) return pollOutcome(options, id, reference, startedAt, lodgementMs);
  if (outcome.type !== 'DeclarationReleased') {
    return { reference, failure: `${outcome.type} (${outcome.status}), not released` };
  }
  return {
    reference,
    latencyMs: Date.parse(outcome.at) - startedAt,
    observedMs: outcome.receivedAt - startedAt,
    lodgementMs,
    byEvent: true,
  };
};

const runAll = async (options: Settings, references: string[]): Promise<Sample[]> => {
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
  const base: Settings = {
    url: options.url.replace(/\/+$/, ''),
    count: options.count,
    concurrency: options.concurrency ?? 1,
    token: options.token ?? `local:platform:bench-${run}`,
    pollIntervalMs: options.pollIntervalMs ?? 100,
    timeoutMs: options.timeoutMs ?? 30_000,
    country: (options.country ?? 'NL').toUpperCase(),
    subscribe: options.subscribe ?? true,
  };
  const subscriber = base.subscribe ? await startSubscriber() : undefined;
  try {
    const subscribed = subscriber ? await subscribe(base.url, base.token, subscriber) : false;
    const settings: Settings = { ...base, ...(subscribed && subscriber ? { subscriber } : {}) };
    const reference = (prefix: string, index: number) =>
      `RL-${run}-${prefix}${String(index).padStart(6, '0')}`;
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
      learntBy: {
        events: measured.filter((sample) => sample.byEvent).length,
        polling: measured.filter((sample) => !sample.byEvent).length,
      },
      releasedPerSecond: Math.round((measured.length / seconds) * 10) / 10,
      ...summarize(measured.map((sample) => sample.latencyMs as number)),
      observed: summarize(measured.map((sample) => sample.observedMs as number)),
      lodgement: summarize(measured.map((sample) => sample.lodgementMs as number)),
      samplesMs: measured.map((sample) => sample.latencyMs as number),
    };
  } finally {
    await subscriber?.close();
  }
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
