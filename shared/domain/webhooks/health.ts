// The health of one filer's webhook endpoint, so a dead endpoint cannot slow delivery to anyone else:
// after a failure its deliveries wait (without a request to the endpoint) until a retry time that doubles
// with each failure in a row, and after PARK_AFTER_FAILURES in a row the endpoint is parked: its events
// are kept, not sent, until the filer resumes it. Pure: the state and its transitions.

import { backoffDelay } from '../../lib/backoff.js';

export interface DeliveryHealth {
  consecutiveFailures: number;
  /** No delivery is attempted before this time (ISO). */
  retryAt?: string;
  /** Parked since (ISO): events are kept until the filer resumes the webhook. */
  parkedAt?: string;
  lastError?: string;
}

export type DeliveryStatus = 'ACTIVE' | 'BACKING_OFF' | 'PARKED';

export const PARK_AFTER_FAILURES = 8;
const FIRST_WAIT_SECONDS = 30;
const MAX_WAIT_SECONDS = 3600;

export const HEALTHY: DeliveryHealth = { consecutiveFailures: 0 };

export const deliveryStatus = (health: DeliveryHealth, now: Date): DeliveryStatus => {
  if (health.parkedAt) return 'PARKED';
  if (health.retryAt && Date.parse(health.retryAt) > now.getTime()) return 'BACKING_OFF';
  return 'ACTIVE';
};

/** The state after one more failed delivery: wait 30 s, 60 s, 120 s ... up to an hour; park after eight. */
export const afterFailure = (health: DeliveryHealth, now: Date, error: string): DeliveryHealth => {
  const consecutiveFailures = health.consecutiveFailures + 1;
  const wait = backoffDelay(
    { first: FIRST_WAIT_SECONDS, max: MAX_WAIT_SECONDS, jitter: 'none' },
    consecutiveFailures - 1,
  );
  return {
    consecutiveFailures,
    retryAt: new Date(now.getTime() + wait * 1000).toISOString(),
    lastError: error.slice(0, 200),
    ...(consecutiveFailures >= PARK_AFTER_FAILURES ? { parkedAt: now.toISOString() } : {}),
  };
};
