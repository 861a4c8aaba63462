// The route contract: each HTTP route is described once, by the function that serves it, the roles that
// may call it, the schemas of its path, query and body, and the responses it gives. The same entry
// authorizes and parses the request at the edge (`handle`), feeds the API Gateway routes (infra) and
// generates the OpenAPI document, so what is validated and what is documented cannot drift apart.
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { Principal, Role } from '../domain/caller.js';
import type { FieldError } from '../domain/declaration/declaration.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The functions that serve HTTP routes (the topology names the others). */
export type HttpFunctionName =
  | 'intake'
  | 'postal'
  | 'declarations'
  | 'webhooks'
  | 'openapi'
  | 'admin'
  | 'quotes'
  | 'clearance'
  | 'query'
  | 'console';

/** OpenAPI tags in the order an integrator works: declarations first, administration and reference last. */
export const TAGS = [
  { name: 'Declarations', description: 'Lodge, list, read and cancel declarations' },
  { name: 'Webhooks', description: 'Where the events about your declarations are delivered' },
  { name: 'Postal', description: 'Designated postal operators filing CN23 items and ITMATT messages' },
  { name: 'Quotes', description: 'Binding quotes of duties and taxes' },
  { name: 'Clearance', description: 'Payments, holds, decisions and returns after lodgement' },
  { name: 'Public', description: 'The rules in force and published statistics, no token needed' },
  { name: 'Finance', description: 'Revenue and the statements of collecting accounts' },
  { name: 'Statistics', description: 'Statistics of the consignments cleared' },
  { name: 'Admin: tariffs', description: 'Tariff rates by HS code, versioned by date' },
  { name: 'Admin: exchange rates', description: 'Exchange rates into the stack currency, versioned by date' },
  { name: 'Admin: registries', description: 'Trusted traders and tax registrations' },
  { name: 'Admin: risk', description: 'Risk profiles and reference prices' },
  { name: 'Admin: audit', description: 'Who changed which reference data, and when' },
  { name: 'Reference', description: 'This document and its rendered page' },
  { name: 'Console', description: "The administration's console and the public statistics page" },
] as const;
export type Tag = (typeof TAGS)[number]['name'];

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default: application/json, or application/problem+json for the problem schema. */
  contentType?: string;
}

export interface BodySpec<S extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  /** The body as documented; the edge parses with it unless `envelope` is given. */
  schema: S;
  /**
   * What the edge parses when a request reports on each of its items (207): the envelope, its items left as
   * sent for the use case to check one by one, so one bad item does not refuse the others.
   */
  envelope?: E;
  description?: string;
  /** Optional bodies may be absent; a body that is sent must still be valid. */
  required?: boolean;
  /** What the body is, for the problem detail: "The <name> is not valid". */
  name?: string;
  /** Default application/json; an `application/xml` body reaches the use case as text (its schema documents it). */
  contentType?: 'application/json' | 'application/xml';
}

export interface RouteContract {
  method: Method;
  /** API Gateway route path; `{name}` marks a path parameter. */
  path: string;
  function: HttpFunctionName;
  /** Roles allowed to call; an empty list makes the route public (no token needed). */
  roles: readonly Role[];
  summary: string;
  description?: string;
  tag: Tag;
  /** Path parameters; each defaults to a non-empty string. */
  params?: z.ZodType<Record<string, unknown>>;
  query?: z.ZodType;
  body?: BodySpec;
  /** Success responses and the errors particular to the route; the common ones are added. */
  responses: Record<number, ResponseSpec>;
  /**
   * How many declarations a request carries (its body as sent), counted against the caller's fair-use
   * limit on declarations; routes without it lodge none.
   */
  declarationsIn?: (body: unknown) => number;
  /** An anonymous call counts against the limit per source address (DESIGN 14: anonymous quotes). */
  anonymousFairUse?: true;
}

/** Keeps the literal types of a contract, so handlers get typed input. */
export const defineRoute = <const C extends RouteContract>(contract: C): C => contract;

export const routeKey = (route: Pick<RouteContract, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

type Parsed<S, Otherwise> = S extends z.ZodType ? z.infer<S> : Otherwise;
type ParsedBody<B> = B extends { contentType: 'application/xml' }
  ? string
  : B extends { envelope: infer E extends z.ZodType }
    ? z.infer<E>
    : B extends BodySpec<infer S>
      ? z.infer<S>
      : undefined;
type BodyOf<C extends RouteContract> = C['body'] extends { required: false }
  ? ParsedBody<C['body']> | undefined
  : ParsedBody<C['body']>;

/** What a handler receives: the caller and the request, parsed by the route's schemas. */
export interface RouteInput<C extends RouteContract> {
  /** The authenticated caller; undefined only on public routes, for an anonymous request. */
  caller: C['roles'] extends readonly [] ? Principal | undefined : Principal;
  params: Parsed<C['params'], Record<string, string>>;
  query: Parsed<C['query'], Record<string, string>>;
  body: BodyOf<C>;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** The input of any route, before its contract narrows it. */
export interface ParsedRequest {
  caller: Principal | undefined;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** A body the route's schema refused: the caller, the body as sent and what is wrong with it. */
export interface RefusedBody {
  caller: Principal | undefined;
  sent: unknown;
  errors: FieldError[];
}

export interface RouteOptions {
  /** Runs before a body the schema refused is answered with 400, e.g. to count refusals for data quality. */
  onRefusedBody?: (refused: RefusedBody) => Promise<void>;
}

export interface BoundRoute extends RouteOptions {
  contract: RouteContract;
  action: (input: ParsedRequest) => Promise<APIGatewayProxyResultV2>;
}

/** Binds a handler to its route; `httpHandler` then parses each request before calling it. */
export const handle = <C extends RouteContract>(
  contract: C,
  action: (input: RouteInput<C>) => Promise<APIGatewayProxyResultV2>,
  options: RouteOptions = {},
): BoundRoute => ({ contract, action: action as BoundRoute['action'], ...options });
