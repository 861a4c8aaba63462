// Recent consignments per consignee, for the splitting profile: one small item per consignment under the
// consignee's partition, expiring by TTL, so the last 72 hours are one Query, never a scan.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Decimal } from '../domain/money.js';
import { dynamoDb } from './aws-clients.js';

export const WINDOW_HOURS = 72;
const HOUR_MS = 3_600_000;

export interface WindowTotals {
  count: number;
  /** Sum of intrinsic values in the stack currency, as a decimal string. */
  value: string;
}

export const consigneeWindow = (table: string, client: DynamoDBDocumentClient = dynamoDb()) => ({
  /** Consignments of this consignee in the 72 hours before `at`, excluding the one being evaluated. */
  async totals(consigneeKey: string, at: Date, excludeId: string): Promise<WindowTotals> {
    const from = new Date(at.getTime() - WINDOW_HOURS * HOUR_MS).toISOString();
    let count = 0;
    let value = new Decimal(0);
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': `CONSIGNEE#${consigneeKey}`,
            ':from': from,
            ':to': at.toISOString(),
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of response.Items ?? []) {
        if (item.declarationId === excludeId) continue;
        count += 1;
        value = value.plus(String(item.value));
      }
      startKey = response.LastEvaluatedKey;
    } while (startKey);
    return { count, value: value.toString() };
  },

  /** Records a consignment; the key is deterministic, so a redelivery rewrites the same item. */
  async record(consigneeKey: string, at: Date, declarationId: string, value: string): Promise<void> {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `CONSIGNEE#${consigneeKey}`,
          sk: `${at.toISOString()}#${declarationId}`,
          declarationId,
          value,
          expiresAt: Math.floor(at.getTime() / 1000) + (WINDOW_HOURS + 24) * 3600,
        },
      }),
    );
  },
});

export type ConsigneeWindow = ReturnType<typeof consigneeWindow>;
