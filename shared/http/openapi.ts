// The OpenAPI 3.1 document of the HTTP API. Paths come from `topology.routes`, so every route is in it;
// what a route takes and answers comes from `apiOperations`, keyed by route key, whose schemas are the
// same zod schemas the handlers validate with. A route nobody has described yet still appears, with a
// generic description. Add an entry to `apiOperations` when you add a route.
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { type Route, routes as topologyRoutes } from '../../infra/topology.js';
import { DeclarationSchema } from '../domain/declaration/declaration.js';
import { SIGNATURE_HEADER } from '../domain/webhooks/signature.js';
import { ledgerOperations } from './openapi-ledger.js';
import { postalOperations } from './openapi-postal.js';
import { referenceOperations } from './openapi-reference.js';
import {
  AgencyHoldListSchema,
  AgencyHoldsQuerySchema,
  DecisionRequestSchema,
  DecisionResponseSchema,
  HoldRequestSchema,
  HoldResponseSchema,
  LiftRequestSchema,
  PaymentRequestSchema,
  PaymentResponseSchema,
  RefundResponseSchema,
  ReturnRequestSchema,
} from './schemas/clearance.js';
import {
  BatchRequestSchema,
  BatchResponseSchema,
  CancelRequestSchema,
  DeclarationListSchema,
  DeclarationSummarySchema,
  DeclarationViewSchema,
  ListQuerySchema,
  LodgedSchema,
  MAX_BATCH,
  ProblemSchema,
  WebhookDeliverySchema,
  WebhookSettingsSchema,
  WebhookViewSchema,
} from './schemas/declarations.js';

export interface OperationDoc {
  summary: string;
  description?: string;
  tags?: string[];
  /** The body's schema; `contentType` when it is not JSON (the schema then says what it carries). */
  body?: { schema: z.ZodType; description?: string; required?: boolean; contentType?: string };
  query?: z.ZodObject;
  /** Success responses by status; error responses are added from what the route can fail with. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

export const apiOperations: Record<string, OperationDoc> = {
  ...referenceOperations,
  ...ledgerOperations,
  ...postalOperations,
  'POST /v1/declarations': {
    summary: 'Lodge a declaration',
    description:
      'Validates and stores one declaration and queues it for risk evaluation. The `reference` makes it idempotent: ' +
      'the same reference with the same body answers 200 with the stored declaration; with a different body, 409.',
    tags: ['Declarations'],
    body: { schema: DeclarationSchema },
    responses: {
      202: { description: 'Accepted: stored and queued', schema: LodgedSchema },
      200: { description: 'Lodged before with the same body', schema: LodgedSchema },
      409: { description: 'The reference was lodged before with a different body', schema: ProblemSchema },
    },
  },
  'POST /v1/declarations/batch': {
    summary: 'Lodge up to 1000 declarations',
    description:
      'Each declaration is accepted or refused on its own; the answer lists one result per declaration by index. ' +
      'A reference repeated in the batch counts as a resubmission of its first occurrence.',
    tags: ['Declarations'],
    body: { schema: BatchRequestSchema, description: `1 to ${MAX_BATCH} declarations` },
    responses: { 207: { description: 'One result per declaration', schema: BatchResponseSchema } },
  },
  'GET /v1/declarations': {
    summary: 'List declarations, newest first',
    description:
      "A platform lists its own declarations; an officer lists every platform's, day by day (default: the last 30 days, " +
      'at most 366). Pass the returned `cursor` to get the next page.',
    tags: ['Declarations'],
    query: ListQuerySchema,
    responses: { 200: { description: 'A page of declaration summaries', schema: DeclarationListSchema } },
  },
  'GET /v1/declarations/{id}': {
    summary: 'Read a declaration',
    description:
      "Status, risk result, assessment, holds, payments and history. Another platform's id answers 404.",
    tags: ['Declarations'],
    responses: { 200: { description: 'The declaration', schema: DeclarationViewSchema } },
  },
  'POST /v1/declarations/{id}/cancel': {
    summary: 'Cancel a declaration before release',
    description:
      'Refused with 409 (naming the current status) once released, rejected or seized. Repeating a cancel answers 200.',
    tags: ['Declarations'],
    body: { schema: CancelRequestSchema, required: false },
    responses: {
      200: { description: 'Cancelled', schema: DeclarationSummarySchema },
      409: { description: 'Too late to cancel; `currentStatus` names the status', schema: ProblemSchema },
    },
  },
  'POST /v1/declarations/{id}/payments': {
    summary: 'Record duty and tax paid at import',
    description:
      'For CONSUMER_AT_IMPORT declarations (platform: its own; officer: any). Partial payments add up; the declaration ' +
      'is released once nothing is due, no hold stands and no check is open. A payment above the amount due is refused ' +
      '(422 with `amountDue`), so is a currency other than the assessment currency (422 with `currency`). The same ' +
      '`reference` again answers 200 with the payment already recorded; with another amount, 409.',
    tags: ['Clearance'],
    body: { schema: PaymentRequestSchema },
    responses: {
      201: { description: 'Recorded', schema: PaymentResponseSchema },
      200: { description: 'Recorded before under this reference', schema: PaymentResponseSchema },
      409: {
        description: 'Closed or not yet assessed (`currentStatus`), or the reference was used',
        schema: ProblemSchema,
      },
      422: {
        description: 'More than is due (`amountDue`) or another currency (`currency`)',
        schema: ProblemSchema,
      },
    },
  },
  'POST /v1/declarations/{id}/holds': {
    summary: 'Hold a declaration (customs or a single-window agency)',
    description:
      'An agency holds for itself only (`agency` defaults to the caller; another code is 403) and may hold any ' +
      'declaration it names; the declaration is then routed to it (visible to it, listed in its holds). An officer ' +
      'places a customs hold, or routes the declaration to an agency with `agency`. The declaration is HELD until ' +
      'every hold is lifted. The same standing hold again answers 200 with it.',
    tags: ['Clearance'],
    body: { schema: HoldRequestSchema },
    responses: {
      201: { description: 'Placed', schema: HoldResponseSchema },
      200: { description: 'The same hold already stands', schema: HoldResponseSchema },
      409: {
        description: 'The declaration is closed; `currentStatus` names its status',
        schema: ProblemSchema,
      },
    },
  },
  'POST /v1/declarations/{id}/holds/{holdId}/lift': {
    summary: 'Lift a hold',
    description:
      'A hold for an agency is lifted only by that agency, a customs hold only by an officer (403 otherwise); an ' +
      'agency that has no hold on the declaration gets 404, as for reading it. The release rules then run again: the ' +
      'declaration is released when no hold stands, no check is open and nothing is due. Lifting twice answers 200. ' +
      'An optional `note` (what the check found) is kept on the hold.',
    tags: ['Clearance'],
    body: { schema: LiftRequestSchema, required: false },
    responses: { 200: { description: 'Lifted', schema: HoldResponseSchema } },
  },
  'POST /v1/declarations/{id}/decisions': {
    summary: "Close a risk check with the officer's decision",
    description:
      'RELEASE (on a HELD declaration) lets it go once no hold stands and nothing is due; REJECT and SEIZE are final ' +
      '(a seizure is announced as DeclarationRejected with status SEIZED). `findings` are kept per risk profile that ' +
      "hit and counted in the profile's statistics (checks, confirmed). A later decision replaces the findings of an " +
      'earlier one; the same decision again changes nothing.',
    tags: ['Clearance'],
    body: { schema: DecisionRequestSchema },
    responses: {
      200: { description: 'Decided', schema: DecisionResponseSchema },
      409: {
        description: 'No check can be decided in the current status (`currentStatus`)',
        schema: ProblemSchema,
      },
      422: {
        description: 'A finding names a profile that did not hit the declaration',
        schema: ProblemSchema,
      },
    },
  },
  'POST /v1/declarations/{id}/returns': {
    summary: 'Report goods returned after release: refund of duty and tax',
    description:
      'Refunds the duty and tax collected at import for the returned lines (all lines not returned before when ' +
      '`items` is absent), booked as REFUNDED ledger entries and announced as RefundIssued. Fees and tax collected ' +
      'at checkout are not refunded here. A duty line of an HS code is shared among the lines of that code, other ' +
      'lines among all lines, by value; the last return of a line gets what is left, so refunds add up exactly. ' +
      'Refused (409) before release and for a line returned before. The same `reference` again answers 200.',
    tags: ['Clearance'],
    body: { schema: ReturnRequestSchema },
    responses: {
      201: { description: 'Refund recorded', schema: RefundResponseSchema },
      200: { description: 'Recorded before under this reference', schema: RefundResponseSchema },
      409: {
        description: 'Not released (`currentStatus`), or a line was returned before',
        schema: ProblemSchema,
      },
    },
  },
  'GET /v1/holds': {
    summary: 'List the holds routed to an agency (the single window)',
    description:
      'An agency lists its own holds; an officer names the agency with `agency`. Newest first, standing holds unless ' +
      "`state` says LIFTED or ALL, each with the declaration's current status. The list follows the HoldPlaced and " +
      'HoldLifted events, so a hold appears within moments of being placed.',
    tags: ['Clearance'],
    query: AgencyHoldsQuerySchema,
    responses: { 200: { description: 'A page of holds', schema: AgencyHoldListSchema } },
  },
  'PUT /v1/webhooks': {
    summary: 'Set the webhook for your declaration events',
    description:
      `Every event about your declarations is POSTed to \`url\` with the header \`${SIGNATURE_HEADER}: t=<unix>,v1=<hex>\`, ` +
      'the HMAC-SHA256 of "<t>.<body>" with `secret`. Failed deliveries are retried with exponential backoff.',
    tags: ['Webhooks'],
    body: { schema: WebhookSettingsSchema },
    responses: { 200: { description: 'Stored; the secret is shown masked', schema: WebhookViewSchema } },
  },
  'GET /v1/webhooks': {
    summary: 'Show the webhook settings',
    tags: ['Webhooks'],
    responses: { 200: { description: 'The webhook, secret masked', schema: WebhookViewSchema } },
  },
  'GET /openapi.json': {
    summary: 'This OpenAPI document',
    tags: ['Reference'],
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  },
  'GET /docs': {
    summary: 'The API reference, rendered',
    tags: ['Reference'],
    responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
  },
  'GET /docs/{asset}': {
    summary: 'Static files of the API reference page',
    tags: ['Reference'],
    responses: {
      200: { description: 'A script, style sheet or image', contentType: 'application/octet-stream' },
    },
  },
};

const problemResponse = (description: string): ResponseConfig => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** What API Gateway's JWT authorizer answers by itself; the `www-authenticate` header says why. */
const GatewayRefusalSchema = z
  .object({ message: z.enum(['Unauthorized', 'Forbidden']) })
  .meta({ id: 'GatewayRefusal' });
const gatewayResponse = (description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema: GatewayRefusalSchema } },
});

const pathParams = (path: string): string[] =>
  [...path.matchAll(/\{([A-Za-z0-9_.-]+)\+?\}/g)].map((match) => match[1] as string);

const registerRoute = (registry: OpenAPIRegistry, route: Route, doc: OperationDoc | undefined) => {
  const params = pathParams(route.path);
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, response] of Object.entries(
    doc?.responses ?? { 200: { description: 'Success (this route is not described in detail yet)' } },
  )) {
    responses[status] = {
      description: response.description,
      ...(response.schema || response.contentType
        ? {
            content: {
              [response.contentType ??
                (response.schema === ProblemSchema ? 'application/problem+json' : 'application/json')]: {
                schema: response.schema ?? { type: 'string' },
              },
            },
          }
        : {}),
    };
  }
  const hasBody =
    doc?.body !== undefined || (doc === undefined && route.method !== 'GET' && route.method !== 'DELETE');
  if (hasBody || doc?.query)
    responses['400'] ??= problemResponse('Invalid request: `errors` names each offending field');
  if (hasBody) {
    responses['413'] ??= problemResponse('The body is larger than 6 MB');
    responses['415'] ??= problemResponse('The body is not JSON (send Content-Type: application/json)');
  }
  if (route.roles.length > 0) {
    responses['401'] ??= gatewayResponse(
      'Missing bearer token (`www-authenticate: Bearer`) or an invalid one (`error="invalid_token"`)',
    );
    responses['403'] ??= gatewayResponse(
      `Only for: ${route.roles.join(', ')}; a token without a clearway/sub: scope is refused too (problem+json)`,
    );
  }
  if (params.length > 0) responses['404'] ??= problemResponse('Not found (or not visible to you)');
  responses['500'] ??= problemResponse('Unexpected error');
  responses['503'] ??= problemResponse(
    'A service was busy; nothing was changed: send again after `Retry-After`',
  );

  registry.registerPath({
    method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
    path: route.path.replace(/\{([A-Za-z0-9_.-]+)\+\}/g, '{$1}'),
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`,
    summary: doc?.summary ?? `${route.method} ${route.path}`,
    description: [
      doc?.description ??
        (doc ? undefined : 'Not described in detail yet; errors follow RFC 9457 problem details.'),
      route.roles.length > 0 ? `Roles: ${route.roles.join(', ')}.` : 'Public: no token needed.',
    ]
      .filter(Boolean)
      .join('\n\n'),
    tags: doc?.tags ?? [route.path.split('/')[2] ?? 'Other'],
    security: route.roles.length > 0 ? [{ bearer: [] }] : [],
    request: {
      ...(params.length > 0
        ? { params: z.object(Object.fromEntries(params.map((name) => [name, z.string().min(1)]))) }
        : {}),
      ...(doc?.query ? { query: doc.query } : {}),
      ...(hasBody
        ? {
            body: {
              required: doc?.body?.required ?? true,
              ...(doc?.body?.description ? { description: doc.body.description } : {}),
              content: {
                [doc?.body?.contentType ?? 'application/json']: {
                  schema: doc?.body?.schema ?? z.record(z.string(), z.unknown()),
                },
              },
            },
          }
        : {}),
    },
    responses,
  });
};

export interface OpenApiOptions {
  country: string;
  routes?: readonly Route[];
  operations?: Record<string, OperationDoc>;
  version?: string;
}

/** The whole document; generate once per function instance. */
export const openApiDocument = (options: OpenApiOptions) => {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "An OAuth2 client-credentials access token from the stack's token endpoint. Against the local runtime only: `local:<role>:<subject>`.",
  });
  const operations = options.operations ?? apiOperations;
  for (const route of options.routes ?? topologyRoutes) {
    registerRoute(registry, route, operations[`${route.method} ${route.path}`]);
  }
  registry.registerWebhook({
    method: 'post',
    path: 'declarationEvent',
    summary: 'A declaration event, POSTed to your webhook',
    description: `Signed with \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with your secret>\`. Answer 2xx within 5 seconds; anything else is retried with exponential backoff. Deliveries may repeat: use \`id\` to drop duplicates.`,
    request: { body: { content: { 'application/json': { schema: WebhookDeliverySchema } } } },
    responses: { 200: { description: 'Received' } },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: `Clearway customs declarations API (${options.country})`,
      version: options.version ?? '1.0.0',
      description:
        'Lodge customs declarations for cross-border e-commerce consignments and follow their clearance. ' +
        'Money is a decimal string, dates are YYYY-MM-DD, errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/' }],
  });
};
