// After every clearance action (a payment, a lifted hold, an officer's decision) the release rules run
// again: `settle` moves the declaration to where `releaseDecision` says it belongs, through the status
// machine, and `statusEvent` is the contract event that announces the status it reached.
import { createHash } from 'node:crypto';
import type { ActedBy } from '../caller.js';
import { type DomainEvent, domainEvent, eventBase } from '../events.js';
import { formatMoney } from '../money.js';
import {
  type DeclarationRecord,
  outstandingAtImport,
  releaseDecision,
  type Status,
  standingHolds,
  TERMINAL,
  transition,
} from './record.js';

/**
 * Who acts on a declaration: the caller's role and subject (platform id, officer id, agency code), and the
 * staff member signed in for it when known.
 */
export interface Actor {
  role: 'platform' | 'post' | 'officer' | 'agency' | 'finance' | 'admin';
  subject: string;
  person?: string;
}

/**
 * The id of a payment or refund: it follows from the declaration and the caller's reference, so a repeated
 * request can only ever address the same payment or refund.
 */
export const actionIdFor = (prefix: 'pay' | 'rfd', declarationId: string, reference: string): string =>
  `${prefix}_${createHash('sha256').update(`${prefix}\u0000${declarationId}\u0000${reference}`).digest('hex').slice(0, 26)}`;

/** The outcome of a pure clearance action: the record to store (unchanged on a repeat) and what it caused. */
export interface ActionResult<T> {
  record: DeclarationRecord;
  /** False when the action had already been applied (a retry): nothing is written. */
  changed: boolean;
  value: T;
}

/**
 * The record moved to the status the release rules give it now. A declaration still RECEIVED is left to
 * the duty step (it decides once assessed); a terminal one never moves. A HELD declaration that was never
 * assessed (the duty step held it for missing reference data) goes back to RECEIVED once no hold stands.
 */
export const settle = (record: DeclarationRecord, by: string | ActedBy, at: string): DeclarationRecord => {
  if (TERMINAL.has(record.status) || record.status === 'RECEIVED') return record;
  if (!record.assessment) {
    if (standingHolds(record).length > 0 || record.status !== 'HELD') return record;
    return transition(record, 'RECEIVED', by, 'No hold stands any more: back to duty assessment', at);
  }
  const next = releaseDecision(record);
  if (next.status === record.status) return record;
  return transition(record, next.status, by, next.reason, at);
};

/** What is still to pay at import, written in the assessment currency ("0.00" when nothing). */
export const amountDue = (record: DeclarationRecord): string =>
  record.assessment
    ? formatMoney(outstandingAtImport(record), record.assessment.currency)
    : outstandingAtImport(record).toString();

/**
 * The contract event announcing the status a record is in, or none for a status without one. There is no
 * detail type for a seizure: it is announced as DeclarationRejected whose `status` is SEIZED (the goods are
 * not released and the declaration is closed). A return to RECEIVED re-announces the stored risk result,
 * which is what sends a declaration to the duty step.
 */
export const statusEvent = (record: DeclarationRecord, at: string): DomainEvent | undefined => {
  const base = eventBase(record, at);
  const reason = record.history.at(-1)?.reason ?? '';
  const statusEvents: Record<Status, () => DomainEvent | undefined> = {
    RELEASED: () =>
      domainEvent('DeclarationReleased', {
        ...base,
        releasedAt: at,
        ...(record.risk ? { lane: record.risk.lane } : {}),
      }),
    HELD: () => domainEvent('DeclarationHeld', { ...base, reason }),
    AWAITING_PAYMENT: () => domainEvent('DeclarationHeld', { ...base, reason }),
    REJECTED: () => domainEvent('DeclarationRejected', { ...base, reason }),
    SEIZED: () =>
      domainEvent('DeclarationRejected', {
        ...base,
        reason,
        ...(record.decision?.disposal ? { disposal: record.decision.disposal } : {}),
      }),
    CANCELLED: () => domainEvent('DeclarationCancelled', { ...base, reason }),
    RECEIVED: () =>
      record.risk
        ? domainEvent('RiskAssessed', { ...base, lane: record.risk.lane, score: record.risk.score })
        : undefined,
    ASSESSED: () => undefined,
  };
  return statusEvents[record.status]();
};

/** The status event when `after` is in another status than `before`, else nothing. */
export const transitionEvents = (
  before: DeclarationRecord,
  after: DeclarationRecord,
  at: string,
): DomainEvent[] => {
  if (before.status === after.status) return [];
  const event = statusEvent(after, at);
  return event ? [event] : [];
};

/**
 * The status event an action at `at` caused, if the record's last transition was that action's. Replays
 * of an action announce it again, so an event lost between the write and the publish (a crash, a failed
 * PutEvents) goes out when the caller retries; consumers are idempotent, as everywhere on the bus.
 */
export const eventsCausedAt = (record: DeclarationRecord, at: string): DomainEvent[] => {
  if (record.history.at(-1)?.at !== at) return [];
  const event = statusEvent(record, at);
  return event ? [event] : [];
};
