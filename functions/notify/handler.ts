import { kmsSealer } from '../../shared/adapters/secret-sealer.js';
import { visibilityBackoff } from '../../shared/adapters/visibility-backoff.js';
import {
  WEBHOOK_CACHE_TTL_MS,
  webhookDeliveryStore,
  webhookStore,
} from '../../shared/adapters/webhook-store.js';
import { webhookTransport } from '../../shared/adapters/webhook-transport.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { eventKeys, logger } from '../../shared/observability.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { declarationEvent } from '../../shared/sqs/records.js';
import { functions, queues } from '../../shared/topology.js';
import { deliverEvent } from '../../shared/use-cases/deliver-event.js';

const config = loadConfig(functions.notify);
const deps = {
  webhooks: webhookStore(tableName(config, 'reference'), undefined, {
    cacheTtlMs: WEBHOOK_CACHE_TTL_MS,
    sealer: { open: kmsSealer(config.webhookKeyId ?? '').open },
  }),
  delivery: webhookDeliveryStore(tableName(config, 'reference')),
  post: webhookTransport({ allowLoopback: config.webhookReceivers === 'public-or-loopback' }),
  now: () => new Date(),
};
const delayRetry = visibilityBackoff();

export const handler = sqsBatchHandler({
  body: declarationEvent(),
  work: (message) => ({ message, event: message.body }),
  prepare: async () => undefined,
  handle: async ({ message, event }) => {
    try {
      const outcome = await deliverEvent(event, deps);
      logger.debug('Webhook delivery', { outcome });
    } catch (error) {
      logger.warn('Webhook delivery failed; it will be retried', { error: error as Error });
      await delayRetry(message);
      throw error;
    }
  },
  describe: ({ event }) => eventKeys(event.detail),
  maxReceiveCount: queues.notify.maxReceiveCount,
});
