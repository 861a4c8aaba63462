// A platform's webhook: where its declaration events go and the secret that signs them. The secret is
// write-only: no answer shows it in any form (`updatedAt` tells when it was last set).

import { NotFoundError, ValidationError } from '../domain/errors.js';
import { type DeliveryHealth, deliveryStatus, HEALTHY } from '../domain/webhooks/health.js';
import type {
  StoredWebhook,
  WebhookDeliveryStore,
  WebhookSettingsView,
  WebhookStore,
} from './ports/webhooks.js';

export interface WebhookDeps {
  store: Pick<WebhookStore, 'put' | 'settings'>;
  now: () => Date;
  /** `public`: https to public hosts only (deployed stacks); `public-or-loopback`: also http to this machine. */
  receivers: 'public' | 'public-or-loopback';
  delivery: Pick<WebhookDeliveryStore, 'health' | 'setHealth' | 'parked' | 'unpark'>;
  /** Sends parked events back to the delivery queue (the bodies as the queue carries them). */
  requeue: (bodies: string[]) => Promise<void>;
}

export const webhookView = (
  webhook: WebhookSettingsView,
  health: DeliveryHealth = HEALTHY,
  now = new Date(),
) => ({
  url: webhook.url,
  updatedAt: webhook.updatedAt,
  delivery: {
    status: deliveryStatus(health, now),
    consecutiveFailures: health.consecutiveFailures,
    ...(health.retryAt && !health.parkedAt ? { retryAt: health.retryAt } : {}),
    ...(health.parkedAt ? { parkedAt: health.parkedAt } : {}),
    ...(health.lastError ? { lastError: health.lastError } : {}),
  },
});

export const putWebhook = async (
  command: { platformId: string; settings: Pick<StoredWebhook, 'url' | 'secret'> },
  deps: WebhookDeps,
) => {
  const url = new URL(command.settings.url);
  const loopbackHost = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (deps.receivers === 'public' && (url.protocol !== 'https:' || loopbackHost)) {
    throw new ValidationError([{ path: 'url', message: 'must use https:// to a public host' }]);
  }
  const webhook: StoredWebhook = {
    ...command.settings,
    platformId: command.platformId,
    updatedAt: deps.now().toISOString(),
  };
  await deps.store.put(webhook);
  return webhookView(webhook);
};

const NO_WEBHOOK = 'No webhook is set; PUT /v1/webhooks with {url, secret} to set one';

export const getWebhook = async (
  command: { platformId: string },
  deps: Pick<WebhookDeps, 'store' | 'delivery' | 'now'>,
) => {
  const webhook = await deps.store.settings(command.platformId);
  if (!webhook) throw new NotFoundError(NO_WEBHOOK);
  return webhookView(webhook, await deps.delivery.health(command.platformId), deps.now());
};

/**
 * Resumes delivery to the filer's endpoint: its health starts afresh and every parked event goes back to
 * the delivery queue (each event once: it leaves the parked list only after it was queued again).
 */
export const resumeWebhook = async (command: { platformId: string }, deps: WebhookDeps) => {
  const webhook = await deps.store.settings(command.platformId);
  if (!webhook) throw new NotFoundError(NO_WEBHOOK);
  await deps.delivery.setHealth(command.platformId, HEALTHY);
  const parked = await deps.delivery.parked(command.platformId);
  for (let start = 0; start < parked.length; start += 10) {
    const group = parked.slice(start, start + 10);
    await deps.requeue(group.map((event) => event.body));
    for (const event of group) await deps.delivery.unpark(command.platformId, event.eventId);
  }
  return { ...webhookView(webhook, HEALTHY, deps.now()), requeued: parked.length };
};
