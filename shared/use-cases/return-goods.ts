// A platform reports goods returned (or an order refunded) after release: the duty and tax collected at
// import for the returned lines are refunded, as REFUNDED ledger entries written with the refund.
import type { Principal } from '../domain/caller.js';
import { type ReturnCommand, returnGoods } from '../domain/clearance/refunds.js';
import { actionIdFor } from '../domain/clearance/release.js';
import {
  type ClearanceDeps,
  declarationState,
  type LedgerPort,
  runWithLodgedBody,
} from './clearance-command.js';
import type { DeclarationStore } from './ports/declarations.js';

export interface ReturnDeps extends ClearanceDeps {
  store: Pick<DeclarationStore, 'get' | 'getState' | 'save'>;
  ledger: Pick<LedgerPort, 'forRefund'>;
}

export const returnDeclarationGoods = async (
  command: {
    id: string;
    principal: Principal;
    request: Pick<ReturnCommand, 'reference' | 'reason' | 'items'>;
  },
  deps: ReturnDeps,
) => {
  const { request } = command;
  // The lodged body never changes: read once for the goods lines, then apply to the latest state.
  const { record, changed, value } = await runWithLodgedBody(command, deps, (current, declaration, at) => {
    const result = returnGoods(current, declaration, {
      refundId: actionIdFor('rfd', current.id, request.reference),
      reference: request.reference,
      reason: request.reason,
      ...(request.items ? { items: request.items } : {}),
      actor: command.principal,
      at,
    });
    return {
      result,
      effects: result.changed ? deps.ledger.forRefund(result.record, declaration, result.value.refund) : [],
    };
  });
  return { created: changed, body: { refund: value.refund, declaration: declarationState(record) } };
};
