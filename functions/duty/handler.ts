import { declarationStore } from '../../shared/adapters/declaration-store.js';
import type { DutyReference } from '../../shared/adapters/duty-reference.js';
import { annualUsageWrite, dutyReferenceLoader, referenceFor } from '../../shared/adapters/duty-reference.js';
import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { commitSteps, completeOversized } from '../../shared/adapters/ledger-store.js';
import { queueSender } from '../../shared/adapters/queue-sender.js';
import { quoteStore, withQuotes } from '../../shared/adapters/quote-store.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { busName, loadConfig, queueUrl, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import {
  type AssessmentOutcome,
  assess,
  assessmentContext,
  MissingReferenceDataError,
} from '../../shared/domain/duty/assess.js';
import { honourQuote, type StoredQuote } from '../../shared/domain/duty/quote.js';
import { declarantPayerOf } from '../../shared/domain/filer.js';
import { assessmentEffects } from '../../shared/domain/ledger/effects.js';
import { sqsBatchHandler } from '../../shared/sqs/batch-handler.js';
import { DutyMessageSchema } from '../../shared/sqs/records.js';
import { countTransitions } from '../../shared/step-metrics.js';
import { functions, queues } from '../../shared/topology.js';
import { assessMessage, type DutyDeps, prepareDutyBatch } from '../../shared/use-cases/assess-duty.js';

const config = loadConfig(functions.duty);
const pack = packFor(config.country);
const declarationsTable = tableName(config, 'declarations');
const ledgerTable = tableName(config, 'ledger');
const store = declarationStore(declarationsTable);

const deps: DutyDeps<DutyReference & { quotes: Map<string, StoredQuote> }, AssessmentOutcome> = {
  store,
  loadReference: withQuotes(
    dutyReferenceLoader(referenceStore(tableName(config, 'reference')), pack.currency, declarationsTable),
    quoteStore(tableName(config, 'reference')),
  ),
  // The engine's assessment, capped at the quote the declaration names when nothing material changed.
  assess: (declaration, date, reference, filerId) =>
    honourQuote(
      assess(
        declaration,
        assessmentContext(pack, date, referenceFor(reference, declaration, date), declarantPayerOf(filerId)),
      ),
      declaration,
      declaration.quoteId === undefined ? undefined : reference.quotes.get(declaration.quoteId),
      new Date().toISOString(),
    ),
  missingData: (error) => (error instanceof MissingReferenceDataError ? error : undefined),
  // The state, its ledger entries and aggregate updates (and a CN consignee's annual total) in one
  // transaction; several declarations share one where the limits allow.
  save: async (changes, reference) => {
    const steps = changes.map(({ record, declaration, outcome }) => {
      const { next, writes } = store.stateWrites(record);
      const annual =
        outcome?.annualUsage && !outcome.rejection
          ? [annualUsageWrite(reference, outcome.annualUsage, declarationsTable)]
          : [];
      return {
        id: record.id,
        next,
        writes: [...writes, ...annual],
        ...assessmentEffects(record, declaration, pack),
      };
    });
    const results = await commitSteps(ledgerTable, steps);
    return steps.map((step, index) => {
      const result = results[index];
      return result?.ok ? { saved: step.next } : { error: result?.error };
    });
  },
  complete: (record, declaration) =>
    completeOversized(ledgerTable, record.id, {
      writes: [],
      ...assessmentEffects(record, declaration, pack),
    }),
  publish: eventPublisher(busName(config), config.country),
  now: () => new Date(),
};

/** Hands failed declarations of a message back to this step's queue, one message each. */
const requeue = queueSender(queueUrl(config, 'duty'));

export const handler = sqsBatchHandler({
  body: DutyMessageSchema,
  work: (message) => message.body,
  prepare: (messages) => prepareDutyBatch(messages.flat(), deps),
  handle: (works, batch) => assessMessage(works, batch, deps, requeue),
  finish: async (batch) => {
    // Only the states this delivery wrote: a redelivered declaration is announced again, not counted again.
    countTransitions([...batch.saved].map(([id, after]) => ({ before: batch.declarations.get(id), after })));
    await deps.publish(batch.events);
  },
  // A message of one declaration is logged with its keys; one of many declarations with none of them.
  describe: (works, batch) => {
    const [only] = works;
    return only && works.length === 1
      ? { declarationId: only.declarationId, filer: batch.declarations.get(only.declarationId)?.platformId }
      : {};
  },
  maxReceiveCount: queues.duty.maxReceiveCount,
});
