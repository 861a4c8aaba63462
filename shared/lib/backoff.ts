// The one backoff schedule of everything retried: a wait that doubles from `first` up to `max`, with
// jitter so callers that failed together do not retry together. Store retries, SQS redeliveries, webhook
// endpoints and the CLI differ only in their numbers.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffSchedule {
  /** The wait before the first retry (any unit: the result is in the same one). */
  first: number;
  /** No wait is longer. */
  max: number;
  /** full: anywhere up to the step; half: between half the step and the step; none: the step. */
  jitter: 'full' | 'half' | 'none';
}

/** The wait before retry `retry` (0 for the first): first × 2^retry, at most max, jittered. */
export const backoffDelay = (
  schedule: BackoffSchedule,
  retry: number,
  random: () => number = Math.random,
): number => {
  const step = Math.min(schedule.max, schedule.first * 2 ** Math.max(0, retry));
  if (schedule.jitter === 'full') return random() * step;
  if (schedule.jitter === 'half') return step * (0.5 + random() / 2);
  return step;
};

/** Store and bus retries inside one request: full jitter, up to 25 ms, 50 ms, ... at most 1 s. */
export const STORE_RETRY: BackoffSchedule = { first: 25, max: 1000, jitter: 'full' };

/** Pauses before attempt `attempt` of a store or bus call (STORE_RETRY). */
export const backoff = (attempt: number): Promise<void> => sleep(backoffDelay(STORE_RETRY, attempt));
