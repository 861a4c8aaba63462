// An officer or an agency holds a declaration. Officers route: an agency holds only a declaration an
// officer or a risk profile routed to it; any other id answers "not found", as for a viewer.

import type { Principal } from '../domain/caller.js';
import { type PlaceHoldCommand, placeHold } from '../domain/clearance/holds.js';
import { NotFoundError } from '../domain/errors.js';
import { type ClearanceDeps, declarationState, runClearanceCommand } from './clearance-command.js';
import { canSee } from './view-declaration.js';

export interface PlaceHoldDeps extends ClearanceDeps {
  newHoldId: () => string;
}

export const placeDeclarationHold = async (
  command: { id: string; principal: Principal; request: Pick<PlaceHoldCommand, 'reason' | 'agency'> },
  deps: PlaceHoldDeps,
) => {
  const { request } = command;
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
