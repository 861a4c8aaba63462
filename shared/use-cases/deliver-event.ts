// Delivering one declaration event to the webhook of the platform that owns the declaration. The owner
// comes from the event's own platformId, so an event can only ever reach that platform's URL. A refused
// or failed delivery throws, so the queue retries it.
import type { WebhookStore } from '../adapters/webhook-store.js';
import { type EventEnvelope, EventEnvelopeSchema, eventDetailSchemas } from '../domain/events.js';
import { SIGNATURE_HEADER, signatureHeader } from '../domain/webhooks/signature.js';
import type { WebhookDelivery } from '../http/schemas/declarations.js';

export const DELIVERY_TIMEOUT_MS = 5_000;

export class DeliveryFailedError extends Error {}

/** POSTs one delivery and answers the status; refuses to connect anywhere but a public address. */
export type PostWebhook = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}) => Promise<{ status: number }>;

export interface DeliverDeps {
  webhooks: Pick<WebhookStore, 'get'>;
  post: PostWebhook;
  now: () => Date;
  timeoutMs?: number;
}

export type DeliveryOutcome =
  | { delivered: true; status: number }
  | { delivered: false; reason: 'NO_WEBHOOK' };

/** Reads an SQS body holding an EventBridge event; throws when it is not a declaration event. */
export const parseDeclarationEvent = (body: string): EventEnvelope => {
  const envelope = EventEnvelopeSchema.parse(JSON.parse(body));
  return { ...envelope, detail: eventDetailSchemas[envelope['detail-type']].parse(envelope.detail) };
};

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
    throw new DeliveryFailedError(
      `Delivery to ${new URL(webhook.url).host} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new DeliveryFailedError(`Delivery to ${new URL(webhook.url).host} answered ${response.status}`);
  }
  return { delivered: true, status: response.status };
};
