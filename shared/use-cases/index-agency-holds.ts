// The single window's subscription to hold events: after every HoldPlaced or HoldLifted the agency hold
// entries of that declaration are rewritten from its current state, so each agency can list what is
// routed to it. Re-running it for any event, in any order, writes the same entries.

import { agencyHoldEntries } from '../domain/clearance/agency-holds.js';
import type { DeclarationRecord } from '../domain/clearance/record.js';
import type { AgencyHoldIndex } from './ports/agency-holds.js';
import type { DeclarationStore } from './ports/declarations.js';

export interface IndexDeps {
  store: Pick<DeclarationStore, 'getStates'>;
  index: Pick<AgencyHoldIndex, 'write'>;
}

export const prepareIndexBatch = (ids: string[], deps: IndexDeps): Promise<Map<string, DeclarationRecord>> =>
  deps.store.getStates(ids);

export const indexAgencyHolds = async (
  id: string,
  states: Map<string, DeclarationRecord>,
  deps: IndexDeps,
): Promise<void> => {
  const record = states.get(id);
  if (!record) throw new Error(`Declaration ${id} is not stored`);
  for (const entry of agencyHoldEntries(record)) await deps.index.write(entry);
};
