// The one way clearance actions change a declaration: read its state, apply the pure action, write the
// new state conditionally on the version read (with what it causes, e.g. ledger entries, in the same
// transaction), then publish the events. When another request wrote in between, the write is
// refused and the action is applied again to the fresh state, so no transition is ever lost and none is
// applied twice.

import type { Principal } from '../domain/caller.js';
import type { StateEffect } from '../domain/clearance/effects.js';
import type { DeclarationRecord, Payment, Refund } from '../domain/clearance/record.js';
import { type ActionResult, amountDue } from '../domain/clearance/release.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { ConcurrentUpdateError, NotFoundError, VersionConflictError } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import { debtExtinguishedEvent } from '../domain/ledger/effects.js';
import { extinguishesDebt, ledgerEntriesForExtinguishment } from '../domain/ledger/entries.js';
import { retryOptimistic } from '../lib/optimistic.js';
import type { DeclarationStore } from './ports/declarations.js';
import type { PublishEvents } from './ports/events.js';
import { loadVisible } from './view-declaration.js';

export interface ClearanceDeps {
  store: Pick<DeclarationStore, 'getState' | 'save'>;
  publish: PublishEvents;
  now: () => Date;
  /** Pause before applying an action again after a lost race; jittered exponential backoff by default. */
  backoff?: (attempt: number) => Promise<void>;
  /** Told of each state a command wrote, with the state it replaced (the step's metrics). */
  committed?: (before: DeclarationRecord | undefined, after: DeclarationRecord) => void;
}

/** Attempts in all when other requests keep changing the same declaration at the same moment. */
export const CLEARANCE_ATTEMPTS = 10;

export interface Applied<T> {
  result: ActionResult<T & { events: DomainEvent[] }>;
  /** What the new state causes, stored in the same transaction as the state. */
  effects?: StateEffect[];
}

/**
 * Applies `apply` to the current state of declaration `id` until its write wins. `apply` gets the state
 * and the time of this attempt; it throws domain errors (not found, conflict, ...) that end the command.
 * After `CLEARANCE_ATTEMPTS` lost races the version conflict is reported (409: retry).
 */
export const runClearanceCommand = async <T>(
  id: string,
  deps: ClearanceDeps,
  apply: (current: DeclarationRecord | undefined, at: string) => Applied<T> | Promise<Applied<T>>,
  /** The state already read for the first attempt, if the caller read it (with the body). */
  first?: DeclarationRecord,
): Promise<{ record: DeclarationRecord; changed: boolean; value: T & { events: DomainEvent[] } }> => {
  const { current, record, result } = await retryOptimistic(
    async (attempt) => {
      const current = attempt === 1 && first ? first : await deps.store.getState(id);
      const { result, effects = [] } = await apply(current, deps.now().toISOString());
      const record = result.changed ? await deps.store.save(result.record, effects) : result.record;
      return { current, result, record };
    },
    {
      attempts: CLEARANCE_ATTEMPTS,
      lostRace: (error) => error instanceof VersionConflictError || error instanceof ConcurrentUpdateError,
      exhausted: (error) => (error instanceof ConcurrentUpdateError ? new VersionConflictError(id) : error),
      ...(deps.backoff ? { pause: deps.backoff } : {}),
    },
  );
  if (result.changed) deps.committed?.(current, record);
  if (result.value.events.length > 0) await deps.publish(result.value.events);
  return { record, changed: result.changed, value: result.value };
};

/**
 * `runClearanceCommand` for an action that needs the lodged body: it is read once with the first state (it
 * never changes), and a declaration the caller may not see is not found.
 */
export const runWithLodgedBody = async <T>(
  command: { id: string; principal: Principal },
  deps: ClearanceDeps & { store: Pick<DeclarationStore, 'get'> },
  apply: (
    current: DeclarationRecord,
    declaration: Declaration,
    at: string,
  ) => Applied<T> | Promise<Applied<T>>,
) => {
  const { declaration, ...first } = await loadVisible(command, deps);
  return runClearanceCommand(
    command.id,
    deps,
    (current, at) => {
      if (!current) throw new NotFoundError(`No declaration ${command.id} is visible to you`);
      return apply(current, declaration, at);
    },
    first,
  );
};

/**
 * The revenue ledger as clearance needs it: the entries (and aggregate changes) a payment or a refund
 * causes, as effects stored with the new state.
 */
export interface LedgerPort {
  /** COLLECTED entries of a payment (and the revenue aggregates they change). */
  forPayment(record: DeclarationRecord, declaration: Declaration, payment: Payment): StateEffect[];
  /** REFUNDED entries of a refund (and the revenue aggregates they change). */
  forRefund(record: DeclarationRecord, declaration: Declaration, refund: Refund): StateEffect[];
  /** The release-time observation of a declaration an action released (statistics). */
  forRelease(record: DeclarationRecord): StateEffect[];
  /**
   * EXTINGUISHED and REFUNDED entries of a debt that ended (cancelled, rejected, seized), the statistics
   * it no longer counts and, where the pack keeps one, the consignee's annual allowance given back.
   */
  forExtinguishment(record: DeclarationRecord, declaration: Declaration, at: string): StateEffect[];
  /** The law that ends the debt of this declaration, as the stack's rules in force on its import date say. */
  debtLegalBasis(record: DeclarationRecord): string;
}

/** The release-time effects when an action moved a declaration to RELEASED. */
export const releaseEffects = (
  ledger: Pick<LedgerPort, 'forRelease'>,
  before: DeclarationRecord | undefined,
  after: DeclarationRecord,
): StateEffect[] =>
  after.status === 'RELEASED' && before?.status !== 'RELEASED' ? ledger.forRelease(after) : [];

/**
 * The effects and the event when an action ended an assessed declaration's debt (`extinguishesDebt`),
 * else nothing.
 */
export const extinguishment = (
  ledger: Pick<LedgerPort, 'forExtinguishment' | 'debtLegalBasis'>,
  before: DeclarationRecord | undefined,
  after: DeclarationRecord,
  declaration: Declaration,
  at: string,
): { effects: StateEffect[]; events: DomainEvent[] } => {
  if (!extinguishesDebt(before, after)) return { effects: [], events: [] };
  const entries = ledgerEntriesForExtinguishment(after, declaration, at);
  return {
    effects: ledger.forExtinguishment(after, declaration, at),
    events: [debtExtinguishedEvent(after, entries, at, ledger.debtLegalBasis(after))],
  };
};

/** The declaration as a clearance action answers with it. */
export const declarationState = (record: DeclarationRecord) => ({
  id: record.id,
  reference: record.reference,
  status: record.status,
  updatedAt: record.updatedAt,
  amountDue: amountDue(record),
  ...(record.assessment ? { currency: record.assessment.currency } : {}),
});
