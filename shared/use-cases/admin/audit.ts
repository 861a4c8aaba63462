// The audit log (GET /v1/admin/audit): every change to reference data between two dates, newest first,
// paged with an opaque cursor.
import { AUDIT_DEFAULT_DAYS, AUDIT_MAX_DAYS, type AuditQuery } from '../../domain/reference/admin.js';
import { shiftDate } from '../../domain/reference/versions.js';
import { type AdminDeps, invalid, today } from './versioned-reference.js';

const encodeCursor = (sk: string) => Buffer.from(sk, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[^#]+#[0-9a-f-]{36}$/.test(sk)) {
    throw invalid([{ path: 'cursor', message: 'is not a cursor this API returned' }], 'query');
  }
  return sk;
};

/** The earliest day a YYYY-MM-DD date can name. */
const EARLIEST_DAY = '0000-01-01';

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** GET /v1/admin/audit: every change between two dates, newest first, paged. */
export const listAudit = async (command: { query: AuditQuery }, deps: AdminDeps) => {
  const { query } = command;
  const to = query.to ?? today(deps);
  // The default start stops at the first day of year 0: before it a date no longer has four digits.
  const defaultFrom = shiftDate(to, -AUDIT_DEFAULT_DAYS);
  const from = query.from ?? (defaultFrom < EARLIEST_DAY ? EARLIEST_DAY : defaultFrom);
  if (from > to) throw invalid([{ path: 'from', message: `must not be after ${to}` }], 'query');
  if (!(daysBetween(from, to) < AUDIT_MAX_DAYS)) {
    throw invalid([{ path: 'from', message: `must be less than ${AUDIT_MAX_DAYS} days before to` }], 'query');
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const page = await deps.writer.auditPage({
    from,
    to,
    limit: query.limit ?? 100,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.key ? { key: query.key } : {}),
    ...(after ? { after } : {}),
  });
  return { from, to, items: page.items, cursor: page.last ? encodeCursor(page.last) : null };
};
