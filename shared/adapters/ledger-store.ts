// The ledger table in DynamoDB: ledger facts (one item per transaction holding the facts it books, written
// once), aggregate counters (UpdateItem ADD on DynamoDB numbers, in the same transaction as the facts and
// state change that cause them), and the reads the finance and statistics queries make (one Query per day
// partition and shard).
//
// Money never passes through a JavaScript number: amounts are written as `NumberValue`s built from
// decimal strings and read back with `wrapNumbers`, so DynamoDB's exact decimal arithmetic does the
// adding and decimal.js the rest.
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient as DocumentClient,
  type DynamoDBDocumentClient,
  NumberValue,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type AggregateDelta, inOneShard, mergeDeltas, revenueDeltas } from '../domain/ledger/aggregates.js';
import { dayOf, type LedgerEntry } from '../domain/ledger/entries.js';
import {
  AGGREGATE_SHARDS,
  factId,
  factsPartition,
  ledgerFactKey,
  revenuePartition,
  shardOf,
  statisticsPartition,
  withoutShard,
} from '../domain/ledger/keys.js';
import type { AggregateItem } from '../domain/ledger/views.js';
import { tracer } from '../observability.js';
import type { LedgerReader } from '../use-cases/ports/ledger.js';
import { queryAll } from './query-all.js';
import { decodeFacts, encodeFacts, type StoredFact } from './record-codec.js';
import { chunk, mapConcurrent } from './retry.js';
import type { TransactionWrite } from './transaction.js';
import { TransactionRejectedError, type TransactOutcome, transactWrites } from './transaction.js';

export type { TransactionWrite, TransactOutcome };
export { TransactionRejectedError };

/** DynamoDB's limit of items per TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;
/** Stay well below the 4 MB request limit. */
const MAX_TRANSACTION_BYTES = 3 * 1024 * 1024;
/** Queries in flight at once for one read. */
const CONCURRENT_QUERIES = 32;

let exactClient: DynamoDBDocumentClient | undefined;

/** A document client that reads DynamoDB numbers as `NumberValue` (exact), created once per instance. */
export const exactDocumentClient = (): DynamoDBDocumentClient => {
  exactClient ??= DocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: true },
  });
  return exactClient;
};

const number = (value: { toFixed: () => string }) => NumberValue.from(value.toFixed());

const factOf = (group: LedgerEntry[]): StoredFact => {
  const [first] = group as [LedgerEntry];
  return {
    declarationId: first.declarationId,
    fact: first.fact,
    platformId: first.platformId,
    collectionModel: first.collectionModel,
    payer: first.payer,
    at: first.at,
    entries: group.map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      taxCode: entry.taxCode,
      currency: entry.currency,
      amount: entry.amount,
    })),
  };
};

/**
 * One item for all the facts of a transaction: a transactional write costs twice its kilobytes, rounded
 * up per item, so ten small facts in one item cost a fifth of ten items. The facts are kept compressed
 * (record-codec.ts), which takes a transaction's facts item to about a quarter of its plain size. Its key
 * is a digest of the fact ids, so the same facts booked again are refused by the condition.
 */
const factsItem = (groups: LedgerEntry[][], shards: number) => {
  const [first] = groups[0] as [LedgerEntry];
  const ids = groups.map((group) => factId(group[0] as LedgerEntry)).sort();
  return {
    pk: factsPartition(dayOf(first.at), shardOf(first.declarationId, shards)),
    sk: createHash('sha256').update(ids.join('\n')).digest('base64url').slice(0, 22),
    facts: encodeFacts(groups.map(factOf)),
  };
};

/**
 * The facts a facts item holds, read through the codec. Items written before the facts were compressed
 * hold them as a list, with amounts as DynamoDB numbers; they are read as decimal strings all the same.
 */
export const factsOfItem = (item: Record<string, unknown>): StoredFact[] => {
  const facts = item.facts;
  if (facts instanceof Uint8Array) return decodeFacts(facts);
  if (!Array.isArray(facts)) throw new Error(`Ledger item ${String(item.pk)} holds no facts`);
  return (facts as StoredFact[]).map((fact) => ({
    ...fact,
    entries: fact.entries.map((entry) => ({ ...entry, amount: String(entry.amount) })),
  }));
};

/** The entries grouped by the fact that books them, in first-seen order. */
const byFact = (entries: readonly LedgerEntry[]): LedgerEntry[][] => {
  const groups = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const key = `${entry.declarationId}\u0000${entry.fact}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()];
};

/** One UpdateItem ADD of an aggregate item's counters. */
export const aggregateWrite = (table: string, delta: AggregateDelta): TransactionWrite => {
  const names: Record<string, string> = {};
  const values: Record<string, NumberValue> = {};
  const clauses = Object.entries(delta.add).map(([name, value], index) => {
    names[`#m${index}`] = name;
    values[`:m${index}`] = number(value);
    return `#m${index} :m${index}`;
  });
  return {
    Update: {
      TableName: table,
      Key: { pk: delta.pk, sk: delta.sk },
      UpdateExpression: `ADD ${clauses.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/**
 * The writes that book `entries` and change the aggregates: one conditional Put of an item holding every
 * fact (the same facts booked again cancel the transaction, so a redelivery can never add an entry
 * twice), and one ADD per aggregate item, pre-summed over everything given (the revenue cells of the
 * entries plus `deltas`: statistics, release times) after moving them all to one shard. Put them in the
 * same transaction as the state change that causes them.
 */
export const ledgerWrites = (
  table: string,
  entries: readonly LedgerEntry[],
  deltas: readonly AggregateDelta[] = [],
  shards: number = AGGREGATE_SHARDS,
): TransactionWrite[] => {
  const facts = byFact(entries);
  return [
    ...(facts.length > 0
      ? [
          {
            Put: {
              TableName: table,
              Item: factsItem(facts, shards),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
    ...mergeDeltas(inOneShard([...revenueDeltas(entries, shards), ...deltas])).map((delta) =>
      aggregateWrite(table, delta),
    ),
  ];
};

/**
 * Runs one TransactWriteItems on the exact client by default, retrying cancellations that pass (see
 * transaction.ts).
 */
export const transact = (
  writes: TransactionWrite[],
  client: DynamoDBDocumentClient = exactDocumentClient(),
): Promise<TransactOutcome> => transactWrites(writes, client);

/** One unit of work whose writes must happen together: a state change and what it causes. */
export interface LedgerStep {
  /** The state write (conditional on the version read) first, then any other writes it causes. */
  writes: TransactionWrite[];
  entries: LedgerEntry[];
  deltas: AggregateDelta[];
}

export interface PlannedTransaction<Step extends LedgerStep> {
  steps: Step[];
  writes: TransactionWrite[];
}

const factCount = (entries: readonly LedgerEntry[]) =>
  new Set(entries.map((entry) => `${entry.declarationId}\u0000${entry.fact}`)).size;

/** Stands for the one item that holds all the facts of a transaction. */
const FACTS_ITEM = 'FACTS';

/**
 * The ledger items a step writes: the facts item, if it books any, and the aggregate items it updates,
 * named without their shard, since a transaction writes all its updates to one shard.
 */
const ledgerItemKeys = (step: LedgerStep, shards: number) => [
  ...(step.entries.length > 0 ? [FACTS_ITEM] : []),
  ...mergeDeltas([...revenueDeltas(step.entries, shards), ...step.deltas]).map(
    (delta) => `${withoutShard(delta.pk)}\u0000${delta.sk}`,
  ),
];

const sizeOf = (writes: readonly TransactionWrite[]) =>
  writes.reduce((total, write) => total + JSON.stringify(write).length, 0);

/** Writes of its own (state and the like) a step may bring; the rest of a transaction is ledger items. */
export const MAX_STEP_WRITES = 10;
/** Ledger items (the facts item, aggregate updates) of one step that fit a transaction beside its own writes. */
const STEP_LEDGER_ITEMS = MAX_TRANSACTION_ITEMS - MAX_STEP_WRITES;

/**
 * Whether a step's ledger items need more than one transaction. Decided on the ledger items alone, so
 * a later completion (which no longer has the state write) splits the step exactly as its first save.
 */
export const isOversized = (step: LedgerStep, shards: number = AGGREGATE_SHARDS): boolean =>
  ledgerItemKeys(step, shards).length > STEP_LEDGER_ITEMS;

/**
 * Groups steps into as few transactions as the 100-item limit allows, pre-summing the aggregate updates
 * of each transaction. A step that needs more than one transaction on its own is returned in `oversized`.
 */
export const planTransactions = <Step extends LedgerStep>(
  table: string,
  steps: readonly Step[],
  shards: number = AGGREGATE_SHARDS,
): { transactions: PlannedTransaction<Step>[]; oversized: Step[] } => {
  const groups: { steps: Step[]; keys: Set<string>; own: number; bytes: number }[] = [];
  const oversized: Step[] = [];
  for (const step of steps) {
    if (step.writes.length > MAX_STEP_WRITES) {
      throw new RangeError(`A step may bring at most ${MAX_STEP_WRITES} writes of its own`);
    }
    if (isOversized(step, shards)) {
      oversized.push(step);
      continue;
    }
    const keys = ledgerItemKeys(step, shards);
    const own = step.writes.length;
    // Each fact adds its entries to the facts item: count it like an item of its own for the size.
    const bytes = sizeOf(step.writes) + 512 * (keys.length + own + factCount(step.entries));
    const current = groups.at(-1);
    const merged = current ? new Set([...current.keys, ...keys]) : new Set(keys);
    if (
      current &&
      current.own + own + merged.size <= MAX_TRANSACTION_ITEMS &&
      current.bytes + bytes <= MAX_TRANSACTION_BYTES
    ) {
      current.steps.push(step);
      current.keys = merged;
      current.own += own;
      current.bytes += bytes;
    } else {
      groups.push({ steps: [step], keys: new Set(keys), own, bytes });
    }
  }
  return {
    transactions: groups.map((group) => ({
      steps: group.steps,
      writes: [
        ...group.steps.flatMap((step) => step.writes),
        ...ledgerWrites(
          table,
          group.steps.flatMap((step) => step.entries),
          group.steps.flatMap((step) => step.deltas),
          shards,
        ),
      ],
    })),
    oversized,
  };
};

/** Marker of an overflow part of an oversized step: written once, with the part's aggregate updates. */
const partMarker = (table: string, declarationId: string, part: number): TransactionWrite => ({
  Put: {
    TableName: table,
    Item: { ...ledgerFactKey(declarationId, `PART#${part}`), declarationId, part },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * A step too large for one transaction (a consignment whose lines fall in more than ~90 statistics
 * cells): the first transaction holds the step's own writes, the facts, the revenue cells and as many
 * statistics updates as fit; the rest follow in parts, each written once under its own marker. Writing
 * the parts again after a crash is harmless: a part already written is refused as a whole.
 */
export const splitOversized = (
  table: string,
  declarationId: string,
  step: LedgerStep,
  shards: number = AGGREGATE_SHARDS,
): { main: TransactionWrite[]; parts: TransactionWrite[][] } => {
  const head = ledgerWrites(table, step.entries, [], shards);
  const rest = mergeDeltas(step.deltas).map((delta) => aggregateWrite(table, delta));
  const room = Math.max(0, STEP_LEDGER_ITEMS - head.length);
  const parts = chunk(rest.slice(room), MAX_TRANSACTION_ITEMS - 1).map((writes, index) => [
    partMarker(table, declarationId, index + 1),
    ...writes,
  ]);
  return { main: [...step.writes, ...head, ...rest.slice(0, room)], parts };
};

/**
 * Writes what an oversized step left to follow-up parts, again: a no-op for a step that fits one
 * transaction and for parts already written. Call it when a redelivery finds the step's state saved.
 */
export const completeOversized = async (
  table: string,
  declarationId: string,
  step: LedgerStep,
  client: DynamoDBDocumentClient = exactDocumentClient(),
  shards: number = AGGREGATE_SHARDS,
): Promise<void> => {
  if (!isOversized(step, shards)) return;
  await commitParts(splitOversized(table, declarationId, step, shards).parts, client);
};

/** Writes the overflow parts of an oversized step; parts written before are skipped. */
export const commitParts = async (
  parts: TransactionWrite[][],
  client: DynamoDBDocumentClient = exactDocumentClient(),
): Promise<number> => {
  let consumedWcu = 0;
  for (const part of parts) {
    try {
      consumedWcu += (await transact(part, client)).consumedWcu;
    } catch (error) {
      if (error instanceof TransactionRejectedError && error.conditionFailedAt(0)) continue;
      throw error;
    }
  }
  return consumedWcu;
};

export type StepResult = { ok: true; consumedWcu: number } | { ok: false; error: unknown };

/**
 * Commits steps in as few transactions as the limits allow (see planTransactions); a step too large for
 * one transaction is written as a main transaction and follow-up parts. Returns each step's result: a
 * refused transaction fails only the steps in it, which the caller may retry one by one.
 */
export const commitSteps = async (
  table: string,
  steps: readonly (LedgerStep & { id: string })[],
  client: DynamoDBDocumentClient = exactDocumentClient(),
  shards: number = AGGREGATE_SHARDS,
): Promise<StepResult[]> => {
  const results = new Map<LedgerStep, StepResult>();
  const { transactions, oversized } = planTransactions(table, steps, shards);
  for (const transaction of transactions) {
    try {
      const { consumedWcu } = await transact(transaction.writes, client);
      for (const step of transaction.steps)
        results.set(step, { ok: true, consumedWcu: consumedWcu / transaction.steps.length });
    } catch (error) {
      for (const step of transaction.steps) results.set(step, { ok: false, error });
    }
  }
  for (const step of oversized) {
    try {
      const { main, parts } = splitOversized(table, step.id, step, shards);
      const { consumedWcu } = await transact(main, client);
      results.set(step, { ok: true, consumedWcu: consumedWcu + (await commitParts(parts, client)) });
    } catch (error) {
      results.set(step, { ok: false, error });
    }
  }
  return steps.map((step) => results.get(step) ?? { ok: false, error: new Error('Step was not committed') });
};

// ---------------------------------------------------------------------------------------------------
// Reads

const numbersAsStrings = (item: Record<string, unknown>): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value instanceof NumberValue) attributes[name] = value.toString();
    else if (typeof value === 'string') attributes[name] = value;
    else if (typeof value === 'number' || typeof value === 'bigint') attributes[name] = String(value);
  }
  return attributes;
};

export const ledgerReader = (
  table: string,
  client: DynamoDBDocumentClient = exactDocumentClient(),
  shards: number = AGGREGATE_SHARDS,
): LedgerReader => {
  const aggregateItems = async (input: Omit<QueryCommandInput, 'TableName'>): Promise<AggregateItem[]> => {
    const items = await queryAll(client, { TableName: table, ...input });
    return items.map((item) => ({
      pk: String(item.pk),
      sk: String(item.sk),
      numbers: numbersAsStrings(item),
    }));
  };

  const partitions = (days: readonly string[], partition: (day: string, shard: number) => string) =>
    days.flatMap((day) => Array.from({ length: shards }, (_, shard) => partition(day, shard)));

  const queryPartitions = async (pks: string[], skPrefix?: string): Promise<AggregateItem[]> => {
    const pages = await mapConcurrent(pks, CONCURRENT_QUERIES, (pk) =>
      aggregateItems({
        KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
      }),
    );
    return pages.flat();
  };

  return {
    /** Every revenue cell of the days (all shards); with `skPrefix`, only cells whose key starts with it. */
    revenueItems: (days: readonly string[], skPrefix?: string) =>
      queryPartitions(partitions(days, revenuePartition), skPrefix),
    /** Every statistics cell and release-time histogram of the days (all shards). */
    statisticsItems: (days: readonly string[]) => queryPartitions(partitions(days, statisticsPartition)),
  };
};
