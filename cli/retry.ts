// Requests the API asks to send again (429 throttled, 503 busy, perhaps carried out in part) are sent again after
// the server's Retry-After, and so are requests that never got an answer (the server restarting). Every
// write the CLI sends is idempotent (a reference, a PUT), so sending one twice cannot count anything twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../shared/lib/backoff.js';

export const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * A 500 is what an HTTP API answers when its function crashed or timed out, which a second attempt
 * usually gets past; it may also be a fault that stays, so it is sent again only a few times.
 */
const SERVER_ERROR_ATTEMPTS = 3;

export interface RetryOptions {
  /** Give up on one request after retrying it for this long. */
  retryForMs: number;
  /** Told about every retry, e.g. to show it on the progress line. */
  onRetry?: (reason: string, waitMs: number) => void;
  /** Stops the waiting (Ctrl-C). */
  signal?: AbortSignal;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export const retryAfterMs = (header: string | null, now: number = Date.now()): number | undefined => {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

/** Exponential backoff with jitter when the server named no wait: 0.5 s, 1 s, 2 s ... at most 30 s. */
export const backoffMs = (attempt: number, random: () => number = Math.random): number =>
  backoffDelay({ first: 500, max: 30_000, jitter: 'half' }, attempt, random);

/** A `fetch` that sends a request again while the API asks for it or cannot be reached. */
export const retryingFetch =
  (options: RetryOptions, base: typeof fetch = fetch): typeof fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    const started = Date.now();
    let serverErrors = 0;
    for (let attempt = 0; ; attempt += 1) {
      let reason: string;
      let waitMs: number;
      try {
        const response = await base(request.clone());
        if (response.status === 500) serverErrors += 1;
        const again =
          RETRYABLE_STATUS.has(response.status) ||
          (response.status === 500 && serverErrors < SERVER_ERROR_ATTEMPTS);
        if (!again) return response;
        reason = `HTTP ${response.status}`;
        waitMs = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt);
        if (Date.now() + waitMs - started > options.retryForMs) return response;
        await response.body?.cancel();
      } catch (error) {
        if (options.signal?.aborted || Date.now() - started > options.retryForMs) throw error;
        reason = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
        waitMs = backoffMs(attempt);
      }
      options.onRetry?.(reason, waitMs);
      await sleep(waitMs, undefined, options.signal ? { signal: options.signal } : {});
    }
  };

const causeOf = (error: Error): string =>
  error.cause instanceof Error
    ? ` (${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message})`
    : '';
