// Declarations in DynamoDB. Each declaration is two items under one partition: the lodged body (written
// once, gzip-compressed so large consignments stay far below the item size limit) and the small state
// item that every step rewrites under a version condition.
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeclarationRecord, StoredDeclaration } from '../domain/clearance.js';
import type { Declaration } from '../domain/declaration.js';
import { ConflictError } from '../domain/errors.js';
import { dynamoDb } from './aws-clients.js';
import { chunk, retryFailed } from './retry.js';

const partitionKey = (id: string) => `DECL#${id}`;
const STATE = 'STATE';
const BODY = 'BODY';

export class VersionConflictError extends ConflictError {
  constructor(id: string) {
    super(`Declaration ${id} was changed by another request; retry`);
  }
}

export type CreateResult = { created: true } | { created: false; existing: DeclarationRecord };

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

const decodeBody = (item: Record<string, unknown>): Declaration =>
  JSON.parse(gunzipSync(item.body as Uint8Array).toString('utf8')) as Declaration;

export const declarationStore = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => {
  const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

  const getState = async (id: string): Promise<DeclarationRecord | undefined> => {
    const result = await client.send(
      new GetCommand({ TableName: table, Key: { pk: partitionKey(id), sk: STATE }, ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  };

  const batchGet = async (ids: string[], sk: string): Promise<Map<string, Record<string, unknown>>> => {
    const found = new Map<string, Record<string, unknown>>();
    for (const group of chunk([...new Set(ids)], 100)) {
      await retryFailed(
        group.map((id) => ({ pk: partitionKey(id), sk })),
        async (keys) => {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[table] ?? []) found.set(String(item.id), item);
          return (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
        },
        'BatchGetItem',
      );
    }
    return found;
  };

  return {
    /**
     * Stores a new declaration exactly once. The body goes first, guarded by its hash, so a different body
     * under the same id is refused; the state item goes second, so a crash in between is repaired by the
     * platform's retry and nobody ever sees a state without its body.
     */
    async create(record: DeclarationRecord, declaration: Declaration): Promise<CreateResult> {
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: {
              pk: partitionKey(record.id),
              sk: BODY,
              id: record.id,
              bodyHash: record.bodyHash,
              body: gzipSync(JSON.stringify(declaration)),
            },
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
    },

    getState,

    async get(id: string): Promise<StoredDeclaration | undefined> {
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

    /** Writes a new state if nobody else wrote since `record.version` was read. */
    async save(record: DeclarationRecord): Promise<DeclarationRecord> {
      const next = { ...record, version: record.version + 1 };
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: stateItem(next),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': record.version },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) throw new VersionConflictError(record.id);
        throw error;
      }
      return next;
    },
  };
};

export type DeclarationStore = ReturnType<typeof declarationStore>;
