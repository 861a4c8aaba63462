// Paged lists of declarations, newest first. A platform pages through its own partition of the byPlatform
// index; officers see every platform's declarations through the byDay index, one day after another.
import * as z from 'zod';
import type { Principal } from '../domain/caller.js';
import type { Lane, Status } from '../domain/clearance/record.js';
import { DEFAULT_PAGE_SIZE, type DeclarationSummary } from '../domain/clearance/summary.js';
import { isoDate } from '../domain/declaration/declaration.js';
import type { DeclarationIdOf } from '../domain/declaration/identity.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { filerIdOf, isFiler } from '../domain/filer.js';
import { type CursorCodec, cursorCodec, InvalidCursorError, StartKeySchema } from '../lib/cursor.js';
import type { DeclarationStore, DeclarationSummaryRow, ListQuery } from './ports/declarations.js';

/** What to list, as the caller asked (parsed and checked at the edge). */
export interface ListFilter {
  status?: Status | undefined;
  lane?: Lane | undefined;
  /** Officers: only this platform. */
  platformId?: string | undefined;
  reference?: string | undefined;
  order?: 'newest' | 'oldest' | undefined;
  /** YYYY-MM-DD, UTC. */
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** How far back an officer's list reaches when no `from` is given, and the widest range allowed. */
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const StartKey = StartKeySchema;
const Position = z.strictObject({
  /** byDay only: the day the next page starts on, and the earliest day of the range. */
  day: isoDate.optional(),
  until: isoDate.optional(),
  key: StartKey.optional(),
});
type Position = z.infer<typeof Position>;

export interface ListDeps {
  store: Pick<DeclarationStore, 'listPage' | 'get'>;
  cursors: CursorCodec<Position>;
  /** Ids are keyed hashes only the stack can compute: a lookup by reference goes through here. */
  declarationIdOf: DeclarationIdOf;
  now: () => Date;
}

/** Cursors sealed with the stack's list-cursor key. */
export const listCursors = (key: Uint8Array): CursorCodec<Position> => cursorCodec(key, Position);

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export const toSummary = (row: DeclarationSummaryRow): DeclarationSummary => ({
  id: row.id,
  reference: row.reference,
  platformId: row.platformId,
  status: row.status,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  ...(row.risk?.lane ? { lane: row.risk.lane as Lane } : {}),
  ...(row.goodsValue ? { goodsValue: row.goodsValue } : {}),
  ...(row.assessment?.totals
    ? { totals: row.assessment.totals as Required<DeclarationSummary>['totals'] }
    : {}),
});

/** One page of a list; a position the cursor carried that is not one of this list is a bad cursor. */
const listPage = async (deps: Pick<ListDeps, 'store'>, query: ListQuery) => {
  try {
    return await deps.store.listPage(query);
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new ValidationError([{ path: 'cursor', message: error.message }]);
    throw error;
  }
};

/** The one declaration a filer (or, for an officer, `platformId`) lodged under `reference`, if any. */
const findByReference = async (
  principal: Principal,
  reference: string,
  query: Pick<ListFilter, 'platformId' | 'status' | 'lane'>,
  deps: ListDeps,
): Promise<{ items: DeclarationSummary[]; cursor: null }> => {
  const owner = isFiler(principal) ? filerIdOf(principal) : query.platformId;
  if (!owner) {
    throw new ValidationError([{ path: 'platformId', message: 'is required with `reference`' }]);
  }
  const found = await deps.store.get(deps.declarationIdOf(owner, reference));
  const matches =
    found !== undefined &&
    found.platformId === owner &&
    (!query.status || found.status === query.status) &&
    (!query.lane || found.risk?.lane === query.lane);
  return { items: matches ? [toSummary(found)] : [], cursor: null };
};

export const listDeclarations = async (
  command: { principal: Principal; query: ListFilter },
  deps: ListDeps,
): Promise<{ items: DeclarationSummary[]; cursor: string | null }> => {
  const { principal } = command;
  if (!isFiler(principal) && principal.role !== 'officer') {
    throw new ForbiddenError(`The ${principal.role} role may not list declarations`);
  }
  const { query } = command;
  if (query.reference !== undefined) return findByReference(principal, query.reference, query, deps);
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const binding = JSON.stringify([
    principal.role,
    principal.subject,
    query.status,
    query.lane,
    query.platformId,
    query.order,
    query.from,
    query.to,
    limit,
  ]);
  let position: Position = {};
  if (query.cursor) {
    try {
      position = deps.cursors.decode(query.cursor, binding);
    } catch (error) {
      if (error instanceof InvalidCursorError)
        throw new ValidationError([{ path: 'cursor', message: error.message }]);
      throw error;
    }
  }
  const filters = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.lane ? { lane: query.lane } : {}),
    ...(query.platformId ? { platformId: query.platformId } : {}),
  };
  const ascending = query.order === 'oldest';
  const badCursor = () =>
    new ValidationError([{ path: 'cursor', message: new InvalidCursorError().message }]);

  if (isFiler(principal)) {
    const page = await listPage(deps, {
      index: 'byPlatform',
      key: filerIdOf(principal),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: `${query.to}~` } : {}),
      ...filters,
      ascending,
      limit,
      ...(position.key ? { startKey: position.key } : {}),
    });
    return {
      items: page.items.map(toSummary),
      cursor: page.lastKey ? deps.cursors.encode({ key: page.lastKey }, binding) : null,
    };
  }

  // Officers: day partitions from `to` (default today) back to `from` (default 30 days earlier), or
  // forward from `from` to `to` when the oldest come first.
  const to = query.to ?? deps.now().toISOString().slice(0, 10);
  const until = position.until ?? query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (Date.parse(to) - Date.parse(until) >= MAX_DAYS * DAY_MS) {
    throw new ValidationError([{ path: 'from', message: `must be at most ${MAX_DAYS} days before \`to\`` }]);
  }
  let day = position.day ?? (ascending ? until : to);
  if (day > to || day < until) throw badCursor();
  let startKey = position.key;
  const items: DeclarationSummaryRow[] = [];
  while (items.length < limit) {
    const page = await listPage(deps, {
      index: 'byDay',
      key: day,
      ...filters,
      ascending,
      limit: limit - items.length,
      ...(startKey ? { startKey } : {}),
    });
    items.push(...page.items);
    if (page.lastKey) {
      startKey = page.lastKey;
      continue;
    }
    startKey = undefined;
    if (ascending ? day >= to : day <= until) {
      return { items: items.map(toSummary), cursor: null };
    }
    day = addDays(day, ascending ? 1 : -1);
  }
  const next: Position = { day, until, ...(startKey ? { key: startKey } : {}) };
  return { items: items.map(toSummary), cursor: deps.cursors.encode(next, binding) };
};
