// A platform's webhook: where its declaration events go and the secret that signs them. The secret is
// write-only: reads show its last four characters so a platform can tell which one is set.
import type { StoredWebhook, WebhookStore } from '../adapters/webhook-store.js';
import { NotFoundError } from '../domain/errors.js';

export interface WebhookDeps {
  store: Pick<WebhookStore, 'put' | 'get'>;
  now: () => Date;
}

export const maskSecret = (secret: string): string => `…${secret.slice(-4)}`;

export const webhookView = (webhook: StoredWebhook) => ({
  url: webhook.url,
  secret: maskSecret(webhook.secret),
  updatedAt: webhook.updatedAt,
});

export const putWebhook = async (
  command: { platformId: string; settings: Pick<StoredWebhook, 'url' | 'secret'> },
  deps: WebhookDeps,
) => {
  const webhook: StoredWebhook = {
    ...command.settings,
    platformId: command.platformId,
    updatedAt: deps.now().toISOString(),
  };
  await deps.store.put(webhook);
  return webhookView(webhook);
};

export const getWebhook = async (command: { platformId: string }, deps: Pick<WebhookDeps, 'store'>) => {
  const webhook = await deps.store.get(command.platformId);
  if (!webhook) throw new NotFoundError('No webhook is set; PUT /v1/webhooks with {url, secret} to set one');
  return webhookView(webhook);
};
