// Duty and tax assessment of risk-evaluated declarations, and the release decision that follows it.
// Reference data for the whole batch is read up front and every declaration is assessed by the pure
// engine; the new states are then written together with the ledger entries and aggregate updates they
// cause, in one transaction for the whole batch (aggregates pre-summed over it). When that transaction
// is refused (a redelivered or concurrently handled declaration), each declaration is saved on its own.
// A redelivery finds the assessment stored and only announces it again.
import type { DeclarationStore } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import {
  type DeclarationRecord,
  type Hold,
  releaseDecision,
  type StoredDeclaration,
  transition,
} from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import type { Assessment } from '../domain/duty/assessment.js';
import { type DomainEvent, domainEvent } from '../domain/events.js';
import { ruleDate } from './evaluate-risk.js';

export interface AssessmentOutcome {
  assessment: Assessment;
  rejection?: { code: string; reason: string };
  /** State kept across declarations (the CN annual totals): such outcomes are saved one at a time. */
  annualUsage?: unknown;
}

/** Thrown by the engine port when reference data the law needs is absent; the declaration is held. */
export interface MissingData {
  missing: readonly { kind: string; key: string }[];
  message: string;
}

/** A declaration's new state, ready to be written with what it causes. */
export interface DutyChange<Outcome extends AssessmentOutcome = AssessmentOutcome> {
  /** The record as read (its version is the write's condition). */
  current: DeclarationRecord;
  /** The new state. */
  record: DeclarationRecord;
  declaration: Declaration;
  outcome: Outcome | undefined;
}

export type SaveResult = { saved: DeclarationRecord } | { error: unknown };

export interface DutyDeps<Reference, Outcome extends AssessmentOutcome = AssessmentOutcome> {
  store: Pick<DeclarationStore, 'getMany' | 'getState'>;
  /**
   * Writes new states together with what each causes elsewhere (ledger entries, aggregates, the
   * consignee's annual total), all in one transaction where the limits allow. Reports each change's
   * result; a refused transaction fails every change in it.
   */
  save: (changes: DutyChange<Outcome>[], reference: Reference) => Promise<SaveResult[]>;
  /** Finishes writes an earlier save of an assessed record left to follow-up transactions (idempotent). */
  complete?: (record: DeclarationRecord, declaration: Declaration) => Promise<void>;
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
  /** States written by the batch transaction, by declaration id. */
  saved: Map<string, DeclarationRecord>;
}

/** The new state of a RECEIVED, risk-evaluated declaration: assessed, rejected or held for missing data. */
const decide = <Reference, Outcome extends AssessmentOutcome>(
  stored: StoredDeclaration,
  reference: Reference,
  deps: DutyDeps<Reference, Outcome>,
): DutyChange<Outcome> => {
  const { declaration, ...current } = stored;
  const at = deps.now().toISOString();
  const date = ruleDate(current, declaration);
  let next: DeclarationRecord;
  let outcome: Outcome | undefined;
  try {
    outcome = deps.assess(declaration, date, reference);
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
    outcome = undefined;
    next = transition({ ...current, holds: [...current.holds, hold] }, 'HELD', 'duty', hold.reason, at);
  }
  return { current, record: next, declaration, outcome };
};

const isPending = (stored: StoredDeclaration): boolean => stored.status === 'RECEIVED' && !!stored.risk;

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
  const batch: DutyBatch<Reference> = { declarations, reference, events: [], saved: new Map() };

  // One transaction for the batch. A declaration whose assessment fails, or that moves state shared
  // across declarations, is left to be handled (and to fail) on its own.
  const changes: DutyChange<Outcome>[] = [];
  for (const id of new Set(ids)) {
    const entry = declarations.get(id);
    if (!entry || !isPending(entry)) continue;
    try {
      const change = decide(entry, reference, deps);
      if (!change.outcome?.annualUsage) changes.push(change);
    } catch {
      // handled in assessOne, where it fails this record alone
    }
  }
  if (changes.length > 1) {
    const results = await deps.save(changes, reference).catch(() => []);
    changes.forEach((change, index) => {
      const result = results[index];
      if (result && 'saved' in result) batch.saved.set(change.record.id, result.saved);
    });
  }
  return batch;
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
  const written = batch.saved.get(id);
  if (written) {
    batch.events.push(...assessmentEvents(written));
    return;
  }
  const stored = batch.declarations.get(id);
  if (!stored) throw new Error(`Declaration ${id} is not stored`);
  if (!isPending(stored)) {
    // Already assessed (or cancelled, or rejected by risk): finish its writes, announce the stored state again.
    const { declaration, ...current } = stored;
    if (current.assessment) {
      await deps.complete?.(current, declaration);
      batch.events.push(...assessmentEvents(current));
    }
    return;
  }
  const change = decide(stored, batch.reference, deps);
  const [result] = await deps.save([change], batch.reference);
  if (result && 'saved' in result) {
    batch.saved.set(id, result.saved);
    batch.events.push(...assessmentEvents(result.saved));
    return;
  }
  // Refused: if another delivery of this message got there first, announce what it wrote.
  const now = await deps.store.getState(id);
  if (now && now.version !== stored.version && now.status !== 'RECEIVED') {
    if (now.assessment) {
      await deps.complete?.(now, stored.declaration);
      batch.events.push(...assessmentEvents(now));
    }
    return;
  }
  throw result?.error ?? new Error(`Declaration ${id} was not saved`);
};
