// Declarations in DynamoDB. Each declaration is two items under one partition: the lodged body (written
// once, gzip-compressed so large consignments stay far below the item size limit) and the small state
// item that every step rewrites under a version condition.
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DeclarationRecord, Status, StoredDeclaration } from '../domain/clearance.js';
import type { Declaration } from '../domain/declaration.js';
import { ConflictError } from '../domain/errors.js';
import { dynamoDb } from './aws-clients.js';
import { chunk, mapConcurrent, retryFailed } from './retry.js';

/** Batched DynamoDB calls in flight at once for one request. */
const CONCURRENT_CALLS = 8;
/** Declarations per TransactWriteItems call (two items each; the API takes up to 100 items, 4 MB). */
const DECLARATIONS_PER_TRANSACTION = 25;
const TRANSACTION_BYTES = 3 * 1024 * 1024;

const partitionKey = (id: string) => `DECL#${id}`;

/**
 * Ids come from request paths, so any string arrives here. The ones this store issues are 30 characters;
 * a longer one names no declaration, and DynamoDB would refuse it as a key (over 2048 bytes) with an error
 * instead of an answer. Such an id is simply not found.
 */
const MAX_ID_BYTES = 512;
const addressable = (id: string): boolean => id !== '' && Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES;
const STATE = 'STATE';
const BODY = 'BODY';

export class VersionConflictError extends ConflictError {
  constructor(id: string) {
    super(`Declaration ${id} was changed by another request; retry`);
  }
}

/** One write of a DynamoDB transaction, in the document client's form. */
export type TransactionWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write that went with a state change lost a race (a counter moved); the whole step is retried. */
export class ConcurrentUpdateError extends Error {
  constructor(reasons: string) {
    super(`A concurrent update cancelled the transaction (${reasons}); retry`);
  }
}

export type CreateResult = { created: true } | { created: false; existing: DeclarationRecord };

/** The outcome of one declaration of `createMany`: a conflict is reported instead of thrown. */
export type CreateManyResult = CreateResult | { created: false; conflict: ConflictError };

export type ListIndex = 'byPlatform' | 'byDay';

/** One page of a list query on a GSI, newest first. */
export interface ListQuery {
  index: ListIndex;
  /** The GSI partition: `PLATFORM#<id>` or `DAY#<yyyy-mm-dd>`. */
  partition: string;
  /** Inclusive bounds on the GSI sort key (`<createdAt>#<id>`). */
  from?: string;
  to?: string;
  status?: Status;
  limit: number;
  startKey?: Record<string, string>;
}

/** The attributes a list shows of each declaration, read from the index (not the body). */
export interface DeclarationSummaryRow {
  id: string;
  reference: string;
  platformId: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
  risk?: { lane: string };
  assessment?: { totals: Record<string, string> };
}

export const INDEX_KEYS: Record<ListIndex, { partitionKey: string; sortKey: string }> = {
  byPlatform: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byDay: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
};

/** Most Query calls one list page may take when a status filter discards what it reads. */
const MAX_QUERIES_PER_PAGE = 10;

const stateItem = (record: DeclarationRecord) => ({
  pk: partitionKey(record.id),
  sk: STATE,
  gsi1pk: `PLATFORM#${record.platformId}`,
  gsi1sk: `${record.createdAt}#${record.id}`,
  gsi2pk: `DAY#${record.createdAt.slice(0, 10)}`,
  gsi2sk: `${record.createdAt}#${record.id}`,
  ...record,
});

const toRecord = (item: Record<string, unknown>): DeclarationRecord => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, ...record } = item;
  return record as unknown as DeclarationRecord;
};

const bodyItem = (record: DeclarationRecord, declaration: Declaration) => ({
  pk: partitionKey(record.id),
  sk: BODY,
  id: record.id,
  bodyHash: record.bodyHash,
  body: gzipSync(JSON.stringify(declaration)),
});

const decodeBody = (item: Record<string, unknown>): Declaration =>
  JSON.parse(gunzipSync(item.body as Uint8Array).toString('utf8')) as Declaration;

export const declarationStore = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => {
  const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

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
   * Stores a new declaration exactly once. The body goes first, guarded by its hash, so a different body
   * under the same id is refused; the state item goes second, so a crash in between is repaired by the
   * platform's retry and nobody ever sees a state without its body.
   */
  const create = async (record: DeclarationRecord, declaration: Declaration): Promise<CreateResult> => {
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: bodyItem(record, declaration),
          ConditionExpression: 'attribute_not_exists(pk) OR bodyHash = :hash',
          ExpressionAttributeValues: { ':hash': record.bodyHash },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await getState(record.id);
      if (existing) return { created: false, existing };
      throw new ConflictError('A different declaration with this reference is being lodged', {
        reference: record.reference,
      });
    }
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: stateItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await getState(record.id);
      if (!existing) throw error;
      return { created: false, existing };
    }
  };

  const createOrConflict = async (
    record: DeclarationRecord,
    declaration: Declaration,
  ): Promise<CreateManyResult> => {
    try {
      return await create(record, declaration);
    } catch (error) {
      if (error instanceof ConflictError) return { created: false, conflict: error };
      throw error;
    }
  };

  /**
   * Stores many new declarations (distinct ids) with the same guarantees as `create`: each transaction
   * writes the bodies and states of up to 25 declarations under the same conditions `create` uses, so a
   * different body can never overwrite another and no state exists without its body. When a condition
   * fails (a resubmission, a concurrent lodgement of the same reference) the transaction writes nothing
   * and its declarations are settled one by one through `create`.
   */
  const createMany = async (
    entries: { record: DeclarationRecord; declaration: Declaration }[],
  ): Promise<CreateManyResult[]> => {
    const groups: {
      record: DeclarationRecord;
      item: ReturnType<typeof bodyItem>;
      declaration: Declaration;
    }[][] = [];
    let bytes = 0;
    for (const entry of entries) {
      const item = bodyItem(entry.record, entry.declaration);
      const size = item.body.length + 2048;
      const current = groups[groups.length - 1];
      if (!current || current.length >= DECLARATIONS_PER_TRANSACTION || bytes + size > TRANSACTION_BYTES) {
        groups.push([{ ...entry, item }]);
        bytes = size;
      } else {
        current.push({ ...entry, item });
        bytes += size;
      }
    }
    const settled = await mapConcurrent(
      groups,
      CONCURRENT_CALLS,
      async (group): Promise<CreateManyResult[]> => {
        try {
          await client.send(
            new TransactWriteCommand({
              TransactItems: group.flatMap(({ record, item }) => [
                {
                  Put: {
                    TableName: table,
                    Item: item,
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
              ]),
            }),
          );
          return group.map(() => ({ created: true }));
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          return mapConcurrent(group, CONCURRENT_CALLS, ({ record, declaration }) =>
            createOrConflict(record, declaration),
          );
        }
      },
    );
    return settled.flat();
  };

  /**
   * One page of declarations from a GSI, newest first. With a status filter DynamoDB reads `Limit` items
   * before filtering, so the page is gathered over a few calls; it may come back shorter than `limit`
   * with a `lastKey` to continue from, never longer.
   */
  const listPage = async (
    query: ListQuery,
  ): Promise<{ items: DeclarationSummaryRow[]; lastKey?: Record<string, string> }> => {
    const keys = INDEX_KEYS[query.index];
    const names: Record<string, string> = { '#pk': keys.partitionKey, '#status': 'status' };
    const values: Record<string, unknown> = { ':pk': query.partition };
    let condition = '#pk = :pk';
    if (query.from !== undefined || query.to !== undefined) {
      names['#sk'] = keys.sortKey;
      values[':from'] = query.from ?? '0';
      values[':to'] = query.to ?? '\uffff';
      condition += ' AND #sk BETWEEN :from AND :to';
    }
    if (query.status) values[':status'] = query.status;
    const items: DeclarationSummaryRow[] = [];
    let startKey: Record<string, unknown> | undefined = query.startKey;
    for (let calls = 0; calls < MAX_QUERIES_PER_PAGE && items.length < query.limit; calls += 1) {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: query.index,
          KeyConditionExpression: condition,
          ...(query.status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeNames: {
            ...names,
            '#id': 'id',
            '#ref': 'reference',
            '#platform': 'platformId',
            '#created': 'createdAt',
            '#updated': 'updatedAt',
            '#risk': 'risk',
            '#lane': 'lane',
            '#assessment': 'assessment',
            '#totals': 'totals',
            '#tpk': 'pk',
            '#tsk': 'sk',
            ...(names['#sk'] ? {} : { '#sk': keys.sortKey }),
          },
          ProjectionExpression:
            '#tpk, #tsk, #pk, #sk, #id, #ref, #platform, #status, #created, #updated, #risk.#lane, #assessment.#totals',
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: query.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) items.push(toRecord(item) as unknown as DeclarationSummaryRow);
      startKey = result.LastEvaluatedKey;
      if (!startKey) return { items };
    }
    return { items, lastKey: startKey as Record<string, string> };
  };

  return {
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
      const body = result.Items?.find((item) => item.sk === BODY);
      if (!state || !body) return undefined;
      return { ...toRecord(state), declaration: decodeBody(body) };
    },

    /** States and bodies of many declarations, two batched reads for up to a hundred ids each. */
    async getMany(ids: string[]): Promise<Map<string, StoredDeclaration>> {
      const [states, bodies] = await Promise.all([batchGet(ids, STATE), batchGet(ids, BODY)]);
      const result = new Map<string, StoredDeclaration>();
      for (const [id, state] of states) {
        const body = bodies.get(id);
        if (body) result.set(id, { ...toRecord(state), declaration: decodeBody(body) });
      }
      return result;
    },

    /**
     * The conditional write `save` makes of a new state, for a caller that composes its own transaction
     * (several declarations at once): the state written and the write, conditional on `record.version`.
     */
    stateWrite(record: DeclarationRecord): { next: DeclarationRecord; write: TransactionWrite } {
      const next = { ...record, version: record.version + 1 };
      return {
        next,
        write: {
          Put: {
            TableName: table,
            Item: stateItem(next),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': record.version },
          },
        },
      };
    },

    /**
     * Writes a new state if nobody else wrote since `record.version` was read. Writes the state causes
     * elsewhere (ledger entries, counters) go in the same transaction, so they happen exactly once.
     */
    async save(record: DeclarationRecord, alongside: TransactionWrite[] = []): Promise<DeclarationRecord> {
      const next = { ...record, version: record.version + 1 };
      const put = {
        TableName: table,
        Item: stateItem(next),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': record.version },
      };
      try {
        if (alongside.length === 0) await client.send(new PutCommand(put));
        else await client.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...alongside] }));
      } catch (error) {
        if (isConditionFailure(error)) throw new VersionConflictError(record.id);
        if (error instanceof TransactionCanceledException) {
          const reasons = error.CancellationReasons ?? [];
          if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new VersionConflictError(record.id);
          throw new ConcurrentUpdateError(reasons.map((reason) => reason.Code ?? 'None').join(','));
        }
        throw error;
      }
      return next;
    },
  };
};

export type DeclarationStore = ReturnType<typeof declarationStore>;
