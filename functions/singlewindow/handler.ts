import { agencyHoldIndex } from '../../shared/adapters/agency-hold-index.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { EventEnvelopeSchema, eventDetailSchemas } from '../../shared/domain/events.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { functions, queues } from '../../shared/topology.js';
import { indexAgencyHolds, prepareIndexBatch } from '../../shared/use-cases/index-agency-holds.js';

const config = loadConfig(functions.singlewindow);
const table = tableName(config, 'declarations');
const deps = { store: declarationStore(table), index: agencyHoldIndex(table) };

/** HoldPlaced and HoldLifted share their detail shape; either names the declaration to re-index. */
const declarationOf = (body: string): string => {
  const envelope = EventEnvelopeSchema.parse(JSON.parse(body));
  return eventDetailSchemas.HoldPlaced.parse(envelope.detail).declarationId;
};

export const handler = sqsBatchHandler({
  parse: (record) => declarationOf(record.body),
  prepare: (ids) => prepareIndexBatch(ids, deps),
  handle: (id, states) => indexAgencyHolds(id, states, deps),
  describe: (id, states) => ({ declarationId: id, filer: states.get(id)?.platformId }),
  maxReceiveCount: queues.singlewindow.maxReceiveCount,
});
