// What a caller may see of a declaration. A platform sees only its own, an agency only those routed to
// it; anything else answers "not found", so ids of others' declarations reveal nothing.

import type { DeclarationStore } from '../adapters/declaration-store.js';
import type { Principal } from '../domain/caller.js';
import type { StoredDeclaration } from '../domain/clearance/record.js';
import { NotFoundError } from '../domain/errors.js';

export const canSee = (
  principal: Principal,
  record: Pick<StoredDeclaration, 'platformId' | 'holds'>,
): boolean => {
  switch (principal.role) {
    case 'platform':
      return record.platformId === principal.subject;
    case 'agency':
      return record.holds.some((hold) => hold.agency === principal.subject);
    case 'officer':
    case 'admin':
      return true;
    case 'finance':
      return false;
  }
};

export const declarationView = (stored: StoredDeclaration) => ({
  id: stored.id,
  reference: stored.reference,
  platformId: stored.platformId,
  status: stored.status,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
  declaration: stored.declaration,
  risk: stored.risk ? { lane: stored.risk.lane, score: stored.risk.score, hits: stored.risk.hits } : null,
  assessment: stored.assessment ?? null,
  holds: stored.holds,
  payments: stored.payments,
  history: stored.history,
});

/** The stored declaration if this caller may see it; anything else is "not found", never "forbidden". */
export const loadVisible = async (
  command: { id: string; principal: Principal },
  deps: { store: Pick<DeclarationStore, 'get'> },
): Promise<StoredDeclaration> => {
  const stored = await deps.store.get(command.id);
  if (!stored || !canSee(command.principal, stored)) {
    throw new NotFoundError(`No declaration ${command.id} is visible to you`);
  }
  return stored;
};

export const viewDeclaration = async (
  command: { id: string; principal: Principal },
  deps: { store: Pick<DeclarationStore, 'get'> },
) => declarationView(await loadVisible(command, deps));
