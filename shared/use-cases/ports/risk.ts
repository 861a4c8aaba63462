// What the risk step keeps across declarations: each consignee's recent consignments (the window the
// splitting profile reads) and the risk profiles' hit counters.
import type { WindowEntry } from '../../domain/risk/consignee-window.js';

/** Consignments to add to one consignee's window; `known` are its entries as read (those past it go). */
export interface WindowUpdate {
  consignee: string;
  added: readonly WindowEntry[];
  known: readonly WindowEntry[];
}

/** Most consignees and profiles together that one counted recording (all or nothing) may take. */
export const MAX_COUNTED_RECORDS = 100;

export interface RiskRecords {
  /** The recorded consignments of each consignee; a consignee never recorded has none. */
  readWindows(consignees: readonly string[]): Promise<Map<string, WindowEntry[]>>;
  /** Records consignments that count nothing else: idempotent (keyed by declaration), each on its own. */
  recordWindows(updates: readonly WindowUpdate[]): Promise<void>;
  /**
   * Records consignments that must be new with the profile hits they count (hits per profile), all or
   * nothing; throws when refused (an entry existed: an earlier delivery counted it).
   */
  recordCounted(updates: readonly WindowUpdate[], hits: ReadonlyMap<string, number>): Promise<void>;
}
