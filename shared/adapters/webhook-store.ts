// Each platform's webhook settings, one item per platform in the reference table. The notify function
// reads them for every event, so a function instance keeps what it read for a short time.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookSettings } from '../http/schemas/declarations.js';
import { dynamoDb } from './aws-clients.js';

export const WEBHOOK_CACHE_TTL_MS = 30_000;

export interface StoredWebhook extends WebhookSettings {
  platformId: string;
  updatedAt: string;
}

const keyOf = (platformId: string) => ({ pk: `WEBHOOK#${platformId}`, sk: 'SETTINGS' });

export const webhookStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
  options: { cacheTtlMs?: number; now?: () => number } = {},
) => {
  const ttl = options.cacheTtlMs ?? 0;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: StoredWebhook | undefined; at: number }>();
  return {
    async put(webhook: StoredWebhook): Promise<void> {
      await client.send(
        new PutCommand({ TableName: table, Item: { ...keyOf(webhook.platformId), ...webhook } }),
      );
      cache.delete(webhook.platformId);
    },

    /** The platform's settings; with a cache TTL, possibly as read up to that long ago. */
    async get(platformId: string): Promise<StoredWebhook | undefined> {
      const cached = cache.get(platformId);
      if (cached && now() - cached.at < ttl) return cached.value;
      const result = await client.send(new GetCommand({ TableName: table, Key: keyOf(platformId) }));
      const value = result.Item
        ? {
            platformId,
            url: String(result.Item.url),
            secret: String(result.Item.secret),
            updatedAt: String(result.Item.updatedAt),
          }
        : undefined;
      if (ttl > 0) cache.set(platformId, { value, at: now() });
      return value;
    },
  };
};

export type WebhookStore = ReturnType<typeof webhookStore>;
