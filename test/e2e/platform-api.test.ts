// The platform API over HTTP against `npm start`'s runtime: auth on every route, lodging one and a
// thousand declarations, status, list, cancel, webhooks with signature checks, and the API reference.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../shared/domain/webhooks/signature.js';
import { declarationRoutes } from '../../shared/http/routes/declarations.js';
import { routes } from '../../shared/http/routes/index.js';
import { ROLES } from '../../shared/topology.js';
import { answerAs } from '../fixtures/api.js';
import { aDeclaration, anItem, aReference } from '../fixtures/declarations.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

const PLATFORM = 'local:platform:e2e-api';

describe('the platform API over HTTP', () => {
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ CLEARWAY_LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token: string | null = PLATFORM) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: json,
      text,
    };
  };

  const concretePath = (path: string) => path.replace(/\{[^}]+\}/g, 'dcl_00000000000000000000000000');

  describe('auth', () => {
    const protectedRoutes = routes.filter((route) => route.roles.length > 0);

    it.each(protectedRoutes.map((route) => [route.method, route.path] as const))(
      '%s %s answers 401 without a token and with a bad one',
      async (method, path) => {
        const missing = await call(method, concretePath(path), undefined, null);
        const bad = await call(method, concretePath(path), undefined, 'not-a-token');
        for (const response of [missing, bad]) {
          expect(response.status).toBe(401);
          expect(response.contentType).toBe('application/json');
          expect(response.body).toEqual({ message: 'Unauthorized' });
        }
      },
    );

    it.each(
      protectedRoutes.flatMap((route) =>
        ROLES.filter((role) => !route.roles.includes(role))
          .slice(0, 1)
          .map((role) => [route.method, route.path, role] as const),
      ),
    )('%s %s answers 403 to the %s role', async (method, path, role) => {
      const response = await call(method, concretePath(path), undefined, `local:${role}:someone`);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: 'Forbidden' });
    });
  });

  describe('lodging and following declarations', () => {
    it('lodges a declaration, shows its status and lists it', async () => {
      // Prepare
      const reference = aReference('E2E-API');

      // Act
      const lodged = await call('POST', '/v1/declarations', aDeclaration({ reference }));
      const status = await call('GET', `/v1/declarations/${lodged.body.id}`);
      const list = await eventually(
        () => call('GET', '/v1/declarations?limit=100'),
        (response) =>
          answerAs(declarationRoutes.list, response, 200).items.some((item) => item.id === lodged.body.id),
      );

      // Assess
      expect(lodged.status).toBe(202);
      expect(lodged.body).toMatchObject({
        status: 'RECEIVED',
        reference,
        links: { self: `/v1/declarations/${lodged.body.id}` },
      });
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ id: lodged.body.id, reference, platformId: 'e2e-api' });
      expect(list.status).toBe(200);
    });

    it('lists an assessed declaration with the lane, totals and goods value its full record holds', async () => {
      // Prepare: two goods lines worth 20.00 and 12.55 (each line's value, whatever its quantity)
      const lodged = await call(
        'POST',
        '/v1/declarations',
        aDeclaration({
          reference: aReference('E2E-SUM'),
          items: [
            anItem({ value: '20.00', quantity: 2 }),
            anItem({ description: 'leather belt for men', hsCode: '420330', value: '12.55', quantity: 1 }),
          ],
        }),
      );

      // Act: the list indexes carry the summary, written with every state change
      const listed = await eventually(
        () => call('GET', '/v1/declarations?limit=100'),
        (response) =>
          answerAs(declarationRoutes.list, response, 200).items.some(
            (item) => item.id === lodged.body.id && item.totals !== undefined,
          ),
      );
      const full = await call('GET', `/v1/declarations/${lodged.body.id}`);
      const record = answerAs(declarationRoutes.view, full, 200);

      // Assess
      const row = answerAs(declarationRoutes.list, listed, 200).items.find(
        (item) => item.id === lodged.body.id,
      );
      expect(row).toMatchObject({
        status: record.status,
        lane: record.risk?.lane,
        totals: record.assessment?.totals,
        goodsValue: { amount: '32.55', currency: 'EUR' },
      });
      expect(listed.body.items).not.toContainEqual(
        expect.objectContaining({ summaryLane: expect.anything() }),
      );
      expect(full.body).not.toHaveProperty('summaryTotals');
    });

    it('refuses an invalid declaration with problem+json naming the fields', async () => {
      const response = await call('POST', '/v1/declarations', {
        ...aDeclaration(),
        currency: 'EURO',
        extra: 1,
      });
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      const problem = answerAs(declarationRoutes.lodge, response, 400);
      expect((problem.errors ?? []).map((error) => error.path).sort()).toEqual(['currency', 'extra']);
    });

    it('accepts a batch of 1000 declarations', async () => {
      // Prepare
      const declarations = Array.from({ length: 1000 }, () =>
        aDeclaration({ reference: aReference('E2E-BULK') }),
      );

      // Act
      const started = performance.now();
      const response = await call('POST', '/v1/declarations/batch', { declarations });
      const elapsed = performance.now() - started;

      // Assess
      const { results } = answerAs(declarationRoutes.batch, response, 207);
      expect(results.filter((result) => result.status === 202)).toHaveLength(1000);
      // Speed is measured by `npm run bench`; this only reports it.
      console.info(`POST /v1/declarations/batch with 1000 declarations: ${Math.round(elapsed)} ms`);
    });

    it('cancels a declaration before release and refuses a second platform', async () => {
      // Prepare
      const lodged = await call(
        'POST',
        '/v1/declarations',
        aDeclaration({ reference: aReference('E2E-CANCEL') }),
      );

      // Act
      const rival = await call(
        'POST',
        `/v1/declarations/${lodged.body.id}/cancel`,
        undefined,
        'local:platform:rival',
      );
      const cancelled = await call('POST', `/v1/declarations/${lodged.body.id}/cancel`, {
        reason: 'Order refunded',
      });

      // Assess
      expect(rival.status).toBe(404);
      expect([200, 409]).toContain(cancelled.status);
      if (cancelled.status === 200) expect(cancelled.body.status).toBe('CANCELLED');
      else expect(cancelled.body.currentStatus).toBe('RELEASED');
    });
  });

  describe('webhooks', () => {
    let server: Server;
    const deliveries: { signature: string; body: string }[] = [];
    let url = '';

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        req.on('end', () => {
          deliveries.push({ signature: String(req.headers['clearway-signature']), body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clearway`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("delivers the platform's declaration events to its webhook, signed", async () => {
      // Prepare
      const secret = 'e2e-webhook-secret-0001';
      const put = await call('PUT', '/v1/webhooks', { url, secret }, 'local:platform:e2e-hooks');
      const shown = await call('GET', '/v1/webhooks', undefined, 'local:platform:e2e-hooks');

      // Act
      const lodged = await call(
        'POST',
        '/v1/declarations',
        aDeclaration({ reference: aReference('E2E-HOOK') }),
        'local:platform:e2e-hooks',
      );
      await call('POST', '/v1/declarations', aDeclaration({ reference: aReference('E2E-OTHER') }));

      // Assess
      expect(put.status).toBe(200);
      expect(shown.body).toEqual({
        url,
        updatedAt: expect.any(String),
        delivery: { status: 'ACTIVE', consecutiveFailures: 0 },
      });
      const received = await eventually(
        async () =>
          deliveries.map((delivery) => ({
            ...delivery,
            event: JSON.parse(delivery.body) as {
              type: string;
              data: { declarationId: string; platformId: string };
            },
          })),
        (all) =>
          all.some(
            (delivery) =>
              ['DeclarationHeld', 'DeclarationReleased'].includes(delivery.event.type) &&
              delivery.event.data.declarationId === lodged.body.id,
          ),
      );
      for (const delivery of received) {
        expect(delivery.event.data.platformId).toBe('e2e-hooks');
        expect(verifySignature(secret, delivery.signature, delivery.body)).toBe(true);
      }
    });
  });

  describe('the API reference', () => {
    it('serves the OpenAPI document and the rendered page without a token', async () => {
      const document = await call('GET', '/openapi.json', undefined, null);
      const page = await call('GET', '/docs', undefined, null);
      const script = await fetch(`${runtime.url}/docs/swagger-ui-bundle.js`);

      expect(document.status).toBe(200);
      expect(document.body.openapi).toBe('3.1.0');
      expect(Object.keys(document.body.paths as object)).toContain('/v1/declarations/batch');
      expect(page.status).toBe(200);
      expect(page.contentType).toContain('text/html');
      expect(script.status).toBe(200);
      expect((await script.text()).length).toBeGreaterThan(100_000);
    });
  });
});
