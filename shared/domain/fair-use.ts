// Fair use (DESIGN.md section 14): per-caller limits on requests and declarations in a fixed window, and a
// far lower limit on anonymous quotes per source address. Pure: the window a moment falls in, and what a
// refusal tells the caller. The counters live in DynamoDB (shared/adapters/fair-use-counter.ts) so the
// limits hold across every instance of every function.

export interface FairUseLimits {
  /** Length of a counting window. */
  windowSeconds: number;
  /** Requests per window and authenticated caller. */
  requests: number;
  /** Declarations (a batch counts each of its declarations, a postal message each item) per window and filer. */
  declarations: number;
  /** Anonymous quotes per window and source address. */
  anonymousQuotes: number;
}

/**
 * Far above any platform's normal peak (500 requests and 5,000 declarations a second, for a minute), so
 * only a runaway client or an abuser meets them; anonymous quotes one a second per source address.
 */
export const DEFAULT_FAIR_USE: FairUseLimits = {
  windowSeconds: 60,
  requests: 500 * 60,
  declarations: 5_000 * 60,
  anonymousQuotes: 60,
};

/** Environment variables of the limits, set by the stack (and the local runtime) from its configuration. */
export const FAIR_USE_ENV: Record<keyof FairUseLimits, string> = {
  windowSeconds: 'FAIR_USE_WINDOW_SECONDS',
  requests: 'FAIR_USE_REQUESTS',
  declarations: 'FAIR_USE_DECLARATIONS',
  anonymousQuotes: 'FAIR_USE_ANONYMOUS_QUOTES',
};

export const fairUseEnvironment = (limits: FairUseLimits): Record<string, string> =>
  Object.fromEntries(
    (Object.keys(FAIR_USE_ENV) as (keyof FairUseLimits)[]).map((name) => [
      FAIR_USE_ENV[name],
      String(limits[name]),
    ]),
  );

export interface FairUseWindow {
  /** Start of the window, epoch seconds: part of the counter's key. */
  start: number;
  /** Whole seconds until the window ends (at least 1): the caller's Retry-After. */
  retryAfterSeconds: number;
  /** When the counter may be deleted (DynamoDB TTL, epoch seconds): a window after this one ends. */
  expiresAt: number;
}

export const windowAt = (now: Date, windowSeconds: number): FairUseWindow => {
  const seconds = now.getTime() / 1000;
  const start = Math.floor(seconds / windowSeconds) * windowSeconds;
  const end = start + windowSeconds;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil(end - seconds)), expiresAt: end + windowSeconds };
};

/** What one request uses up: one request, and the declarations it carries. */
export interface FairUseCharge {
  /** `caller:<role>:<subject>` or `source:<address>` (anonymous). */
  key: string;
  requests: number;
  declarations: number;
  /** The most requests and declarations the key may have used in the window, this request included. */
  maxRequests: number;
  maxDeclarations: number;
}

export class FairUseExceededError extends Error {
  constructor(
    readonly limit: 'requests' | 'declarations' | 'anonymousQuotes',
    readonly allowed: number,
    readonly windowSeconds: number,
    readonly retryAfterSeconds: number,
  ) {
    const what =
      limit === 'anonymousQuotes'
        ? `anonymous quotes from one address (${allowed} per ${windowSeconds} s)`
        : `${limit} by one caller (${allowed} per ${windowSeconds} s)`;
    super(
      `Fair-use limit reached: ${what}. Nothing of this request was carried out; send it again after Retry-After.`,
    );
  }
}
