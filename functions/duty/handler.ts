import { functions } from '../../infra/topology.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import type { DutyReference } from '../../shared/adapters/duty-reference.js';
import { annualUsageWrite, dutyReferenceLoader, referenceFor } from '../../shared/adapters/duty-reference.js';
import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { busName, loadConfig, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import {
  type AssessmentOutcome,
  assess,
  assessmentContext,
  MissingReferenceDataError,
} from '../../shared/domain/duty/assess.js';
import { parseEnvelope } from '../../shared/domain/events.js';
import { Decimal } from '../../shared/domain/money.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { assessOne, type DutyDeps, prepareDutyBatch } from '../../shared/use-cases/assess-duty.js';

const config = loadConfig(functions.duty);
const pack = packFor(config.country);
const declarationsTable = tableName(config, 'declarations');
const store = declarationStore(declarationsTable);

const deps: DutyDeps<DutyReference, AssessmentOutcome> = {
  store,
  loadReference: dutyReferenceLoader(
    referenceStore(tableName(config, 'reference')),
    pack.currency,
    declarationsTable,
  ),
  assess: (declaration, date, reference) =>
    assess(declaration, assessmentContext(pack, date, referenceFor(reference, declaration, date))),
  missingData: (error) => (error instanceof MissingReferenceDataError ? error : undefined),
  save: (record, outcome, reference) =>
    store.save(
      record,
      outcome?.annualUsage && !outcome.rejection
        ? [
            annualUsageWrite(reference, outcome.annualUsage, declarationsTable, (a, b) =>
              new Decimal(a).plus(b).toString(),
            ),
          ]
        : [],
    ),
  publish: eventPublisher(busName(config), config.country),
  now: () => new Date(),
};

export const handler = sqsBatchHandler({
  parse: (record) => parseEnvelope(record.body, 'RiskAssessed').detail.declarationId,
  prepare: (ids) => prepareDutyBatch(ids, deps),
  handle: (id, batch) => assessOne(id, batch, deps),
  finish: (batch) => deps.publish(batch.events),
});
