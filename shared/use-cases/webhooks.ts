// A platform's webhook: where its declaration events go and the secret that signs them. The secret is
// write-only: no answer shows it in any form (`updatedAt` tells when it was last set).
import type { StoredWebhook, WebhookSettingsView, WebhookStore } from '../adapters/webhook-store.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';

export interface WebhookDeps {
  store: Pick<WebhookStore, 'put' | 'settings'>;
  now: () => Date;
  /** `public`: https to public hosts only (deployed stacks); `public-or-loopback`: also http to this machine. */
  receivers: 'public' | 'public-or-loopback';
}

export const webhookView = (webhook: WebhookSettingsView) => ({
  url: webhook.url,
  updatedAt: webhook.updatedAt,
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

export const getWebhook = async (command: { platformId: string }, deps: Pick<WebhookDeps, 'store'>) => {
  const webhook = await deps.store.settings(command.platformId);
  if (!webhook) throw new NotFoundError('No webhook is set; PUT /v1/webhooks with {url, secret} to set one');
  return webhookView(webhook);
};
