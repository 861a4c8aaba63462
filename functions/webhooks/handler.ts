import { functions } from '../../infra/topology.js';
import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { kmsSealer } from '../../shared/adapters/secret-sealer.js';
import { webhookStore } from '../../shared/adapters/webhook-store.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { filerIdOf } from '../../shared/domain/filer.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { webhookRoutes } from '../../shared/http/routes/webhooks.js';
import { getWebhook, putWebhook } from '../../shared/use-cases/webhooks.js';

const config = loadConfig(functions.webhooks);
const deps = {
  store: webhookStore(tableName(config, 'reference'), undefined, {
    sealer: { seal: kmsSealer(config.webhookKeyId ?? '').seal },
  }),
  now: () => new Date(),
  receivers: config.webhookReceivers ?? 'public',
};

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(webhookRoutes.put, async ({ caller, body }) =>
    json(200, await putWebhook({ platformId: filerIdOf(caller), settings: body }, deps)),
  ),
  handle(webhookRoutes.get, async ({ caller }) =>
    json(200, await getWebhook({ platformId: filerIdOf(caller) }, deps)),
  ),
);
