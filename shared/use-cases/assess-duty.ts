// Duty and tax assessment of risk-evaluated declarations, and the release decision that follows it.
// The risk step's results arrive with the work (SQS); reference data for the whole batch is read up front
// and every declaration is assessed by the pure engine; the new states (risk result, assessment, outcome:
// the declaration's one write after its lodgement) are then written together with the ledger entries and
// aggregate updates they cause, in one transaction for the whole batch (aggregates pre-summed over it).
// When that transaction is refused (a redelivered or concurrently handled declaration), each declaration
// is saved on its own. A redelivery finds the outcome stored and only announces it again.
import * as z from 'zod';
import {
  type DeclarationRecord,
  type Hold,
  type RiskResult,
  releaseDecision,
  type StoredDeclaration,
  transition,
} from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import type { Assessment } from '../domain/duty/assessment.js';
import { type DomainEvent, domainEvent, eventBase } from '../domain/events.js';
import { Decimal } from '../domain/money.js';
import { type DutyWork, ruleDate } from './evaluate-risk.js';
import type { DeclarationStore } from './ports/declarations.js';
import type { PublishEvents } from './ports/events.js';

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
  /** `filerId`: who lodged it, the debtor of what the law lays on the declarant. */
  assess: (declaration: Declaration, date: string, reference: Reference, filerId: string) => Outcome;
  /** Recognises the engine's "missing reference data" error. */
  missingData: (error: unknown) => MissingData | undefined;
  publish: PublishEvents;
  now: () => Date;
}

export interface DutyBatch<Reference> {
  declarations: Map<string, StoredDeclaration>;
  /** The risk step's result for each declaration, as handed over. */
  results: Map<string, RiskResult>;
  reference: Reference;
  events: DomainEvent[];
  /** States written by the batch transaction, by declaration id. */
  saved: Map<string, DeclarationRecord>;
}

/** A RECEIVED declaration with the risk step's result: its lane, score and hits, and the holds it placed. */
const withRisk = (record: DeclarationRecord, result: RiskResult | undefined): DeclarationRecord => {
  if (record.risk) return record;
  if (!result) throw new Error(`Declaration ${record.id} has no risk result`);
  return { ...record, risk: result.risk, holds: [...record.holds, ...result.holds] };
};

/**
 * The new state of a RECEIVED declaration with its risk result: rejected by a risk profile, assessed, or
 * held for missing data.
 */
const decide = <Reference, Outcome extends AssessmentOutcome>(
  stored: StoredDeclaration,
  result: RiskResult | undefined,
  reference: Reference,
  deps: DutyDeps<Reference, Outcome>,
): DutyChange<Outcome> => {
  const { declaration, ...current } = stored;
  const at = deps.now().toISOString();
  const date = ruleDate(current, declaration);
  let next: DeclarationRecord = withRisk(current, result);
  let outcome: Outcome | undefined;
  if (!stored.risk && result?.rejection !== undefined) {
    next = transition(next, 'REJECTED', 'risk', result.rejection, result.risk.assessedAt);
    return { current, record: next, declaration, outcome };
  }
  const risked = next;
  try {
    outcome = deps.assess(declaration, date, reference, current.platformId);
    next = { ...risked, assessment: outcome.assessment };
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
    next = transition({ ...risked, holds: [...risked.holds, hold] }, 'HELD', 'duty', hold.reason, at);
  }
  return { current, record: next, declaration, outcome };
};

const isPending = (stored: StoredDeclaration): boolean => stored.status === 'RECEIVED';

export const prepareDutyBatch = async <Reference, Outcome extends AssessmentOutcome>(
  works: DutyWork[],
  deps: DutyDeps<Reference, Outcome>,
): Promise<DutyBatch<Reference>> => {
  const ids = works.map((work) => work.declarationId);
  // A redelivered result is the same declaration again: the first one handed over is kept.
  const results = new Map<string, RiskResult>();
  for (const work of works)
    if (work.result && !results.has(work.declarationId)) results.set(work.declarationId, work.result);
  const declarations = await deps.store.getMany(ids);
  const stored = [...declarations.values()];
  const reference = await deps.loadReference(
    stored.map((entry) => entry.declaration),
    stored.map((entry) => ruleDate(entry, entry.declaration)),
  );
  const batch: DutyBatch<Reference> = { declarations, results, reference, events: [], saved: new Map() };

  // One transaction for the batch. A declaration whose assessment fails, or that moves state shared
  // across declarations, is left to be handled (and to fail) on its own.
  const changes: DutyChange<Outcome>[] = [];
  for (const id of new Set(ids)) {
    const entry = declarations.get(id);
    if (!entry || !isPending(entry)) continue;
    try {
      const change = decide(entry, results.get(id), reference, deps);
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

/**
 * The events that announce a record's outcome to consumers outside the pipeline (webhooks, the single
 * window, the post's responses): the outcome, the holds the risk step placed and, when something is due
 * at import (someone must collect it: the post's DUTY_DUE response), what is due: on the release itself
 * when the declaration is released, else as DutyAssessed. A green release is one event. Derived from the
 * record, so re-derivable.
 */
export const assessmentEvents = (record: DeclarationRecord): DomainEvent[] => {
  const last = record.history.at(-1);
  const at = last?.at ?? record.updatedAt;
  const events: DomainEvent[] = [];
  const due =
    record.assessment && new Decimal(record.assessment.totals.dueAtImport).greaterThan(0)
      ? {
          currency: record.assessment.currency,
          dueAtImport: record.assessment.totals.dueAtImport,
          collectedAtCheckout: record.assessment.totals.collectedAtCheckout,
          payer: record.assessment.payer,
        }
      : undefined;
  // A release carries what is due itself; DutyAssessed announces an assessment that does not release.
  if (due && record.status !== 'RELEASED') {
    events.push(domainEvent('DutyAssessed', { ...eventBase(record, at), ...due }));
  }
  for (const hold of record.holds.filter(
    (candidate) => candidate.placedBy === 'risk' && !candidate.liftedAt,
  )) {
    events.push(
      domainEvent('HoldPlaced', {
        ...eventBase(record, hold.placedAt),
        holdId: hold.id,
        reason: hold.reason,
        ...(hold.agency ? { agency: hold.agency } : {}),
      }),
    );
  }
  const reason = last?.reason ?? '';
  switch (record.status) {
    case 'RELEASED':
      events.push(
        domainEvent('DeclarationReleased', {
          ...eventBase(record, at),
          releasedAt: at,
          ...(record.risk ? { lane: record.risk.lane } : {}),
          ...due,
        }),
      );
      break;
    case 'HELD':
    case 'AWAITING_PAYMENT':
      events.push(domainEvent('DeclarationHeld', { ...eventBase(record, at), reason }));
      break;
    case 'REJECTED':
      events.push(domainEvent('DeclarationRejected', { ...eventBase(record, at), reason }));
      break;
    default:
      break;
  }
  return events;
};

/** Refused by a risk profile before any assessment: announced like an outcome of this step. */
const rejectedByRisk = (record: DeclarationRecord): boolean =>
  record.status === 'REJECTED' && record.history.at(-1)?.by === 'risk';

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
    // Decided already (or cancelled): finish its writes, announce the stored outcome again.
    const { declaration, ...current } = stored;
    if (current.assessment) await deps.complete?.(current, declaration);
    if (current.assessment || rejectedByRisk(current)) batch.events.push(...assessmentEvents(current));
    return;
  }
  const change = decide(stored, batch.results.get(id), batch.reference, deps);
  const [result] = await deps.save([change], batch.reference);
  if (result && 'saved' in result) {
    batch.saved.set(id, result.saved);
    batch.events.push(...assessmentEvents(result.saved));
    return;
  }
  // Refused: if another delivery of this message got there first, announce what it wrote.
  const now = await deps.store.getState(id);
  if (now && now.version !== stored.version && now.status !== 'RECEIVED') {
    if (now.assessment) await deps.complete?.(now, stored.declaration);
    if (now.assessment || rejectedByRisk(now)) batch.events.push(...assessmentEvents(now));
    return;
  }
  throw result?.error ?? new Error(`Declaration ${id} was not saved`);
};

const RiskResultSchema = z.object({
  risk: z.object({
    lane: z.enum(['GREEN', 'AMBER', 'RED']),
    score: z.number(),
    hits: z.array(
      z.object({
        profileId: z.string(),
        reason: z.string(),
        score: z.number(),
        publicReason: z.string().optional(),
      }),
    ),
    assessedAt: z.string(),
    profileVersions: z.array(z.string()).optional(),
  }),
  holds: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      agency: z.string().optional(),
      profileId: z.string().optional(),
      placedBy: z.string(),
      placedAt: z.string(),
    }),
  ),
  rejection: z.string().optional(),
});
/** The risk step's hand-over on the duty queue (shared/sqs/records.ts reads the queue's messages). */
export const DutyWorkSchema = z.object({
  declarationId: z.string().min(1),
  result: RiskResultSchema.optional(),
}) as unknown as z.ZodType<DutyWork>;

/**
 * Handles the declarations of one message. When some of a message's declarations fail, they are handed
 * back to the queue one message each (`requeue`), so each is retried, and dead-lettered, on its own and
 * the others are done; a message of one declaration, or a failed hand-back, fails the message itself.
 */
export const assessMessage = async <Reference, Outcome extends AssessmentOutcome>(
  works: DutyWork[],
  batch: DutyBatch<Reference>,
  deps: DutyDeps<Reference, Outcome>,
  requeue: (works: DutyWork[]) => Promise<void>,
): Promise<void> => {
  const failed: { work: DutyWork; error: unknown }[] = [];
  for (const work of works) {
    try {
      await assessOne(work.declarationId, batch, deps);
    } catch (error) {
      failed.push({ work, error });
    }
  }
  const [first] = failed;
  if (!first) return;
  if (works.length === 1) throw first.error;
  await requeue(failed.map((entry) => entry.work));
};
