// Each filer's webhook (its secret kept sealed by the store) and the health of deliveries to it, with the
// events parked while its endpoint is parked.
import type { DeliveryHealth } from '../../domain/webhooks/health.js';

export interface StoredWebhook {
  platformId: string;
  url: string;
  secret: string;
  updatedAt: string;
}

/** What may be shown of a webhook: never its secret. */
export type WebhookSettingsView = Omit<StoredWebhook, 'secret'>;

export interface WebhookStore {
  put(webhook: StoredWebhook): Promise<void>;
  /** The settings without the secret. */
  settings(platformId: string): Promise<WebhookSettingsView | undefined>;
  /** The settings with the secret opened, for delivery. */
  get(platformId: string): Promise<StoredWebhook | undefined>;
}

export interface ParkedEvent {
  eventId: string;
  body: string;
}

export interface WebhookDeliveryStore {
  health(platformId: string): Promise<DeliveryHealth>;
  setHealth(platformId: string, health: DeliveryHealth): Promise<void>;
  /** Keeps an event of a parked endpoint (the same event is kept once). */
  park(platformId: string, eventId: string, body: string, now: Date): Promise<void>;
  parked(platformId: string): Promise<ParkedEvent[]>;
  unpark(platformId: string, eventId: string): Promise<void>;
}
