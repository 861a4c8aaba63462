// The pause between attempts of anything retried: full-jitter exponential backoff, so callers that failed
// together do not retry together.
import { setTimeout as sleep } from 'node:timers/promises';

/** Full-jitter exponential backoff: up to 25 ms, 50 ms, ... capped at 1 s. */
export const backoff = (attempt: number): Promise<void> =>
  sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
