// Regressions of what the security matrix and the fuzz suite (test/e2e) found in the functions, against
// DynamoDB Local: an id too long to be a key answered 500 on every action route (DynamoDB refused the key),
// and removing a risk profile's only version answered 404 although it had worked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { leakIn } from '../../fixtures/leaks.js';
import { applyEnv, createIsolatedResources, documentClient, type IsolatedResources } from '../support.js';

describe('hostile requests the functions answered wrongly', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let declarations: HttpHandler;
  let clearance: HttpHandler;
  let admin: HttpHandler;
  let store: ReturnType<typeof declarationStore>;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'hostile' });
    restoreEnv = applyEnv(resources.env);
    // Imported once the environment is set: each handler reads its configuration at load, as on a cold start.
    const handlerOf = (module: unknown) => (module as { handler: HttpHandler }).handler;
    declarations = handlerOf(await import('../../../functions/declarations/handler.js'));
    clearance = handlerOf(await import('../../../functions/clearance/handler.js'));
    admin = handlerOf(await import('../../../functions/admin/handler.js'));
    store = declarationStore(resources.tables.declarations, documentClient());
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  describe('an id too long to be a DynamoDB key', () => {
    const id = `dcl_${'0'.repeat(3_000)}`;
    const routes = [
      { handler: () => declarations, routeKey: 'GET /v1/declarations/{id}', as: 'officer:o-1' },
      { handler: () => declarations, routeKey: 'GET /v1/declarations/{id}/record', as: 'officer:o-1' },
      {
        handler: () => declarations,
        routeKey: 'POST /v1/declarations/{id}/cancel',
        as: 'platform:acme',
        body: {},
      },
      {
        handler: () => clearance,
        routeKey: 'POST /v1/declarations/{id}/payments',
        as: 'officer:o-1',
        body: { amount: '1.00', currency: 'EUR', reference: 'PAY-1' },
      },
      {
        handler: () => clearance,
        routeKey: 'POST /v1/declarations/{id}/holds',
        as: 'officer:o-1',
        body: { reason: 'Check' },
      },
      {
        handler: () => clearance,
        routeKey: 'POST /v1/declarations/{id}/holds/{holdId}/lift',
        as: 'officer:o-1',
      },
      {
        handler: () => clearance,
        routeKey: 'POST /v1/declarations/{id}/decisions',
        as: 'officer:o-1',
        body: { decision: 'RELEASE', findings: {} },
      },
      {
        handler: () => clearance,
        routeKey: 'POST /v1/declarations/{id}/returns',
        as: 'platform:acme',
        body: { reason: 'Returned', reference: 'RMA-1' },
      },
    ] as const;

    it.each(routes.map((route) => [route.routeKey, route] as const))(
      '%s answers 404, as for any unknown id (it answered 500)',
      async (_, route) => {
        // Act
        const response = await invoke(route.handler(), {
          routeKey: route.routeKey,
          as: route.as,
          pathParameters: { id, holdId: 'hold_1' },
          ...('body' in route ? { body: route.body } : {}),
        });

        // Assess
        expect(response.statusCode, response.text).toBe(404);
        expect(leakIn(response.text)).toBeUndefined();
      },
    );

    it('is not found by the store, which never sends it to DynamoDB', async () => {
      expect(await store.getState(id)).toBeUndefined();
      expect(await store.get(id)).toBeUndefined();
      expect((await store.getStates([id, 'dcl_unknown'])).size).toBe(0);
      expect((await store.getMany([id])).size).toBe(0);
    });
  });

  describe("removing a risk profile's only version", () => {
    it('answers 200 with the profile now empty (it answered 404), and the profile is gone after', async () => {
      // Prepare: a profile with one version, not yet in force
      const profile = {
        id: 'HOSTILE-ONLY-VERSION',
        description: 'Works of art',
        validFrom: '2099-01-01',
        when: { item: { hsChapter: ['97'] } },
        score: 1,
      };
      const call = (routeKey: string, options: { body?: unknown; query?: Record<string, string> } = {}) =>
        invoke(admin, { routeKey, as: 'admin:admin-1', pathParameters: { id: profile.id }, ...options });
      const put = await call('PUT /v1/admin/risk-profiles/{id}', { body: profile });
      expect(put.statusCode, put.text).toBe(201);

      // Act
      const removed = await call('DELETE /v1/admin/risk-profiles/{id}', {
        query: { validFrom: '2099-01-01' },
      });
      const after = await call('GET /v1/admin/risk-profiles/{id}');

      // Assess
      expect(removed.statusCode, removed.text).toBe(200);
      expect(removed.body).toMatchObject({ id: profile.id, builtin: false, versions: [], inForce: null });
      expect(after.statusCode).toBe(404);
    });
  });
});
