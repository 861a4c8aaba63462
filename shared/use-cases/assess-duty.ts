// Duty and tax assessment of risk-evaluated declarations, and the release decision that follows it.
// Reference data for the whole batch is read up front; each declaration is then assessed by the pure
// engine and its new state written under a version condition. A redelivery finds the assessment stored
// and only announces it again.
import type { DeclarationStore } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import type { Assessment } from '../domain/assessment.js';
import {
  type DeclarationRecord,
  type Hold,
  releaseDecision,
  type StoredDeclaration,
  transition,
} from '../domain/clearance.js';
import type { Declaration } from '../domain/declaration.js';
import { type DomainEvent, domainEvent } from '../domain/events.js';
import { ruleDate } from './evaluate-risk.js';

export interface AssessmentOutcome {
  assessment: Assessment;
  rejection?: { code: string; reason: string };
}

/** Thrown by the engine port when reference data the law needs is absent; the declaration is held. */
export interface MissingData {
  missing: readonly { kind: string; key: string }[];
  message: string;
}

export interface DutyDeps<Reference, Outcome extends AssessmentOutcome = AssessmentOutcome> {
  store: Pick<DeclarationStore, 'getMany'>;
  /**
   * Writes the new state together with what the assessment causes elsewhere (ledger entries, the
   * consignee's annual total) in one transaction.
   */
  save: (
    record: DeclarationRecord,
    outcome: Outcome | undefined,
    reference: Reference,
  ) => Promise<DeclarationRecord>;
  /** Loads the reference data (tariffs, exchange rates, registrations) the declarations need. */
  loadReference: (declarations: Declaration[], dates: string[]) => Promise<Reference>;
  assess: (declaration: Declaration, date: string, reference: Reference) => Outcome;
  /** Recognises the engine's "missing reference data" error. */
  missingData: (error: unknown) => MissingData | undefined;
  publish: PublishEvents;
  now: () => Date;
}

export interface DutyBatch<Reference> {
  declarations: Map<string, StoredDeclaration>;
  reference: Reference;
  events: DomainEvent[];
}

export const prepareDutyBatch = async <Reference, Outcome extends AssessmentOutcome>(
  ids: string[],
  deps: DutyDeps<Reference, Outcome>,
): Promise<DutyBatch<Reference>> => {
  const declarations = await deps.store.getMany(ids);
  const stored = [...declarations.values()];
  const reference = await deps.loadReference(
    stored.map((entry) => entry.declaration),
    stored.map((entry) => ruleDate(entry, entry.declaration)),
  );
  return { declarations, reference, events: [] };
};

const baseOf = (record: DeclarationRecord, occurredAt: string) => ({
  version: 1 as const,
  declarationId: record.id,
  platformId: record.platformId,
  reference: record.reference,
  status: record.status,
  occurredAt,
});

/** The events that announce a record's state after assessment; derived from the record, so re-derivable. */
export const assessmentEvents = (record: DeclarationRecord): DomainEvent[] => {
  const last = record.history.at(-1);
  const at = last?.at ?? record.updatedAt;
  const events: DomainEvent[] = [];
  if (record.assessment) {
    events.push(
      domainEvent('DutyAssessed', {
        ...baseOf(record, at),
        currency: record.assessment.currency,
        dueAtImport: record.assessment.totals.dueAtImport,
        collectedAtCheckout: record.assessment.totals.collectedAtCheckout,
        payer: record.assessment.payer,
      }),
    );
  }
  const reason = last?.reason ?? '';
  switch (record.status) {
    case 'RELEASED':
      events.push(
        domainEvent('DeclarationReleased', {
          ...baseOf(record, at),
          releasedAt: at,
          ...(record.risk ? { lane: record.risk.lane } : {}),
        }),
      );
      break;
    case 'HELD':
    case 'AWAITING_PAYMENT':
      events.push(domainEvent('DeclarationHeld', { ...baseOf(record, at), reason }));
      break;
    case 'REJECTED':
      events.push(domainEvent('DeclarationRejected', { ...baseOf(record, at), reason }));
      break;
    default:
      break;
  }
  return events;
};

export const assessOne = async <Reference, Outcome extends AssessmentOutcome>(
  id: string,
  batch: DutyBatch<Reference>,
  deps: DutyDeps<Reference, Outcome>,
): Promise<void> => {
  const stored = batch.declarations.get(id);
  if (!stored) throw new Error(`Declaration ${id} is not stored`);
  const { declaration, ...current } = stored;
  if (current.status !== 'RECEIVED' || !current.risk) {
    // Already assessed (or cancelled, or rejected by risk): announce the stored state again.
    if (current.assessment) batch.events.push(...assessmentEvents(current));
    return;
  }
  const at = deps.now().toISOString();
  const date = ruleDate(current, declaration);
  let next: DeclarationRecord;
  let outcome: Outcome | undefined;
  try {
    outcome = deps.assess(declaration, date, batch.reference);
    next = { ...current, assessment: outcome.assessment };
    if (outcome.rejection) {
      next = transition(next, 'REJECTED', 'duty', outcome.rejection.reason, at);
    } else {
      next = transition(
        next,
        'ASSESSED',
        'duty',
        `Assessed under ${outcome.assessment.ruleSet.join(', ')}`,
        at,
      );
      const decision = releaseDecision(next);
      next = transition(next, decision.status, 'clearance', decision.reason, at);
    }
  } catch (error) {
    const missing = deps.missingData(error);
    if (!missing) throw error;
    // Nothing can be assessed until the administration supplies the data: hold it where officers see it.
    const hold: Hold = {
      id: 'hold_reference_data',
      reason: `Assessment needs reference data: ${missing.message}`,
      placedBy: 'duty',
      placedAt: at,
    };
    next = transition({ ...current, holds: [...current.holds, hold] }, 'HELD', 'duty', hold.reason, at);
  }
  const saved = await deps.save(next, outcome, batch.reference);
  batch.events.push(...assessmentEvents(saved));
};
