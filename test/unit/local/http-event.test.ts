import { describe, expect, it } from 'vitest';
import {
  authorize,
  compileRoutes,
  type HttpRoute,
  isTextContentType,
  matchRoute,
  parseLocalToken,
  requestTime,
  toApiGatewayEvent,
  toHttpResponse,
} from '../../../infra/local/http.js';
import { failedItems, toSqsRecord } from '../../../infra/local/poller.js';

const routes: HttpRoute[] = [
  { method: 'GET', path: '/v1/declarations/{id}', function: 'declarations', roles: ['officer'] },
  { method: 'POST', path: '/v1/declarations/batch', function: 'intake', roles: ['platform'] },
  { method: 'POST', path: '/v1/declarations/{id}', function: 'declarations', roles: ['platform'] },
  { method: 'GET', path: '/docs/{asset+}', function: 'openapi', roles: [] },
  { method: 'GET', path: '/docs', function: 'openapi', roles: [] },
];
const compiled = compileRoutes(routes);

describe('matchRoute', () => {
  it('prefers literal segments over path variables, whatever the declaration order', () => {
    expect(matchRoute(compiled, 'POST', '/v1/declarations/batch')?.compiled.routeKey).toBe(
      'POST /v1/declarations/batch',
    );
    expect(matchRoute(compiled, 'POST', '/v1/declarations/dcl_1')?.pathParameters).toEqual({ id: 'dcl_1' });
  });

  it('matches greedy variables on the rest of the path, and not on nothing', () => {
    expect(matchRoute(compiled, 'GET', '/docs/a/b.css')?.pathParameters).toEqual({ asset: 'a/b.css' });
    expect(matchRoute(compiled, 'GET', '/docs')?.compiled.routeKey).toBe('GET /docs');
  });

  it('routes a path with one trailing slash as API Gateway does: to the route without it', () => {
    expect(matchRoute(compiled, 'GET', '/docs/')?.compiled.routeKey).toBe('GET /docs');
    expect(matchRoute(compiled, 'GET', '/docs//')).toBeUndefined();
  });

  it('does not match another method, an extra segment or an empty variable', () => {
    expect(matchRoute(compiled, 'DELETE', '/v1/declarations/1')).toBeUndefined();
    expect(matchRoute(compiled, 'GET', '/v1/declarations/1/extra')).toBeUndefined();
    expect(matchRoute(compiled, 'GET', '/v1/declarations/')).toBeUndefined();
  });

  it('rejects duplicate routes', () => {
    expect(() => compileRoutes([routes[0] as HttpRoute, routes[0] as HttpRoute])).toThrow(/Duplicate/);
  });
});

describe('parseLocalToken and authorize', () => {
  it('reads local:<role>:<subject> tokens only', () => {
    expect(parseLocalToken('Bearer local:agency:FOOD_SAFETY')).toEqual({
      role: 'agency',
      subject: 'FOOD_SAFETY',
    });
    expect(parseLocalToken('bearer local:platform:acme')).toEqual({ role: 'platform', subject: 'acme' });
    // A person signed in for an agency: local:<role>:<subject>:<person>
    expect(parseLocalToken('Bearer local:agency:FOOD_SAFETY:food-inspector-1')).toEqual({
      role: 'agency',
      subject: 'FOOD_SAFETY',
      person: 'food-inspector-1',
    });
    for (const header of [
      undefined,
      '',
      'Basic abc',
      'Bearer',
      'Bearer local:root:x',
      'Bearer jwt.token.here',
      'Bearer local:officer:',
      'Bearer local:agency:FOOD_SAFETY:',
      'Bearer local:agency:FOOD_SAFETY:a:b',
    ]) {
      expect(parseLocalToken(header), String(header)).toBeUndefined();
    }
  });

  it('answers gateway 401 and 403 as API Gateway does, saying whether the token was missing or invalid', () => {
    const route = routes[0] as HttpRoute;

    const missing = authorize(route, undefined);
    const invalid = authorize(route, 'Bearer local:pirate:x');
    const forbidden = authorize(route, 'Bearer local:platform:p');

    expect(missing).toEqual({
      ok: false,
      gateway: { status: 401, message: 'Unauthorized', wwwAuthenticate: 'Bearer' },
    });
    expect(invalid).toEqual({
      ok: false,
      gateway: {
        status: 401,
        message: 'Unauthorized',
        wwwAuthenticate:
          'Bearer scope="" error="invalid_token" error_description="the token is not a valid local token"',
      },
    });
    expect(forbidden).toEqual({ ok: false, gateway: { status: 403, message: 'Forbidden' } });
  });

  it('answers 401, 403 or the authorizer context', () => {
    const route = routes[0] as HttpRoute;
    expect(authorize(route, undefined)).toMatchObject({ ok: false, gateway: { status: 401 } });
    expect(authorize(route, 'Bearer local:platform:p')).toMatchObject({
      ok: false,
      gateway: { status: 403 },
    });
    expect(authorize(route, 'Bearer local:officer:o-1')).toMatchObject({
      ok: true,
      authorizer: { jwt: { claims: { sub: 'o-1', scope: 'clearway/officer clearway/sub:o-1' } } },
    });
    expect(authorize(routes[4] as HttpRoute, undefined)).toEqual({ ok: true });
  });
});

describe('toApiGatewayEvent', () => {
  it('maps a request the way API Gateway payload 2.0 does', () => {
    // Prepare
    const match = matchRoute(compiled, 'GET', '/v1/declarations/dcl%201');
    if (!match) throw new Error('no match');

    // Act
    const event = toApiGatewayEvent({
      method: 'GET',
      url: '/v1/declarations/dcl%201?a=1&a=2&b=',
      headers: {
        Host: ['localhost:3000'],
        'X-Thing': ['one', 'two'],
        cookie: ['c1=1; c2=2'],
        'user-agent': ['ua'],
      },
      body: Buffer.alloc(0),
      httpVersion: '1.1',
      sourceIp: '::ffff:10.0.0.1',
      match,
      requestId: 'req-1',
      now: new Date('2026-03-12T19:03:58.123Z'),
      serverPort: 3000,
    });

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/declarations/{id}',
      rawPath: '/v1/declarations/dcl%201',
      rawQueryString: 'a=1&a=2&b=',
      cookies: ['c1=1', 'c2=2'],
      queryStringParameters: { a: '1,2', b: '' },
      pathParameters: { id: 'dcl 1' },
      isBase64Encoded: false,
      requestContext: {
        domainName: 'localhost:3000',
        domainPrefix: 'localhost',
        http: {
          method: 'GET',
          path: '/v1/declarations/dcl%201',
          protocol: 'HTTP/1.1',
          sourceIp: '10.0.0.1',
          userAgent: 'ua',
        },
        requestId: 'req-1',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: Date.parse('2026-03-12T19:03:58.123Z'),
      },
    });
    expect(event.headers).toMatchObject({
      host: 'localhost:3000',
      'x-thing': 'one,two',
      'x-forwarded-for': '10.0.0.1',
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
  });

  it('knows text content types from binary ones', () => {
    for (const type of [
      'application/json',
      'application/problem+json; charset=utf-8',
      'text/csv',
      'application/xml',
    ]) {
      expect(isTextContentType(type), type).toBe(true);
    }
    for (const type of [
      undefined,
      'application/octet-stream',
      'image/png',
      'application/x-www-form-urlencoded',
    ]) {
      expect(isTextContentType(type), String(type)).toBe(false);
    }
    expect(requestTime(new Date('2020-01-02T03:04:05Z'))).toBe('02/Jan/2020:03:04:05 +0000');
  });
});

describe('toHttpResponse', () => {
  it('infers a 200 JSON response from a result without statusCode', () => {
    expect(toHttpResponse({ a: 1 })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"a":1}'),
    });
    expect(toHttpResponse('hello').body.toString()).toBe('hello');
  });

  it('uses statusCode, headers, multiValueHeaders, cookies and base64 bodies', () => {
    const parts = toHttpResponse({
      statusCode: 302,
      headers: { Location: '/x', 'X-N': 5 },
      multiValueHeaders: { Vary: ['a', 'b'] },
      cookies: ['k=v'],
      body: Buffer.from('hi').toString('base64'),
      isBase64Encoded: true,
    });
    expect(parts).toEqual({
      statusCode: 302,
      headers: { location: '/x', 'x-n': '5', vary: ['a', 'b'], 'set-cookie': ['k=v'] },
      body: Buffer.from('hi'),
    });
  });

  it('rejects an impossible status code', () => {
    expect(() => toHttpResponse({ statusCode: 42 })).toThrow();
  });
});

describe('SQS records and partial batch responses', () => {
  it('builds the record Lambda builds from a received message', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh',
        Body: 'hello',
        MD5OfBody: 'md5',
        Attributes: {
          ApproximateReceiveCount: '2',
          SentTimestamp: '1',
          SenderId: 'S',
          ApproximateFirstReceiveTimestamp: '2',
        },
        MessageAttributes: { n: { DataType: 'Number', StringValue: '5' } },
        MD5OfMessageAttributes: 'md5a',
      },
      'arn:aws:sqs:eu-west-1:000000000000:q',
      'eu-west-1',
    );
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh',
      body: 'hello',
      attributes: {
        ApproximateReceiveCount: '2',
        SentTimestamp: '1',
        SenderId: 'S',
        ApproximateFirstReceiveTimestamp: '2',
      },
      messageAttributes: {
        n: { stringValue: '5', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      },
      md5OfBody: 'md5',
      md5OfMessageAttributes: 'md5a',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q',
      awsRegion: 'eu-west-1',
    });
  });

  it('reads batchItemFailures as Lambda does', () => {
    const ids = new Set(['a', 'b']);
    expect(failedItems(undefined, ids)).toEqual(new Set());
    expect(failedItems({}, ids)).toEqual(new Set());
    expect(failedItems({ batchItemFailures: [] }, ids)).toEqual(new Set());
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids)).toEqual(new Set(['b']));
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: '' }] }, ids)).toBe('all');
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, ids)).toBe('all');
    expect(failedItems({ batchItemFailures: [{ id: 'a' }] }, ids)).toBe('all');
    expect(failedItems({ batchItemFailures: 'a' }, ids)).toBe('all');
  });
});
