// A platform (its own declarations) or an officer records duty and tax paid at import. The payment, its
// ledger entries and any release it brings are one conditional write; the events follow.
import type { DeclarationStore } from '../adapters/declaration-store.js';
import { recordPayment } from '../domain/clearance/payments.js';
import { actionIdFor } from '../domain/clearance/release.js';
import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../http/auth.js';
import { PaymentRequestSchema } from '../http/schemas/clearance.js';
import {
  type ClearanceDeps,
  declarationState,
  type LedgerPort,
  parseRequest,
  releaseWrites,
  runClearanceCommand,
} from './clearance-command.js';
import { loadVisible } from './view-declaration.js';

export interface PaymentDeps extends ClearanceDeps {
  store: Pick<DeclarationStore, 'get' | 'getState' | 'save'>;
  ledger: Pick<LedgerPort, 'forPayment' | 'forRelease'>;
}

export const recordDeclarationPayment = async (
  command: { id: string; principal: Principal; body: unknown },
  deps: PaymentDeps,
) => {
  const request = parseRequest(PaymentRequestSchema, command.body, 'payment');
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
        alongside: [
          ...deps.ledger.forPayment(result.record, declaration, result.value.payment),
          ...releaseWrites(deps.ledger, current, result.record),
        ],
      };
    },
    first,
  );
  return { created: changed, body: { payment: value.payment, declaration: declarationState(record) } };
};
