// Each platform's webhook settings, one item per platform in the reference table, the secret sealed with
// the stack's webhook key (see secret-sealer.ts). The notify function reads them for every event, so a
// function instance keeps what it read for a short time.
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DeliveryHealth, HEALTHY } from '../domain/webhooks/health.js';
import type {
  StoredWebhook,
  WebhookDeliveryStore,
  WebhookSettingsView,
  WebhookStore,
} from '../use-cases/ports/webhooks.js';
import { dynamoDb } from './aws-clients.js';
import { queryAll } from './query-all.js';
import type { SecretSealer } from './secret-sealer.js';

export const WEBHOOK_CACHE_TTL_MS = 30_000;

const keyOf = (platformId: string) => ({ pk: `WEBHOOK#${platformId}`, sk: 'SETTINGS' });
const healthKey = (platformId: string) => ({ pk: `WEBHOOK#${platformId}`, sk: 'HEALTH' });
const PARKED_PREFIX = 'PARKED#';
/** Parked events are kept two weeks (as long as a dead-letter queue keeps a message). */
const PARKED_DAYS = 14;

export const webhookStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
  options: { cacheTtlMs?: number; now?: () => number; sealer?: Partial<SecretSealer> } = {},
): WebhookStore => {
  const ttl = options.cacheTtlMs ?? 0;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: StoredWebhook | undefined; at: number }>();
  const read = async (platformId: string) =>
    (await client.send(new GetCommand({ TableName: table, Key: keyOf(platformId) }))).Item;
  return {
    /** Stores the settings with the secret sealed; needs a sealer that can seal. */
    async put(webhook: StoredWebhook): Promise<void> {
      if (!options.sealer?.seal) throw new Error('This store cannot seal webhook secrets');
      const { secret, ...settings } = webhook;
      const sealedSecret = await options.sealer.seal(webhook.platformId, secret);
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { ...keyOf(webhook.platformId), ...settings, sealedSecret },
        }),
      );
      cache.delete(webhook.platformId);
    },

    /** The settings without the secret (nothing is decrypted). */
    async settings(platformId: string): Promise<WebhookSettingsView | undefined> {
      const item = await read(platformId);
      return item ? { platformId, url: String(item.url), updatedAt: String(item.updatedAt) } : undefined;
    },

    /** The settings with the secret opened, for delivery; with a cache TTL, possibly as read up to that long ago. */
    async get(platformId: string): Promise<StoredWebhook | undefined> {
      const cached = cache.get(platformId);
      if (cached && now() - cached.at < ttl) return cached.value;
      if (!options.sealer?.open) throw new Error('This store cannot open webhook secrets');
      const item = await read(platformId);
      const value = item
        ? {
            platformId,
            url: String(item.url),
            secret: await options.sealer.open(platformId, String(item.sealedSecret)),
            updatedAt: String(item.updatedAt),
          }
        : undefined;
      if (ttl > 0) cache.set(platformId, { value, at: now() });
      return value;
    },
  };
};

/** Each filer's delivery health and its parked events, next to its settings in the reference table. */
export const webhookDeliveryStore = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
): WebhookDeliveryStore => ({
  async health(platformId: string): Promise<DeliveryHealth> {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: healthKey(platformId) }));
    return Item ? (Item.health as DeliveryHealth) : HEALTHY;
  },

  async setHealth(platformId: string, health: DeliveryHealth): Promise<void> {
    await client.send(new PutCommand({ TableName: table, Item: { ...healthKey(platformId), health } }));
  },

  /** Keeps an event of a parked endpoint (idempotent: the same event is kept once). */
  async park(platformId: string, eventId: string, body: string, now: Date): Promise<void> {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `WEBHOOK#${platformId}`,
          sk: `${PARKED_PREFIX}${eventId}`,
          body,
          parkedAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + PARKED_DAYS * 86_400,
        },
      }),
    );
  },

  async parked(platformId: string): Promise<{ eventId: string; body: string }[]> {
    const items = await queryAll(client, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `WEBHOOK#${platformId}`, ':prefix': PARKED_PREFIX },
    });
    return items.map((item) => ({
      eventId: String(item.sk).slice(PARKED_PREFIX.length),
      body: String(item.body),
    }));
  },

  async unpark(platformId: string, eventId: string): Promise<void> {
    await client.send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: `WEBHOOK#${platformId}`, sk: `${PARKED_PREFIX}${eventId}` },
      }),
    );
  },
});
