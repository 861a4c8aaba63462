// The single window's view for an agency: the holds routed to it, one index entry per hold, derived from
// the declaration's state so that rebuilding an entry from the latest state is always right.
import type { DeclarationRecord, Hold } from './record.js';

export interface AgencyHoldEntry
  extends Pick<
    Hold,
    'reason' | 'placedBy' | 'placedByPerson' | 'placedAt' | 'liftedAt' | 'liftedBy' | 'liftedByPerson'
  > {
  agency: string;
  declarationId: string;
  reference: string;
  platformId: string;
  holdId: string;
  /** The declaration's status and state version when the entry was derived. */
  status: DeclarationRecord['status'];
  stateVersion: number;
}

/** Every agency hold of a declaration, as index entries. */
export const agencyHoldEntries = (record: DeclarationRecord): AgencyHoldEntry[] =>
  record.holds.flatMap((hold) =>
    hold.agency
      ? [
          {
            agency: hold.agency,
            declarationId: record.id,
            reference: record.reference,
            platformId: record.platformId,
            holdId: hold.id,
            reason: hold.reason,
            placedBy: hold.placedBy,
            ...(hold.placedByPerson ? { placedByPerson: hold.placedByPerson } : {}),
            placedAt: hold.placedAt,
            ...(hold.liftedAt ? { liftedAt: hold.liftedAt } : {}),
            ...(hold.liftedBy ? { liftedBy: hold.liftedBy } : {}),
            ...(hold.liftedByPerson ? { liftedByPerson: hold.liftedByPerson } : {}),
            status: record.status,
            stateVersion: record.version,
          },
        ]
      : [],
  );
