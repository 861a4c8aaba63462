// The local stand-in for the HTTP API: matches the topology's routes, authorizes as the JWT
// authorizer would (with local tokens `local:<role>:<subject>` instead of Cognito JWTs), turns each
// request into an API Gateway HTTP API payload 2.0 event and writes back the handler's result.
import { isUtf8 } from 'node:buffer';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
} from 'aws-lambda';
import { type Problem, problem } from '../../shared/http/problem.js';
import { ROLES, type Role } from '../../shared/topology.js';
import { invokeHandler, type LambdaHandler } from './lambda.js';
import {
  BodyTooLargeError,
  LOCAL_ACCOUNT_ID,
  LOCAL_HOST,
  LOCAL_REGION,
  type Log,
  listen,
  readBody,
  silentLog,
} from './util.js';

export interface HttpRoute {
  method: string;
  /** API Gateway route path: `{name}` is one path segment, `{name+}` the rest of the path. */
  path: string;
  function: string;
  /** Roles allowed to call; empty for a public route. */
  roles: readonly Role[];
}

export type LocalHttpEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: APIGatewayEventRequestContextJWTAuthorizer }
>;

/** A pause between requests shorter than this does not end a busy period (see `busySince`). */
const BUSY_GAP_MS = 20;
/** Payload limit of a Lambda invocation, which the deployed API inherits. */
export const BODY_LIMIT_BYTES = 6 * 1024 * 1024;
export const LOCAL_API_ID = 'local';
/** Scope prefix of the Cognito resource server; a token carries `clearway/<role>`. */
export const SCOPE_PREFIX = 'clearway';

// ---------- routes ----------

interface Segment {
  kind: 'literal' | 'param' | 'greedy';
  value: string;
}

export interface CompiledRoute {
  route: HttpRoute;
  routeKey: string;
  segments: Segment[];
}

export const compileRoutes = (routes: readonly HttpRoute[]): CompiledRoute[] => {
  const seen = new Set<string>();
  const compiled = routes.map((route) => {
    if (!route.path.startsWith('/')) throw new Error(`Route path must start with '/': ${route.path}`);
    const routeKey = `${route.method.toUpperCase()} ${route.path}`;
    if (seen.has(routeKey)) throw new Error(`Duplicate route ${routeKey}`);
    seen.add(routeKey);
    const segments = route.path
      .split('/')
      .slice(1)
      .map((part, index, all): Segment => {
        const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
        if (!param) return { kind: 'literal', value: part };
        if (param[2] === '+' && index !== all.length - 1) {
          throw new Error(`Greedy path variable must be last: ${route.path}`);
        }
        return { kind: param[2] === '+' ? 'greedy' : 'param', value: param[1] as string };
      });
    return { route, routeKey, segments };
  });
  // API Gateway prefers the most specific route: literal segments before variables, greedy last.
  const rank = { literal: 0, param: 1, greedy: 2 } as const;
  return compiled.sort((a, b) => {
    const length = Math.max(a.segments.length, b.segments.length);
    for (let i = 0; i < length; i++) {
      const left = a.segments[i];
      const right = b.segments[i];
      if (!left || !right) return left ? -1 : 1;
      const difference = rank[left.kind] - rank[right.kind];
      if (difference !== 0) return difference;
    }
    return 0;
  });
};

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** Whether every segment of a raw path decodes: API Gateway refuses a malformed percent-encoding (400). */
export const isWellEncodedPath = (rawPath: string): boolean =>
  rawPath.split('/').every((segment) => decode(segment) !== undefined);

export interface RouteMatch {
  compiled: CompiledRoute;
  pathParameters: Record<string, string>;
}

/** The route for `method` and the raw path, with its decoded path parameters. */
export const matchRoute = (
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): RouteMatch | undefined => {
  // API Gateway routes `/docs/` as it routes `/docs`: one trailing slash does not change the match.
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const parts = path.split('/').slice(1);
  const upper = method.toUpperCase();
  for (const compiled of routes) {
    if (compiled.route.method.toUpperCase() !== upper) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < compiled.segments.length && matched; i++) {
      const segment = compiled.segments[i] as Segment;
      const part = parts[i];
      if (part === undefined) {
        matched = false;
      } else if (segment.kind === 'greedy') {
        const rest = parts.slice(i).map(decode);
        if (rest.some((value) => value === undefined) || rest.join('/') === '') matched = false;
        else params[segment.value] = rest.join('/');
      } else {
        const value = decode(part);
        if (value === undefined) matched = false;
        else if (segment.kind === 'literal') matched = value === segment.value;
        else if (value === '') matched = false;
        else params[segment.value] = value;
      }
    }
    const last = compiled.segments[compiled.segments.length - 1];
    if (matched && (last?.kind === 'greedy' || parts.length === compiled.segments.length)) {
      return { compiled, pathParameters: params };
    }
  }
  return undefined;
};

// ---------- auth ----------

export interface LocalPrincipal {
  role: Role;
  subject: string;
  /** A staff member signed in for the subject (an agency's inspector), as Cognito's `username`. */
  person?: string;
}

const SUBJECT = /^[A-Za-z0-9_.@-]{1,128}$/;

/** Roles whose subject is the signed-in person's own user name (as the staff pre-token trigger sets it). */
const PERSONAL_ROLES: ReadonlySet<Role> = new Set(['officer', 'finance', 'admin']);

/**
 * `Bearer local:<role>:<subject>[:<person>]` -> the principal, or undefined when missing or malformed. The
 * person names who signs in for an organisation, e.g. `local:agency:FOOD_SAFETY:food-inspector-1`.
 */
export const parseLocalToken = (authorization: string | undefined): LocalPrincipal | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  if (!token) return undefined;
  const [scheme, role, subject = '', person, ...extra] = token.split(':');
  if (
    scheme !== 'local' ||
    !role ||
    !(ROLES as readonly string[]).includes(role) ||
    !SUBJECT.test(subject) ||
    (person !== undefined && !SUBJECT.test(person)) ||
    extra.length > 0
  ) {
    return undefined;
  }
  return { role: role as Role, subject, ...(person !== undefined ? { person } : {}) };
};

export const localToken = (role: Role, subject: string, person?: string): string =>
  `local:${role}:${subject}${person ? `:${person}` : ''}`;

/** The claims and scopes a Cognito access token for this principal yields behind the JWT authorizer. */
export const jwtAuthorizerContext = (
  principal: LocalPrincipal,
): APIGatewayEventRequestContextJWTAuthorizer => {
  const scopes = [`${SCOPE_PREFIX}/${principal.role}`, `${SCOPE_PREFIX}/sub:${principal.subject}`];
  // A person's token carries their user name, as Cognito's access tokens for signed-in users do.
  const username = principal.person ?? (PERSONAL_ROLES.has(principal.role) ? principal.subject : undefined);
  return {
    jwt: {
      claims: {
        sub: principal.subject,
        client_id: principal.subject,
        scope: scopes.join(' '),
        token_use: 'access',
        ...(username ? { username } : {}),
      },
      scopes,
    },
  };
};

/**
 * A refusal by the gateway itself, before any function runs. API Gateway's JWT authorizer answers these
 * with `{"message": ...}` (not problem+json) and a `www-authenticate` challenge that tells a missing
 * token from an invalid one; the local gateway answers the same, so clients meet one behaviour.
 */
export interface GatewayRefusal {
  status: 401 | 403;
  message: 'Unauthorized' | 'Forbidden';
  wwwAuthenticate?: string;
}

export type AuthDecision =
  | { ok: true; authorizer?: APIGatewayEventRequestContextJWTAuthorizer }
  | { ok: false; gateway: GatewayRefusal };

const INVALID_TOKEN =
  'Bearer scope="" error="invalid_token" error_description="the token is not a valid local token"';

export const authorize = (route: HttpRoute, authorization: string | undefined): AuthDecision => {
  if (route.roles.length === 0) return { ok: true };
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, gateway: { status: 401, message: 'Unauthorized', wwwAuthenticate: 'Bearer' } };
  }
  const principal = parseLocalToken(authorization);
  if (!principal) {
    return { ok: false, gateway: { status: 401, message: 'Unauthorized', wwwAuthenticate: INVALID_TOKEN } };
  }
  if (!route.roles.includes(principal.role)) {
    return { ok: false, gateway: { status: 403, message: 'Forbidden' } };
  }
  return { ok: true, authorizer: jwtAuthorizerContext(principal) };
};

// ---------- request -> event ----------

const TEXT_TYPES = [
  /^text\//,
  /^application\/(.+\+)?json\b/,
  /^application\/(.+\+)?xml\b/,
  /^application\/javascript\b/,
  /^application\/graphql\b/,
];

/** API Gateway base64-encodes bodies whose content type is not text. */
export const isTextContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && TEXT_TYPES.some((pattern) => pattern.test(contentType.trim().toLowerCase()));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
export const requestTime = (date: Date): string => {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
};

export interface EventInput {
  method: string;
  /** The request target as received: path and query string, still encoded. */
  url: string;
  /** Header name -> every value received (node's `headersDistinct`). */
  headers: Record<string, string[] | undefined>;
  body: Buffer;
  httpVersion: string;
  sourceIp: string;
  match: RouteMatch;
  authorizer?: APIGatewayEventRequestContextJWTAuthorizer;
  requestId: string;
  now: Date;
  serverPort: number;
  accountId?: string;
  apiId?: string;
  stage?: string;
}

const normalizeIp = (ip: string): string => (ip.startsWith('::ffff:') ? ip.slice(7) : ip) || '127.0.0.1';

const traceId = (now: Date) =>
  `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

/** An HTTP request as the API Gateway HTTP API (payload format 2.0) hands it to Lambda. */
export const toApiGatewayEvent = (input: EventInput): LocalHttpEvent => {
  const queryStart = input.url.indexOf('?');
  const rawPath = queryStart === -1 ? input.url : input.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : input.url.slice(queryStart + 1);
  const sourceIp = normalizeIp(input.sourceIp);

  // Maps, not object literals: a header or parameter named `__proto__` or `constructor` is data, as it is
  // in the JSON event API Gateway sends, never a property of Object.prototype.
  const headerMap = new Map<string, string>();
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(input.headers)) {
    if (!values || values.length === 0) continue;
    const key = name.toLowerCase();
    if (key === 'cookie') {
      cookies = values.flatMap((value) => value.split(';').map((cookie) => cookie.trim())).filter(Boolean);
      continue;
    }
    headerMap.set(key, values.join(','));
  }
  const headers: Record<string, string> = Object.fromEntries(headerMap);
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(input.serverPort);
  headers['x-amzn-trace-id'] ??= traceId(input.now);
  const host = headers.host ?? `${LOCAL_HOST}:${input.serverPort}`;

  const queryMap = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const previous = queryMap.get(key);
    queryMap.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  const query: Record<string, string> = Object.fromEntries(queryMap);

  const contentType = headers['content-type'];
  const hasBody = input.body.length > 0;
  // Bytes that are not UTF-8 cannot travel as a text body: they reach the function base64-encoded, unaltered.
  const isBase64Encoded = hasBody && (!isTextContentType(contentType) || !isUtf8(input.body));
  const { compiled, pathParameters } = input.match;

  return {
    version: '2.0',
    routeKey: compiled.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: input.accountId ?? LOCAL_ACCOUNT_ID,
      apiId: input.apiId ?? LOCAL_API_ID,
      ...(input.authorizer ? { authorizer: input.authorizer } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? host,
      http: {
        method: input.method.toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${input.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: compiled.routeKey,
      stage: input.stage ?? '$default',
      time: requestTime(input.now),
      timeEpoch: input.now.getTime(),
    },
    ...(hasBody
      ? { body: isBase64Encoded ? input.body.toString('base64') : input.body.toString('utf8') }
      : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    isBase64Encoded,
  };
};

// ---------- result -> response ----------

export interface HttpResponseParts {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class InvalidResultError extends Error {
  override name = 'InvalidResultError';
}

/**
 * The handler's result as API Gateway answers it (payload format 2.0): a result with `statusCode`
 * is used as is; anything else is a 200 JSON body (a string is sent as it is).
 */
export const toHttpResponse = (result: unknown): HttpResponseParts => {
  if (!isRecord(result) || !('statusCode' in result)) {
    const body =
      result === undefined || result === null
        ? ''
        : typeof result === 'string'
          ? result
          : JSON.stringify(result);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(body, 'utf8'),
    };
  }
  const statusCode = Number(result.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new InvalidResultError(`Invalid statusCode ${String(result.statusCode)}`);
  }
  const headers: Record<string, string | string[]> = {};
  if (isRecord(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
  }
  if (isRecord(result.multiValueHeaders)) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (Array.isArray(values)) headers[name.toLowerCase()] = values.map(String);
    }
  }
  if (Array.isArray(result.cookies) && result.cookies.length > 0) {
    const existing = headers['set-cookie'];
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    headers['set-cookie'] = [...list, ...result.cookies.map(String)];
  }
  let body = Buffer.alloc(0);
  if (result.body !== undefined && result.body !== null) {
    if (typeof result.body !== 'string') throw new InvalidResultError('body must be a string');
    body =
      result.isBase64Encoded === true ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
  }
  return { statusCode, headers, body };
};

// ---------- server ----------

export interface FunctionTimeouts {
  timeoutSeconds: number;
  memoryMb?: number;
}

export interface HttpServerOptions {
  routes: readonly HttpRoute[];
  /** Handler per function name; a route whose function has none answers 503. */
  handlers: Partial<Record<string, LambdaHandler>>;
  /** Timeout and memory per function name (default 29 s). */
  functions?: Partial<Record<string, FunctionTimeouts>>;
  /** Function name shown in the Lambda context, from the route's function (default: as is). */
  functionName?: (fn: string) => string;
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  bodyLimitBytes?: number;
  log?: Log;
}

export interface LocalHttpServer {
  readonly url: string;
  readonly port: number;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /**
   * Since when (epoch ms) requests have been in flight without a pause (gaps under BUSY_GAP_MS between
   * one answer and the next request do not count); undefined while none is.
   */
  busySince(): number | undefined;
  stop(): Promise<void>;
}

const sendProblem = (res: ServerResponse, value: Problem, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(value);
  res.writeHead(value.status, {
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
};

const sendGatewayRefusal = (res: ServerResponse, refusal: GatewayRefusal) => {
  const text = JSON.stringify({ message: refusal.message });
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...(refusal.wwwAuthenticate ? { 'www-authenticate': refusal.wwwAuthenticate } : {}),
  });
  res.end(text);
};

/** Lets the client finish sending (so it reads our answer), but gives up after a while. */
const discardBody = (req: IncomingMessage): Promise<void> =>
  new Promise((resolve) => {
    if (req.readableEnded) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      resolve();
    }, 10_000);
    req.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    req.once('error', () => {
      clearTimeout(timer);
      resolve();
    });
    req.resume();
  });

export const startHttpServer = async (options: HttpServerOptions): Promise<LocalHttpServer> => {
  const routes = compileRoutes(options.routes);
  const log = options.log ?? silentLog;
  const limit = options.bodyLimitBytes ?? BODY_LIMIT_BYTES;
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const host = options.host ?? LOCAL_HOST;
  let serverPort = options.port ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    const url = req.url ?? '/';
    const rawPath = url.split('?')[0] ?? '/';
    if (!isWellEncodedPath(rawPath)) {
      await discardBody(req);
      sendProblem(res, problem(400, 'The request path is not validly percent-encoded.'));
      return;
    }
    const match = matchRoute(routes, req.method ?? 'GET', rawPath);
    if (!match) {
      await discardBody(req);
      sendProblem(res, problem(404, `No route for ${req.method} ${rawPath}.`));
      return;
    }
    const route = match.compiled.route;
    // Several Authorization headers reach the authorizer joined by commas, as API Gateway joins them: no
    // single token, so 401 (node itself would keep only the first).
    const decision = authorize(route, req.headersDistinct.authorization?.join(','));
    if (!decision.ok) {
      await discardBody(req);
      sendGatewayRefusal(res, decision.gateway);
      return;
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > limit) {
      await discardBody(req);
      sendProblem(res, problem(413, `The request body exceeds ${limit} bytes.`));
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      await discardBody(req);
      sendProblem(res, problem(413, `The request body exceeds ${limit} bytes.`));
      return;
    }
    const handler = options.handlers[route.function];
    if (!handler) {
      sendProblem(res, problem(503, `The function behind ${match.compiled.routeKey} is not available.`));
      return;
    }
    const event = toApiGatewayEvent({
      method: req.method ?? 'GET',
      url,
      headers: req.headersDistinct,
      body,
      httpVersion: req.httpVersion,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      match,
      ...(decision.authorizer ? { authorizer: decision.authorizer } : {}),
      requestId,
      now: new Date(),
      serverPort,
      accountId,
    });
    const settings = options.functions?.[route.function];
    let parts: HttpResponseParts;
    try {
      const result = await invokeHandler(handler, event, {
        functionName: options.functionName ? options.functionName(route.function) : route.function,
        timeoutSeconds: settings?.timeoutSeconds ?? 29,
        ...(settings?.memoryMb !== undefined ? { memoryMb: settings.memoryMb } : {}),
        region,
        accountId,
      });
      parts = toHttpResponse(result);
    } catch (error) {
      log.error(`${match.compiled.routeKey} (${route.function}) failed [${requestId}]`, error);
      sendProblem(res, problem(500, 'The server could not complete the request.'));
      return;
    }
    res.writeHead(parts.statusCode, { ...parts.headers, 'content-length': String(parts.body.length) });
    res.end(req.method === 'HEAD' ? undefined : parts.body);
  };

  let inFlight = 0;
  let busySince = 0;
  let idleSince = 0;
  const server: Server = createServer((req, res) => {
    const now = Date.now();
    if (inFlight === 0 && now - idleSince >= BUSY_GAP_MS) busySince = now;
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) idleSince = Date.now();
    });
    const requestId = randomUUID();
    res.setHeader('apigw-requestid', requestId);
    res.setHeader('x-request-id', requestId);
    handle(req, res, requestId).catch((error: unknown) => {
      log.error(`Request ${requestId} failed in the local HTTP adapter`, error);
      if (res.headersSent) res.destroy();
      else sendProblem(res, problem(500, 'The server could not complete the request.'));
    });
  });
  server.keepAliveTimeout = 30_000;
  await listen(server, serverPort, host);
  const address = server.address();
  serverPort = typeof address === 'object' && address !== null ? address.port : serverPort;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost === LOCAL_HOST ? 'localhost' : urlHost}:${serverPort}`;
  log.debug(`HTTP API listening on ${url} with ${routes.length} route(s)`);
  return {
    url,
    port: serverPort,
    inFlight: () => inFlight,
    busySince: () => (inFlight > 0 ? busySince : undefined),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
};
