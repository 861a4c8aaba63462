// What a caller may see of a declaration. A filer (platform or post) sees only its own, an agency only those routed to
// it; anything else answers "not found", so ids of others' declarations reveal nothing.

import type { Principal } from '../domain/caller.js';
import { isRoutedTo } from '../domain/clearance/holds.js';
import type { StoredDeclaration } from '../domain/clearance/record.js';
import { NotFoundError } from '../domain/errors.js';
import { filerIdOf } from '../domain/filer.js';
import type { DeclarationStore } from './ports/declarations.js';

export const canSee = (
  principal: Principal,
  record: Pick<StoredDeclaration, 'platformId' | 'holds'>,
): boolean => {
  switch (principal.role) {
    case 'platform':
    case 'post':
      return record.platformId === filerIdOf(principal);
    case 'agency':
      return isRoutedTo(record, principal.subject);
    case 'officer':
    case 'admin':
      return true;
    case 'finance':
      return false;
  }
};

/** Filers (platforms, posts) lodge declarations; what they see of risk is limited to their own facts. */
const FILER_ROLES: ReadonlySet<string> = new Set(['platform', 'post']);
/** Roles that see risk in full: scores, every reason, and hits on other consignments' facts. */
const RISK_ROLES: ReadonlySet<string> = new Set(['officer', 'admin']);

export const isFiler = (principal: Principal): boolean => FILER_ROLES.has(principal.role);

/**
 * Risk as the caller may see it. Officers see scores and every reason; anyone else sees each hit's
 * profile id with its public reason, and no score, which would tell whether trust lowered it.
 */
export const riskView = (risk: StoredDeclaration['risk'], principal: Principal) => {
  if (!risk) return null;
  if (RISK_ROLES.has(principal.role))
    return {
      lane: risk.lane,
      score: risk.score,
      hits: risk.hits.map(({ profileId, reason, score }) => ({ profileId, reason, score })),
    };
  return {
    lane: risk.lane,
    hits: risk.hits.flatMap((hit) =>
      hit.publicReason === undefined ? [] : [{ profileId: hit.profileId, reason: hit.publicReason }],
    ),
  };
};

export const declarationView = (stored: StoredDeclaration, principal: Principal) => ({
  id: stored.id,
  reference: stored.reference,
  platformId: stored.platformId,
  status: stored.status,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
  declaration: stored.declaration,
  risk: riskView(stored.risk, principal),
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
) => declarationView(await loadVisible(command, deps), command.principal);
