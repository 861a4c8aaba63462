// Declarations in DynamoDB, under one partition each. The lodgement item (`STATE`) is written once, by
// intake's one conditional write (a PutItem, or an INSERT statement of a batch): the record as lodged, the
// lodged body (compressed: record-codec.ts) while both fit well within the item size limit, and the list
// indexes' keys, which never change, so the indexes are written once too. Every later state (the outcome,
// a hold, a payment, a cancellation) goes to a small item of its own (`OUTCOME`, the whole record
// compressed) under a version condition, so a state change rewrites neither the body nor the indexes.
// Readers take `OUTCOME` when it exists, else `STATE`. A body too large to share the lodgement item goes
// to an item of its own (`BODY`), in the same transaction as the lodgement.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StateEffect } from '../domain/clearance/effects.js';
import type { DeclarationRecord, StoredDeclaration } from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { ConcurrentUpdateError, ConflictError, VersionConflictError } from '../domain/errors.js';
import { shardOf } from '../domain/ledger/keys.js';
import { InvalidCursorError } from '../lib/cursor.js';
import { retryOptimistic } from '../lib/optimistic.js';
import type {
  CreateManyResult,
  CreateResult,
  DeclarationStore,
  DeclarationSummaryRow,
  ListIndex,
  ListPosition,
  ListQuery,
} from '../use-cases/ports/declarations.js';
import { dynamoDb } from './aws-clients.js';
import { decodeBody, decodeRecord, encodeBody, encodeRecord } from './record-codec.js';
import { chunk, mapConcurrent, retryFailed } from './retry.js';
import { stateEffectWrites } from './state-effects.js';
import { executeStatements, insertStatement, type StatementOutcome } from './statement-batch.js';
import { TransactionRejectedError, type TransactionWrite, transactWrites } from './transaction.js';

/** Batched DynamoDB calls in flight at once for one request. */
const CONCURRENT_CALLS = 8;
/** Single-item writes in flight at once for one call of `createMany`. */
const CONCURRENT_PUTS = 16;
/** Attempts at a lodgement that meets concurrent lodgements of the same id. */
const CREATE_ATTEMPTS = 6;

const partitionKey = (id: string) => `DECL#${id}`;
const ERASURE_WATERMARK_KEY = { pk: 'ERASURE', sk: 'WATERMARK' };

/**
 * Ids come from request paths, so any string arrives here. The ones this store issues are 30 characters;
 * a longer one names no declaration, and DynamoDB would refuse it as a key (over 2048 bytes) with an error
 * instead of an answer. Such an id is simply not found.
 */
const MAX_ID_BYTES = 512;
const addressable = (id: string): boolean => id !== '' && Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES;
/** The lodgement: the record as lodged, the body, the list indexes' keys. Written once. */
const STATE = 'STATE';
/** The current record once anything changed after the lodgement. */
const OUTCOME = 'OUTCOME';
const BODY = 'BODY';

export const INDEX_KEYS: Record<ListIndex, { partitionKey: string; sortKey: string }> = {
  byPlatform: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byDay: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
};

/** The lists: a platform's declarations, and every declaration lodged on a day. */
export const LIST_PARTITIONS = {
  byPlatform: (platformId: string) => `PLATFORM#${platformId}`,
  byDay: (day: string) => `DAY#${day}`,
} as const satisfies Record<ListIndex, (key: string) => string>;

/**
 * Index partitions each list is spread over (by a hash of the declaration id), so a day's lodgements, or
 * a large platform's, stay well within one partition's 1,000 write units a second (bench/scale-model.ts).
 */
export const LIST_SHARDS = 8;

/** The index partitions of one list, one per shard. */
export const listShardPartitions = (list: string): string[] =>
  Array.from({ length: LIST_SHARDS }, (_, shard) => `${list}#${shard}`);

const listShardOf = (list: string, id: string): string => `${list}#${shardOf(id, LIST_SHARDS)}`;

/** Most rounds of queries one list page may take when filters discard what it reads. */
const MAX_ROUNDS_PER_PAGE = 10;

/**
 * A page position is the list and the sort key of the last declaration examined (the lists are merged
 * across their shards in sort key order, so that one key says where every shard goes on). Any other
 * (a cursor of another list) is refused as an invalid cursor.
 */
const checkStartKey = (key: ListPosition, index: ListIndex, list: string) => {
  const { partitionKey, sortKey } = INDEX_KEYS[index];
  const names = Object.keys(key).sort().join(',');
  const expected = [partitionKey, sortKey].sort().join(',');
  if (names !== expected || key[partitionKey] !== list || !key[sortKey]) throw new InvalidCursorError();
};

const stateItem = (record: DeclarationRecord) => ({
  pk: partitionKey(record.id),
  sk: STATE,
  gsi1pk: listShardOf(LIST_PARTITIONS.byPlatform(record.platformId), record.id),
  gsi1sk: `${record.createdAt}#${record.id}`,
  gsi2pk: listShardOf(LIST_PARTITIONS.byDay(record.createdAt.slice(0, 10)), record.id),
  gsi2sk: `${record.createdAt}#${record.id}`,
  ...record,
});

/**
 * The current record once it changed after the lodgement: compressed whole (the assessment, risk result
 * and history make it well over 1 KB as attributes, a third of that compressed: record-codec.ts), with
 * the attributes conditions and scans need beside it.
 */
const outcomeItem = (record: DeclarationRecord) => ({
  pk: partitionKey(record.id),
  sk: OUTCOME,
  id: record.id,
  status: record.status,
  version: record.version,
  record: encodeRecord(record),
});

const toRecord = (item: Record<string, unknown>): DeclarationRecord => {
  if (item.sk === OUTCOME) return decodeRecord(item.record as Uint8Array);
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    body: _body,
    summaryLane: _lane,
    summaryTotals: _totals,
    ...record
  } = item;
  return record as unknown as DeclarationRecord;
};

/** The current record of a partition's items: the outcome when there is one, else the lodgement. */
const currentOf = (
  lodged: Record<string, unknown> | undefined,
  outcome: Record<string, unknown> | undefined,
): DeclarationRecord | undefined => {
  const item = outcome ?? lodged;
  return item ? toRecord(item) : undefined;
};

/** A list row: the current record's summary attributes. */
const summaryRow = (record: DeclarationRecord): DeclarationSummaryRow => ({
  id: record.id,
  reference: record.reference,
  platformId: record.platformId,
  status: record.status,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  ...(record.risk ? { risk: { lane: record.risk.lane } } : {}),
  ...(record.assessment ? { assessment: { totals: record.assessment.totals } } : {}),
  ...(record.goodsValue ? { goodsValue: record.goodsValue } : {}),
});

/** Compressed bodies up to this size are kept in the state item (the item limit is 400 KB). */
const INLINE_BODY_BYTES = 64 * 1024;
/** A state item with its body stays under this size, leaving room for the state to grow. */
const INLINE_ITEM_BYTES = 256 * 1024;

const compress = (declaration: Declaration): Uint8Array => encodeBody(declaration);

/** Whether a state item may hold the compressed body too. */
const fitsInline = (
  record: DeclarationRecord,
  body: Uint8Array,
  stateBytes = Buffer.byteLength(JSON.stringify(record), 'utf8'),
): boolean => body.length <= INLINE_BODY_BYTES && stateBytes + body.length <= INLINE_ITEM_BYTES;

const bodyItem = (record: DeclarationRecord, body: Uint8Array) => ({
  pk: partitionKey(record.id),
  sk: BODY,
  id: record.id,
  bodyHash: record.bodyHash,
  body,
});

const bodyOf = (item: Record<string, unknown>): Declaration => decodeBody(item.body as Uint8Array);

/**
 * The declaration as lodged, from its lodgement item as the table's stream carries it (binary values
 * base64 in a Lambda event); undefined for any other item, or a lodgement whose body is kept apart.
 */
export const lodgedFromImage = (image: Record<string, unknown>): StoredDeclaration | undefined => {
  if (image.sk !== STATE || image.body === undefined) return undefined;
  const body = typeof image.body === 'string' ? Buffer.from(image.body, 'base64') : image.body;
  if (!(body instanceof Uint8Array)) return undefined;
  return { ...toRecord(image), declaration: bodyOf({ body }) };
};

export const declarationStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
  /**
   * Where the effects of a state change go besides this table: the ledger (payments, refunds, ...), the
   * risk table (the profile counters an officer's decision moves).
   */
  tables: { ledger?: string; risk?: string } = {},
) => {
  const effectWrites = stateEffectWrites({ declarations: table, ...tables }, client);
  const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
  /** Whether the state write (the first of a transaction) failed its condition. */
  const stateConditionFailed = (error: unknown) =>
    isConditionFailure(error) || (error instanceof TransactionRejectedError && error.conditionFailedAt(0));

  /**
   * The write of a new state to the outcome item, conditional on the version read: the outcome item
   * holds it, or (the first change after the lodgement) there is none yet.
   */
  const outcomePut = (next: DeclarationRecord, version: number) => ({
    Put: {
      TableName: table,
      Item: outcomeItem(next),
      ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
      ExpressionAttributeValues: { ':version': version },
    },
  });

  /** Items of many declarations under the given sort keys, by sort key and id. */
  const batchGet = async (
    ids: string[],
    sortKeys: readonly string[],
  ): Promise<Map<string, Map<string, Record<string, unknown>>>> => {
    const found = new Map<string, Map<string, Record<string, unknown>>>(
      sortKeys.map((sk) => [sk, new Map()]),
    );
    const keys = [...new Set(ids)]
      .filter(addressable)
      .flatMap((id) => sortKeys.map((sk) => ({ pk: partitionKey(id), sk })));
    await mapConcurrent(chunk(keys, 100), CONCURRENT_CALLS, (group) =>
      retryFailed(
        group,
        async (batch) => {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: batch, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[table] ?? [])
            found.get(String(item.sk))?.set(String(item.id), item);
          return (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof batch;
        },
        'BatchGetItem',
      ),
    );
    return found;
  };

  /** The current records of many declarations, with their lodgement items (which hold most bodies). */
  const readMany = async (ids: string[]) => {
    const items = await batchGet(ids, [STATE, OUTCOME]);
    const lodged = items.get(STATE) ?? new Map<string, Record<string, unknown>>();
    const outcomes = items.get(OUTCOME) ?? new Map<string, Record<string, unknown>>();
    const records = new Map<string, DeclarationRecord>();
    for (const [id, item] of lodged) records.set(id, currentOf(item, outcomes.get(id)) as DeclarationRecord);
    return { records, lodged };
  };

  /** The current declarations of `ids` with their bodies: lodgement and outcome items, bodies kept apart. */
  const readBodies = async (ids: string[]): Promise<Map<string, StoredDeclaration>> => {
    const result = new Map<string, StoredDeclaration>();
    if (ids.length === 0) return result;
    const { records, lodged } = await readMany(ids);
    const separate = [...lodged].flatMap(([id, item]) => (item.body ? [] : [id]));
    const bodies = separate.length > 0 ? (await batchGet(separate, [BODY])).get(BODY) : undefined;
    for (const [id, record] of records) {
      const item = lodged.get(id);
      const body = item?.body ? item : bodies?.get(id);
      if (body) result.set(id, { ...record, declaration: bodyOf(body) });
    }
    return result;
  };

  /** The current record of one declaration: its lodgement and outcome items, in one request. */
  const getState = async (id: string): Promise<DeclarationRecord | undefined> =>
    addressable(id) ? (await readMany([id])).records.get(id) : undefined;

  /**
   * The writes that store a new declaration, each only if the declaration does not exist: one item
   * holding the state and the compressed body, or, for a body too large to share the item, the body's
   * own item (refused if a different body is stored under the id) and the state.
   */
  const lodgementWrites = (record: DeclarationRecord, body: Uint8Array, inline: boolean) =>
    inline
      ? [
          {
            Put: {
              TableName: table,
              Item: { ...stateItem(record), body },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : [
          {
            Put: {
              TableName: table,
              Item: bodyItem(record, body),
              ConditionExpression: 'attribute_not_exists(pk) OR bodyHash = :hash',
              ExpressionAttributeValues: { ':hash': record.bodyHash },
            },
          },
          {
            Put: {
              TableName: table,
              Item: stateItem(record),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ];

  /** `create` of a body already compressed. */
  const createCompressed = async (record: DeclarationRecord, body: Uint8Array): Promise<CreateResult> => {
    const writes = lodgementWrites(record, body, fitsInline(record, body));
    const [single] = writes;
    if (writes.length === 1 && single) {
      try {
        await client.send(new PutCommand(single.Put));
        return { created: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const existing = await getState(record.id);
        if (!existing) throw error;
        return { created: false, existing };
      }
    }
    const beingLodged = () =>
      new ConflictError('A different declaration with this reference is being lodged', {
        reference: record.reference,
      });
    return retryOptimistic<CreateResult>(
      async () => {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: writes }));
          return { created: true };
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const existing = await getState(record.id);
          if (existing) return { created: false, existing };
          const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
          if (reasons.includes('ConditionalCheckFailed')) throw beingLodged();
          throw error;
        }
      },
      {
        attempts: CREATE_ATTEMPTS,
        lostRace: (error) => error instanceof TransactionCanceledException,
        exhausted: beingLodged,
      },
    );
  };

  /**
   * Stores a new declaration exactly once: one item holding the state and the compressed body, written
   * only if the declaration does not exist, so nothing is ever half-written and of concurrent lodgements
   * of one reference exactly one is created. A refused lodgement answers with the stored state (the
   * caller compares the body hashes). A body too large for the state item goes to its own item, in one
   * transaction with the state.
   */
  const create = (record: DeclarationRecord, declaration: Declaration): Promise<CreateResult> =>
    createCompressed(record, compress(declaration));

  const createOrConflict = async (record: DeclarationRecord, body: Uint8Array): Promise<CreateManyResult> => {
    try {
      return await createCompressed(record, body);
    } catch (error) {
      if (error instanceof ConflictError) return { created: false, conflict: error };
      throw error;
    }
  };

  /**
   * Stores many new declarations (distinct ids) with the same guarantees and items as `create`: each by
   * its own conditional insert, 25 to a request (statement-batch.ts; a transaction would bill every item
   * twice and gain nothing: each declaration stands alone). Nothing is read first: a declaration stored
   * already (a resubmission, a concurrent lodgement of the same reference) is refused as a duplicate and
   * answered with its stored state. Bodies too large to share the lodgement item go as `create` stores them.
   */
  const createMany = async (
    entries: { record: DeclarationRecord; declaration: Declaration }[],
  ): Promise<CreateManyResult[]> => {
    const results = new Array<CreateManyResult>(entries.length);
    const compressed = entries.map(({ record, declaration }, position) => {
      const body = compress(declaration);
      return { record, body, position, inline: fitsInline(record, body) };
    });
    const inline = compressed.filter((entry) => entry.inline);
    const outcomes = await executeStatements(
      client,
      inline.map(({ record, body }) => insertStatement(table, { ...stateItem(record), body })),
    );
    await mapConcurrent(
      [
        ...inline.map((entry, index) => ({ ...entry, outcome: outcomes[index] })),
        ...compressed
          .filter((entry) => !entry.inline)
          .map((entry) => ({ ...entry, outcome: 'separate' as const })),
      ],
      CONCURRENT_PUTS,
      async ({ record, body, position, outcome }) => {
        try {
          results[position] = await settleCreate(record, body, outcome);
        } catch (failure) {
          results[position] = { created: false, failure };
        }
      },
    );
    return results;
  };

  /** What became of one declaration of `createMany`, given how its insert went. */
  const settleCreate = async (
    record: DeclarationRecord,
    body: Uint8Array,
    outcome: StatementOutcome | 'separate',
  ): Promise<CreateManyResult> => {
    if (outcome === 'separate') return createOrConflict(record, body);
    if (outcome === undefined) return { created: true };
    if (typeof outcome === 'object') return { created: false, failure: outcome.failure };
    if (outcome !== 'DuplicateItem')
      return { created: false, failure: new Error(`Lodgement refused: ${outcome}`) };
    const existing = await getState(record.id);
    if (!existing)
      return { created: false, failure: new Error('Lodgement refused as a duplicate of nothing') };
    return { created: false, existing };
  };

  /**
   * One page of declarations from a GSI, newest first (or oldest first), each with its current state.
   * Each round queries every shard of the list for the next declarations after the position and merges
   * them in sort key order; the index holds the lodgement (written once), so the current status, lane
   * and totals come from one BatchGetItem of the outcome items, and the filters apply to them. A
   * filtered page is gathered over a few rounds; it may come back shorter than `limit` with a `lastKey`
   * to continue from, never longer.
   */
  const listPage = async (
    query: ListQuery,
  ): Promise<{ items: DeclarationSummaryRow[]; lastKey?: ListPosition }> => {
    const { partitionKey: partitionName, sortKey: sortName } = INDEX_KEYS[query.index];
    const list = LIST_PARTITIONS[query.index](query.key);
    if (query.startKey) checkStartKey(query.startKey, query.index, list);
    const ascending = query.ascending === true;
    const wanted = (record: DeclarationRecord) =>
      (!query.platformId || record.platformId === query.platformId) &&
      (!query.status || record.status === query.status) &&
      (!query.lane || record.risk?.lane === query.lane);
    const items: DeclarationSummaryRow[] = [];
    /** The sort key of the last declaration examined: the next round starts after it. */
    let after = query.startKey?.[sortName];
    for (let round = 0; round < MAX_ROUNDS_PER_PAGE && items.length < query.limit; round += 1) {
      const want = query.limit - items.length;
      let from = query.from ?? '0';
      let to = query.to ?? '\uffff';
      if (after !== undefined && ascending && after > from) from = after;
      if (after !== undefined && !ascending && after < to) to = after;
      if (from > to) return { items };
      const pages = await Promise.all(
        listShardPartitions(list).map((partition) =>
          client.send(
            new QueryCommand({
              TableName: table,
              IndexName: query.index,
              KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
              ExpressionAttributeNames: { '#pk': partitionName, '#sk': sortName },
              ExpressionAttributeValues: { ':pk': partition, ':from': from, ':to': to },
              ScanIndexForward: ascending,
              // The bounds are inclusive: one more, for the declaration at the position itself.
              Limit: want + (after === undefined ? 0 : 1),
            }),
          ),
        ),
      );
      const read = pages
        .flatMap((page) => page.Items ?? [])
        .filter((item) => item[sortName] !== after)
        .sort((a, b) => {
          const order = String(a[sortName]) < String(b[sortName]) ? -1 : 1;
          return ascending ? order : -order;
        });
      const examined = read.slice(0, want);
      const more = read.length > want || pages.some((page) => page.LastEvaluatedKey !== undefined);
      if (examined.length > 0) {
        const outcomes =
          (await batchGet(
            examined.map((item) => String(item.id)),
            [OUTCOME],
          ).then((found) => found.get(OUTCOME))) ?? new Map<string, Record<string, unknown>>();
        for (const item of examined) {
          const record = currentOf(item, outcomes.get(String(item.id))) as DeclarationRecord;
          if (wanted(record)) items.push(summaryRow(record));
        }
      }
      const last = examined.at(-1);
      if (!more || !last) return { items };
      after = String(last[sortName]);
    }
    return { items, lastKey: { [partitionName]: list, [sortName]: after as string } };
  };

  const store = {
    create,
    createMany,
    listPage,

    getState,

    /** The current states of many declarations (no bodies), in batched reads. */
    async getStates(ids: string[]): Promise<Map<string, DeclarationRecord>> {
      return (await readMany(ids)).records;
    },

    async get(id: string): Promise<StoredDeclaration | undefined> {
      if (!addressable(id)) return undefined;
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitionKey(id) },
          ConsistentRead: true,
        }),
      );
      const lodged = result.Items?.find((item) => item.sk === STATE);
      const outcome = result.Items?.find((item) => item.sk === OUTCOME);
      const body = lodged?.body ? lodged : result.Items?.find((item) => item.sk === BODY);
      if (!lodged || !body) return undefined;
      return { ...(currentOf(lodged, outcome) as DeclarationRecord), declaration: bodyOf(body) };
    },

    /**
     * Current states and bodies of many declarations, in batched reads: the lodgement and outcome items
     * (the lodgement holds the body, unless it was too large), then the bodies kept in items of their own.
     */
    async getMany(
      ids: string[],
      given: ReadonlyMap<string, StoredDeclaration> = new Map(),
    ): Promise<Map<string, StoredDeclaration>> {
      const known = ids.filter((id) => given.has(id));
      const [read, outcomes] = await Promise.all([
        readBodies(ids.filter((id) => !given.has(id))),
        known.length > 0 ? batchGet(known, [OUTCOME]) : undefined,
      ]);
      for (const id of known) {
        const lodged = given.get(id) as StoredDeclaration;
        const outcome = outcomes?.get(OUTCOME)?.get(id);
        read.set(id, outcome ? { ...toRecord(outcome), declaration: lodged.declaration } : lodged);
      }
      return read;
    },

    /**
     * The write of a new state, for a caller that composes its own transaction (several declarations at
     * once): the outcome item, conditional on `record.version`. The lodgement (body, list indexes) is
     * not rewritten.
     */
    stateWrites(record: DeclarationRecord): { next: DeclarationRecord; writes: TransactionWrite[] } {
      const next = { ...record, version: record.version + 1 };
      return { next, writes: [outcomePut(next, record.version)] };
    },

    /** The first lodgement day the personal-data erasure job has not finished (its own item). */
    erasureWatermark: {
      async read(): Promise<string | undefined> {
        const result = await client.send(
          new GetCommand({ TableName: table, Key: ERASURE_WATERMARK_KEY, ConsistentRead: true }),
        );
        return typeof result.Item?.day === 'string' ? result.Item.day : undefined;
      },
      async write(day: string): Promise<void> {
        await client.send(new PutCommand({ TableName: table, Item: { ...ERASURE_WATERMARK_KEY, day } }));
      },
    },

    /**
     * Replaces the lodged body (the consignee pseudonymised once the record-keeping period is over) and
     * writes the state, if nobody else wrote since `record.version` was read: the body where it is kept
     * (the lodgement item, or its own item), the state in the outcome item, in one transaction.
     */
    async replaceBody(record: DeclarationRecord, declaration: Declaration): Promise<DeclarationRecord> {
      const next = { ...record, version: record.version + 1 };
      const body = compress(declaration);
      const lodged = (await readMany([record.id])).lodged.get(record.id);
      if (!lodged) throw new VersionConflictError(record.id);
      // Only the body changes: nothing the list indexes copy, so they are not written.
      const bodyWrite: TransactionWrite = lodged.body
        ? {
            Update: {
              TableName: table,
              Key: { pk: partitionKey(record.id), sk: STATE },
              UpdateExpression: 'SET body = :body',
              ConditionExpression: 'attribute_exists(body)',
              ExpressionAttributeValues: { ':body': body },
            },
          }
        : { Put: { TableName: table, Item: bodyItem(record, body) } };
      try {
        await transactWrites([outcomePut(next, record.version), bodyWrite], client);
      } catch (error) {
        if (error instanceof TransactionRejectedError && error.reasons.includes('ConditionalCheckFailed'))
          throw new VersionConflictError(record.id);
        throw error;
      }
      return next;
    },

    /**
     * Writes a new state if nobody else wrote since `record.version` was read: the outcome item only.
     * Writes the state causes elsewhere (ledger entries, counters) go in the same transaction, so they
     * happen exactly once.
     */
    async save(record: DeclarationRecord, effects: readonly StateEffect[] = []): Promise<DeclarationRecord> {
      const next = { ...record, version: record.version + 1 };
      const alongside = effects.length > 0 ? await effectWrites(effects) : [];
      const state = outcomePut(next, record.version).Put;
      try {
        if (alongside.length === 0) await client.send(new PutCommand(state));
        else await transactWrites([{ Put: state }, ...alongside], client);
      } catch (error) {
        if (stateConditionFailed(error)) throw new VersionConflictError(record.id);
        if (error instanceof TransactionRejectedError)
          throw new ConcurrentUpdateError(error.reasons.join(','));
        throw error;
      }
      return next;
    },
  };
  // Also `stateWrites`, for the duty step that composes its own transactions.
  return store satisfies DeclarationStore;
};
