// The one way an optimistic write is retried: read, decide and write conditionally on what was read; when
// another writer got there first the condition fails, and after a backoff pause the whole attempt runs
// again on a fresh read, so no change is lost and none is applied twice.
import { backoff } from './backoff.js';

export interface OptimisticRetry {
  /** Attempts in all before giving up. */
  attempts: number;
  /** Whether an error means another writer won the race (the attempt may run again). */
  lostRace: (error: unknown) => boolean;
  /** The error to report after the last lost race; the race's own error by default. */
  exhausted?: (error: unknown) => unknown;
  /** The pause after attempt `attempt` lost its race (1, 2, ...); the store backoff by default. */
  pause?: (attempt: number) => Promise<void>;
}

/** Runs `attempt` (numbered from 1) until it returns, retrying it while it loses races. */
export const retryOptimistic = async <T>(
  attempt: (number: number) => Promise<T>,
  options: OptimisticRetry,
): Promise<T> => {
  const pause = options.pause ?? backoff;
  for (let number = 1; ; number += 1) {
    try {
      return await attempt(number);
    } catch (error) {
      if (!options.lostRace(error)) throw error;
      if (number >= options.attempts) throw options.exhausted ? options.exhausted(error) : error;
      await pause(number);
    }
  }
};
