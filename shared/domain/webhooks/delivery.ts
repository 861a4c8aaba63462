// The body POSTed to a filer's webhook: one declaration event, the same on every retry.
export interface WebhookDelivery {
  /** The event id: receivers drop repeated deliveries by it. */
  id: string;
  /** The detail type, e.g. DeclarationReleased. */
  type: string;
  time: string;
  data: Record<string, unknown>;
}
