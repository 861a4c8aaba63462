// Per risk profile statistics in the risk table, one item per profile:
// `{pk: 'PROFILESTATS#<profileId>', sk: 'STATS'}` with numeric `hits` (declarations the profile hit,
// counted by the risk step when it stores a result), `checks` and `confirmed` (counted when officers
// close a check). Counters only ever move with the state change that causes them, in one transaction.
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProfileStatDeltas } from '../domain/clearance/decisions.js';
import type { ProfileCounters } from '../domain/risk/profile-stats.js';
import { logger } from '../observability.js';
import type { ProfileStatsReader } from '../use-cases/ports/profile-stats.js';
import { dynamoDb } from './aws-clients.js';
import { chunk, retryFailed } from './retry.js';
import type { TransactionWrite } from './transaction.js';

export const profileStatsKey = (profileId: string) => ({ pk: `PROFILESTATS#${profileId}`, sk: 'STATS' });

/**
 * A transaction holds at most 100 writes; four are a declaration's own (its state, its body moved out of
 * the state item, its consignee's window entry and item).
 */
const MAX_COUNTED_PROFILES = 96;

/**
 * The writes that count hits for each profile, to go in the transaction that stores the risk results:
 * one hit per id listed, or the counts given (pre-summed over a batch), one update per profile.
 */
export const profileHitWrites =
  (table: string) =>
  (hits: readonly string[] | ReadonlyMap<string, number>): TransactionWrite[] => {
    const counts = new Map<string, number>();
    if (Array.isArray(hits)) for (const profileId of hits) counts.set(profileId, 1);
    else for (const [profileId, count] of hits as ReadonlyMap<string, number>) counts.set(profileId, count);
    const distinct = [...counts.keys()].sort();
    if (distinct.length > MAX_COUNTED_PROFILES) {
      logger.warn('More profiles hit than one transaction can count; the rest are not counted', {
        hitProfiles: distinct.length,
      });
    }
    return distinct.slice(0, MAX_COUNTED_PROFILES).map((profileId) => ({
      Update: {
        TableName: table,
        Key: profileStatsKey(profileId),
        UpdateExpression: 'ADD hits :count SET profileId = :profileId',
        ExpressionAttributeValues: { ':count': counts.get(profileId) ?? 1, ':profileId': profileId },
      },
    }));
  };

/**
 * The writes that move each profile's check counters by a decision's deltas (see profileStatDeltas), to go
 * in the transaction that stores the decision.
 */
export const profileStatsWrites =
  (table: string) =>
  (deltas: ProfileStatDeltas, at: string): TransactionWrite[] =>
    Object.entries(deltas).map(([profileId, delta]) => ({
      Update: {
        TableName: table,
        Key: profileStatsKey(profileId),
        UpdateExpression:
          'ADD checks :checks, confirmed :confirmed SET profileId = :profileId, updatedAt = :at',
        ExpressionAttributeValues: {
          ':checks': delta.checks,
          ':confirmed': delta.confirmed,
          ':profileId': profileId,
          ':at': at,
        },
      },
    }));

export const profileStatsReader = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
): ProfileStatsReader => ({
  /** Counters per profile id; a profile never hit nor checked counts zero. */
  async getMany(profileIds: readonly string[]): Promise<Map<string, ProfileCounters>> {
    const result = new Map<string, ProfileCounters>(
      profileIds.map((id) => [id, { hits: 0, checks: 0, confirmed: 0 }]),
    );
    for (const group of chunk([...new Set(profileIds)], 100)) {
      await retryFailed(
        group.map(profileStatsKey),
        async (keys) => {
          const response = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
          );
          for (const item of response.Responses?.[table] ?? []) {
            const id = String(item.pk).slice('PROFILESTATS#'.length);
            result.set(id, {
              hits: Number(item.hits ?? 0),
              checks: Number(item.checks ?? 0),
              confirmed: Number(item.confirmed ?? 0),
            });
          }
          return (response.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
        },
        'BatchGetItem',
      );
    }
    return result;
  },
});
