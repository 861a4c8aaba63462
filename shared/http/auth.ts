// Who is calling: the role and subject carried by the JWT claims the API's authorizer validated.
// Scopes name the role (`clearway/<role>`); the subject is an explicit `clearway/sub:<id>` scope when the
// app client has one, otherwise the app client's id.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type Principal, ROLES, type Role } from '../domain/caller.js';

export class UnauthenticatedError extends Error {}

const SCOPE_PREFIX = 'clearway/';

const scopesOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string[] => {
  const jwt = event.requestContext.authorizer?.jwt;
  const claimed = jwt?.claims?.scope;
  const fromClaim = typeof claimed === 'string' ? claimed.split(' ') : [];
  return [...(jwt?.scopes ?? []), ...fromClaim];
};

/** The caller, or undefined for an anonymous request. */
export const principalOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Principal | undefined => {
  const scopes = scopesOf(event).filter((scope) => scope.startsWith(SCOPE_PREFIX));
  const role = scopes
    .map((scope) => scope.slice(SCOPE_PREFIX.length))
    .find((name): name is Role => (ROLES as readonly string[]).includes(name));
  if (!role) return undefined;
  const subjectScope = scopes.find((scope) => scope.startsWith(`${SCOPE_PREFIX}sub:`));
  const clientId = event.requestContext.authorizer?.jwt?.claims?.client_id;
  const subject =
    subjectScope?.slice(`${SCOPE_PREFIX}sub:`.length) ?? (typeof clientId === 'string' ? clientId : '');
  if (!subject) return undefined;
  return { role, subject };
};

/**
 * The caller allowed on a route with these roles (none: public). The API's authorizer already checks
 * scopes; checking again here keeps a misconfigured route from exposing data.
 */
export const authorize = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  roles: readonly Role[],
): Principal | undefined => {
  const principal = principalOf(event);
  if (roles.length === 0) return principal;
  if (!principal) throw new UnauthenticatedError('A valid bearer token is required');
  if (!roles.includes(principal.role)) throw new ForbiddenRoleError(principal.role);
  return principal;
};

export class ForbiddenRoleError extends Error {
  constructor(role: Role) {
    super(`The ${role} role may not use this operation`);
  }
}
