// A consignee's recent consignments, for the splitting profile: what counts as "in the window" before a
// declaration is evaluated. Where the entries are kept is the store's concern.
import { Decimal } from '../money.js';

export const WINDOW_HOURS = 72;
export const HOUR_MS = 3_600_000;

export interface WindowTotals {
  count: number;
  /** Sum of intrinsic values in the stack currency, as a decimal string. */
  value: string;
}

/** One consignment of a consignee: its declaration, when it was lodged and its value in the stack currency. */
export interface WindowEntry {
  declarationId: string;
  at: string;
  value: string;
}

/**
 * Consignments lodged in the 72 hours before `at` (from `at` - 72 h inclusive to `at` exclusive, so
 * consignments lodged at the same instant do not count each other), excluding the one being evaluated;
 * an entry given twice (stored and in the same batch) counts once.
 */
export const windowTotals = (entries: readonly WindowEntry[], at: Date, excludeId: string): WindowTotals => {
  const from = new Date(at.getTime() - WINDOW_HOURS * HOUR_MS).toISOString();
  const to = at.toISOString();
  const seen = new Set<string>([excludeId]);
  let count = 0;
  let value = new Decimal(0);
  for (const entry of entries) {
    if (seen.has(entry.declarationId) || entry.at < from || entry.at >= to) continue;
    seen.add(entry.declarationId);
    count += 1;
    value = value.plus(entry.value);
  }
  return { count, value: value.toString() };
};
