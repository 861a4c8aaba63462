// An officer closes a check with RELEASE, REJECT or SEIZE. The findings change the risk profiles'
// check counters in the same transaction as the decision.
import type { Principal } from '../domain/caller.js';
import { type DecisionCommand, decide } from '../domain/clearance/decisions.js';
import { NotFoundError } from '../domain/errors.js';
import {
  type ClearanceDeps,
  declarationState,
  extinguishment,
  type LedgerPort,
  releaseEffects,
  runClearanceCommand,
} from './clearance-command.js';
import type { DeclarationStore } from './ports/declarations.js';

export interface DecisionDeps extends ClearanceDeps {
  store: Pick<DeclarationStore, 'get' | 'getState' | 'save'>;
  ledger: Pick<LedgerPort, 'forRelease' | 'forExtinguishment' | 'debtLegalBasis'>;
}

export const decideCheck = async (
  command: {
    id: string;
    principal: Principal;
    request: Pick<DecisionCommand, 'decision' | 'findings' | 'disposal'>;
  },
  deps: DecisionDeps,
) => {
  const { request } = command;
  // The lodged body (the ledger needs it when a REJECT or SEIZE ends the debt) never changes.
  const stored = await deps.store.get(command.id);
  if (!stored) throw new NotFoundError(`No declaration ${command.id}`);
  const { declaration, ...first } = stored;
  const { record, value } = await runClearanceCommand(
    command.id,
    deps,
    async (current, at) => {
      if (!current) throw new NotFoundError(`No declaration ${command.id}`);
      const result = decide(current, { ...request, actor: command.principal, at });
      if (!result.changed) return { result };
      const ended = extinguishment(deps.ledger, current, result.record, declaration, at);
      return {
        result: { ...result, value: { ...result.value, events: [...result.value.events, ...ended.events] } },
        effects: [
          // The profiles' check counters move with the decision their findings concern.
          { kind: 'PROFILE_CHECKS', deltas: result.value.stats, at },
          ...releaseEffects(deps.ledger, current, result.record),
          ...ended.effects,
        ],
      };
    },
    first,
  );
  return { decision: value.decision, declaration: declarationState(record) };
};
