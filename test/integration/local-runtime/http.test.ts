import { request } from 'node:http';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type HttpRoute,
  type LocalHttpEvent,
  type LocalHttpServer,
  startHttpServer,
} from '../../../infra/local/http.js';
import type { LambdaHandler } from '../../../infra/local/lambda.js';

describe('local HTTP API', () => {
  let server: LocalHttpServer;
  const events: LocalHttpEvent[] = [];

  const routes: HttpRoute[] = [
    { method: 'POST', path: '/v1/things', function: 'echo', roles: ['platform'] },
    { method: 'POST', path: '/v1/things/batch', function: 'literal', roles: ['platform'] },
    { method: 'GET', path: '/v1/things/{id}', function: 'echo', roles: ['platform', 'officer'] },
    {
      method: 'POST',
      path: '/v1/things/{id}/holds/{holdId}/lift',
      function: 'echo',
      roles: ['officer', 'agency'],
    },
    { method: 'GET', path: '/public/{asset+}', function: 'echo', roles: [] },
    { method: 'GET', path: '/boom', function: 'boom', roles: [] },
    { method: 'GET', path: '/plain', function: 'plain', roles: [] },
    { method: 'GET', path: '/cookies', function: 'cookies', roles: [] },
    { method: 'GET', path: '/slow', function: 'slow', roles: [] },
    { method: 'GET', path: '/missing', function: 'nobody', roles: [] },
  ];

  const handlers: Record<string, LambdaHandler> = {
    echo: async (event: LocalHttpEvent) => {
      events.push(event);
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: event.requestContext.requestId }),
      };
    },
    literal: async () => ({ statusCode: 207, body: 'batch' }),
    boom: async () => {
      throw new Error('secret table name clearway-nl-local-ledger');
    },
    plain: async () => ({ hello: 'world' }),
    cookies: async () => ({
      statusCode: 201,
      headers: { 'x-one': 1 },
      cookies: ['a=1; Path=/', 'b=2; Path=/'],
      body: Buffer.from('binary!').toString('base64'),
      isBase64Encoded: true,
    }),
    slow: () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'late' }), 3_000)),
  };

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    });

  const lastEvent = () => {
    const event = events.at(-1);
    if (!event) throw new Error('no event recorded');
    return event;
  };

  beforeAll(async () => {
    server = await startHttpServer({ routes, handlers, port: 0, functions: { slow: { timeoutSeconds: 1 } } });
  });

  afterAll(() => server.stop());

  describe('authorization', () => {
    it('answers 401 as API Gateway does, telling a missing token from a malformed one', async () => {
      const missing = await call('/v1/things/1', {});
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-type')).toBe('application/json');
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect(await missing.json()).toEqual({ message: 'Unauthorized' });
      for (const token of ['nonsense', 'local:platform', 'local:pirate:x', 'local:platform:has space']) {
        const response = await call('/v1/things/1', { token });
        expect(response.status, token).toBe(401);
        expect(response.headers.get('www-authenticate'), token).toMatch(/^Bearer .*error="invalid_token"/);
        expect(await response.json()).toEqual({ message: 'Unauthorized' });
      }
    });

    it('answers 403 as API Gateway does for a role the route does not allow', async () => {
      const response = await call('/v1/things/1', { token: 'local:finance:f-1' });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ message: 'Forbidden' });
    });

    it('passes the token as JWT authorizer claims and scopes', async () => {
      const response = await call('/v1/things/1', { token: 'local:platform:acme' });
      expect(response.status).toBe(200);
      expect(lastEvent().requestContext.authorizer?.jwt).toEqual({
        claims: {
          sub: 'acme',
          client_id: 'acme',
          scope: 'clearway/platform clearway/sub:acme',
          token_use: 'access',
        },
        scopes: ['clearway/platform', 'clearway/sub:acme'],
      });
    });

    it('lets anyone call a public route, with no authorizer in the event', async () => {
      const response = await call('/public/css/site.css');
      expect(response.status).toBe(200);
      expect(lastEvent().requestContext.authorizer).toBeUndefined();
      expect(lastEvent().pathParameters).toEqual({ asset: 'css/site.css' });
    });
  });

  describe('routing', () => {
    it('answers 404 problem+json for an unknown path or method', async () => {
      for (const [method, path] of [
        ['GET', '/v2/things'],
        ['DELETE', '/v1/things/1'],
        ['GET', '/v1/things/'],
      ] as const) {
        const response = await call(path, { method, token: 'local:platform:acme' });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(((await response.json()) as { status: number }).status).toBe(404);
      }
    });

    it('prefers a literal segment over a path variable', async () => {
      const response = await call('/v1/things/batch', { method: 'POST', token: 'local:platform:acme' });
      expect(response.status).toBe(207);
      expect(await response.text()).toBe('batch');
    });

    it('decodes path parameters', async () => {
      const response = await call('/v1/things/a%20b%2Fc/holds/h-1/lift', {
        method: 'POST',
        token: 'local:officer:o-1',
      });
      expect(response.status).toBe(200);
      expect(lastEvent().pathParameters).toEqual({ id: 'a b/c', holdId: 'h-1' });
      expect(lastEvent().routeKey).toBe('POST /v1/things/{id}/holds/{holdId}/lift');
      expect(lastEvent().rawPath).toBe('/v1/things/a%20b%2Fc/holds/h-1/lift');
    });
  });

  describe('the API Gateway v2 event', () => {
    it('is a faithful payload 2.0 event', async () => {
      // Act
      const response = await call('/v1/things?status=HELD&tag=a&tag=b&q=x%20y', {
        method: 'POST',
        token: 'local:platform:acme',
        headers: { 'content-type': 'application/json', 'X-Custom': 'One', cookie: 'session=abc; theme=dark' },
        body: JSON.stringify({ reference: 'r-1' }),
      });

      // Assess
      expect(response.status).toBe(200);
      const event = lastEvent();
      expect(APIGatewayProxyEventV2Schema.safeParse(event).error).toBeUndefined();
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: 'POST /v1/things',
        rawPath: '/v1/things',
        rawQueryString: 'status=HELD&tag=a&tag=b&q=x%20y',
        cookies: ['session=abc', 'theme=dark'],
        queryStringParameters: { status: 'HELD', tag: 'a,b', q: 'x y' },
        body: '{"reference":"r-1"}',
        isBase64Encoded: false,
        requestContext: {
          accountId: expect.stringMatching(/^\d{12}$/),
          apiId: expect.any(String),
          domainName: expect.stringContaining(String(server.port)),
          domainPrefix: expect.any(String),
          http: { method: 'POST', path: '/v1/things', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
          routeKey: 'POST /v1/things',
          stage: '$default',
          time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
          timeEpoch: expect.any(Number),
        },
      });
      expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'One' });
      expect(event.headers.cookie).toBeUndefined();
      expect(event.pathParameters).toBeUndefined();
      const body = (await response.json()) as { requestId: string };
      expect(response.headers.get('apigw-requestid')).toBe(body.requestId);
      expect(response.headers.get('x-request-id')).toBe(body.requestId);
    });

    it('base64-encodes a body whose content type is not text', async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 255]);
      await call('/v1/things', {
        method: 'POST',
        token: 'local:platform:acme',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      expect(lastEvent().isBase64Encoded).toBe(true);
      expect(Buffer.from(lastEvent().body ?? '', 'base64')).toEqual(bytes);
    });

    it('leaves out body and query parameters when there are none', async () => {
      await call('/v1/things/7', { token: 'local:officer:o-1' });
      const event = lastEvent();
      expect(event.body).toBeUndefined();
      expect(event.queryStringParameters).toBeUndefined();
      expect(event.rawQueryString).toBe('');
      expect(event.isBase64Encoded).toBe(false);
    });
  });

  describe('limits and failures', () => {
    it('answers 413 problem+json for a body over 6 MB without calling the handler', async () => {
      const before = events.length;
      const response = await call('/v1/things', {
        method: 'POST',
        token: 'local:platform:acme',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(6 * 1024 * 1024 + 1),
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(events.length).toBe(before);
    });

    it('answers 413 for a chunked body over the limit too', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL('/v1/things', server.url);
        const req = request(
          {
            hostname: '127.0.0.1',
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { authorization: 'Bearer local:platform:acme' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(1024 * 1024, 120);
        for (let i = 0; i < 7; i++) req.write(chunk);
        req.end();
      });
      expect(status).toBe(413);
    });

    it('answers 500 problem+json without internal text when the handler throws', async () => {
      const response = await call('/boom');
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const text = await response.text();
      expect(text).not.toContain('secret');
      expect(text).not.toContain('clearway-nl');
      expect(JSON.parse(text)).toMatchObject({ status: 500, title: 'Internal Server Error' });
    });

    it('counts the requests it is answering and tells since when it has been busy', async () => {
      expect(server.inFlight()).toBe(0);
      expect(server.busySince()).toBeUndefined();
      // A request right after another's answer would continue its busy period.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = Date.now();
      const slow = call('/slow');
      await vi.waitFor(() => expect(server.inFlight()).toBe(1));
      const since = server.busySince();
      expect(since).toBeGreaterThanOrEqual(before);
      // Another request meanwhile continues the same busy period.
      await call('/plain');
      expect(server.busySince()).toBe(since);
      await slow;
      await vi.waitFor(() => expect(server.inFlight()).toBe(0));
      expect(server.busySince()).toBeUndefined();
    });

    it('answers 500 when the function times out', async () => {
      const response = await call('/slow');
      expect(response.status).toBe(500);
    });

    it('answers 503 when the route has no handler', async () => {
      const response = await call('/missing');
      expect(response.status).toBe(503);
    });
  });

  describe('the response', () => {
    it('treats a result without statusCode as a 200 JSON body', async () => {
      const response = await call('/plain');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ hello: 'world' });
    });

    it('writes status, headers, cookies and base64 bodies', async () => {
      const response = await call('/cookies');
      expect(response.status).toBe(201);
      expect(response.headers.get('x-one')).toBe('1');
      expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      expect(await response.text()).toBe('binary!');
    });
  });
});
