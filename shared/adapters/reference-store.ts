// Reference data the administration maintains (tariff rates, exchange rates, tax registrations, trusted
// traders, reference prices, risk profiles). It changes rarely and is read for every declaration, so a
// function instance keeps what it read for a short time.
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ReferenceKind, ReferenceStore, Versioned } from '../use-cases/ports/reference.js';
import { dynamoDb } from './aws-clients.js';
import { queryAll } from './query-all.js';
import { chunk, retryFailed } from './retry.js';

export const CACHE_TTL_MS = 30_000;

/**
 * Kinds read whole (every profile is evaluated, every surcharge by origin; tax rates are published) live
 * under one partition, where a batch read by key finds them too; the others are read by key.
 */
const LISTED_KINDS: ReadonlySet<ReferenceKind> = new Set(['PROFILE', 'REFPRICE', 'TAXRATE', 'SURCHARGE']);

export const referenceKey = (kind: ReferenceKind, key: string) =>
  LISTED_KINDS.has(kind) ? { pk: `INDEX#${kind}`, sk: key } : { pk: `${kind}#${key}`, sk: 'VERSIONS' };

interface CacheEntry<T> {
  value: T;
  at: number;
}

export const referenceStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
  now: () => number = Date.now,
) => {
  const cache = new Map<string, CacheEntry<unknown>>();
  const fresh = <T>(cacheKey: string): T | undefined => {
    const entry = cache.get(cacheKey);
    return entry && now() - entry.at < CACHE_TTL_MS ? (entry.value as T) : undefined;
  };

  /** The versioned records of many keys of one kind; keys without a record are absent from the map. */
  const getMany = async <T>(kind: ReferenceKind, keys: string[]): Promise<Map<string, Versioned<T>>> => {
    const result = new Map<string, Versioned<T>>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const cached = fresh<Versioned<T> | null>(`${kind}#${key}`);
      if (cached === undefined) missing.push(key);
      else if (cached) result.set(key, cached);
    }
    for (const group of chunk(missing, 100)) {
      const found = new Set<string>();
      await retryFailed(
        group.map((key) => referenceKey(kind, key)),
        async (pending) => {
          const response = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }),
          );
          for (const item of response.Responses?.[table] ?? []) {
            const record = { key: String(item.key), versions: item.versions as Versioned<T>['versions'] };
            result.set(record.key, record);
            found.add(record.key);
            cache.set(`${kind}#${record.key}`, { value: record, at: now() });
          }
          return (response.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
        },
        'BatchGetItem',
      );
      for (const key of group) if (!found.has(key)) cache.set(`${kind}#${key}`, { value: null, at: now() });
    }
    return result;
  };

  const get = async <T>(kind: ReferenceKind, key: string): Promise<Versioned<T> | undefined> => {
    const response = await client.send(new GetCommand({ TableName: table, Key: referenceKey(kind, key) }));
    return response.Item ? { key, versions: response.Item.versions as Versioned<T>['versions'] } : undefined;
  };

  /** Every record of a kind (profiles, reference prices): small collections listed under one partition. */
  const listAll = async <T>(kind: ReferenceKind): Promise<Versioned<T>[]> => {
    const cached = fresh<Versioned<T>[]>(`ALL#${kind}`);
    if (cached) return cached;
    const items = await queryAll(client, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `INDEX#${kind}` },
    });
    const records = items.map((item) => ({
      key: String(item.key),
      versions: item.versions as Versioned<T>['versions'],
    }));
    cache.set(`ALL#${kind}`, { value: records, at: now() });
    return records;
  };

  return { getMany, get, listAll } satisfies ReferenceStore;
};
