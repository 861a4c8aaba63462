// Counts declarations refused at intake for the data-quality report. Nothing of a refused declaration is
// stored, so each refusal is an atomic ADD on its filer's day cell in the declarations table
// (`DQ#<day>#<shard>` / `F#<filer>`). A retried request must not count twice: each refusal also writes
// a marker named by a digest of the filer and the refused body (`DQREF#<filer>` / `<digest>`, kept a
// day), in the same transaction, on condition that it is new; a refusal whose marker exists is dropped.
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FieldError } from '../domain/declaration/declaration.js';
import { shardOf } from '../domain/ledger/ledger.js';
import { qualityPartition, qualitySortKey, refusalCounts } from '../domain/quality/data-quality.js';
import { logger } from '../observability.js';
import { dynamoDb } from './aws-clients.js';
import { TransactionRejectedError, transactWrites } from './transaction.js';

export interface Refusal {
  /** The refused declaration or postal item as it was sent. */
  raw: unknown;
  errors: FieldError[];
}

export type CountRefusals = (filer: string, refusals: readonly Refusal[]) => Promise<void>;

/** A retry within this time counts once. */
export const REFUSAL_MARKER_SECONDS = 86_400;
/** Markers per transaction, leaving one write for the counter (DynamoDB takes 100). */
const MARKERS_PER_TRANSACTION = 99;

const digestOf = (filer: string, raw: unknown): string =>
  createHash('sha256')
    .update(filer)
    .update('\n')
    .update(JSON.stringify(raw) ?? '')
    .digest('base64url');

export const refusalCounter = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => {
  const commit = async (
    filer: string,
    day: string,
    group: { digest: string; refusal: Refusal }[],
    now: Date,
  ) => {
    let pending = group;
    // A second round drops the refusals whose markers existed (the retried ones) and counts the rest.
    for (let round = 0; round < 2 && pending.length > 0; round += 1) {
      const sums: Record<string, number> = {};
      for (const { refusal } of pending)
        for (const [name, value] of Object.entries(refusalCounts(refusal.errors)))
          sums[name] = (sums[name] ?? 0) + value.toNumber();
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const clauses = Object.entries(sums).map(([name, value], index) => {
        names[`#m${index}`] = name;
        values[`:m${index}`] = value;
        return `#m${index} :m${index}`;
      });
      const expiresAt = Math.floor(now.getTime() / 1000) + REFUSAL_MARKER_SECONDS;
      try {
        await transactWrites(
          [
            ...pending.map(({ digest }) => ({
              Put: {
                TableName: table,
                Item: { pk: `DQREF#${filer}`, sk: digest, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            {
              Update: {
                TableName: table,
                Key: {
                  pk: qualityPartition(day, shardOf(pending[0]?.digest ?? filer)),
                  sk: qualitySortKey(filer),
                },
                UpdateExpression: `ADD ${clauses.join(', ')}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          ],
          client,
        );
        return;
      } catch (error) {
        if (!(error instanceof TransactionRejectedError)) throw error;
        const counted = pending.filter((_, index) => !error.conditionFailedAt(index));
        if (counted.length === pending.length) throw error;
        pending = counted;
      }
    }
  };

  const count: CountRefusals = async (filer, refusals) => {
    if (refusals.length === 0) return;
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    // The same body twice in one request counts once, as it would across retries.
    const unique = new Map(refusals.map((refusal) => [digestOf(filer, refusal.raw), refusal]));
    const all = [...unique.entries()].map(([digest, refusal]) => ({ digest, refusal }));
    try {
      for (let start = 0; start < all.length; start += MARKERS_PER_TRANSACTION)
        await commit(filer, day, all.slice(start, start + MARKERS_PER_TRANSACTION), now);
    } catch (error) {
      // The answer to the filer does not depend on the count; a lost count is logged, not an error.
      logger.warn('Refusals at intake not counted', {
        filer,
        refusals: refusals.length,
        error: error as Error,
      });
    }
  };
  return count;
};
