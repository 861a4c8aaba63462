// What a declaration's new state causes elsewhere, as facts: stored in the same transaction as the state,
// so each happens exactly once with it. How each is written is the store's concern.
import type { AnnualUsage } from '../duty/assess.js';
import type { AggregateDelta } from '../ledger/aggregates.js';
import type { LedgerEntry } from '../ledger/entries.js';
import type { ProfileStatDeltas } from './decisions.js';

export type StateEffect =
  /** Ledger entries booked (COLLECTED, REFUNDED, EXTINGUISHED, ...) and the aggregates they and `deltas` move. */
  | { kind: 'LEDGER'; entries: readonly LedgerEntry[]; deltas?: readonly AggregateDelta[] }
  /** The consignee's annual allowance given back (China): what the consignment had counted. */
  | { kind: 'ANNUAL_ALLOWANCE_RELEASED'; usage: AnnualUsage }
  /** Risk profiles' check counters moved by an officer's decision. */
  | { kind: 'PROFILE_CHECKS'; deltas: ProfileStatDeltas; at: string }
  /** Risk profiles hit, with how many declarations hit each. */
  | { kind: 'PROFILE_HITS'; hits: ReadonlyMap<string, number> };
