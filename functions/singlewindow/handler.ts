import { agencyHoldIndex } from '../../shared/adapters/agency-hold-index.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { declarationEvent } from '../../shared/sqs/records.js';
import { functions, queues } from '../../shared/topology.js';
import { indexAgencyHolds, prepareIndexBatch } from '../../shared/use-cases/index-agency-holds.js';

const config = loadConfig(functions.singlewindow);
const table = tableName(config, 'declarations');
const deps = { store: declarationStore(table), index: agencyHoldIndex(table) };

export const handler = sqsBatchHandler({
  // HoldPlaced or HoldLifted: either names the declaration to re-index.
  body: declarationEvent(['HoldPlaced', 'HoldLifted']),
  work: (message) => message.body.detail.declarationId,
  prepare: (ids) => prepareIndexBatch(ids, deps),
  handle: (id, states) => indexAgencyHolds(id, states, deps),
  describe: (id, states) => ({ declarationId: id, filer: states.get(id)?.platformId }),
  maxReceiveCount: queues.singlewindow.maxReceiveCount,
});
