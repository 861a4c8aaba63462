// What is routed to an agency: its holds, newest first, standing ones by default, each with the
// declaration's current status. An agency lists its own; an officer names the agency.
import * as z from 'zod';
import type { Principal } from '../domain/caller.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { type CursorCodec, cursorCodec, InvalidCursorError, StartKeySchema } from '../lib/cursor.js';
import type { AgencyHoldIndex } from './ports/agency-holds.js';
import type { DeclarationStore } from './ports/declarations.js';

const Position = z.strictObject({ key: StartKeySchema });
type Position = z.infer<typeof Position>;

export interface ListHoldsDeps {
  index: Pick<AgencyHoldIndex, 'page'>;
  store: Pick<DeclarationStore, 'getStates'>;
  cursors: CursorCodec<Position>;
}

export const holdCursors = (key: Uint8Array): CursorCodec<Position> => cursorCodec(key, Position);

/** One page of the index; a position the cursor carried that is not this agency's is a bad cursor. */
const pageOf = async (deps: Pick<ListHoldsDeps, 'index'>, query: Parameters<AgencyHoldIndex['page']>[0]) => {
  try {
    return await deps.index.page(query);
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new ValidationError([{ path: 'cursor', message: error.message }]);
    throw error;
  }
};

const DEFAULT_LIMIT = 25;

/** The single window's query, as the edge parsed it. */
export interface AgencyHoldsQuery {
  agency?: string | undefined;
  state?: 'STANDING' | 'LIFTED' | 'ALL' | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export const listAgencyHolds = async (
  command: { principal: Principal; query: AgencyHoldsQuery },
  deps: ListHoldsDeps,
) => {
  const { principal, query } = command;
  const named = query.agency;
  let agency: string;
  if (principal.role === 'agency') {
    if (named !== undefined && named !== principal.subject) {
      throw new ForbiddenError(`The agency ${principal.subject} may only list its own holds`);
    }
    agency = principal.subject;
  } else if (principal.role === 'officer') {
    if (!named)
      throw new ValidationError([{ path: 'agency', message: 'is required: the agency code to list' }]);
    agency = named;
  } else {
    throw new ForbiddenError(`The ${principal.role} role may not list holds`);
  }
  const state = query.state ?? 'STANDING';
  const limit = query.limit ?? DEFAULT_LIMIT;
  const binding = JSON.stringify([principal.role, principal.subject, agency, state, limit]);
  let startKey: Record<string, string> | undefined;
  if (query.cursor) {
    try {
      startKey = deps.cursors.decode(query.cursor, binding).key;
    } catch (error) {
      if (error instanceof InvalidCursorError)
        throw new ValidationError([{ path: 'cursor', message: error.message }]);
      throw error;
    }
  }
  const page = await pageOf(deps, { agency, state, limit, ...(startKey ? { startKey } : {}) });
  const states = await deps.store.getStates(page.items.map((item) => item.declarationId));
  return {
    agency,
    items: page.items.map(({ stateVersion: _version, status, ...entry }) => ({
      ...entry,
      status: states.get(entry.declarationId)?.status ?? status,
    })),
    cursor: page.lastKey ? deps.cursors.encode({ key: page.lastKey }, binding) : null,
  };
};
