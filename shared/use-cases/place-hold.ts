// An officer or an agency holds a declaration. Officers route: an agency holds only a declaration an
// officer or a risk profile routed to it; any other id answers "not found", as for a viewer.

import { placeHold } from '../domain/clearance/holds.js';
import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../http/auth.js';
import { HoldRequestSchema } from '../http/schemas/clearance.js';
import {
  type ClearanceDeps,
  declarationState,
  parseRequest,
  runClearanceCommand,
} from './clearance-command.js';
import { canSee } from './view-declaration.js';

export interface PlaceHoldDeps extends ClearanceDeps {
  newHoldId: () => string;
}

export const placeDeclarationHold = async (
  command: { id: string; principal: Principal; body: unknown },
  deps: PlaceHoldDeps,
) => {
  const request = parseRequest(HoldRequestSchema, command.body, 'hold');
  const holdId = deps.newHoldId();
  const { record, changed, value } = await runClearanceCommand(command.id, deps, (current, at) => {
    if (!current || !canSee(command.principal, current)) {
      throw new NotFoundError(`No declaration ${command.id} is visible to you`);
    }
    return {
      result: placeHold(current, {
        holdId,
        reason: request.reason,
        ...(request.agency ? { agency: request.agency } : {}),
        actor: command.principal,
        at,
      }),
    };
  });
  return { created: changed, body: { hold: value.hold, declaration: declarationState(record) } };
};
