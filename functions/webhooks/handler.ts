import { functions } from '../../infra/topology.js';
import { webhookStore } from '../../shared/adapters/webhook-store.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { filerIdOf } from '../../shared/domain/filer.js';
import { byRoute, httpHandler, json } from '../../shared/http/handler.js';
import { getWebhook, putWebhook } from '../../shared/use-cases/webhooks.js';

const config = loadConfig(functions.webhooks);
const deps = { store: webhookStore(tableName(config, 'reference')), now: () => new Date() };

export const handler = httpHandler(
  byRoute({
    'PUT /v1/webhooks': async ({ caller, body }) =>
      json(200, await putWebhook({ platformId: filerIdOf(caller()), body: body() }, deps)),
    'GET /v1/webhooks': async ({ caller }) =>
      json(200, await getWebhook({ platformId: filerIdOf(caller()) }, deps)),
  }),
);
