import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { postalResponseStore } from '../../shared/adapters/postal-response-store.js';
import { busName, loadConfig, tableName } from '../../shared/config.js';
import { eventKeys, logger } from '../../shared/observability.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { declarationEvent } from '../../shared/sqs/records.js';
import { functions, queues } from '../../shared/topology.js';
import { recordPostalResponse } from '../../shared/use-cases/postal-responses.js';

const config = loadConfig(functions.postalResponses);
const deps = {
  store: postalResponseStore(tableName(config, 'declarations')),
  publish: eventPublisher(busName(config), config.country),
  now: () => new Date(),
};

export const handler = sqsBatchHandler({
  body: declarationEvent(),
  work: (message) => message.body,
  prepare: async () => undefined,
  handle: async (event) => {
    const outcome = await recordPostalResponse(event, deps);
    logger.debug('Postal response', { outcome });
  },
  describe: (event) => eventKeys(event.detail),
  maxReceiveCount: queues.postalResponses.maxReceiveCount,
});
