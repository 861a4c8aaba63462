// The per risk profile counters the administration reads (hits, checks, confirmed findings).
import type { ProfileCounters } from '../../domain/risk/profile-stats.js';

export interface ProfileStatsReader {
  /** Counters per profile id; a profile never hit nor checked counts zero. */
  getMany(profileIds: readonly string[]): Promise<Map<string, ProfileCounters>>;
}
