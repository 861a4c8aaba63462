import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { queueSender } from '../../shared/adapters/queue-sender.js';
import { kmsSealer } from '../../shared/adapters/secret-sealer.js';
import { webhookDeliveryStore, webhookStore } from '../../shared/adapters/webhook-store.js';
import { loadConfig, queueUrl, tableName } from '../../shared/config.js';
import { filerIdOf } from '../../shared/domain/filer.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { webhookRoutes } from '../../shared/http/routes/webhooks.js';
import { functions } from '../../shared/topology.js';
import { getWebhook, putWebhook, resumeWebhook } from '../../shared/use-cases/webhooks.js';

const config = loadConfig(functions.webhooks);
const requeue = queueSender(queueUrl(config, 'notify'));
const deps = {
  store: webhookStore(tableName(config, 'reference'), undefined, {
    sealer: { seal: kmsSealer(config.webhookKeyId ?? '').seal },
  }),
  now: () => new Date(),
  receivers: config.webhookReceivers ?? 'public',
  delivery: webhookDeliveryStore(tableName(config, 'reference')),
  requeue: async (bodies: string[]) => {
    await requeue(bodies.map((body) => JSON.parse(body) as unknown));
  },
};

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(webhookRoutes.put, async ({ caller, body }) =>
    json(200, await putWebhook({ platformId: filerIdOf(caller), settings: body }, deps)),
  ),
  handle(webhookRoutes.get, async ({ caller }) =>
    json(200, await getWebhook({ platformId: filerIdOf(caller) }, deps)),
  ),
  handle(webhookRoutes.resume, async ({ caller }) =>
    json(200, await resumeWebhook({ platformId: filerIdOf(caller) }, deps)),
  ),
);
