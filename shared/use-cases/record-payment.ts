// A platform (its own declarations) or an officer records duty and tax paid at import. The payment, its
// ledger entries and any release it brings are one conditional write; the events follow.
import type { Principal } from '../domain/caller.js';
import { type PaymentCommand, recordPayment } from '../domain/clearance/payments.js';
import { actionIdFor } from '../domain/clearance/release.js';
import {
  type ClearanceDeps,
  declarationState,
  type LedgerPort,
  releaseEffects,
  runWithLodgedBody,
} from './clearance-command.js';
import type { DeclarationStore } from './ports/declarations.js';

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
  // The ledger needs the lodged body's collection model.
  const { record, changed, value } = await runWithLodgedBody(command, deps, (current, declaration, at) => {
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
  });
  return { created: changed, body: { payment: value.payment, declaration: declarationState(record) } };
};
