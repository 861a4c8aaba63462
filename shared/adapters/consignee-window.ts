// Recent consignments per consignee, for the splitting profile. One small item per consignee,
// `{pk: 'WINDOW#<consignee>', sk: 'RECENT'}`, holds the consignee's recent consignments as one attribute
// per declaration (`c_<declarationId>: {at, value}`), so the windows of a whole batch are one BatchGetItem
// and a consignment is recorded by an idempotent SET keyed by its declaration id (in one transaction with
// the profile hit counters where the result hit a profile). Entries older than the window (plus a day)
// are removed as new ones are added. The window item is the only record: the declaration's risk result
// says what the profile found.
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HOUR_MS, WINDOW_HOURS, type WindowEntry } from '../domain/risk/consignee-window.js';
import type { RiskRecords } from '../use-cases/ports/risk.js';
import { dynamoDb } from './aws-clients.js';
import { profileHitWrites } from './profile-stats.js';
import { chunk, mapConcurrent, retryFailed } from './retry.js';
import { type TransactionWrite, transactWrites, writeEach } from './transaction.js';

/** Entries are kept a day beyond the window, for declarations evaluated a little after their lodgement. */
const KEEP_MS = (WINDOW_HOURS + 24) * HOUR_MS;
const ENTRY_PREFIX = 'c_';
const CONCURRENT_CALLS = 8;

const windowKey = (consigneeKey: string) => ({ pk: `WINDOW#${consigneeKey}`, sk: 'RECENT' });

export const consigneeWindow = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => ({
  /** The recorded consignments of each consignee, in batched reads of a hundred consignees. */
  async read(consigneeKeys: readonly string[]): Promise<Map<string, WindowEntry[]>> {
    const found = new Map<string, WindowEntry[]>();
    const keys = [...new Set(consigneeKeys)];
    await mapConcurrent(chunk(keys, 100), CONCURRENT_CALLS, (group) =>
      retryFailed(
        group.map(windowKey),
        async (pending) => {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[table] ?? []) {
            const entries: WindowEntry[] = [];
            for (const [name, entry] of Object.entries(item)) {
              if (!name.startsWith(ENTRY_PREFIX)) continue;
              const { at, value } = entry as { at: string; value: string };
              entries.push({ declarationId: name.slice(ENTRY_PREFIX.length), at, value });
            }
            found.set(String(item.pk).slice('WINDOW#'.length), entries);
          }
          return (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
        },
        'BatchGetItem',
      ),
    );
    for (const key of keys) if (!found.has(key)) found.set(key, []);
    return found;
  },

  /**
   * The write that records consignments of one consignee (one update of its window item, which a
   * transaction may touch only once), for the transaction that stores the risk results. Idempotent: a
   * redelivery sets the same entries again. `known` are the entries read before; those past the window
   * are removed. With `onlyNew` the write is refused when any of the entries exists already: a
   * transaction that counts something with them (profile hits) then counts nothing twice.
   */
  recordWrites(
    consigneeKey: string,
    added: readonly WindowEntry[],
    known: readonly WindowEntry[] = [],
    onlyNew = false,
  ): TransactionWrite[] {
    if (added.length === 0) return [];
    const latest = Math.max(...added.map((entry) => new Date(entry.at).getTime()));
    const addedIds = new Set(added.map((entry) => entry.declarationId));
    const expired = known.filter(
      (entry) => !addedIds.has(entry.declarationId) && new Date(entry.at).getTime() < latest - KEEP_MS,
    );
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expires': Math.floor((latest + KEEP_MS) / 1000) };
    const sets = added.map((entry, index) => {
      names[`#a${index}`] = `${ENTRY_PREFIX}${entry.declarationId}`;
      values[`:a${index}`] = { at: entry.at, value: entry.value };
      return `#a${index} = :a${index}`;
    });
    const removes = expired.map((entry, index) => {
      names[`#r${index}`] = `${ENTRY_PREFIX}${entry.declarationId}`;
      return `#r${index}`;
    });
    return [
      {
        Update: {
          TableName: table,
          Key: windowKey(consigneeKey),
          UpdateExpression: `SET ${sets.join(', ')}, expiresAt = :expires${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ...(onlyNew
            ? {
                ConditionExpression: added
                  .map((_, index) => `attribute_not_exists(#a${index})`)
                  .join(' AND '),
              }
            : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
  },
});

/**
 * The risk step's records in the risk table: window entries that count nothing else are written
 * each on its own (idempotent SETs); those that count profile hits go in one transaction with the hit
 * counters, on condition that the entries are new.
 */
export const riskRecords = (table: string, client: DynamoDBDocumentClient = dynamoDb()): RiskRecords => {
  const window = consigneeWindow(table, client);
  const hitWrites = profileHitWrites(table);
  return {
    readWindows: (consignees) => window.read(consignees),
    async recordWindows(updates) {
      await writeEach(
        updates.flatMap((update) => window.recordWrites(update.consignee, update.added, update.known)),
        client,
      );
    },
    async recordCounted(updates, hits) {
      await transactWrites(
        [
          ...updates.flatMap((update) =>
            window.recordWrites(update.consignee, update.added, update.known, true),
          ),
          ...(hits.size > 0 ? hitWrites(hits) : []),
        ],
        client,
      );
    },
  };
};
