// Load against a running local runtime: the raw DynamoDB Local PutItem rate (the ceiling of anything
// that writes), sustained end-to-end declarations/s lodged one by one with a real HTTP load generator
// and lodged in batches by a few concurrent senders, and the time to accept a batch of 1000.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import autocannon from 'autocannon';
import { type RuntimeState, runningInMemoryRuntimes } from '../infra/local/runtime.js';
import { spawnRuntime } from '../infra/local/spawn.js';
import { INDEX_KEYS, LIST_PARTITIONS, listShardPartitions } from '../shared/adapters/declaration-store.js';
import type { ListIndex } from '../shared/use-cases/ports/declarations.js';
import { greenConsignment } from './release-latency.js';

const localClient = (state: RuntimeState) =>
  new DynamoDBClient({
    endpoint: state.endpoints.dynamodb,
    region: state.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Items written, and per second, by `write` (a call writing `itemsPerCall` items), `inFlight` at a time. */
const itemRate = async (
  state: RuntimeState,
  seconds: number,
  inFlight: number,
  itemsPerCall: number,
  write: (client: DynamoDBClient, table: string, lane: number, call: number) => Promise<unknown>,
): Promise<{ perSecond: number; items: number }> => {
  const client = localClient(state);
  const table = state.tables.reference;
  const deadline = Date.now() + seconds * 1000;
  let calls = 0;
  const worker = async (lane: number) => {
    while (Date.now() < deadline) {
      calls += 1;
      await write(client, table, lane, calls);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: inFlight }, (_, lane) => worker(lane)));
  client.destroy();
  return { perSecond: (calls * itemsPerCall) / ((Date.now() - started) / 1000), items: calls * itemsPerCall };
};

const benchItem = (lane: number, sequence: string) => ({
  pk: { S: `BENCH#${lane}` },
  sk: { S: sequence },
  value: { S: 'x'.repeat(200) },
});

/** PutItem calls, and per second, with `inFlight` requests outstanding, for `seconds`. */
export const rawPutItemRate = (state: RuntimeState, seconds = 5, inFlight = 32) =>
  itemRate(state, seconds, inFlight, 1, (client, table, lane, call) =>
    client.send(new PutItemCommand({ TableName: table, Item: benchItem(lane, String(call)) })),
  );

/**
 * Items per second written through TransactWriteItems of 25 puts with `inFlight` calls outstanding: the
 * ceiling of the pipeline's conditional, atomic writes. DynamoDB Local charges a transaction per item,
 * about as much as a PutItem each, where a BatchWriteItem of the same items costs five times less.
 */
export const rawTransactItemRate = (state: RuntimeState, seconds = 5, inFlight = 32) =>
  itemRate(state, seconds, inFlight, 25, (client, table, lane, call) =>
    client.send(
      new TransactWriteItemsCommand({
        TransactItems: Array.from({ length: 25 }, (_, index) => ({
          Put: { TableName: table, Item: benchItem(lane, `T${call}.${index}`) },
        })),
      }),
    ),
  );

/** Waits (up to `timeoutMs`) until no queue of the runtime holds a message, so earlier steps' work is done. */
const drained = async (state: RuntimeState, timeoutMs = 120_000): Promise<void> => {
  const sqs = new SQSClient({
    endpoint: state.endpoints.sqs,
    region: state.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      let pending = 0;
      for (const queue of Object.values(state.queues)) {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        pending +=
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      }
      if (pending === 0) return;
      await sleep(500);
    }
  } finally {
    sqs.destroy();
  }
};

/**
 * Counts the released declarations of `platformId` whose reference starts with `prefix`: only this run's,
 * so declarations of an earlier step still flowing through the pipeline do not count toward this one. It
 * queries the platform's list index (written once at lodgement, so it holds the ids, not the status) and
 * reads the outcome items of those not yet seen released: scanning the table instead would read every
 * stored body each time and load the DynamoDB Local it measures.
 */
const releasedCounter = (client: DynamoDBClient, table: string, platformId: string, prefix: string) => {
  const released = new Set<string>();
  return async (): Promise<number> => {
    const ids: string[] = [];
    for (const partition of listShardPartitions(LIST_PARTITIONS.byPlatform(platformId))) {
      let startKey: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'byPlatform' satisfies ListIndex,
            KeyConditionExpression: `${INDEX_KEYS.byPlatform.partitionKey} = :platform`,
            FilterExpression: 'begins_with(#reference, :prefix)',
            ProjectionExpression: 'id',
            ExpressionAttributeNames: { '#reference': 'reference' },
            ExpressionAttributeValues: { ':platform': { S: partition }, ':prefix': { S: prefix } },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) if (item.id?.S && !released.has(item.id.S)) ids.push(item.id.S);
        startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (startKey);
    }
    for (let from = 0; from < ids.length; from += 100) {
      let keys = ids.slice(from, from + 100).map((id) => ({ pk: { S: `DECL#${id}` }, sk: { S: 'OUTCOME' } }));
      while (keys.length > 0) {
        const result = await client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [table]: {
                Keys: keys,
                ProjectionExpression: 'id, #status',
                ExpressionAttributeNames: { '#status': 'status' },
              },
            },
          }),
        );
        for (const item of result.Responses?.[table] ?? [])
          if (item.status?.S === 'RELEASED' && item.id?.S) released.add(item.id.S);
        keys = (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
      }
    }
    return released.size;
  };
};

const LOAD_PLATFORM = 'bench-load';

export interface ThroughputFigures {
  connections: number;
  durationSeconds: number;
  lodged: number;
  non2xx: number;
  intakePerSecond: number;
  intakeP50Ms: number;
  intakeP99Ms: number;
  /** Declarations released per second, from the first request to the last release. */
  endToEndPerSecond: number;
  releasedAll: boolean;
}

/**
 * Lodges green consignments over HTTP for `seconds` with `connections` keep-alive connections, then
 * waits until every lodged declaration is RELEASED.
 */
export const endToEndThroughput = async (
  state: RuntimeState,
  seconds = 20,
  connections = 16,
  country = 'NL',
): Promise<ThroughputFigures> => {
  // Earlier steps (a batch of 1000) may still be flowing through the pipeline: let them finish first.
  await drained(state);
  const client = localClient(state);
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  const counted = greenCounted(state.url, new Date());
  const before = await counted();
  const started = Date.now();
  const result = await autocannon({
    url: `${state.url}/v1/declarations`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer local:platform:${LOAD_PLATFORM}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          sequence += 1;
          return { ...request, body: JSON.stringify(greenConsignment(`LOAD-${run}-${sequence}`, country)) };
        },
      },
    ],
  });
  const lodged = result['2xx'];
  const { endToEndPerSecond, releasedAll } = await untilReleased(
    counted,
    before,
    lodged,
    started,
    releasedCounter(client, state.tables.declarations, LOAD_PLATFORM, `LOAD-${run}-`),
  );
  client.destroy();
  return {
    connections,
    durationSeconds: seconds,
    lodged,
    non2xx: result.non2xx,
    intakePerSecond: Math.round(result.requests.average),
    intakeP50Ms: result.latency.p50,
    intakeP99Ms: result.latency.p99,
    endToEndPerSecond,
    releasedAll,
  };
};

/**
 * Green consignments counted in the statistics (`GET /v1/statistics`, lane GREEN) of the days from `since`
 * to today: one request reading a few aggregate items, however many declarations are in flight. The bench's
 * green consignments are released by the transaction that books their statistics, so once queues are
 * drained the count moves exactly with their releases.
 */
const greenCounted = (url: string, since: Date) => async (): Promise<number> => {
  const day = (at: Date) => at.toISOString().slice(0, 10);
  const query = new URLSearchParams({ from: day(since), to: day(new Date()), groupBy: 'lane' });
  const response = await fetch(`${url}/v1/statistics?${query}`, {
    headers: { authorization: 'Bearer local:finance:bench' },
  });
  if (!response.ok) throw new Error(`GET /v1/statistics answered ${response.status}`);
  const report = (await response.json()) as { rows: { lane?: string; consignments: number }[] };
  return report.rows.find((row) => row.lane === 'GREEN')?.consignments ?? 0;
};

/**
 * Waits (up to three minutes) until `lodged` more green consignments than `before` are counted; the rate
 * runs from `started` to the last change seen. Polled twice a second through the statistics, a few reads
 * a poll: listing the run's declarations and reading their outcomes instead read every one of them twice
 * a second and slowed the pipeline it measured by about a tenth. `releasedAll` is then checked once,
 * exactly, on the declarations themselves.
 */
const untilReleased = async (
  counted: () => Promise<number>,
  before: number,
  lodged: number,
  started: number,
  countReleased: () => Promise<number>,
) => {
  const deadline = Date.now() + 180_000;
  let done = 0;
  let lastChangeSeen = Date.now();
  while (Date.now() < deadline) {
    const now = (await counted()) - before;
    if (now !== done) lastChangeSeen = Date.now();
    done = now;
    if (done >= lodged) break;
    await sleep(500);
  }
  const released = await countReleased();
  return {
    endToEndPerSecond: Math.round((Math.min(done, released) / ((lastChangeSeen - started) / 1000)) * 10) / 10,
    releasedAll: released >= lodged,
  };
};

export interface BatchThroughputFigures {
  senders: number;
  batchSize: number;
  durationSeconds: number;
  batches: number;
  /** Declarations the batches accepted (result 202). */
  lodged: number;
  /** Declarations accepted per second while sending. */
  intakePerSecond: number;
  batchP50Ms: number;
  /** Declarations released per second, from the first batch sent to the last release. */
  endToEndPerSecond: number;
  releasedAll: boolean;
}

const BATCH_LOAD_PLATFORM = 'bench-load-batch';

/**
 * Lodges green consignments the way platforms send volume, in batches (`POST /v1/declarations/batch`)
 * of `batchSize` from `senders` concurrent senders for `seconds`, then waits until every accepted
 * declaration is RELEASED.
 */
export const batchEndToEndThroughput = async (
  state: RuntimeState,
  seconds = 20,
  senders = 4,
  batchSize = 100,
  country = 'NL',
): Promise<BatchThroughputFigures> => {
  await drained(state);
  const client = localClient(state);
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  let lodged = 0;
  const batchTimes: number[] = [];
  const counted = greenCounted(state.url, new Date());
  const before = await counted();
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const sender = async () => {
    while (Date.now() < deadline) {
      const declarations = Array.from({ length: batchSize }, () => {
        sequence += 1;
        return greenConsignment(`LOADB-${run}-${sequence}`, country);
      });
      const sent = Date.now();
      const response = await fetch(`${state.url}/v1/declarations/batch`, {
        method: 'POST',
        headers: {
          authorization: `Bearer local:platform:${BATCH_LOAD_PLATFORM}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ declarations }),
      });
      const body = (await response.json()) as { results?: { status: number }[] };
      batchTimes.push(Date.now() - sent);
      lodged += body.results?.filter((result) => result.status === 202).length ?? 0;
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  const sendingSeconds = (Date.now() - started) / 1000;
  const { endToEndPerSecond, releasedAll } = await untilReleased(
    counted,
    before,
    lodged,
    started,
    releasedCounter(client, state.tables.declarations, BATCH_LOAD_PLATFORM, `LOADB-${run}-`),
  );
  client.destroy();
  batchTimes.sort((a, b) => a - b);
  return {
    senders,
    batchSize,
    durationSeconds: seconds,
    batches: batchTimes.length,
    lodged,
    intakePerSecond: Math.round(lodged / sendingSeconds),
    batchP50Ms: batchTimes[Math.floor(batchTimes.length / 2)] ?? 0,
    endToEndPerSecond,
    releasedAll,
  };
};

/** Milliseconds to have a batch of `size` declarations accepted (207 with every result 202). */
export const batchAcceptance = async (url: string, size = 1000, country = 'NL') => {
  const run = randomBytes(4).toString('hex');
  const declarations = Array.from({ length: size }, (_, index) =>
    greenConsignment(`BATCH-${run}-${index}`, country),
  );
  const started = Date.now();
  const response = await fetch(`${url}/v1/declarations/batch`, {
    method: 'POST',
    headers: { authorization: 'Bearer local:platform:bench-batch', 'content-type': 'application/json' },
    body: JSON.stringify({ declarations }),
  });
  const body = (await response.json()) as { results?: { status: number }[] };
  const elapsedMs = Date.now() - started;
  const accepted = body.results?.filter((result) => result.status === 202).length ?? 0;
  return { size, status: response.status, accepted, elapsedMs };
};

/** CPU seconds a process has used so far (user + system), from /proc; undefined where there is none. */
export const cpuSecondsOf = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
};

/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on the Linux kernels this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The runtime's DynamoDB Local: its Java child process (Linux), or undefined. */
export const storeProcessOf = (runtimePid: number): number | undefined => {
  try {
    const children = readFileSync(`/proc/${runtimePid}/task/${runtimePid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return children.find((child) => readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'java');
  } catch {
    return undefined;
  }
};

/** What `work` cost the runtime's processes in CPU ms per unit of `units` it did. */
export const cpuPerUnit = async <T>(
  pids: { store?: number; handlers: number },
  work: () => Promise<T>,
  units: (result: T) => number,
): Promise<{ result: T; storeCpuMs?: number; handlersCpuMs?: number }> => {
  const before = { store: cpuSecondsOf(pids.store), handlers: cpuSecondsOf(pids.handlers) };
  const result = await work();
  const count = units(result);
  const per = (now: number | undefined, then: number | undefined) =>
    now === undefined || then === undefined || count === 0
      ? undefined
      : Math.round(((now - then) * 1000 * 1000) / count) / 1000;
  return {
    result,
    storeCpuMs: per(cpuSecondsOf(pids.store), before.store),
    handlersCpuMs: per(cpuSecondsOf(pids.handlers), before.handlers),
  };
};

/**
 * A fresh in-memory runtime, as `npm start` runs it: the process, its state, and the processes whose CPU
 * the bench meters (DynamoDB Local's JVM and the handlers' Node.js process).
 */
export const startBenchRuntime = async () => {
  const runtime = await spawnRuntime({ env: { CLEARWAY_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 });
  const state = runningInMemoryRuntimes('NL').find((entry) => entry.state.pid === runtime.pid)?.state;
  if (!state) {
    await runtime.stop();
    throw new Error('The runtime wrote no state file');
  }
  return { runtime, state, pids: { store: storeProcessOf(runtime.pid), handlers: runtime.pid } };
};

/**
 * DynamoDB Local's CPU per declaration lodged in batches and per raw PutItem, and their ratio: the raw
 * PutItems' worth of the store's work one declaration takes end to end (the target ratio of 0.25 allows
 * four, on a store that gets one of this machine's two cores); with the handlers' CPU beside it.
 */
export const storeWorkPerDeclaration = (
  raw: { storeCpuMs?: number },
  declarations: { storeCpuMs?: number; handlersCpuMs?: number },
) =>
  raw.storeCpuMs && declarations.storeCpuMs
    ? {
        storeCpuMsPerRawPutItem: raw.storeCpuMs,
        storeCpuMsPerDeclaration: declarations.storeCpuMs,
        rawPutItemsOfStoreWorkPerDeclaration:
          Math.round((declarations.storeCpuMs / raw.storeCpuMs) * 10) / 10,
        handlersCpuMsPerDeclaration: declarations.handlersCpuMs,
      }
    : undefined;
