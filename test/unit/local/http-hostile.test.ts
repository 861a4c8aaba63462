// The local API Gateway stand-in facing hostile requests, as API Gateway would: a malformed
// percent-encoding is a 400, several Authorization headers are no token, parameter and header names are
// data (never Object.prototype), and bytes that are not UTF-8 reach the function unaltered.
// Regressions of what the fuzz suite (test/e2e/fuzz.test.ts) found.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileRoutes,
  type HttpRoute,
  isWellEncodedPath,
  type LocalHttpEvent,
  type LocalHttpServer,
  matchRoute,
  startHttpServer,
  toApiGatewayEvent,
} from '../../../infra/local/http.js';

const routes: HttpRoute[] = [
  { method: 'GET', path: '/v1/declarations/{id}', function: 'echo', roles: ['officer'] },
  { method: 'POST', path: '/v1/quotes', function: 'echo', roles: [] },
];
const compiled = compileRoutes(routes);

const eventFor = (url: string, headers: Record<string, string[]> = {}, body = Buffer.alloc(0)) => {
  const match = matchRoute(compiled, 'POST', '/v1/quotes');
  if (!match) throw new Error('no match');
  return toApiGatewayEvent({
    method: 'POST',
    url,
    headers: { host: ['localhost'], ...headers },
    body,
    httpVersion: '1.1',
    sourceIp: '127.0.0.1',
    match,
    requestId: 'req-1',
    now: new Date('2026-07-01T10:00:00Z'),
    serverPort: 3000,
  });
};

describe('isWellEncodedPath', () => {
  it('refuses a path any segment of which does not decode', () => {
    for (const path of ['/v1/declarations/%E0%A4%A', '/v1/declarations/%ZZ', '/v1/%', '/v1/x/%ED%A0%80']) {
      expect(isWellEncodedPath(path), path).toBe(false);
    }
    for (const path of [
      '/v1/declarations/dcl_1',
      '/v1/declarations/..%2F..%2Fetc',
      '/v1/x/%00',
      '/docs/%F0%9F%98%80',
    ]) {
      expect(isWellEncodedPath(path), path).toBe(true);
    }
  });
});

describe('toApiGatewayEvent with hostile names and bytes', () => {
  it('keeps query parameters named __proto__ or constructor as parameters', () => {
    // Act
    const event = eventFor('/v1/quotes?__proto__=x&constructor=y&constructor=z&toString=1');

    // Assess
    expect(event.queryStringParameters).toEqual(
      Object.fromEntries([
        ['__proto__', 'x'],
        ['constructor', 'y,z'],
        ['toString', '1'],
      ]),
    );
    expect(Object.hasOwn(event.queryStringParameters ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(event.queryStringParameters)).toBe(Object.prototype);
  });

  it('keeps headers named __proto__ or constructor as headers', () => {
    const event = eventFor(
      '/v1/quotes',
      Object.fromEntries([
        ['__proto__', ['x']],
        ['constructor', ['y']],
      ]),
    );

    expect(Object.hasOwn(event.headers, '__proto__')).toBe(true);
    expect(event.headers.constructor).toBe('y');
  });

  it('passes a text body that is not UTF-8 base64-encoded, so the function sees the bytes', () => {
    // Prepare: latin-1 "ü" (0xFC) under a JSON content type
    const bytes = Buffer.from('{"name":"M\u00fcller"}', 'latin1');

    // Act
    const event = eventFor('/v1/quotes', { 'content-type': ['application/json'] }, bytes);

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
    expect(
      eventFor('/v1/quotes', { 'content-type': ['application/json'] }, Buffer.from('{"a":"ü"}'))
        .isBase64Encoded,
    ).toBe(false);
  });
});

describe('the local HTTP API', () => {
  let server: LocalHttpServer;
  const events: LocalHttpEvent[] = [];

  beforeAll(async () => {
    server = await startHttpServer({
      routes,
      handlers: {
        echo: async (event: LocalHttpEvent) => {
          events.push(event);
          return { statusCode: 200, body: '{}' };
        },
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** node's http client, which (unlike fetch) sends a header twice when asked to. */
  const send = (path: string, headers: Record<string, string | string[]>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('answers 400 to a path with a malformed percent-encoding, before routing or authorizing', async () => {
    const response = await send('/v1/declarations/%E0%A4%A', {});

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('answers 401 to two Authorization headers, even two valid ones, as API Gateway joins them', async () => {
    // Act
    const twice = await send('/v1/declarations/dcl_1', {
      authorization: ['Bearer local:officer:o-1', 'Bearer local:officer:o-1'],
    });
    const once = await send('/v1/declarations/dcl_1', { authorization: 'Bearer local:officer:o-1' });

    // Assess
    expect(twice.status).toBe(401);
    expect(once.status).toBe(200);
  });
});
