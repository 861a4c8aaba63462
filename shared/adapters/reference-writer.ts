// Writes the administration's reference data in exactly the shape reference-store.ts reads: one item per
// key at `referenceKey(kind, key)` holding `{key, versions}` with the versions sorted by validFrom. Every
// write is conditional on the `revision` read, so two admins changing the same key at once cannot lose
// either change (the loser re-reads and re-applies), and goes in one transaction with its audit entry
// (pk `AUDIT#<yyyy-mm>`, sk `<at>#<uuid>`), so no change is ever unaudited.
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { RevisionConflictError } from '../domain/errors.js';
import type { AuditEntry } from '../domain/reference/admin.js';
import type {
  AuditInput,
  AuditPageQuery,
  ReferenceKind,
  ReferenceWriter,
  StoredRecord,
} from '../use-cases/ports/reference.js';
import { dynamoDb } from './aws-clients.js';
import { queryAll } from './query-all.js';
import { referenceKey } from './reference-store.js';
import { chunk, retryFailed } from './retry.js';

const auditKey = (at: string, id: string) => ({ pk: `AUDIT#${at.slice(0, 7)}`, sk: `${at}#${id}` });

/**
 * The audit partitions (`YYYY-MM`) from `to`'s month back to `from`'s, newest first. Counted as month
 * numbers, not compared as strings, so a date outside four-digit years cannot make it run on.
 */
export const auditMonths = (from: string, to: string): string[] => {
  const monthNumber = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  const first = monthNumber(from);
  const last = monthNumber(to);
  if (!Number.isInteger(first) || !Number.isInteger(last)) return [];
  const result: string[] = [];
  for (let current = last; current >= first && current >= 0; current -= 1)
    result.push(
      `${String(Math.floor(current / 12)).padStart(4, '0')}-${String((current % 12) + 1).padStart(2, '0')}`,
    );
  return result;
};

const toRecord = <V>(kind: ReferenceKind, key: string, item: Record<string, unknown> | undefined) => ({
  kind,
  key,
  versions: (item?.versions as V[] | undefined) ?? [],
  revision: Number(item?.revision ?? 0),
  stored: item !== undefined,
});

const toAuditEntry = (item: Record<string, unknown>): AuditEntry => ({
  id: String(item.id),
  at: String(item.at),
  actor: item.actor as AuditEntry['actor'],
  action: item.action as AuditEntry['action'],
  kind: String(item.kind),
  key: String(item.key),
  before: (item.before as AuditEntry['before']) ?? [],
  after: (item.after as AuditEntry['after']) ?? [],
});

export const referenceWriter = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => {
  /** The current versions of a key, read consistently (an admin sees their own write). */
  const read = async <V>(kind: ReferenceKind, key: string): Promise<StoredRecord<V>> => {
    const response = await client.send(
      new GetCommand({ TableName: table, Key: referenceKey(kind, key), ConsistentRead: true }),
    );
    return toRecord<V>(kind, key, response.Item);
  };

  /** The current versions of many keys of one kind; keys without a record come back unstored. */
  const readMany = async <V>(kind: ReferenceKind, keys: string[]): Promise<StoredRecord<V>[]> => {
    const found = new Map<string, Record<string, unknown>>();
    for (const group of chunk([...new Set(keys)], 100)) {
      await retryFailed(
        group.map((key) => referenceKey(kind, key)),
        async (pending) => {
          const response = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of response.Responses?.[table] ?? []) found.set(String(item.key), item);
          return (response.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
        },
        'BatchGetItem',
      );
    }
    return keys.map((key) => toRecord<V>(kind, key, found.get(key)));
  };

  /** Every record of a kind listed under one partition (profiles, reference prices). */
  const listAll = async <V>(kind: ReferenceKind): Promise<StoredRecord<V>[]> => {
    const items = await queryAll(client, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `INDEX#${kind}` },
      ConsistentRead: true,
    });
    return items.map((item) => toRecord<V>(kind, String(item.key), item));
  };

  /**
   * Replaces a record's versions (deleting the item when none remain) if nobody wrote it since it was
   * read, and appends the audit entry in the same transaction. Throws RevisionConflictError otherwise.
   */
  const write = async <V>(
    record: StoredRecord<V>,
    versions: V[],
    audit: AuditInput,
  ): Promise<StoredRecord<V>> => {
    const key = referenceKey(record.kind, record.key);
    const condition = !record.stored
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : record.revision === 0
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revision)' }
        : {
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': record.revision },
          };
    const revision = record.revision + 1;
    const id = randomUUID();
    const entry: AuditEntry = { id, kind: record.kind, key: record.key, ...audit };
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            versions.length > 0
              ? {
                  Put: {
                    TableName: table,
                    Item: {
                      ...key,
                      key: record.key,
                      versions,
                      revision,
                      updatedAt: audit.at,
                      updatedBy: audit.actor.subject,
                    },
                    ...condition,
                  },
                }
              : { Delete: { TableName: table, Key: key, ...condition } },
            {
              Put: {
                TableName: table,
                Item: { ...auditKey(audit.at, id), ...entry },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        throw new RevisionConflictError(record.kind, record.key);
      }
      throw error;
    }
    return { ...record, versions, revision: versions.length > 0 ? revision : 0, stored: versions.length > 0 };
  };

  /** Audit entries between two dates (inclusive), newest first, one page at a time. */
  const auditPage = async (query: AuditPageQuery): Promise<{ items: AuditEntry[]; last?: string }> => {
    const items: AuditEntry[] = [];
    const lower = `${query.from}T`;
    const upper = query.after ?? `${query.to}T\uffff`;
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (query.kind !== undefined) {
      filters.push('#kind = :kind');
      names['#kind'] = 'kind';
      values[':kind'] = query.kind;
    }
    if (query.key !== undefined) {
      filters.push('#key = :key');
      names['#key'] = 'key';
      values[':key'] = query.key;
    }
    for (const month of auditMonths(query.from, upper.slice(0, 10))) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const response = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
            ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
            ...(filters.length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: {
              ':pk': `AUDIT#${month}`,
              ':lower': lower,
              ':upper': upper,
              ...values,
            },
            ScanIndexForward: false,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of response.Items ?? []) {
          if (item.sk === query.after) continue;
          items.push(toAuditEntry(item));
          if (items.length === query.limit) return { items, last: String(item.sk) };
        }
        startKey = response.LastEvaluatedKey;
      } while (startKey);
    }
    return { items };
  };

  return { read, readMany, listAll, write, auditPage } satisfies ReferenceWriter;
};
