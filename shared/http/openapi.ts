// The OpenAPI 3.1 document of the HTTP API, generated from the route contracts: each route's path, roles,
// schemas and responses are the ones that authorize and parse its requests.
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { SIGNATURE_HEADER } from '../domain/webhooks/signature.js';
import { type RouteContract, TAGS } from './contract.js';
import { routes as allRoutes } from './routes/index.js';
import { ProblemSchema, WebhookDeliverySchema } from './schemas/declarations.js';

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

/** When to send again, on every 429 and 503 (RFC 9110 section 10.2.3). */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before sending the same request again',
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

const registerRoute = (registry: OpenAPIRegistry, route: RouteContract) => {
  const params = pathParams(route.path);
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, response] of Object.entries(route.responses)) {
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
  const hasBody = route.body !== undefined;
  if (hasBody || route.query || route.params)
    responses['400'] ??= problemResponse('Invalid request: `errors` names each offending field');
  const xmlBody = route.body?.contentType === 'application/xml';
  if (hasBody) {
    responses['413'] ??= problemResponse('The body is larger than 6 MB');
    responses['415'] ??= problemResponse(
      xmlBody
        ? 'The body is not XML (send Content-Type: application/xml)'
        : 'The body is not JSON (send Content-Type: application/json)',
    );
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
  if (route.roles.length > 0 || route.anonymousFairUse)
    responses['429'] ??= problemResponse(
      'A fair-use limit was reached (`limit` names it): nothing was carried out; send it again after `Retry-After`',
    );
  responses['500'] ??= problemResponse('Unexpected error');
  responses['503'] ??= problemResponse(
    'A service was busy; the request may have been carried out in part: send the same request again after `Retry-After` (repeating it is safe)',
  );
  for (const status of ['429', '503']) {
    const response = responses[status];
    if (response) responses[status] = { ...response, headers: { ...RETRY_AFTER, ...response.headers } };
  }

  registry.registerPath({
    method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
    path: route.path.replace(/\{([A-Za-z0-9_.-]+)\+\}/g, '{$1}'),
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`,
    summary: route.summary,
    description: [
      route.description,
      route.roles.length > 0 ? `Roles: ${route.roles.join(', ')}.` : 'Public: no token needed.',
    ]
      .filter(Boolean)
      .join('\n\n'),
    tags: [route.tag],
    security: route.roles.length > 0 ? [{ bearer: [] }] : [],
    request: {
      ...(params.length > 0
        ? {
            params: (route.params ??
              z.object(Object.fromEntries(params.map((name) => [name, z.string().min(1)])))) as z.ZodObject,
          }
        : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      ...(hasBody
        ? {
            body: {
              required: route.body?.required ?? true,
              ...(route.body?.description ? { description: route.body.description } : {}),
              // An XML body is text to the API; its schema is the published XSD, its JSON shape the same items.
              content: xmlBody
                ? { 'application/xml': { schema: z.string() } }
                : { 'application/json': { schema: route.body?.schema ?? z.unknown() } },
            },
          }
        : {}),
    },
    responses,
  });
};

export interface OpenApiOptions {
  country: string;
  routes?: readonly RouteContract[];
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
  for (const route of options.routes ?? allRoutes) registerRoute(registry, route);
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
    tags: TAGS.map((tag) => ({ ...tag })),
  });
};
