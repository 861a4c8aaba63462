// Delivering one declaration event to the webhook of the platform that owns the declaration. The owner
// comes from the event's own platformId, so an event can only ever reach that platform's URL. A refused
// or failed delivery throws, so the queue retries it.

import type { EventEnvelope } from '../domain/events.js';
import type { WebhookDelivery } from '../domain/webhooks/delivery.js';
import { afterFailure, deliveryStatus } from '../domain/webhooks/health.js';
import { SIGNATURE_HEADER, signatureHeader } from '../domain/webhooks/signature.js';
import type { WebhookDeliveryStore, WebhookStore } from './ports/webhooks.js';

export const DELIVERY_TIMEOUT_MS = 5_000;

export class DeliveryFailedError extends Error {}

/** The endpoint could not be reached or did not answer in time: what holds a consumer up. */
export class EndpointUnreachableError extends DeliveryFailedError {}

/** The filer's endpoint failed recently: this delivery waits, without a request to it, until `retryAt`. */
export class EndpointBackingOffError extends Error {
  constructor(readonly retryAt: string) {
    super(`The endpoint failed recently; the next attempt is due at ${retryAt}`);
  }
}

/** POSTs one delivery and answers the status; refuses to connect anywhere but a public address. */
export type PostWebhook = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}) => Promise<{ status: number }>;

export interface DeliverDeps {
  webhooks: Pick<WebhookStore, 'get'>;
  delivery: Pick<WebhookDeliveryStore, 'health' | 'setHealth' | 'park'>;
  post: PostWebhook;
  now: () => Date;
  timeoutMs?: number;
}

export type DeliveryOutcome =
  | { delivered: true; status: number }
  | { delivered: false; reason: 'NO_WEBHOOK' | 'PARKED' };

export const deliveryBody = (envelope: EventEnvelope): WebhookDelivery => ({
  id: envelope.id,
  type: envelope['detail-type'],
  time: envelope.time,
  data: envelope.detail,
});

export const deliverEvent = async (envelope: EventEnvelope, deps: DeliverDeps): Promise<DeliveryOutcome> => {
  const platformId = String(envelope.detail.platformId);
  const webhook = await deps.webhooks.get(platformId);
  if (!webhook) return { delivered: false, reason: 'NO_WEBHOOK' };
  const now = deps.now();
  const health = await deps.delivery.health(platformId);
  const status = deliveryStatus(health, now);
  // A parked endpoint's events are kept for the filer to resume; a failing one's wait without a request,
  // so neither holds up the deliveries to other filers.
  if (status === 'PARKED') {
    await deps.delivery.park(platformId, envelope.id, JSON.stringify(envelope), now);
    return { delivered: false, reason: 'PARKED' };
  }
  if (status === 'BACKING_OFF') throw new EndpointBackingOffError(health.retryAt ?? now.toISOString());
  try {
    const delivered = await post(envelope, webhook, deps);
    if (health.consecutiveFailures > 0) await deps.delivery.setHealth(platformId, { consecutiveFailures: 0 });
    return delivered;
  } catch (error) {
    // Only an endpoint that cannot be reached (or times out) counts against its health: it is what costs
    // a consumer time. An answer other than 2xx comes back fast; that event alone is retried with backoff.
    if (!(error instanceof EndpointUnreachableError)) throw error;
    const next = afterFailure(health, now, error.message);
    await deps.delivery.setHealth(platformId, next);
    if (next.parkedAt) {
      await deps.delivery.park(platformId, envelope.id, JSON.stringify(envelope), now);
      return { delivered: false, reason: 'PARKED' };
    }
    throw error;
  }
};

const post = async (
  envelope: EventEnvelope,
  webhook: { url: string; secret: string },
  deps: DeliverDeps,
): Promise<DeliveryOutcome> => {
  const body = JSON.stringify(deliveryBody(envelope));
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  let response: { status: number };
  try {
    // Redirects are not followed: the event goes to the registered URL or nowhere.
    response = await deps.post({
      url: webhook.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Clearway-Webhooks/1',
        [SIGNATURE_HEADER]: signatureHeader(webhook.secret, timestamp, body),
        'Clearway-Event-Id': envelope.id,
      },
      body,
      timeoutMs: deps.timeoutMs ?? DELIVERY_TIMEOUT_MS,
    });
  } catch (error) {
    throw new EndpointUnreachableError(
      `Delivery to ${new URL(webhook.url).host} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new DeliveryFailedError(`Delivery to ${new URL(webhook.url).host} answered ${response.status}`);
  }
  return { delivered: true, status: response.status };
};
