// Declarations in DynamoDB, under one partition each: the state item that every step rewrites under a
// version condition, holding the lodged body too (gzip-compressed) while both fit well within the item
// size limit, so a new declaration is one conditional PutItem and the pipeline reads and writes one
// item per step. A body too large to share the item goes to an item of its own (`BODY`), in the same
// transaction as the state; a rewrite of the state by a caller without the body (a cancel, a hold)
// moves the body there first, so no write ever drops it.
import { gunzipSync, gzipSync } from 'node:zlib';
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
import { chunk, mapConcurrent, retryFailed } from './retry.js';
import { stateEffectWrites } from './state-effects.js';
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
const STATE = 'STATE';
const BODY = 'BODY';

export const INDEX_KEYS: Record<ListIndex, { partitionKey: string; sortKey: string }> = {
  byPlatform: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byDay: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
};

/** The list indexes' partitions: a platform's declarations, and every declaration lodged on a day. */
export const LIST_PARTITIONS = {
  byPlatform: (platformId: string) => `PLATFORM#${platformId}`,
  byDay: (day: string) => `DAY#${day}`,
} as const satisfies Record<ListIndex, (key: string) => string>;

/** Most Query calls one list page may take when a status filter discards what it reads. */
const MAX_QUERIES_PER_PAGE = 10;

/**
 * A page position must be one this index returns for this partition, or DynamoDB would reject the query;
 * any other (a cursor of another list) is refused as an invalid cursor.
 */
const checkStartKey = (key: ListPosition, index: ListIndex, partition: string) => {
  const { partitionKey, sortKey } = INDEX_KEYS[index];
  const names = Object.keys(key).sort().join(',');
  const expected = ['pk', 'sk', partitionKey, sortKey].sort().join(',');
  if (
    names !== expected ||
    key[partitionKey] !== partition ||
    key.sk !== STATE ||
    !key.pk?.startsWith('DECL#')
  ) {
    throw new InvalidCursorError();
  }
};

const stateItem = (record: DeclarationRecord) => ({
  pk: partitionKey(record.id),
  sk: STATE,
  gsi1pk: LIST_PARTITIONS.byPlatform(record.platformId),
  gsi1sk: `${record.createdAt}#${record.id}`,
  gsi2pk: LIST_PARTITIONS.byDay(record.createdAt.slice(0, 10)),
  gsi2sk: `${record.createdAt}#${record.id}`,
  ...record,
  // The list indexes copy only the summary (shared/topology.ts), and an index copies top-level attributes.
  ...(record.risk ? { summaryLane: record.risk.lane } : {}),
  ...(record.assessment ? { summaryTotals: record.assessment.totals } : {}),
});

const toRecord = (item: Record<string, unknown>): DeclarationRecord => {
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

/** A list row from an index item: the summary attributes, in the record's shape. */
const summaryRow = (item: Record<string, unknown>): DeclarationSummaryRow => {
  const { summaryLane, summaryTotals } = item as {
    summaryLane?: string;
    summaryTotals?: Record<string, string>;
  };
  return {
    ...(toRecord(item) as unknown as DeclarationSummaryRow),
    ...(summaryLane ? { risk: { lane: summaryLane } } : {}),
    ...(summaryTotals ? { assessment: { totals: summaryTotals } } : {}),
  };
};

/** Compressed bodies up to this size are kept in the state item (the item limit is 400 KB). */
const INLINE_BODY_BYTES = 64 * 1024;
/** A state item with its body stays under this size, leaving room for the state to grow. */
const INLINE_ITEM_BYTES = 256 * 1024;

const compress = (declaration: Declaration): Uint8Array => gzipSync(JSON.stringify(declaration));

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

const decodeBody = (item: Record<string, unknown>): Declaration =>
  JSON.parse(gunzipSync(item.body as Uint8Array).toString('utf8')) as Declaration;

export const declarationStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
  /** Where the effects of a state change go besides this table: the ledger (payments, refunds, ...). */
  tables: { ledger?: string } = {},
) => {
  const effectWrites = stateEffectWrites({ declarations: table, ...tables }, client);
  const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
  /** Whether the state write (the first of a transaction) failed its condition. */
  const stateConditionFailed = (error: unknown) =>
    isConditionFailure(error) || (error instanceof TransactionRejectedError && error.conditionFailedAt(0));

  /**
   * The write of a new state (with the lodged body in it, when given), conditional on the version read
   * and, unless the body is written in the same transaction, on the state item no longer holding the
   * body (so a rewrite never drops it).
   */
  const statePut = (next: DeclarationRecord, version: number, requireNoBody = true, body?: Uint8Array) => ({
    Put: {
      TableName: table,
      Item: body ? { ...stateItem(next), body } : stateItem(next),
      ConditionExpression: requireNoBody
        ? 'version = :version AND attribute_not_exists(body)'
        : 'version = :version',
      ExpressionAttributeValues: { ':version': version },
    },
  });

  const getState = async (id: string): Promise<DeclarationRecord | undefined> => {
    if (!addressable(id)) return undefined;
    const result = await client.send(
      new GetCommand({ TableName: table, Key: { pk: partitionKey(id), sk: STATE }, ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  };

  const batchGet = async (ids: string[], sk: string): Promise<Map<string, Record<string, unknown>>> => {
    const found = new Map<string, Record<string, unknown>>();
    await mapConcurrent(chunk([...new Set(ids)].filter(addressable), 100), CONCURRENT_CALLS, (group) =>
      retryFailed(
        group.map((id) => ({ pk: partitionKey(id), sk })),
        async (keys) => {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[table] ?? []) found.set(String(item.id), item);
          return (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
        },
        'BatchGetItem',
      ),
    );
    return found;
  };

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
   * its own conditional PutItem (a transaction would bill every item twice and gain nothing: each
   * declaration stands alone), many in flight. Nothing is read first: a declaration stored already (a
   * resubmission, a concurrent lodgement of the same reference) fails its condition and is answered with
   * its stored state.
   */
  const createMany = async (
    entries: { record: DeclarationRecord; declaration: Declaration }[],
  ): Promise<CreateManyResult[]> => {
    const results = new Array<CreateManyResult>(entries.length);
    await mapConcurrent(
      entries.map((entry, position) => ({ ...entry, position })),
      CONCURRENT_PUTS,
      async ({ record, declaration, position }) => {
        try {
          results[position] = await createOrConflict(record, compress(declaration));
        } catch (failure) {
          results[position] = { created: false, failure };
        }
      },
    );
    return results;
  };

  /**
   * One page of declarations from a GSI, newest first (or oldest first). With a filter DynamoDB reads `Limit` items
   * before filtering, so the page is gathered over a few calls; it may come back shorter than `limit`
   * with a `lastKey` to continue from, never longer.
   */
  const listPage = async (
    query: ListQuery,
  ): Promise<{ items: DeclarationSummaryRow[]; lastKey?: ListPosition }> => {
    const keys = INDEX_KEYS[query.index];
    const partition = LIST_PARTITIONS[query.index](query.key);
    if (query.startKey) checkStartKey(query.startKey, query.index, partition);
    const names: Record<string, string> = { '#pk': keys.partitionKey, '#status': 'status' };
    const values: Record<string, unknown> = { ':pk': partition };
    let condition = '#pk = :pk';
    if (query.from !== undefined || query.to !== undefined) {
      names['#sk'] = keys.sortKey;
      values[':from'] = query.from ?? '0';
      values[':to'] = query.to ?? '\uffff';
      condition += ' AND #sk BETWEEN :from AND :to';
    }
    const filters: string[] = [];
    if (query.status) {
      values[':status'] = query.status;
      filters.push('#status = :status');
    }
    if (query.lane) {
      values[':lane'] = query.lane;
      filters.push('#lane = :lane');
    }
    if (query.platformId) {
      values[':platform'] = query.platformId;
      filters.push('#platform = :platform');
    }
    const items: DeclarationSummaryRow[] = [];
    let startKey: Record<string, unknown> | undefined = query.startKey;
    for (let calls = 0; calls < MAX_QUERIES_PER_PAGE && items.length < query.limit; calls += 1) {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: query.index,
          KeyConditionExpression: condition,
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
          ExpressionAttributeNames: {
            ...names,
            '#id': 'id',
            '#ref': 'reference',
            '#platform': 'platformId',
            '#created': 'createdAt',
            '#updated': 'updatedAt',
            '#lane': 'summaryLane',
            '#totals': 'summaryTotals',
            '#value': 'goodsValue',
            '#tpk': 'pk',
            '#tsk': 'sk',
            ...(names['#sk'] ? {} : { '#sk': keys.sortKey }),
          },
          ProjectionExpression:
            '#tpk, #tsk, #pk, #sk, #id, #ref, #platform, #status, #created, #updated, #lane, #totals, #value',
          ExpressionAttributeValues: values,
          ScanIndexForward: query.ascending === true,
          Limit: query.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) items.push(summaryRow(item));
      startKey = result.LastEvaluatedKey;
      if (!startKey) return { items };
    }
    return { items, lastKey: startKey as Record<string, string> };
  };

  const store = {
    create,
    createMany,
    listPage,

    getState,

    /** The states of many declarations (no bodies), in batched reads of a hundred ids. */
    async getStates(ids: string[]): Promise<Map<string, DeclarationRecord>> {
      const states = await batchGet(ids, STATE);
      return new Map([...states].map(([id, item]) => [id, toRecord(item)]));
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
      const state = result.Items?.find((item) => item.sk === STATE);
      const body = state?.body ? state : result.Items?.find((item) => item.sk === BODY);
      if (!state || !body) return undefined;
      return { ...toRecord(state), declaration: decodeBody(body) };
    },

    /**
     * States and bodies of many declarations, in batched reads of a hundred ids: the states (which hold
     * the bodies until the first state change), then the bodies kept in items of their own.
     */
    async getMany(ids: string[]): Promise<Map<string, StoredDeclaration>> {
      const states = await batchGet(ids, STATE);
      const separate = [...states].flatMap(([id, state]) => (state.body ? [] : [id]));
      const bodies = separate.length > 0 ? await batchGet(separate, BODY) : new Map();
      const result = new Map<string, StoredDeclaration>();
      for (const [id, state] of states) {
        const body = state.body ? state : bodies.get(id);
        if (body) result.set(id, { ...toRecord(state), declaration: decodeBody(body) });
      }
      return result;
    },

    /**
     * The writes of a new state, for a caller that composes its own transaction (several declarations at
     * once): the state, conditional on `record.version`. A caller that has the lodged body passes it: the
     * state item keeps it while both fit well within the item size limit (one item to read and write),
     * else the body moves to an item of its own in the same transaction. Without it, the write requires
     * the body to have left the state item already, so a rewrite never drops it.
     */
    stateWrites(
      record: DeclarationRecord,
      declaration?: Declaration,
    ): { next: DeclarationRecord; writes: TransactionWrite[] } {
      const next = { ...record, version: record.version + 1 };
      if (!declaration) return { next, writes: [statePut(next, record.version)] };
      const body = compress(declaration);
      if (fitsInline(next, body)) return { next, writes: [statePut(next, record.version, false, body)] };
      return {
        next,
        writes: [
          statePut(next, record.version, false),
          { Put: { TableName: table, Item: bodyItem(record, body) } },
        ],
      };
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
     * Replaces the lodged body (the consignee pseudonymised once the record-keeping period is over) with
     * the state, if nobody else wrote since `record.version` was read. The old body leaves every item: a
     * body kept in an item of its own is overwritten, or deleted when the new one fits the state item.
     */
    async replaceBody(record: DeclarationRecord, declaration: Declaration): Promise<DeclarationRecord> {
      const next = { ...record, version: record.version + 1 };
      const body = compress(declaration);
      const inline = fitsInline(next, body);
      const writes: TransactionWrite[] = inline
        ? [
            statePut(next, record.version, false, body),
            { Delete: { TableName: table, Key: { pk: partitionKey(record.id), sk: BODY } } },
          ]
        : [
            statePut(next, record.version, false),
            { Put: { TableName: table, Item: bodyItem(record, body) } },
          ];
      try {
        await transactWrites(writes, client);
      } catch (error) {
        if (stateConditionFailed(error)) throw new VersionConflictError(record.id);
        throw error;
      }
      return next;
    },

    /**
     * Writes a new state if nobody else wrote since `record.version` was read. Writes the state causes
     * elsewhere (ledger entries, counters) go in the same transaction, so they happen exactly once. A
     * state item that still holds the lodged body has it moved to its own item in the same transaction.
     */
    async save(record: DeclarationRecord, effects: readonly StateEffect[] = []): Promise<DeclarationRecord> {
      const next = { ...record, version: record.version + 1 };
      const alongside = effects.length > 0 ? await effectWrites(effects) : [];
      const write = async (body?: Uint8Array) => {
        const state = statePut(next, record.version, body === undefined).Put;
        const writes: TransactionWrite[] = [
          ...(body ? [{ Put: { TableName: table, Item: bodyItem(record, body) } }] : []),
          ...alongside,
        ];
        if (writes.length === 0) await client.send(new PutCommand(state));
        else await transactWrites([{ Put: state }, ...writes], client);
      };
      try {
        try {
          await write();
        } catch (error) {
          if (!stateConditionFailed(error)) throw error;
          // The condition also fails while the body is still in the state item: move it, then write.
          const current = await client.send(
            new GetCommand({
              TableName: table,
              Key: { pk: partitionKey(record.id), sk: STATE },
              ConsistentRead: true,
            }),
          );
          const body = current.Item?.body as Uint8Array | undefined;
          if (!body || Number(current.Item?.version) !== record.version) throw error;
          await write(body);
        }
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
