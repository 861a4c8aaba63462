// Fair-use counters: one item per caller and window in the limits table, counted with one conditional
// UpdateItem per request (requests and declarations together) and removed by TTL after the window.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type FunctionConfig, tableName } from '../config.js';
import { type CountFairUse, type FairUseGate, fairUseGate } from '../use-cases/fair-use.js';
import { dynamoDb } from './aws-clients.js';

export const fairUseCounter =
  (table: string, client: DynamoDBDocumentClient = dynamoDb()): CountFairUse =>
  async (charge, window) => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `FAIRUSE#${charge.key}#${window.start}` },
          UpdateExpression: 'ADD requests :requests, declarations :declarations SET expiresAt = :expiresAt',
          ConditionExpression:
            '(attribute_not_exists(requests) OR requests <= :requestsBefore) AND ' +
            '(attribute_not_exists(declarations) OR declarations <= :declarationsBefore)',
          ExpressionAttributeValues: {
            ':requests': charge.requests,
            ':declarations': charge.declarations,
            ':expiresAt': window.expiresAt,
            ':requestsBefore': charge.maxRequests - charge.requests,
            ':declarationsBefore': charge.maxDeclarations - charge.declarations,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { admitted: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = (error.Item ?? {}) as { requests?: { N?: string }; declarations?: { N?: string } };
      return {
        admitted: false,
        requests: Number(old.requests?.N ?? 0),
        declarations: Number(old.declarations?.N ?? 0),
      };
    }
  };

/** The gate of a function that counts fair use: its configured limits over the limits table. */
export const fairUseGateFor = (config: FunctionConfig): FairUseGate => {
  if (!config.fairUse) throw new Error('This function does not count fair use');
  return fairUseGate(config.fairUse, fairUseCounter(tableName(config, 'limits')), () => new Date());
};
