// A post's customs responses in the declarations table, under the post's partition `POSTRSP#<filer>`:
// a marker per response key (`KEY#<key>`) that makes recording idempotent, and a feed entry in the order
// responses arrived (`AT#<receivedAt>#<key>`) that polling reads. Both are written in one transaction
// whose condition is that the marker is new, so a repeated event never adds a second feed entry.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type PostalResponse, responseKey } from '../domain/postal/responses.js';
import { FEED_PREFIX, type PostalResponseStore, type RecordOutcome } from '../use-cases/ports/postal.js';
import { dynamoDb } from './aws-clients.js';
import { TransactionRejectedError, transactWrites } from './transaction.js';

export const responsePartition = (filerId: string) => `POSTRSP#${filerId}`;
const markerKey = (key: string) => `KEY#${key}`;
const feedKey = (receivedAt: string, key: string) => `${FEED_PREFIX}${receivedAt}#${key}`;

/** Responses are kept this long for posts to poll; TTL removes them afterwards. */
export const RESPONSE_RETENTION_DAYS = 90;

export const postalResponseStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
): PostalResponseStore => ({
  async record(filerId: string, response: PostalResponse, receivedAt: Date): Promise<RecordOutcome> {
    const key = responseKey(response);
    const pk = responsePartition(filerId);
    const expiresAt = Math.floor(receivedAt.getTime() / 1000) + RESPONSE_RETENTION_DAYS * 86_400;
    try {
      await transactWrites(
        [
          {
            Put: {
              TableName: table,
              Item: { pk, sk: markerKey(key), published: false, expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { pk, sk: feedKey(receivedAt.toISOString(), key), ...response, expiresAt },
            },
          },
        ],
        client,
      );
      return { recorded: true, published: false };
    } catch (error) {
      if (!(error instanceof TransactionRejectedError && error.conditionFailedAt(0))) throw error;
      const marker = await client.send(
        new GetCommand({ TableName: table, Key: { pk, sk: markerKey(key) }, ConsistentRead: true }),
      );
      return { recorded: false, published: marker.Item?.published === true };
    }
  },

  async markPublished(filerId: string, response: PostalResponse): Promise<void> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: responsePartition(filerId), sk: markerKey(responseKey(response)) },
          UpdateExpression: 'SET published = :true',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  },

  /**
   * Up to `limit` responses that arrived after the feed position `after` (exclusive) and before `until`,
   * oldest first, each with its feed position.
   */
  async page(query: {
    filerId: string;
    after?: string;
    until: Date;
    limit: number;
  }): Promise<{ position: string; response: PostalResponse }[]> {
    const pk = responsePartition(query.filerId);
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :until',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':from': FEED_PREFIX,
          ':until': `${FEED_PREFIX}${query.until.toISOString()}`,
        },
        ScanIndexForward: true,
        Limit: query.limit,
        ...(query.after ? { ExclusiveStartKey: { pk, sk: query.after } } : {}),
      }),
    );
    return (result.Items ?? []).map(({ pk: _pk, sk, expiresAt: _expires, ...response }) => ({
      position: String(sk),
      response: response as PostalResponse,
    }));
  },
});
