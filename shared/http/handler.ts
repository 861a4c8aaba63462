// The middleware every HTTP function shares: tracing, logging and metrics first, then authorization and
// parsing by the route's contract, and the problem+json error mapping last.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { isAwsRetryable } from '../adapters/service-errors.js';
import type { Principal } from '../domain/caller.js';
import {
  ConflictError,
  ForbiddenError,
  IncompleteBatchError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../domain/errors.js';
import { FairUseExceededError } from '../domain/fair-use.js';
import { filerIdOf, isFiler } from '../domain/filer.js';
import { declarationInHand, logger, metrics, tracer } from '../observability.js';
import { countLodgement } from '../step-metrics.js';
import type { FairUseGate } from '../use-cases/fair-use.js';
import { authorize, ForbiddenRoleError, UnauthenticatedError } from './auth.js';
import { type BoundRoute, type ParsedRequest, type RouteContract, routeKey } from './contract.js';
import { parseInput } from './parse.js';
import { type Problem, problem, problemResponse } from './problem.js';

export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const header = (event: APIGatewayProxyEventV2WithJWTAuthorizer, name: string): string | undefined => {
  const headers = event.headers ?? {};
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
};

const JSON_MEDIA_TYPE = /^application\/(.+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/gi;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as text; bytes API Gateway passed base64-encoded must be valid UTF-8 (RFC 8259). */
const rawBody = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string => {
  const raw = event.body ?? '';
  if (!event.isBase64Encoded) return raw;
  try {
    return utf8.decode(Buffer.from(raw, 'base64'));
  } catch {
    throw new BodyError(400, 'The request body is not valid UTF-8');
  }
};

/** How a route takes its body: the media types it accepts and what to tell a caller who sends another. */
interface BodyKind {
  mediaType: RegExp;
  wrongType: string;
  name: string;
}

const JSON_BODY: BodyKind = {
  mediaType: JSON_MEDIA_TYPE,
  wrongType: 'Send the body as JSON with the header Content-Type: application/json',
  name: 'JSON',
};

const XML_BODY: BodyKind = {
  mediaType: /^(application|text)\/(.+\+)?xml\s*(;|$)/i,
  wrongType: 'Send the body as XML with the header Content-Type: application/xml',
  name: 'XML',
};

/**
 * The body as text. Refused: another media type or a charset other than UTF-8 (415), a Content-Encoding
 * (the API does not decompress, so a compressed body would be read as garbage: 415), more than 6 MB
 * (413), bytes that are not UTF-8 or an empty body (400).
 */
const readBody = (event: APIGatewayProxyEventV2WithJWTAuthorizer, kind: BodyKind): string => {
  const contentType = header(event, 'content-type') ?? '';
  if (!kind.mediaType.test(contentType)) throw new BodyError(415, kind.wrongType);
  // Every charset parameter must say UTF-8: two that disagree leave the body's encoding in doubt.
  const charsets = [...contentType.matchAll(CHARSET)].map((match) => (match[1] ?? '').toLowerCase());
  if (charsets.some((charset) => charset !== 'utf-8' && charset !== 'utf8')) {
    throw new BodyError(
      415,
      `Send ${kind.name} encoded as UTF-8 (charset=utf-8); no other charset is accepted`,
    );
  }
  const encoding = header(event, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new BodyError(415, 'Send the body uncompressed: no Content-Encoding is accepted');
  }
  const raw = event.body ?? '';
  const size = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
  if (size > MAX_BODY_BYTES) throw new BodyError(413, 'The body is larger than 6 MB');
  const text = rawBody(event);
  if (text.trim() === '') {
    throw new BodyError(
      400,
      `The request body is empty; ${kind.name === 'JSON' ? 'a JSON object' : 'an XML document'} is required`,
    );
  }
  return text;
};

/** The JSON body: refused as readBody says, and when the text is not JSON (400). */
export const parseJsonBody = (event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown => {
  const text = readBody(event, JSON_BODY);
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'The request body is not valid JSON');
  }
};

/** The XML body as text (application/xml, text/xml or a +xml type), refused as readBody says. */
export const xmlBodyOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string =>
  readBody(event, XML_BODY);

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Seconds a caller is asked to wait before sending a request refused because a service was busy. */
export const RETRY_AFTER_SECONDS = 1;

/** Maps a thrown error to its problem document; anything unexpected becomes a 500 with no internal detail. */
export const toProblem = (error: unknown): Problem => {
  if (error instanceof ValidationError) return problem(400, error.message, { errors: error.errors });
  if (error instanceof BodyError) return problem(error.status, error.message);
  if (error instanceof UnauthenticatedError) return problem(401, error.message);
  if (error instanceof ForbiddenRoleError || error instanceof ForbiddenError)
    return problem(403, error.message);
  if (error instanceof NotFoundError) return problem(404, error.message);
  if (error instanceof ConflictError) return problem(409, error.message, error.details);
  if (error instanceof UnprocessableError) return problem(422, error.message, error.details);
  if (error instanceof FairUseExceededError)
    return problem(429, error.message, {
      limit: error.limit,
      allowed: error.allowed,
      windowSeconds: error.windowSeconds,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  // A batch stopped part way by a busy service: what was stored stays, and sending the same batch again
  // lodges the rest without lodging anything twice.
  if (error instanceof IncompleteBatchError && isAwsRetryable(error.cause)) {
    logger.warn('Service busy after retries; batch stored in part', {
      stored: error.stored,
      error: error.cause as Error,
    });
    return problem(
      503,
      `The service became busy after ${error.stored} declarations of this batch were stored. They stay stored; ` +
        'send the same batch again after Retry-After: those come back 200 (lodged before), the rest are lodged, and none is lodged twice.',
      { retryAfterSeconds: RETRY_AFTER_SECONDS, stored: error.stored },
    );
  }
  // DynamoDB or another service still throttled or unreachable after the SDK's retries: the request is
  // sound but may have been carried out only in part; every write is idempotent, so it may be sent again.
  if (isAwsRetryable(error)) {
    logger.warn('Service busy after retries', { error: error as Error });
    return problem(
      503,
      'The service is busy and the request may not have been carried out in full. Send the same request again after Retry-After: repeating it is safe, nothing is applied twice.',
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
  }
  if (error instanceof IncompleteBatchError) return toProblem(error.cause);
  logger.error('Unhandled error', { error: error as Error });
  return problem(
    500,
    'An unexpected error occurred; it has been logged. Retry later or contact the administration.',
  );
};

/** Last middleware: every error leaves as problem+json, never as a stack trace. */
const problemDetails = (): middy.MiddlewareObj<
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  Error,
  Context
> => ({
  onError: async (request) => {
    const body = toProblem(request.error);
    metrics.addMetric(body.status >= 500 ? 'RequestFailed' : 'RequestRefused', MetricUnit.Count, 1);
    const retryAfter = typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined;
    request.response = problemResponse(
      body,
      retryAfter !== undefined && (body.status === 503 || body.status === 429)
        ? { 'retry-after': String(retryAfter) }
        : {},
    );
  },
});

/** A body its route's schema refused; `sent` is the body as the caller sent it. */
class RefusedBodyError extends ValidationError {
  constructor(
    readonly refusal: ValidationError,
    readonly sent: unknown,
  ) {
    super(refusal.errors, refusal.message);
  }
}

/** Unknown query parameters are named as such, not as unknown fields. */
const asQueryParameters = (error: unknown): unknown =>
  error instanceof ValidationError
    ? new ValidationError(
        error.errors.map((field) => ({
          ...field,
          message: field.message.replace('is not a known field', 'is not a known query parameter'),
        })),
        error.message.replaceAll('is not a known field', 'is not a known query parameter'),
      )
    : error;

/** The body as sent: JSON parsed, XML as text; undefined when the route takes none or none was sent. */
const sentBody = (contract: RouteContract, event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown => {
  const sent = contract.body?.required === false ? Boolean(event.body) : contract.body !== undefined;
  if (!sent) return undefined;
  return contract.body?.contentType === 'application/xml' ? xmlBodyOf(event) : parseJsonBody(event);
};

/**
 * The request as the route's contract says: path, query and body parsed by its schemas (a route reporting
 * per item by its envelope; an XML body stays text for its reader). `sent` is the body before its schema.
 */
const parseRequest = (
  contract: RouteContract,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Pick<ParsedRequest, 'params' | 'query' | 'body'> => {
  const rawParams = (event.pathParameters ?? {}) as Record<string, string>;
  const rawQuery = (event.queryStringParameters ?? {}) as Record<string, string>;
  const params = contract.params
    ? (parseInput(contract.params, rawParams, 'The path parameters are not valid') as Record<string, string>)
    : rawParams;
  const sent = sentBody(contract, event);
  let query: unknown = rawQuery;
  if (contract.query) {
    try {
      query = parseInput(contract.query, rawQuery, 'The query parameters are not valid');
    } catch (error) {
      throw asQueryParameters(error);
    }
  }
  if (!contract.body || sent === undefined || contract.body.contentType === 'application/xml')
    return { params, query, body: sent };
  try {
    const body = parseInput(
      contract.body.envelope ?? contract.body.schema,
      sent,
      `The ${contract.body.name ?? 'request body'} is not valid`,
    );
    return { params, query, body };
  } catch (error) {
    throw error instanceof ValidationError ? new RefusedBodyError(error, sent) : error;
  }
};

/** Parses the request; a body its schema refused is reported to the route first (e.g. counted). */
const parseOrRefuse = async (
  route: BoundRoute,
  caller: Principal | undefined,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<Pick<ParsedRequest, 'params' | 'query' | 'body'>> => {
  try {
    return parseRequest(route.contract, event);
  } catch (error) {
    if (error instanceof RefusedBodyError && route.onRefusedBody) {
      await route.onRefusedBody({ caller, sent: error.sent, errors: error.errors });
    }
    throw error;
  }
};

/**
 * The handler of a function serving `routes`: each request is authorized with its route's roles and parsed
 * with its route's schemas before the route's action runs.
 */
export const httpHandler = (...routes: BoundRoute[]) => handlerOf(undefined, routes);

/**
 * As `httpHandler`, and every authenticated request (and anonymous one on a route that counts them) is
 * admitted by the fair-use gate before it parses or does anything else: a refused one costs one write.
 */
export const httpHandlerWithFairUse = (gate: FairUseGate, ...routes: BoundRoute[]) => handlerOf(gate, routes);

const handlerOf = (gate: FairUseGate | undefined, routes: BoundRoute[]) => {
  const byKey = new Map(routes.map((route) => [routeKey(route.contract), route]));
  return middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(problemDetails())
    .handler(async (event) => {
      const route = byKey.get(event.routeKey);
      if (!route) throw new NotFoundError(`This function does not serve ${event.routeKey}`);
      const caller = authorize(event, route.contract.roles);
      if (caller) logger.appendKeys({ role: caller.role });
      if (caller && isFiler(caller)) logger.appendKeys({ platformId: filerIdOf(caller) });
      declarationInHand({
        filer: caller && isFiler(caller) ? filerIdOf(caller) : undefined,
        declarationId: DECLARATION_PATH.test(route.contract.path) ? event.pathParameters?.id : undefined,
      });
      metrics.addMetric('RequestReceived', MetricUnit.Count, 1);
      if (!route.contract.declarationsIn) return serve(gate, route, caller, event);
      try {
        return await serve(gate, route, caller, event);
      } catch (error) {
        if (isInputRefusal(error)) countLodgement(0, refusedIn(route.contract, event));
        throw error;
      }
    });
};

/** Routes about one declaration, named by the `{id}` path parameter. */
const DECLARATION_PATH = /^\/v1\/declarations\/\{id\}/;

/** A lodgement refused for what was sent (not for who sent it or how often). */
const isInputRefusal = (error: unknown): boolean =>
  error instanceof ValidationError || error instanceof BodyError || error instanceof UnprocessableError;

/** The declarations a refused lodgement carried: as many as its body holds, one when it cannot be read. */
const refusedIn = (contract: RouteContract, event: APIGatewayProxyEventV2WithJWTAuthorizer): number => {
  try {
    const body = contract.body?.contentType === 'application/xml' ? xmlBodyOf(event) : parseJsonBody(event);
    return Math.max(1, contract.declarationsIn?.(body) ?? 1);
  } catch {
    return 1;
  }
};

const serve = async (
  gate: FairUseGate | undefined,
  route: BoundRoute,
  caller: ReturnType<typeof authorize>,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyResultV2> => {
  if (!gate) return route.action({ caller, event, ...(await parseOrRefuse(route, caller, event)) });
  // A request that fails to parse still counts: bad requests are requests too, and the declarations of a
  // body its schema refused count as sent.
  let parsed: ReturnType<typeof parseRequest> | undefined;
  let refusal: unknown;
  try {
    parsed = parseRequest(route.contract, event);
  } catch (error) {
    refusal = error;
  }
  const sent = parsed ? parsed.body : refusal instanceof RefusedBodyError ? refusal.sent : undefined;
  await gate.admit({
    caller,
    anonymousCounted: route.contract.anonymousFairUse === true,
    sourceIp: event.requestContext.http.sourceIp,
    declarations:
      sent !== undefined && route.contract.declarationsIn ? route.contract.declarationsIn(sent) : 0,
  });
  if (parsed) return route.action({ caller, event, ...parsed });
  if (refusal instanceof RefusedBodyError)
    await route.onRefusedBody?.({ caller, sent: refusal.sent, errors: refusal.errors });
  throw refusal;
};
