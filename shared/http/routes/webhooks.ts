// Where a platform's declaration events are delivered (functions/webhooks).
import { SIGNATURE_HEADER } from '../../domain/webhooks/signature.js';
import { defineRoute } from '../contract.js';
import { WebhookSettingsSchema, WebhookViewSchema } from '../schemas/declarations.js';

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
    responses: { 200: { description: 'The webhook, secret masked', schema: WebhookViewSchema } },
  }),
};
