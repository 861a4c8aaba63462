// An officer's export of one declaration's whole record for an audit: the lodged body, history, risk with
// the officer-only facts, assessment, holds, decision, payments, refunds and the ledger entries booked.

import type { Principal } from '../domain/caller.js';
import { ledgerEntriesOfRecord } from '../domain/ledger/entries.js';
import type { DeclarationStore } from './ports/declarations.js';
import { declarationView, loadVisible } from './view-declaration.js';

export const exportRecord = async (
  command: { id: string; principal: Principal },
  deps: { store: Pick<DeclarationStore, 'get'> },
) => {
  const stored = await loadVisible(command, deps);
  const risk = stored.risk;
  return {
    ...declarationView(stored, command.principal),
    risk: risk
      ? {
          lane: risk.lane,
          score: risk.score,
          assessedAt: risk.assessedAt,
          ...(risk.profileVersions ? { profileVersions: risk.profileVersions } : {}),
          hits: risk.hits.map(({ profileId, reason, publicReason, score }) => ({
            profileId,
            reason,
            ...(publicReason === undefined ? {} : { publicReason }),
            score,
          })),
        }
      : null,
    decision: stored.decision ?? null,
    refunds: stored.refunds ?? [],
    personalDataErasedAt: stored.personalDataErasedAt ?? null,
    ledgerEntries: ledgerEntriesOfRecord(stored, stored.declaration).map(
      ({ declarationId: _declarationId, platformId: _platformId, ...entry }) => entry,
    ),
  };
};
