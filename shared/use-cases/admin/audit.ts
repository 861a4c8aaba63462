// The audit log (GET /v1/admin/audit): every change to reference data between two dates, newest first,
// paged with an opaque cursor sealed like every other list's.
import * as z from 'zod';
import { AUDIT_DEFAULT_DAYS, AUDIT_MAX_DAYS, type AuditQuery } from '../../domain/reference/admin.js';
import { shiftDate } from '../../domain/reference/versions.js';
import { type CursorCodec, cursorCodec, InvalidCursorError } from '../../lib/cursor.js';
import { type AdminDeps, invalid, today } from './versioned-reference.js';

/** Where a page of the audit ended: the sort key of its last entry (`<at>#<uuid>`). */
const AuditPosition = z.string().regex(/^\d{4}-\d{2}-\d{2}T[^#]+#[0-9a-f-]{36}$/);

/** Seals audit cursors with a key derived from the stack secret. */
export const auditCursors = (key: Uint8Array): CursorCodec<string> => cursorCodec(key, AuditPosition);

export interface AuditDeps extends Pick<AdminDeps, 'writer' | 'now'> {
  cursors: CursorCodec<string>;
}

/** The earliest day a YYYY-MM-DD date can name. */
const EARLIEST_DAY = '0000-01-01';

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** GET /v1/admin/audit: every change between two dates, newest first, paged. */
export const listAudit = async (command: { query: AuditQuery }, deps: AuditDeps) => {
  const { query } = command;
  const to = query.to ?? today(deps);
  // The default start stops at the first day of year 0: before it a date no longer has four digits.
  const defaultFrom = shiftDate(to, -AUDIT_DEFAULT_DAYS);
  const from = query.from ?? (defaultFrom < EARLIEST_DAY ? EARLIEST_DAY : defaultFrom);
  if (from > to) throw invalid([{ path: 'from', message: `must not be after ${to}` }], 'query');
  if (!(daysBetween(from, to) < AUDIT_MAX_DAYS)) {
    throw invalid([{ path: 'from', message: `must be less than ${AUDIT_MAX_DAYS} days before to` }], 'query');
  }
  // The cursor belongs to the filters it was made with: the same cursor with other ones is refused.
  const binding = JSON.stringify([query.from ?? '', query.to ?? '', query.kind ?? '', query.key ?? '']);
  let after: string | undefined;
  try {
    after = query.cursor === undefined ? undefined : deps.cursors.decode(query.cursor, binding);
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw invalid([{ path: 'cursor', message: error.message }], 'query');
    throw error;
  }
  const page = await deps.writer.auditPage({
    from,
    to,
    limit: query.limit ?? 100,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.key ? { key: query.key } : {}),
    ...(after ? { after } : {}),
  });
  return { from, to, items: page.items, cursor: page.last ? deps.cursors.encode(page.last, binding) : null };
};
