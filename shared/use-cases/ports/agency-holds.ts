// The single window's index: each agency's holds, newest first.
import type { AgencyHoldEntry } from '../../domain/clearance/agency-holds.js';

export type HoldState = 'STANDING' | 'LIFTED' | 'ALL';

/** Where a page ended, as the index hands it out; opaque to the use cases. */
export type IndexPosition = Record<string, string>;

export interface AgencyHoldIndex {
  /** Writes an entry unless a newer state of its declaration was written already. */
  write(entry: AgencyHoldEntry): Promise<void>;
  /**
   * One page of an agency's holds, newest first; may be shorter than `limit` with a position to go on
   * from. A start position that is not one of this agency's is refused (InvalidCursorError).
   */
  page(query: {
    agency: string;
    state: HoldState;
    limit: number;
    startKey?: IndexPosition;
  }): Promise<{ items: AgencyHoldEntry[]; lastKey?: IndexPosition }>;
}
