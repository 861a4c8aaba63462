// The signature on every webhook delivery: `Clearway-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
// over "<t>.<body>" with the platform's secret. Receivers recompute it and reject old timestamps.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Clearway-Signature';
/** How old a signed delivery a receiver should still accept. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secret: string, timestamp: number, body: string): string =>
  `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;

/** True when `header` signs `body` with `secret` and is at most `toleranceSeconds` old. */
export const verifySignature = (
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): boolean => {
  const parts = new Map(
    (header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = hmac(secret, timestamp, body);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
};
