// What a risk profile has found so far: declarations it hit, checks closed and findings confirmed.

export interface ProfileCounters {
  hits: number;
  checks: number;
  confirmed: number;
}

/** The share of closed checks that confirmed a finding; null before the first check. */
export const hitRate = (counters: ProfileCounters): number | null =>
  counters.checks === 0 ? null : Math.round((counters.confirmed / counters.checks) * 10_000) / 10_000;
