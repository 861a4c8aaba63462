// An officer closes a check with RELEASE, REJECT or SEIZE. The findings change the risk profiles'
// check counters in the same transaction as the decision.
import type { DeclarationStore, TransactionWrite } from '../adapters/declaration-store.js';
import type { Principal } from '../domain/caller.js';
import { type DecisionCommand, decide, type ProfileStatDeltas } from '../domain/clearance/decisions.js';
import { NotFoundError } from '../domain/errors.js';
import {
  type ClearanceDeps,
  declarationState,
  extinguishment,
  type LedgerPort,
  releaseWrites,
  runClearanceCommand,
} from './clearance-command.js';

export interface DecisionDeps extends ClearanceDeps {
  /** The counter updates for the profiles a decision's findings concern. */
  profileStatsWrites: (deltas: ProfileStatDeltas, at: string) => TransactionWrite[];
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
      const ended = await extinguishment(deps.ledger, current, result.record, declaration, at);
      return {
        result: { ...result, value: { ...result.value, events: [...result.value.events, ...ended.events] } },
        alongside: [
          ...deps.profileStatsWrites(result.value.stats, at),
          ...releaseWrites(deps.ledger, current, result.record),
          ...ended.writes,
        ],
      };
    },
    first,
  );
  return { decision: value.decision, declaration: declarationState(record) };
};
