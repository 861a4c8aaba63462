// Reads the data-quality cells (`DQ#<day>#<shard>` / `F#<filer>`) of a range of days from one table: the
// ledger table holds the counts of assessed declarations, the declarations table the refusals at intake.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AGGREGATE_SHARDS } from '../domain/ledger/ledger.js';
import {
  FILER_PREFIX,
  type QualityCell,
  qualityPartition,
  qualitySortKey,
} from '../domain/quality/data-quality.js';
import { dynamoDb } from './aws-clients.js';
import { mapConcurrent } from './retry.js';

const CONCURRENT_QUERIES = 16;

export type ReadQualityCells = (days: readonly string[], filer?: string) => Promise<QualityCell[]>;

export const qualityReader =
  (table: string, client: DynamoDBDocumentClient = dynamoDb(), shards = AGGREGATE_SHARDS): ReadQualityCells =>
  async (days, filer) => {
    const pks = days.flatMap((day) =>
      Array.from({ length: shards }, (_, shard) => qualityPartition(day, shard)),
    );
    const pages = await mapConcurrent(pks, CONCURRENT_QUERIES, async (pk) => {
      const cells: QualityCell[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression:
              filer === undefined ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk AND sk = :sk',
            ExpressionAttributeValues: {
              ':pk': pk,
              ':sk': filer === undefined ? FILER_PREFIX : qualitySortKey(filer),
            },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of result.Items ?? []) {
          const numbers: Record<string, string> = {};
          for (const [name, value] of Object.entries(item))
            if (name !== 'pk' && name !== 'sk' && (typeof value === 'number' || typeof value === 'bigint'))
              numbers[name] = String(value);
            else if (value !== null && typeof value === 'object' && 'value' in value)
              numbers[name] = String((value as { value: unknown }).value);
          cells.push({ sk: String(item.sk), numbers });
        }
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return cells;
    });
    return pages.flat();
  };
