// What a declaration costs in DynamoDB (and around it) on the local runtime, and what that implies on AWS
// at list prices. Runs its own in-process runtime with a metering proxy between the handlers and
// DynamoDB Local: every request is counted by operation and table, ReturnConsumedCapacity is asked for
// on every call, and write units are also recomputed as AWS bills them (each item rounded up to 1 KB,
// transactional writes at twice the units: DynamoDB Local sizes a transaction as a whole, which
// understates it). SQS, EventBridge and Lambda figures come from the pollers' batch reports.
//
//   measureLedgerCost({ declarations: 500 }) -> LedgerCostReport
//   npx tsx bench/ledger-cost.ts [declarations]   prints the report as JSON
import { randomUUID } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbProxy } from '../infra/local/dynamodb-proxy.js';
import type { BatchReport } from '../infra/local/poller.js';
import { type Runtime, startRuntime } from '../infra/local/runtime.js';
import { LOCAL_CREDENTIALS } from '../infra/local/util.js';
import { decodeRecord } from '../shared/adapters/record-codec.js';
import { functions, type TableName, tables as tableSpecs } from '../shared/topology.js';

/**
 * AWS list prices (USD, us-east-1, on-demand), per million units. DynamoDB on-demand request units cost
 * half their earlier price since 1 November 2024.
 */
export const PRICES = {
  dynamodbWriteRequestUnit: 0.625,
  dynamodbReadRequestUnit: 0.125,
  sqsRequest: 0.4,
  eventBridgeEvent: 1.0,
  lambdaRequest: 0.2,
  /** Per GB-second (ARM64), so per million GB-seconds. */
  lambdaGbSecond: 13.3334,
} as const;

// ---------------------------------------------------------------------------------------------------
// Item sizes as DynamoDB bills them

type AttributeValue = Record<string, unknown>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

const valueSize = (value: AttributeValue): number => {
  if (typeof value.S === 'string') return utf8(value.S);
  if (typeof value.N === 'string') return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (typeof value.B === 'string') return Buffer.from(value.B, 'base64').length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if (Array.isArray(value.SS)) return (value.SS as string[]).reduce((total, item) => total + utf8(item), 0);
  if (Array.isArray(value.NS))
    return (value.NS as string[]).reduce((total, item) => total + item.length / 2 + 1, 0);
  if (Array.isArray(value.L))
    return 3 + (value.L as AttributeValue[]).reduce((total, item) => total + 1 + valueSize(item), 0);
  if (value.M && typeof value.M === 'object')
    return (
      3 +
      Object.entries(value.M as Record<string, AttributeValue>).reduce(
        (total, [name, item]) => total + utf8(name) + 1 + valueSize(item),
        0,
      )
    );
  return 0;
};

/** Bytes of an item in DynamoDB's JSON form: attribute names plus values. */
export const itemSize = (item: Record<string, AttributeValue> | undefined): number =>
  Object.entries(item ?? {}).reduce((total, [name, value]) => total + utf8(name) + valueSize(value), 0);

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/**
 * Size of an UpdateItem's item after the update is not in the request: estimated as its key plus every
 * value the expression writes, which holds for the small counters this project updates.
 */
const updateSize = (update: {
  Key?: Record<string, AttributeValue>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ExpressionAttributeNames?: Record<string, string>;
}) =>
  itemSize(update.Key) +
  Object.values(update.ExpressionAttributeNames ?? {}).reduce((total, name) => total + utf8(name), 0) +
  Object.values(update.ExpressionAttributeValues ?? {}).reduce((total, value) => total + valueSize(value), 0);

// ---------------------------------------------------------------------------------------------------
// The metering proxy

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export interface DynamoDbUsage {
  /** API calls by operation. */
  requests: Record<string, number>;
  /** Calls that write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems). */
  writeRequests: number;
  /** Items written, by table. */
  itemsWritten: Record<string, number>;
  /**
   * Write units as AWS bills them, by table; `<table>:indexes` are the writes DynamoDB makes to the
   * table's global secondary indexes (one per index for each item written that the index holds, sized as
   * the index item: keys plus projected attributes, at the standard rate).
   */
  awsWriteUnits: Record<string, number>;
  /**
   * Write units as AWS bills them by partition family: `<table>:<key prefix>` (`declarations:DECL`,
   * `ledger:REV`...) and `<table>:<index>:<key prefix>` for index writes: what the scale model spreads
   * over partitions.
   */
  writeUnitsByFamily: Record<string, number>;
  /** Write and read capacity DynamoDB Local reported. */
  reportedWriteUnits: number;
  reportedReadUnits: number;
  /** Transactions that wrote to the ledger table, and what their ledger items cost. */
  ledgerTransactions: number;
  ledgerItems: number;
  ledgerWriteUnits: number;
  /** What DynamoDB Local reported for the ledger table in those transactions. */
  reportedLedgerWriteUnits: number;
  /**
   * What the other items of those transactions (the declaration state) cost on top of a plain write,
   * because they are transactional: the price of writing state and ledger atomically.
   */
  transactionalSurchargeUnits: number;
}

const emptyUsage = (): DynamoDbUsage => ({
  requests: {},
  writeRequests: 0,
  itemsWritten: {},
  awsWriteUnits: {},
  writeUnitsByFamily: {},
  reportedWriteUnits: 0,
  reportedReadUnits: 0,
  ledgerTransactions: 0,
  ledgerItems: 0,
  ledgerWriteUnits: 0,
  reportedLedgerWriteUnits: 0,
  transactionalSurchargeUnits: 0,
});

const add = (record: Record<string, number>, key: string, amount: number) => {
  record[key] = (record[key] ?? 0) + amount;
};

type Json = Record<string, unknown>;

/** Accounts one request (and its response) as AWS would bill it. */
/** The physical names of the stack's tables, once the runtime has created them. */
export type LiveTables = () => Partial<Record<TableName, string>> | undefined;

/** Units the index writes of one item put into `table` cost: one write per index that holds the item. */
const indexWriteUnits = (live: LiveTables, table: string, item: Record<string, AttributeValue>): number => {
  const logical = Object.entries(live() ?? {}).find(([, physical]) => physical === table)?.[0] as
    | TableName
    | undefined;
  if (!logical) return 0;
  const spec = tableSpecs[logical];
  let units = 0;
  for (const index of spec.indexes) {
    if (!(index.partitionKey in item)) continue;
    const copied = [spec.partitionKey, spec.sortKey, index.partitionKey, index.sortKey, ...index.projected];
    const indexItem = Object.fromEntries(
      Object.entries(item).filter(([name]) => copied.includes(name)),
    ) as Record<string, AttributeValue>;
    units += writeUnits(itemSize(indexItem));
  }
  return units;
};

/** The same, by index name and the index partition's key prefix (`byDay:DAY`, `byPlatform:PLATFORM`). */
const indexWriteUnitsByIndex = (
  live: LiveTables,
  table: string,
  item: Record<string, AttributeValue>,
): Record<string, number> => {
  const logical = Object.entries(live() ?? {}).find(([, physical]) => physical === table)?.[0] as
    | TableName
    | undefined;
  if (!logical) return {};
  const spec = tableSpecs[logical];
  const units: Record<string, number> = {};
  for (const index of spec.indexes) {
    const key = item[index.partitionKey] as { S?: string } | undefined;
    if (!key) continue;
    const copied = [spec.partitionKey, spec.sortKey, index.partitionKey, index.sortKey, ...index.projected];
    const indexItem = Object.fromEntries(
      Object.entries(item).filter(([name]) => copied.includes(name)),
    ) as Record<string, AttributeValue>;
    units[`${index.name}:${String(key.S ?? '').split('#')[0]}`] = writeUnits(itemSize(indexItem));
  }
  return units;
};

const meterRequest = (
  usage: DynamoDbUsage,
  operation: string,
  body: Json,
  response: Json,
  live: LiveTables,
) => {
  const ledgerTable = () => live()?.ledger;
  add(usage.requests, operation, 1);
  const capacities = ([] as Json[]).concat((response.ConsumedCapacity as Json | Json[] | undefined) ?? []);
  const reported = capacities.reduce(
    (total, capacity) =>
      total +
      Number(capacity.WriteCapacityUnits ?? capacity.ReadCapacityUnits ?? capacity.CapacityUnits ?? 0),
    0,
  );
  if (READ_OPERATIONS.has(operation)) usage.reportedReadUnits += reported;
  if (!WRITE_OPERATIONS.has(operation)) return;
  usage.writeRequests += 1;
  usage.reportedWriteUnits += reported;
  if (response.__type) return; // refused: a failed condition still costs, but the bench runs without conflicts
  const family = (key: Record<string, AttributeValue> | undefined) =>
    String((key?.pk as { S?: string } | undefined)?.S ?? '?').split('#')[0];
  const written = (table: string, units: number, key?: Record<string, AttributeValue>) => {
    add(usage.itemsWritten, table, 1);
    add(usage.awsWriteUnits, table, units);
    add(usage.writeUnitsByFamily, `${table}:${family(key)}`, units);
  };
  const indexed = (table: string, item: Record<string, AttributeValue>) => {
    const units = indexWriteUnits(live, table, item);
    if (units > 0) add(usage.awsWriteUnits, `${table}:indexes`, units);
    for (const [index, indexUnits] of Object.entries(indexWriteUnitsByIndex(live, table, item)))
      add(usage.writeUnitsByFamily, `${table}:${index}`, indexUnits);
  };
  const table = String(body.TableName ?? '');
  switch (operation) {
    case 'PutItem':
      written(
        table,
        writeUnits(itemSize(body.Item as Record<string, AttributeValue>)),
        body.Item as Record<string, AttributeValue>,
      );
      indexed(table, body.Item as Record<string, AttributeValue>);
      break;
    case 'UpdateItem':
      written(
        table,
        writeUnits(updateSize(body as Parameters<typeof updateSize>[0])),
        body.Key as Record<string, AttributeValue>,
      );
      break;
    case 'DeleteItem':
      written(table, 1);
      break;
    case 'BatchWriteItem':
      for (const [name, requests] of Object.entries((body.RequestItems ?? {}) as Record<string, Json[]>)) {
        for (const request of requests) {
          const put = request.PutRequest as { Item?: Record<string, AttributeValue> } | undefined;
          written(name, put ? writeUnits(itemSize(put.Item)) : 1, put?.Item);
          if (put?.Item) indexed(name, put.Item);
        }
      }
      break;
    case 'TransactWriteItems': {
      const items = (body.TransactItems ?? []) as Json[];
      const ledger = ledgerTable();
      const touchesLedger = items.some((item) =>
        Object.values(item).some((op) => (op as Json).TableName === ledger),
      );
      if (touchesLedger) {
        usage.ledgerTransactions += 1;
        for (const capacity of capacities)
          if (capacity.TableName === ledger)
            usage.reportedLedgerWriteUnits += Number(
              capacity.WriteCapacityUnits ?? capacity.CapacityUnits ?? 0,
            );
      }
      for (const item of items) {
        const [kind, op] = Object.entries(item)[0] as [string, Json];
        const name = String(op.TableName ?? '');
        const size =
          kind === 'Put'
            ? itemSize(op.Item as Record<string, AttributeValue>)
            : kind === 'Update'
              ? updateSize(op as Parameters<typeof updateSize>[0])
              : 1024;
        const units = 2 * writeUnits(size);
        written(name, units, (op.Item ?? op.Key) as Record<string, AttributeValue> | undefined);
        if (kind === 'Put') indexed(name, op.Item as Record<string, AttributeValue>);
        if (touchesLedger && name === ledger) {
          usage.ledgerItems += 1;
          usage.ledgerWriteUnits += units;
        } else if (touchesLedger) {
          usage.transactionalSurchargeUnits += units / 2;
        }
      }
      break;
    }
  }
};

export interface DynamoDbMeter {
  endpoint: string;
  usage(): DynamoDbUsage;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A proxy in front of DynamoDB Local (infra/local/dynamodb-proxy.ts) that asks for consumed capacity on
 * every call and meters it. `live` names the stack's tables: the ledger's transactions count as the ledger
 * path, and the declarations table's indexes are billed with its writes.
 */
export const startDynamoDbMeter = async (target: string, live: LiveTables): Promise<DynamoDbMeter> => {
  let usage = emptyUsage();
  const proxy = await startDynamoDbProxy({
    target,
    onRequest: ({ operation, body }) =>
      (WRITE_OPERATIONS.has(operation) || READ_OPERATIONS.has(operation)) && !body.ReturnConsumedCapacity
        ? { body: { ...body, ReturnConsumedCapacity: 'TOTAL' } }
        : undefined,
    onResponse: ({ operation, body }, answer) => {
      try {
        meterRequest(usage, operation, body, answer.body, live);
      } catch {
        // an answer the meter cannot read is passed on unmetered
      }
      return undefined;
    },
  });
  return {
    endpoint: proxy.endpoint,
    usage: () => structuredClone(usage),
    reset: () => {
      usage = emptyUsage();
    },
    stop: () => proxy.stop(),
  };
};

// ---------------------------------------------------------------------------------------------------
// The workload

/** A seeded generator (mulberry32), so every run lodges the same workload. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const pick = <T>(random: () => number, weighted: readonly (readonly [T, number])[]): T => {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [value, weight] of weighted) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
};

/**
 * Lodging platforms of an e-commerce import flow: a few large ones carry most consignments, each
 * lodging under one collection model and mostly one channel.
 */
export const BENCH_PLATFORMS = [
  { id: 'marketplace-a', weight: 40, collectionModel: 'SELLER_AT_CHECKOUT', channel: 'POST' },
  { id: 'courier-b', weight: 25, collectionModel: 'INTERMEDIARY_ON_DELIVERY', channel: 'EXPRESS' },
  { id: 'shop-c', weight: 15, collectionModel: 'CONSUMER_AT_IMPORT', channel: 'POST' },
  { id: 'platform-d', weight: 8, collectionModel: 'DEFERRED_ACCOUNT', channel: 'EXPRESS' },
  { id: 'shop-e', weight: 5, collectionModel: 'CONSUMER_AT_IMPORT', channel: 'POST' },
  { id: 'shop-f', weight: 4, collectionModel: 'DEFERRED_ACCOUNT', channel: 'FREIGHT' },
  { id: 'shop-g', weight: 3, collectionModel: 'CONSUMER_AT_IMPORT', channel: 'EXPRESS' },
] as const;

const GOODS: readonly (readonly [{ hsCode: string; description: string }, number])[] = [
  [{ hsCode: '610910', description: "men's cotton T-shirt, knitted" }, 30],
  [{ hsCode: '640399', description: 'leather ankle boots for women' }, 15],
  [{ hsCode: '420221', description: 'leather handbag with shoulder strap' }, 10],
  [{ hsCode: '851762', description: 'wireless network router for home use' }, 20],
  [{ hsCode: '620342', description: "men's cotton denim trousers" }, 15],
  [{ hsCode: '392690', description: 'plastic phone stand for desks' }, 10],
] as const;
const ORIGINS = [
  ['CN', 75],
  ['VN', 8],
  ['IN', 6],
  ['US', 6],
  ['TR', 5],
] as const;
const LINES = [
  [1, 65],
  [2, 25],
  [3, 10],
] as const;

/**
 * The `index`th consignment of a workload: low value (no tariff data needed), one to three lines,
 * mostly from one origin. `diverse` spreads models, channels, origins and goods evenly instead, the
 * worst case for pre-summing.
 */
export const benchDeclaration = (run: string, index: number, mix: 'realistic' | 'diverse' = 'realistic') => {
  const random = seeded(index * 7919 + 17);
  const platform =
    mix === 'diverse'
      ? BENCH_PLATFORMS[index % BENCH_PLATFORMS.length]
      : pick(
          random,
          BENCH_PLATFORMS.map((entry) => [entry, entry.weight] as const),
        );
  const origin = pick(random, ORIGINS);
  const lines = mix === 'diverse' ? 1 + (index % 3) : pick(random, LINES);
  return {
    platformId: (platform as (typeof BENCH_PLATFORMS)[number]).id,
    declaration: {
      reference: `COST-${run}-${index}`,
      dispatchCountry: origin === 'US' ? 'US' : 'CN',
      destinationCountry: 'NL',
      channel:
        mix === 'diverse'
          ? ['POST', 'EXPRESS', 'FREIGHT'][index % 3]
          : (platform as (typeof BENCH_PLATFORMS)[number]).channel,
      transactionType: 'B2C',
      collectionModel:
        mix === 'diverse'
          ? ['CONSUMER_AT_IMPORT', 'INTERMEDIARY_ON_DELIVERY', 'DEFERRED_ACCOUNT', 'SELLER_AT_CHECKOUT'][
              index % 4
            ]
          : (platform as (typeof BENCH_PLATFORMS)[number]).collectionModel,
      currency: 'EUR',
      transportCost: (3 + Math.floor(random() * 5)).toFixed(2),
      seller: { name: `Seller ${index % 97}`, country: 'CN', id: `S-${index % 97}` },
      consignee: {
        name: `Consignee ${run} ${index}`,
        address: { line1: `Street ${index}`, city: 'Utrecht', postcode: '3511 AB', country: 'NL' },
      },
      items: Array.from({ length: lines }, (_, line) => ({
        ...(mix === 'diverse'
          ? (GOODS[(index + line) % GOODS.length] as (typeof GOODS)[number])[0]
          : pick(random, GOODS)),
        originCountry:
          mix === 'diverse'
            ? (ORIGINS[(index * 7 + line) % ORIGINS.length] as (typeof ORIGINS)[number])[0]
            : random() < 0.9
              ? origin
              : pick(random, ORIGINS),
        quantity: 1 + Math.floor(random() * 3),
        value: (5 + Math.floor(random() * 4000) / 100 + line).toFixed(2),
        netMassKg: '0.50',
      })),
    },
  };
};

// ---------------------------------------------------------------------------------------------------
// The measurement

export interface LedgerCostOptions {
  /** Declarations to lodge (default 500). */
  declarations?: number;
  /** Declarations per POST /v1/declarations/batch (default 100). */
  batchSize?: number;
  /** `realistic` (default): a few large platforms, mostly single-line consignments from one origin;
   * `diverse`: every dimension varies from one consignment to the next (worst case for pre-summing). */
  mix?: 'realistic' | 'diverse';
  /** Longest wait for the pipeline to finish (default 180 s). */
  timeoutMs?: number;
}

export interface LedgerCostReport {
  declarations: number;
  /** Declarations the duty step assessed (the rest were held or rejected). */
  assessed: number;
  durationMs: number;
  dynamodb: {
    requestsPerDeclaration: Record<string, number>;
    writeRequestsPerDeclaration: number;
    /** Items written to every table (declaration state and ledger); index copies not counted. */
    itemsWrittenPerDeclaration: number;
    /** Write units per declaration as AWS bills them, in total and by table. */
    writeUnitsPerDeclaration: number;
    writeUnitsPerDeclarationByTable: Record<string, number>;
    /** By partition family (`ledger:REV`, `declarations:byDay:DAY`...): what the scale model spreads. */
    writeUnitsPerDeclarationByFamily: Record<string, number>;
    /** What DynamoDB Local reported (it sizes transactions as a whole, so lower). */
    reportedWriteUnitsPerDeclaration: number;
    readUnitsPerDeclaration: number;
    /** The ledger path: ledger facts and aggregate updates, amortized over the declarations. */
    ledger: {
      transactionsPerDeclaration: number;
      itemsPerDeclaration: number;
      writeUnitsPerDeclaration: number;
      /** The same as DynamoDB Local reported it (it sizes a transaction's items per table as a whole). */
      reportedWriteUnitsPerDeclaration: number;
      /** Extra units the state write costs for being in the ledger's transaction. */
      transactionalSurchargePerDeclaration: number;
    };
  };
  sqs: { requestsPerDeclaration: number };
  eventBridge: { eventsPerDeclaration: number };
  lambda: {
    invocationsPerDeclaration: number;
    gbSecondsPerDeclaration: number;
    /** Per function: invocations and milliseconds of run time per declaration (on this machine). */
    byFunction: Record<string, { invocationsPerDeclaration: number; msPerDeclaration: number }>;
  };
  /** USD per million declarations at list prices. */
  costPerMillionDeclarations: {
    dynamodbWrites: number;
    dynamodbReads: number;
    ledgerWrites: number;
    sqs: number;
    eventBridge: number;
    lambda: number;
    total: number;
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

const waitFor = async (check: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

/**
 * Lodges declarations through the local runtime's HTTP API, waits until risk, duty and notify have
 * handled all of them, and reports what DynamoDB, SQS, EventBridge and Lambda did per declaration.
 * Starts (and stops) its own in-process runtime: call it when no other runtime runs in this process.
 */
export const measureLedgerCost = async (options: LedgerCostOptions = {}): Promise<LedgerCostReport> => {
  const count = options.declarations ?? 500;
  const batchSize = options.batchSize ?? 100;
  const mix = options.mix ?? 'realistic';
  const timeoutMs = options.timeoutMs ?? 180_000;
  const batches: BatchReport[] = [];
  let meter: DynamoDbMeter | undefined;
  let runtime: Runtime | undefined;
  const started = Date.now();
  try {
    runtime = await startRuntime({
      dataDir: 'memory',
      port: 0,
      logLevel: 'warn',
      onBatch: (report) => batches.push(report),
      handlerDynamoDbEndpoint: async (endpoint) => {
        meter = await startDynamoDbMeter(endpoint, () => runtime?.tables);
        return meter.endpoint;
      },
    });
    const live = runtime;
    const direct = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: live.dynamodb.endpoint,
        region: live.region,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const run = randomUUID().slice(0, 8);
    const ids: string[] = [];
    let httpInvocations = 0;
    let httpMs = 0;
    // Each platform lodges its consignments in batches, in the order they were generated.
    const lodge = async (platform: string, declarations: unknown[]) => {
      const posted = Date.now();
      const response = await fetch(`${live.url}/v1/declarations/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer local:platform:${platform}`, 'content-type': 'application/json' },
        body: JSON.stringify({ declarations }),
      });
      httpMs += Date.now() - posted;
      httpInvocations += 1;
      const body = (await response.json()) as { results?: { id?: string }[] };
      ids.push(...(body.results ?? []).flatMap((result) => (result.id ? [result.id] : [])));
    };
    const pending = new Map<string, unknown[]>();
    for (let index = 0; index < count; index += 1) {
      const { platformId, declaration } = benchDeclaration(run, index, mix);
      const queue = [...(pending.get(platformId) ?? []), declaration];
      pending.set(platformId, queue.length >= batchSize ? [] : queue);
      if (queue.length >= batchSize) await lodge(platformId, queue);
    }
    for (const [platform, declarations] of pending)
      if (declarations.length > 0) await lodge(platform, declarations);

    // Done when no declaration is RECEIVED and every queue is empty (read directly, unmetered).
    const ours = new Set(ids);
    // A declaration's current state is its outcome item (the lodgement item stays as lodged).
    let states: { id: string; status: string; assessment?: unknown }[] = [];
    await waitFor(
      async () => {
        const found: typeof states = [];
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await direct.send(
            new ScanCommand({
              TableName: live.tables.declarations,
              FilterExpression: 'sk = :outcome',
              ExpressionAttributeValues: { ':outcome': 'OUTCOME' },
              ProjectionExpression: 'id, #record',
              ExpressionAttributeNames: { '#record': 'record' },
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? [])
            if (ours.has(String(item.id))) found.push(decodeRecord(item.record as Uint8Array));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        states = found;
        return found.length === ids.length && found.every((state) => state.status !== 'RECEIVED');
      },
      timeoutMs,
      'the duty step to assess every declaration',
    );
    await waitFor(
      async () => {
        for (const queue of Object.values(live.queues)) {
          const { Attributes = {} } = await live.sqs.client.send(
            new GetQueueAttributesCommand({
              QueueUrl: queue.url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          if (
            Number(Attributes.ApproximateNumberOfMessages ?? 0) +
              Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) >
            0
          )
            return false;
        }
        return live.pollers.inFlight() === 0;
      },
      timeoutMs,
      'the queues to drain',
    );
    direct.destroy();

    const usage = (meter as DynamoDbMeter | undefined)?.usage() ?? emptyUsage();
    const perDeclaration = (value: number) => round(value / ids.length);
    const sumOf = (record: Record<string, number>) =>
      Object.values(record).reduce((total, value) => total + value, 0);
    const byFunction = (name: string) => batches.filter((report) => report.functionName.endsWith(`-${name}`));
    const messages = (name: string, source?: 'queue') =>
      byFunction(name)
        .filter((report) => source === undefined || report.source !== 'stream')
        .reduce((total, report) => total + report.messageIds.length, 0);
    const tableName = (name: string) => {
      const [physical = name, part] = name.split(':');
      const logical = Object.entries(live.tables).find(([, table]) => table === physical)?.[0] ?? physical;
      return part ? `${logical}:${part}` : logical;
    };

    // SQS: each risk batch (from the declarations table's stream, whose reads a Lambda trigger does not
    // pay for) hands its results to the duty queue in one SendMessageBatch (a message or two carrying
    // every result: shared/use-cases/evaluate-risk.ts); EventBridge sends one message per event to the
    // notify queue; every queue batch is one receive and one DeleteMessageBatch. (Empty long polls are
    // per poller, not per declaration, and left out.)
    const handOvers = byFunction('risk').filter((report) => report.messageIds.length > 0).length;
    const queueBatches = batches.filter((report) => report.source !== 'stream').length;
    const sqsRequests = messages('risk', 'queue') + handOvers + messages('notify') + 2 * queueBatches;
    const events = messages('notify');
    const gbSeconds =
      batches.reduce((total, report) => {
        const fn = report.functionName.split('-').pop() as keyof typeof functions;
        return total + (report.durationMs / 1000) * ((functions[fn]?.memoryMb ?? 1024) / 1024);
      }, 0) +
      (httpMs / 1000) * (functions.intake.memoryMb / 1024);
    const invocations = batches.length + httpInvocations;

    const writeUnits = sumOf(usage.awsWriteUnits);
    const report: LedgerCostReport = {
      declarations: ids.length,
      assessed: states.filter((state) => state.assessment).length,
      durationMs: Date.now() - started,
      dynamodb: {
        requestsPerDeclaration: Object.fromEntries(
          Object.entries(usage.requests).map(([operation, calls]) => [operation, perDeclaration(calls)]),
        ),
        writeRequestsPerDeclaration: perDeclaration(usage.writeRequests),
        itemsWrittenPerDeclaration: perDeclaration(sumOf(usage.itemsWritten)),
        writeUnitsPerDeclaration: perDeclaration(writeUnits),
        writeUnitsPerDeclarationByFamily: Object.fromEntries(
          Object.entries(usage.writeUnitsByFamily).map(([name, units]) => {
            const [physical = name, ...rest] = name.split(':');
            const logical =
              Object.entries(live.tables).find(([, table]) => table === physical)?.[0] ?? physical;
            return [[logical, ...rest].join(':'), perDeclaration(units)];
          }),
        ),
        writeUnitsPerDeclarationByTable: Object.fromEntries(
          Object.entries(usage.awsWriteUnits).map(([table, units]) => [
            tableName(table),
            perDeclaration(units),
          ]),
        ),
        reportedWriteUnitsPerDeclaration: perDeclaration(usage.reportedWriteUnits),
        readUnitsPerDeclaration: perDeclaration(usage.reportedReadUnits),
        ledger: {
          transactionsPerDeclaration: perDeclaration(usage.ledgerTransactions),
          itemsPerDeclaration: perDeclaration(usage.ledgerItems),
          writeUnitsPerDeclaration: perDeclaration(usage.ledgerWriteUnits),
          reportedWriteUnitsPerDeclaration: perDeclaration(usage.reportedLedgerWriteUnits),
          transactionalSurchargePerDeclaration: perDeclaration(usage.transactionalSurchargeUnits),
        },
      },
      sqs: { requestsPerDeclaration: perDeclaration(sqsRequests) },
      eventBridge: { eventsPerDeclaration: perDeclaration(events) },
      lambda: {
        invocationsPerDeclaration: perDeclaration(invocations),
        gbSecondsPerDeclaration: round(gbSeconds / ids.length, 6),
        byFunction: {
          ...Object.fromEntries(
            [...new Set(batches.map((report) => report.functionName.split('-').pop() ?? ''))].map((fn) => {
              const reports = byFunction(fn);
              return [
                fn,
                {
                  invocationsPerDeclaration: perDeclaration(reports.length),
                  msPerDeclaration: perDeclaration(
                    reports.reduce((total, report) => total + report.durationMs, 0),
                  ),
                },
              ];
            }),
          ),
          intake: {
            invocationsPerDeclaration: perDeclaration(httpInvocations),
            msPerDeclaration: perDeclaration(httpMs),
          },
        },
      },
      costPerMillionDeclarations: {
        dynamodbWrites: 0,
        dynamodbReads: 0,
        ledgerWrites: 0,
        sqs: 0,
        eventBridge: 0,
        lambda: 0,
        total: 0,
      },
    };
    const cost = report.costPerMillionDeclarations;
    cost.dynamodbWrites = round((writeUnits / ids.length) * PRICES.dynamodbWriteRequestUnit, 2);
    cost.dynamodbReads = round((usage.reportedReadUnits / ids.length) * PRICES.dynamodbReadRequestUnit, 2);
    cost.ledgerWrites = round(
      ((usage.ledgerWriteUnits + usage.transactionalSurchargeUnits) / ids.length) *
        PRICES.dynamodbWriteRequestUnit,
      2,
    );
    cost.sqs = round((sqsRequests / ids.length) * PRICES.sqsRequest, 2);
    cost.eventBridge = round((events / ids.length) * PRICES.eventBridgeEvent, 2);
    cost.lambda = round(
      (invocations / ids.length) * PRICES.lambdaRequest + (gbSeconds / ids.length) * PRICES.lambdaGbSecond,
      2,
    );
    cost.total = round(
      cost.dynamodbWrites + cost.dynamodbReads + cost.sqs + cost.eventBridge + cost.lambda,
      2,
    );
    return report;
  } finally {
    await runtime?.stop();
    await (meter as DynamoDbMeter | undefined)?.stop();
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolvePath(process.argv[1])).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const declarations = Number(process.argv[2] ?? 500);
  const mix = process.argv[3] === 'diverse' ? 'diverse' : 'realistic';
  measureLedgerCost({ declarations, mix })
    .then((report) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
