// Counts declarations refused at intake for the data-quality report. Nothing of a refused declaration is
// stored, so each refusal is an atomic ADD on its filer's day cell in the declarations table
// (`DQ#<day>#<shard>` / `F#<filer>`). A retried request must not count twice: each refusal first writes
// a marker named by a digest of the filer and the refused body (`DQREF#<filer>` / `<digest>`, kept a
// day) on condition that it is new; a refusal whose marker exists is not counted again. Marker and count
// are two writes, not one transaction: a crash between them loses that one count (never adds one twice),
// and refusals of one filer never cancel each other on its counter cell.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { shardOf } from '../domain/ledger/keys.js';
import { qualityPartition, qualitySortKey, refusalCounts } from '../domain/quality/data-quality.js';
import { logger } from '../observability.js';
import type { CountRefusals, Refusal } from '../use-cases/ports/refusals.js';
import { dynamoDb } from './aws-clients.js';
import { mapConcurrent } from './retry.js';

/** A retry within this time counts once. */
export const REFUSAL_MARKER_SECONDS = 86_400;
/** Marker writes in flight at once for one request. */
const CONCURRENT_MARKERS = 16;

/**
 * The refusal's name: a digest of the filer, the errors and the body. A body too deeply nested to write
 * out again is named by the filer and its errors alone.
 */
const digestOf = (filer: string, refusal: Refusal): string => {
  const hash = createHash('sha256').update(filer).update('\n');
  for (const error of refusal.errors) hash.update(`${error.path}\u0000${error.message}\n`);
  let body: string | undefined;
  try {
    body = JSON.stringify(refusal.raw);
  } catch {
    body = undefined;
  }
  return hash.update(body ?? '').digest('base64url');
};

export const refusalCounter = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => {
  /** Writes the refusal's marker; false when it existed (a retry of a request already counted). */
  const isNew = async (filer: string, digest: string, expiresAt: number): Promise<boolean> => {
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { pk: `DQREF#${filer}`, sk: digest, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const count: CountRefusals = async (filer, refusals) => {
    if (refusals.length === 0) return;
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const expiresAt = Math.floor(now.getTime() / 1000) + REFUSAL_MARKER_SECONDS;
    try {
      // The same body twice in one request counts once, as it would across retries.
      const unique = new Map(refusals.map((refusal) => [digestOf(filer, refusal), refusal]));
      const fresh = (
        await mapConcurrent([...unique.entries()], CONCURRENT_MARKERS, async ([digest, refusal]) =>
          (await isNew(filer, digest, expiresAt)) ? [{ digest, refusal }] : [],
        )
      ).flat();
      const first = fresh[0];
      if (!first) return;
      const sums: Record<string, number> = {};
      for (const { refusal } of fresh)
        for (const [name, value] of Object.entries(refusalCounts(refusal.errors)))
          sums[name] = (sums[name] ?? 0) + value.toNumber();
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const clauses = Object.entries(sums).map(([name, value], index) => {
        names[`#m${index}`] = name;
        values[`:m${index}`] = value;
        return `#m${index} :m${index}`;
      });
      // A plain atomic ADD, not a transaction: concurrent refusals of one filer add to the same cell
      // without cancelling each other.
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: qualityPartition(day, shardOf(first.digest)), sk: qualitySortKey(filer) },
          UpdateExpression: `ADD ${clauses.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
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
