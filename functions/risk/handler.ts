import * as z from 'zod';
import { functions } from '../../infra/topology.js';
import { dynamoDb } from '../../shared/adapters/aws-clients.js';
import { consigneeWindow } from '../../shared/adapters/consignee-window.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { transact } from '../../shared/adapters/ledger-store.js';
import { profileHitWrites } from '../../shared/adapters/profile-stats.js';
import { queueSender } from '../../shared/adapters/queue-sender.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { writeEach } from '../../shared/adapters/transaction.js';
import { loadConfig, queueUrl, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import {
  evaluateOne,
  handOverRiskBatch,
  prepareRiskBatch,
  type RiskDeps,
} from '../../shared/use-cases/evaluate-risk.js';
import { stackRules } from '../../shared/use-cases/stack-rules.js';

const config = loadConfig(functions.risk);
const deps: RiskDeps = {
  store: declarationStore(tableName(config, 'declarations')),
  reference: referenceStore(tableName(config, 'reference')),
  window: consigneeWindow(tableName(config, 'declarations')),
  rules: stackRules(packFor(config.country)),
  now: () => new Date(),
  profileHits: profileHitWrites(tableName(config, 'declarations')),
  // The window entries and hit counters of a batch's results that hit a profile, in one transaction.
  transact: (writes) => transact(writes),
  write: (writes) => writeEach(writes, dynamoDb()),
  handOver: queueSender(queueUrl(config, 'duty')),
};

const RiskWork = z.object({ declarationId: z.string().min(1) });

export const handler = sqsBatchHandler({
  parse: (record) => RiskWork.parse(JSON.parse(record.body)).declarationId,
  prepare: (ids) => prepareRiskBatch(ids, deps),
  handle: (id, batch) => evaluateOne(id, batch, deps),
  finish: (batch) => handOverRiskBatch(batch, deps),
});
