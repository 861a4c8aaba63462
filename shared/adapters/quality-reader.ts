// Reads the data-quality cells (`DQ#<day>#<shard>` / `F#<filer>`) of a range of days from one table: the
// ledger table holds the counts of assessed declarations, the declarations table the refusals at intake.
// One filer's cells have known keys, so they are read with BatchGetItem, 100 keys a call: a 92-day range
// (736 cells per table) costs 8 requests per table, not a Query per partition. All filers (officers and
// admins only) need a Query per day and shard.
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AGGREGATE_SHARDS } from '../domain/ledger/keys.js';
import {
  FILER_PREFIX,
  type QualityCell,
  qualityPartition,
  qualitySortKey,
} from '../domain/quality/data-quality.js';
import type { ReadQualityCells } from '../use-cases/ports/quality.js';
import { dynamoDb } from './aws-clients.js';
import { queryAll } from './query-all.js';
import { chunk, mapConcurrent, retryFailed } from './retry.js';

const CONCURRENT_QUERIES = 16;
/** BatchGetItem takes at most 100 keys. */
const KEYS_PER_BATCH = 100;
const CONCURRENT_BATCHES = 4;

const cellOf = (item: Record<string, unknown>): QualityCell => {
  const numbers: Record<string, string> = {};
  for (const [name, value] of Object.entries(item))
    if (name !== 'pk' && name !== 'sk' && (typeof value === 'number' || typeof value === 'bigint'))
      numbers[name] = String(value);
    else if (value !== null && typeof value === 'object' && 'value' in value)
      numbers[name] = String((value as { value: unknown }).value);
  return { sk: String(item.sk), numbers };
};

export const qualityReader =
  (table: string, client: DynamoDBDocumentClient = dynamoDb(), shards = AGGREGATE_SHARDS): ReadQualityCells =>
  async (days, filer) => {
    const pks = [
      ...new Set(
        days.flatMap((day) => Array.from({ length: shards }, (_, shard) => qualityPartition(day, shard))),
      ),
    ];
    if (filer !== undefined) {
      const sk = qualitySortKey(filer);
      const batches = await mapConcurrent(
        chunk(
          pks.map((pk) => ({ pk, sk })),
          KEYS_PER_BATCH,
        ),
        CONCURRENT_BATCHES,
        async (keys) => {
          const cells: QualityCell[] = [];
          await retryFailed(
            keys,
            async (pending) => {
              const response = await client.send(
                new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }),
              );
              for (const item of response.Responses?.[table] ?? []) cells.push(cellOf(item));
              return (response.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
            },
            'BatchGetItem',
          );
          return cells;
        },
      );
      return batches.flat();
    }
    const pages = await mapConcurrent(pks, CONCURRENT_QUERIES, async (pk) => {
      const items = await queryAll(client, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': pk, ':sk': FILER_PREFIX },
      });
      return items.map(cellOf);
    });
    return pages.flat();
  };
