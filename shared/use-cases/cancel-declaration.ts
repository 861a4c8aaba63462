// A platform withdraws its own declaration before release. Refused while a customs check or a hold
// stands. When the declaration was assessed, its debt ends in the same conditional write: the ledger
// books what is extinguished and refunded, and DebtExtinguished follows DeclarationCancelled.
import type { Principal } from '../domain/caller.js';
import { openChecks, TERMINAL, transition } from '../domain/clearance/record.js';
import { transitionEvents } from '../domain/clearance/release.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import {
  type ClearanceDeps,
  extinguishment,
  type LedgerPort,
  runWithLodgedBody,
} from './clearance-command.js';
import type { DeclarationStore } from './ports/declarations.js';

export interface CancelDeps extends ClearanceDeps {
  store: Pick<DeclarationStore, 'get' | 'getState' | 'save'>;
  ledger: Pick<LedgerPort, 'forExtinguishment' | 'debtLegalBasis'>;
}

export const cancelDeclaration = async (
  /** `reason` as the route parsed it from the optional body. */
  command: { id: string; principal: Principal; reason?: string | undefined },
  deps: CancelDeps,
) => {
  const reason = command.reason ?? 'Cancelled by the platform';
  if (command.principal.role !== 'platform') {
    throw new NotFoundError(`No declaration ${command.id} is visible to you`);
  }
  return runWithLodgedBody(command, deps, async (current, declaration, at) => {
    // Cancelling twice is a retry, not a conflict: answer with the cancelled declaration.
    if (current.status === 'CANCELLED')
      return { result: { record: current, changed: false, value: { events: [] } } };
    if (TERMINAL.has(current.status)) {
      throw new ConflictError(`The declaration is ${current.status}; it cannot become CANCELLED`, {
        currentStatus: current.status,
      });
    }
    const checks = openChecks(current);
    if (checks.length > 0) {
      throw new ConflictError(
        'A customs check or hold stands on the declaration: it cannot be cancelled until it is closed',
        { currentStatus: current.status, openChecks: checks },
      );
    }
    const next = transition(current, 'CANCELLED', command.principal.subject, reason, at);
    const ended = extinguishment(deps.ledger, current, next, declaration, at);
    return {
      result: {
        record: next,
        changed: true,
        value: { events: [...transitionEvents(current, next, at), ...ended.events] },
      },
      effects: ended.effects,
    };
  });
};
