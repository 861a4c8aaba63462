// The edge parses every request with its route's schemas before the use case runs: the use case gets a
// typed command, and a request the schemas refuse is answered 400 naming each field without reaching it.
import { describe, expect, it } from 'vitest';
import { handle, type RefusedBody } from '../../../shared/http/contract.js';
import { httpHandler, json } from '../../../shared/http/handler.js';
import { clearanceRoutes } from '../../../shared/http/routes/clearance.js';
import { declarationRoutes } from '../../../shared/http/routes/declarations.js';
import { postalRoutes } from '../../../shared/http/routes/postal.js';
import { aDeclaration } from '../../fixtures/declarations.js';
import { type HttpEventInput, invoke } from '../../fixtures/http.js';

/** Each route's action records what reached it and answers 200. */
const edge = () => {
  const reached: { route: string; params: unknown; query: unknown; body: unknown }[] = [];
  const refused: RefusedBody[] = [];
  const record = (route: string) => async (input: { params: unknown; query: unknown; body: unknown }) => {
    reached.push({ route, params: input.params, query: input.query, body: input.body });
    return json(200, {});
  };
  const handler = httpHandler(
    handle(clearanceRoutes.liftHold, record('lift')),
    handle(declarationRoutes.list, record('list')),
    handle(declarationRoutes.lodge, record('lodge'), {
      onRefusedBody: async (refusal) => {
        refused.push(refusal);
      },
    }),
    handle(declarationRoutes.batch, record('batch')),
    handle(postalRoutes.items, record('items')),
    handle(postalRoutes.itmatt, record('itmatt')),
  );
  return { reached, refused, call: (input: HttpEventInput) => invoke(handler, input) };
};

const LIFT = 'POST /v1/declarations/{id}/holds/{holdId}/lift';
const liftPath = { id: 'dcl_1', holdId: 'hold_customs' };

describe('parsing at the edge', () => {
  it('refuses an empty lift note with 400 naming `note`, and hands a valid or absent lift to the use case', async () => {
    // Prepare
    const { reached, call } = edge();

    // Act
    const empty = await call({
      routeKey: LIFT,
      as: 'officer:o-1',
      pathParameters: liftPath,
      body: { note: '' },
    });
    const unknown = await call({
      routeKey: LIFT,
      as: 'officer:o-1',
      pathParameters: liftPath,
      body: { n: 1 },
    });
    const noted = await call({
      routeKey: LIFT,
      as: 'officer:o-1',
      pathParameters: liftPath,
      body: { note: 'Samples within limits' },
    });
    const bare = await call({ routeKey: LIFT, as: 'officer:o-1', pathParameters: liftPath });

    // Assess
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toBe('application/problem+json');
    expect(empty.body.errors).toEqual([{ path: 'note', message: 'must not be empty' }]);
    expect(empty.body.detail).toBe('The lift is not valid: note must not be empty');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'n', message: 'is not a known field (n)' }]);
    expect(noted.statusCode).toBe(200);
    expect(bare.statusCode).toBe(200);
    expect(reached.map(({ body }) => body)).toEqual([{ note: 'Samples within limits' }, undefined]);
  });

  it('names an unknown query parameter as such, and hands the list its typed query', async () => {
    // Prepare
    const { reached, call } = edge();

    // Act
    const unknown = await call({
      routeKey: 'GET /v1/declarations',
      as: 'platform:acme',
      query: { colour: 'red' },
    });
    const tooMany = await call({
      routeKey: 'GET /v1/declarations',
      as: 'platform:acme',
      query: { limit: '101' },
    });
    const listed = await call({
      routeKey: 'GET /v1/declarations',
      as: 'platform:acme',
      query: { limit: '5', status: 'HELD' },
    });

    // Assess
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.errors).toEqual([
      { path: 'colour', message: 'is not a known query parameter (colour)' },
    ]);
    expect(tooMany.body.errors).toEqual([{ path: 'limit', message: 'must be at most 100' }]);
    expect(listed.statusCode).toBe(200);
    expect(reached).toEqual([
      { route: 'list', params: {}, query: { limit: 5, status: 'HELD' }, body: undefined },
    ]);
  });

  it('reports a refused declaration to the route before answering 400, and hands a valid one over parsed', async () => {
    // Prepare
    const { reached, refused, call } = edge();
    const invalid = { ...aDeclaration(), giftWrap: true };

    // Act
    const refusal = await call({ routeKey: 'POST /v1/declarations', as: 'platform:acme', body: invalid });
    const accepted = await call({
      routeKey: 'POST /v1/declarations',
      as: 'platform:acme',
      body: aDeclaration(),
    });

    // Assess
    expect(refusal.statusCode).toBe(400);
    expect(refusal.body.errors).toEqual([{ path: 'giftWrap', message: 'is not a known field (giftWrap)' }]);
    expect(refused).toEqual([
      {
        caller: expect.objectContaining({ role: 'platform', subject: 'acme' }),
        sent: invalid,
        errors: refusal.body.errors,
      },
    ]);
    expect(accepted.statusCode).toBe(200);
    expect(reached).toHaveLength(1);
    expect(reached[0]?.body).toMatchObject({ reference: aDeclaration().reference });
  });

  it('checks the envelope of a batch at the edge and leaves each declaration to be checked on its own', async () => {
    // Prepare
    const { reached, call } = edge();
    const declarations = [aDeclaration(), { reference: 'half a declaration' }];

    // Act
    const empty = await call({
      routeKey: 'POST /v1/declarations/batch',
      as: 'platform:acme',
      body: { declarations: [] },
    });
    const mixed = await call({
      routeKey: 'POST /v1/declarations/batch',
      as: 'platform:acme',
      body: { declarations },
    });
    const items = await call({ routeKey: 'POST /v1/postal/items', as: 'post:postnl', body: { items: [{}] } });

    // Assess
    expect(empty.statusCode).toBe(400);
    expect(empty.body.errors).toEqual([
      { path: 'declarations', message: 'must hold at least one declaration' },
    ]);
    expect(String(empty.body.detail)).toMatch(/^The batch is not valid/);
    expect(mixed.statusCode).toBe(200);
    expect(items.statusCode).toBe(200);
    expect(reached.map(({ body }) => body)).toEqual([{ declarations }, { items: [{}] }]);
  });

  it('hands an ITMATT message over as text, refusing a body that is not XML with 415', async () => {
    // Prepare
    const { reached, call } = edge();
    const xml = '<ITMATT><Item><ItemId>RR123456785NL</ItemId></Item></ITMATT>';

    // Act
    const sent = await call({
      routeKey: 'POST /v1/postal/itmatt',
      as: 'post:postnl',
      rawBody: xml,
      contentType: 'application/xml',
    });
    const asJson = await call({ routeKey: 'POST /v1/postal/itmatt', as: 'post:postnl', body: { items: [] } });

    // Assess
    expect(sent.statusCode).toBe(200);
    expect(asJson.statusCode).toBe(415);
    expect(reached.map(({ body }) => body)).toEqual([xml]);
  });

  it('does not report a body that is not JSON, which never reached the schema', async () => {
    // Prepare
    const { refused, call } = edge();

    // Act
    const answer = await call({
      routeKey: 'POST /v1/declarations',
      as: 'platform:acme',
      rawBody: '{',
      contentType: 'application/json',
    });

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(refused).toEqual([]);
  });
});
