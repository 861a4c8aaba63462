// A platform (its own declarations) or an officer records duty and tax paid at import. The payment, its
// ledger entries and any release it brings are one conditional write; the events follow.
import type { Principal } from '../domain/caller.js';
import { type PaymentCommand, recordPayment } from '../domain/clearance/payments.js';
import { actionIdFor } from '../domain/clearance/release.js';
import { NotFoundError } from '../domain/errors.js';
import {
  type ClearanceDeps,
  declarationState,
  type LedgerPort,
  releaseEffects,
  runClearanceCommand,
} from './clearance-command.js';
import type { DeclarationStore } from './ports/declarations.js';
import { loadVisible } from './view-declaration.js';

export interface PaymentDeps extends ClearanceDeps {
  store: Pick<DeclarationStore, 'get' | 'getState' | 'save'>;
  ledger: Pick<LedgerPort, 'forPayment' | 'forRelease'>;
}

export const recordDeclarationPayment = async (
  command: {
    id: string;
    principal: Principal;
    request: Pick<PaymentCommand, 'amount' | 'currency' | 'reference'>;
  },
  deps: PaymentDeps,
) => {
  const { request } = command;
  // The lodged body (the ledger needs its collection model) never changes: read it with the first state.
  const stored = await loadVisible(command, deps);
  const { declaration, ...first } = stored;
  const { record, changed, value } = await runClearanceCommand(
    command.id,
    deps,
    (current, at) => {
      if (!current) throw new NotFoundError(`No declaration ${command.id} is visible to you`);
      const result = recordPayment(current, {
        paymentId: actionIdFor('pay', current.id, request.reference),
        ...request,
        actor: command.principal,
        at,
      });
      if (!result.changed) return { result };
      return {
        result,
        effects: [
          ...deps.ledger.forPayment(result.record, declaration, result.value.payment),
          ...releaseEffects(deps.ledger, current, result.record),
        ],
      };
    },
    first,
  );
  return { created: changed, body: { payment: value.payment, declaration: declarationState(record) } };
};
