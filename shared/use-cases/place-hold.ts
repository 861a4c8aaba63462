// An officer or an agency holds a declaration. An agency may hold any declaration it names by id (border
// agencies share the single window); from then on the declaration is routed to it and visible to it.

import type { Principal } from '../domain/caller.js';
import { type PlaceHoldCommand, placeHold } from '../domain/clearance/holds.js';
import { NotFoundError } from '../domain/errors.js';
import { type ClearanceDeps, declarationState, runClearanceCommand } from './clearance-command.js';

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
    if (!current) throw new NotFoundError(`No declaration ${command.id}`);
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
