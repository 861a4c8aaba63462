import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/domain/errors.js';
import {
  authorize,
  ForbiddenRoleError,
  MissingSubjectError,
  UnauthenticatedError,
} from '../../../shared/http/auth.js';
import { routes } from '../../../shared/http/routes/index.js';
import { ROLES } from '../../../shared/topology.js';
import { httpEvent } from '../../fixtures/http.js';

const protectedRoutes = routes.filter((route) => route.roles.length > 0);
const routeKey = (route: (typeof routes)[number]) => `${route.method} ${route.path}`;

describe('authorize', () => {
  it.each(protectedRoutes.map((route) => [routeKey(route), route] as const))(
    'refuses %s without a token',
    (key, route) => {
      expect(() => authorize(httpEvent({ routeKey: key }), route.roles)).toThrow(UnauthenticatedError);
    },
  );

  it.each(
    protectedRoutes.flatMap((route) =>
      ROLES.filter((role) => !route.roles.includes(role)).map(
        (role) => [routeKey(route), role, route.roles] as const,
      ),
    ),
  )('refuses %s to the %s role', (key, role, roles) => {
    expect(() => authorize(httpEvent({ routeKey: key, as: `${role}:someone` }), roles)).toThrow(
      ForbiddenRoleError,
    );
  });

  it.each(
    protectedRoutes.flatMap((route) =>
      route.roles.map((role) => [routeKey(route), role, route.roles] as const),
    ),
  )('lets %s through for the %s role, with the subject', (key, role, roles) => {
    expect(authorize(httpEvent({ routeKey: key, as: `${role}:subject-1` }), roles)).toEqual({
      role,
      subject: 'subject-1',
    });
  });

  it.each(routes.filter((route) => route.roles.length === 0).map((route) => [routeKey(route)] as const))(
    'lets anyone call the public route %s',
    (key) => {
      expect(authorize(httpEvent({ routeKey: key }), [])).toBeUndefined();
    },
  );

  it("names the signed-in person when the subject is the agency they act for, from the token's username", () => {
    // Prepare: Cognito puts the user name of a signed-in person in the access token
    const event = httpEvent({ routeKey: 'GET /v1/holds' });
    const scopes = ['clearway/agency', 'clearway/sub:FOOD_SAFETY'];
    const withClaims = (claims: Record<string, unknown>) => {
      event.requestContext.authorizer = {
        jwt: { claims: { scope: scopes.join(' '), ...claims }, scopes },
      } as unknown as typeof event.requestContext.authorizer;
      return authorize(event, ['agency']);
    };

    // Act and assess
    expect(withClaims({ username: 'anna.jansen@food.example' })).toEqual({
      role: 'agency',
      subject: 'FOOD_SAFETY',
      person: 'anna.jansen@food.example',
    });
    // A machine token (client credentials) names no person; a user name that is no identifier is ignored
    expect(withClaims({ client_id: 'food-system' })).toEqual({ role: 'agency', subject: 'FOOD_SAFETY' });
    expect(withClaims({ username: 'anna <script>' })).toEqual({ role: 'agency', subject: 'FOOD_SAFETY' });
    // An officer's subject is their own user name: nothing more to name
    event.requestContext.authorizer = {
      jwt: {
        claims: { scope: 'clearway/officer clearway/sub:officer-9', username: 'officer-9' },
        scopes: ['clearway/officer', 'clearway/sub:officer-9'],
      },
    } as unknown as typeof event.requestContext.authorizer;
    expect(authorize(event, ['officer'])).toEqual({ role: 'officer', subject: 'officer-9' });
  });

  it('refuses a token whose scopes name no known role', () => {
    // Prepare
    const event = httpEvent({ routeKey: 'POST /v1/declarations' });
    event.requestContext.authorizer = {
      jwt: { claims: { client_id: 'x', scope: 'clearway/superuser' }, scopes: ['clearway/superuser'] },
    } as unknown as typeof event.requestContext.authorizer;

    // Act + Assess
    expect(() => authorize(event, ['platform'])).toThrow(UnauthenticatedError);
  });

  it('refuses with 403 an access token that carries a role but no clearway/sub: scope', () => {
    // Prepare: a Cognito app client whose scopes were set up without the subject
    const event = httpEvent({ routeKey: 'POST /v1/declarations' });
    event.requestContext.authorizer = {
      jwt: {
        claims: { client_id: 'app-client-7', scope: 'clearway/platform', token_use: 'access' },
        scopes: ['clearway/platform'],
      },
    } as unknown as typeof event.requestContext.authorizer;

    // Act + Assess: the client id never stands in for the platform it would file as
    expect(() => authorize(event, ['platform'])).toThrow(MissingSubjectError);
    expect(() => authorize(event, ['platform'])).toThrow(ForbiddenError);
  });
});
