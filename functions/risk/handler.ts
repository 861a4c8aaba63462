import * as z from 'zod';
import { functions } from '../../infra/topology.js';
import { consigneeWindow } from '../../shared/adapters/consignee-window.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { transact } from '../../shared/adapters/ledger-store.js';
import { profileHitWrites } from '../../shared/adapters/profile-stats.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { busName, loadConfig, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { evaluateOne, prepareRiskBatch, type RiskDeps } from '../../shared/use-cases/evaluate-risk.js';
import { stackRules } from '../../shared/use-cases/stack-rules.js';

const config = loadConfig(functions.risk);
const deps: RiskDeps = {
  store: declarationStore(tableName(config, 'declarations')),
  reference: referenceStore(tableName(config, 'reference')),
  window: consigneeWindow(tableName(config, 'declarations')),
  publish: eventPublisher(busName(config), config.country),
  rules: stackRules(packFor(config.country)),
  now: () => new Date(),
  profileHits: profileHitWrites(tableName(config, 'declarations')),
  // The results of a batch, their window entries and hit counters in one transaction.
  transact: (writes) => transact(writes),
};

const RiskWork = z.object({ declarationId: z.string().min(1) });

export const handler = sqsBatchHandler({
  parse: (record) => RiskWork.parse(JSON.parse(record.body)).declarationId,
  prepare: (ids) => prepareRiskBatch(ids, deps),
  handle: (id, batch) => evaluateOne(id, batch, deps),
  finish: (batch) => deps.publish(batch.events),
});
