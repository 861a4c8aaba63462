// Who is calling: the role and subject carried by the JWT claims the API's authorizer validated.
// Scopes name the role (`clearway/<role>`) and the subject (`clearway/sub:<id>`). A token with a role and
// no subject scope is refused: an app client's id must never stand in for the platform it files as.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type Principal, ROLES, type Role } from '../domain/caller.js';
import { ForbiddenError } from '../domain/errors.js';

export class UnauthenticatedError extends Error {}

/** A token that names a role but no `clearway/sub:` subject: refused (403), never guessed. */
export class MissingSubjectError extends ForbiddenError {
  constructor() {
    super('The access token carries no clearway/sub: scope naming who calls');
  }
}

const SCOPE_PREFIX = 'clearway/';

const scopesOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string[] => {
  const jwt = event.requestContext.authorizer?.jwt;
  const claimed = jwt?.claims?.scope;
  const fromClaim = typeof claimed === 'string' ? claimed.split(' ') : [];
  return [...(jwt?.scopes ?? []), ...fromClaim];
};

/** The role the token's scopes name, if any. */
const roleOf = (scopes: string[]): Role | undefined =>
  scopes
    .map((scope) => scope.slice(SCOPE_PREFIX.length))
    .find((name): name is Role => (ROLES as readonly string[]).includes(name));

/** A Cognito user name as records may keep it (user names, e-mail addresses and UUIDs alike). */
const PERSON = /^[A-Za-z0-9_.@+-]{1,128}$/;

/**
 * The signed-in person: the `username` claim a Cognito user pool puts in the access tokens it issues to
 * people (hosted UI sign-in). Machine tokens (client credentials) carry none.
 */
const personOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string | undefined => {
  const username = event.requestContext.authorizer?.jwt?.claims?.username;
  return typeof username === 'string' && PERSON.test(username) ? username : undefined;
};

/** The caller, or undefined for an anonymous request or a token without a subject scope. */
export const principalOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Principal | undefined => {
  const scopes = scopesOf(event).filter((scope) => scope.startsWith(SCOPE_PREFIX));
  const role = roleOf(scopes);
  if (!role) return undefined;
  const subject = scopes
    .find((scope) => scope.startsWith(`${SCOPE_PREFIX}sub:`))
    ?.slice(`${SCOPE_PREFIX}sub:`.length);
  if (!subject) return undefined;
  const person = personOf(event);
  return { role, subject, ...(person && person !== subject ? { person } : {}) };
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
  if (!principal) {
    const scopes = scopesOf(event).filter((scope) => scope.startsWith(SCOPE_PREFIX));
    if (roleOf(scopes)) throw new MissingSubjectError();
    throw new UnauthenticatedError('A valid bearer token is required');
  }
  if (!roles.includes(principal.role)) throw new ForbiddenRoleError(principal.role);
  return principal;
};

export class ForbiddenRoleError extends Error {
  constructor(role: Role) {
    super(`The ${role} role may not use this operation`);
  }
}
