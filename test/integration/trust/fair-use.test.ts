// Fair use (DESIGN.md section 14): per-caller limits on requests and declarations, and per-address limits
// on anonymous quotes, counted in DynamoDB so they hold across instances. Limits are lowered here through
// the same environment the stack sets; two separately loaded instances of each handler share them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aDeclaration, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, type HttpResult, invoke } from '../../fixtures/http.js';
import { applyEnv, createIsolatedResources, type IsolatedResources, uniqueSuffix } from '../support.js';

const LIMITS = {
  // An hour-long window: a test never straddles two windows in practice.
  FAIR_USE_WINDOW_SECONDS: '3600',
  FAIR_USE_REQUESTS: '3',
  FAIR_USE_DECLARATIONS: '5',
  FAIR_USE_ANONYMOUS_QUOTES: '2',
};

const load = async (path: string): Promise<HttpHandler> => {
  // A fresh module graph: a second cold start, sharing nothing in memory with the first.
  vi.resetModules();
  return ((await import(path)) as { handler: HttpHandler }).handler;
};

const expectRefused = (response: HttpResult, limit: string) => {
  expect(response.statusCode).toBe(429);
  expect(response.headers['content-type']).toBe('application/problem+json');
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  expect(response.body).toMatchObject({ status: 429, limit, retryAfterSeconds: retryAfter });
};

describe('fair use', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  const instances: Record<'declarations' | 'intake' | 'quotes', [HttpHandler, HttpHandler]> = {} as never;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'fairuse' });
    restoreEnv = applyEnv({ ...resources.env, ...LIMITS });
    for (const name of ['declarations', 'intake', 'quotes'] as const) {
      const path = `../../../functions/${name}/handler.js`;
      instances[name] = [await load(path), await load(path)];
    }
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  it('refuses a caller past its requests per window with 429 and Retry-After, across instances, and no one else', async () => {
    // Prepare
    const [first, second] = instances.declarations;
    const caller = `platform:busy-${uniqueSuffix()}` as const;
    const list = (handler: HttpHandler, as: `platform:${string}` = caller) =>
      invoke(handler, { routeKey: 'GET /v1/declarations', as });

    // Act
    const allowed = [await list(first), await list(second), await list(first)];
    const refused = await list(second);
    const other = await list(first, `platform:calm-${uniqueSuffix()}`);

    // Assess
    expect(allowed.map((response) => response.statusCode)).toEqual([200, 200, 200]);
    expectRefused(refused, 'requests');
    expect(other.statusCode).toBe(200);
  });

  it('counts each declaration of a batch against the limit, and lodges nothing of a refused batch', async () => {
    // Prepare
    const [first, second] = instances.intake;
    const caller = `platform:bulk-${uniqueSuffix()}` as const;
    const batch = (count: number) => ({
      declarations: Array.from({ length: count }, () => aDeclaration({ reference: aReference('FU') })),
    });
    const refusedBatch = batch(2);

    // Act
    const accepted = await invoke(first, {
      routeKey: 'POST /v1/declarations/batch',
      as: caller,
      body: batch(4),
    });
    const refused = await invoke(second, {
      routeKey: 'POST /v1/declarations/batch',
      as: caller,
      body: refusedBatch,
    });
    const lookups = await Promise.all(
      refusedBatch.declarations.map((declaration) =>
        invoke(instances.declarations[0], {
          routeKey: 'GET /v1/declarations',
          as: 'officer:officer-1',
          query: { reference: declaration.reference, platformId: caller.slice('platform:'.length) },
        }),
      ),
    );

    // Assess
    expect(accepted.statusCode).toBe(207);
    expectRefused(refused, 'declarations');
    expect(lookups.map((lookup) => lookup.body.items)).toEqual([[], []]);
  });

  it('bounds anonymous quotes per source address, whatever the body', async () => {
    // Prepare
    const [first, second] = instances.quotes;
    const quote = (handler: HttpHandler, sourceIp: string) =>
      invoke(handler, { routeKey: 'POST /v1/quotes', body: aDeclaration(), sourceIp });
    const address = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;

    // Act
    const allowed = [await quote(first, address), await quote(second, address)];
    const refused = await quote(first, address);
    const elsewhere = await quote(second, '203.0.113.9');

    // Assess
    expect(allowed.map((response) => response.statusCode)).not.toContain(429);
    expectRefused(refused, 'anonymousQuotes');
    expect(elsewhere.statusCode).not.toBe(429);
  });
});
