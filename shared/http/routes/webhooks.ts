// Where a platform's declaration events are delivered (functions/webhooks).
import { SIGNATURE_HEADER } from '../../domain/webhooks/signature.js';
import { defineRoute } from '../contract.js';
import { WebhookResumedSchema, WebhookSettingsSchema, WebhookViewSchema } from '../schemas/declarations.js';

export const webhookRoutes = {
  put: defineRoute({
    method: 'PUT',
    path: '/v1/webhooks',
    function: 'webhooks',
    roles: ['platform', 'post'],
    summary: 'Set the webhook for your declaration events',
    description:
      `Every event about your declarations is POSTed to \`url\` with the header \`${SIGNATURE_HEADER}: t=<unix>,v1=<hex>\`, ` +
      'the HMAC-SHA256 of "<t>.<body>" with `secret`. Failed deliveries are retried with exponential backoff.',
    tag: 'Webhooks',
    body: { schema: WebhookSettingsSchema, name: 'webhook settings' },
    responses: { 200: { description: 'Stored; the secret is shown masked', schema: WebhookViewSchema } },
  }),
  get: defineRoute({
    method: 'GET',
    path: '/v1/webhooks',
    function: 'webhooks',
    roles: ['platform', 'post'],
    summary: 'Show the webhook settings',
    tag: 'Webhooks',
    description:
      'The URL and its delivery status: ACTIVE; BACKING_OFF after failures (deliveries wait until `retryAt`, ' +
      'doubling from 30 s to an hour); PARKED after 8 failures in a row (events are kept two weeks, nothing is sent ' +
      'until `POST /v1/webhooks/resume`). The secret is never shown.',
    responses: { 200: { description: 'The webhook and its delivery status', schema: WebhookViewSchema } },
  }),
  resume: defineRoute({
    method: 'POST',
    path: '/v1/webhooks/resume',
    function: 'webhooks',
    roles: ['platform', 'post'],
    summary: 'Resume delivery to a parked or failing webhook',
    description:
      'Clears the failure count and sends every parked event again, in the order the queue delivers them ' +
      '(deduplicate on `data.declarationId`, `type` and `data.occurredAt`).',
    tag: 'Webhooks',
    responses: {
      200: { description: 'Resumed; `requeued` events are on their way', schema: WebhookResumedSchema },
      404: { description: 'No webhook is set' },
    },
  }),
};
