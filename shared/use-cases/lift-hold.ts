// The agency a hold is for (or, for a customs hold, an officer) lifts it; the release rules run again, so
// the last lift releases the declaration when nothing is due and no check is open.

import type { Principal } from '../domain/caller.js';
import { liftHold } from '../domain/clearance/holds.js';
import { NotFoundError } from '../domain/errors.js';
import {
  type ClearanceDeps,
  declarationState,
  type LedgerPort,
  releaseEffects,
  runClearanceCommand,
} from './clearance-command.js';
import { canSee } from './view-declaration.js';

export interface LiftHoldDeps extends ClearanceDeps {
  ledger: Pick<LedgerPort, 'forRelease'>;
}

export const liftDeclarationHold = async (
  command: { id: string; holdId: string; principal: Principal; note?: string | undefined },
  deps: LiftHoldDeps,
) => {
  const { note } = command;
  const { record, value } = await runClearanceCommand(command.id, deps, (current, at) => {
    // An agency that cannot see the declaration (no hold of its own there) learns nothing about it.
    if (!current || !canSee(command.principal, current)) {
      throw new NotFoundError(`No declaration ${command.id} is visible to you`);
    }
    const result = liftHold(current, {
      holdId: command.holdId,
      actor: command.principal,
      at,
      ...(note ? { note } : {}),
    });
    return { result, effects: result.changed ? releaseEffects(deps.ledger, current, result.record) : [] };
  });
  return { hold: value.hold, declaration: declarationState(record) };
};
