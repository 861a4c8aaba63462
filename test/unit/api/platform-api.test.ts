import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { backoffSeconds } from '../../../shared/adapters/visibility-backoff.js';
import { signatureHeader, verifySignature } from '../../../shared/domain/webhooks/signature.js';
import { webhookUrlProblem } from '../../../shared/http/schemas/declarations.js';
import { cursorCodec, InvalidCursorError } from '../../../shared/lib/cursor.js';

describe('cursorCodec', () => {
  const codec = cursorCodec('key', z.object({ key: z.record(z.string(), z.string()) }));

  it('gives back the position it sealed for the same query', () => {
    const cursor = codec.encode({ key: { pk: 'DECL#1' } }, 'query-a');
    expect(codec.decode(cursor, 'query-a')).toEqual({ key: { pk: 'DECL#1' } });
  });

  it.each([
    ['another query', (cursor: string) => [cursor, 'query-b']],
    [
      'a changed payload',
      (cursor: string) => [
        `${Buffer.from('{"key":{"pk":"DECL#2"}}').toString('base64url')}.${cursor.split('.')[1]}`,
        'query-a',
      ],
    ],
    ['a changed seal', (cursor: string) => [`${cursor.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`, 'query-a']],
    ['garbage', () => ['%%%', 'query-a']],
  ])('refuses %s', (_name, tamper) => {
    const [cursor, binding] = tamper(codec.encode({ key: { pk: 'DECL#1' } }, 'query-a')) as [string, string];
    expect(() => codec.decode(cursor, binding)).toThrow(InvalidCursorError);
  });
});

describe('webhook signatures', () => {
  it('verifies a signature made with the same secret, and no other', () => {
    const header = signatureHeader('secret-0123456789', 1_780_000_000, '{"a":1}');
    expect(header).toMatch(/^t=1780000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('secret-0123456789', header, '{"a":1}', 1_780_000_010)).toBe(true);
    expect(verifySignature('secret-0123456789', header, '{"a":2}', 1_780_000_010)).toBe(false);
    expect(verifySignature('another-secret-000', header, '{"a":1}', 1_780_000_010)).toBe(false);
  });

  it('refuses a signature older than the tolerance', () => {
    const header = signatureHeader('secret-0123456789', 1_780_000_000, 'x');
    expect(verifySignature('secret-0123456789', header, 'x', 1_780_000_000 + 301)).toBe(false);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['https://platform.example/hooks', undefined],
    ['http://localhost:8080/hooks', undefined],
    ['http://127.0.0.1:9000/', undefined],
    ['http://platform.example/hooks', 'must use https:// (http:// is allowed only to localhost)'],
    ['https://169.254.169.254/latest', 'must name a host, not an IP address'],
    ['https://[fd00::1]/', 'must name a host, not an IP address'],
    ['https://a:b@platform.example/', 'must not carry a user name or password'],
    ['file:///etc/passwd', 'must use https://'],
  ])('%s -> %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });
});

describe('backoffSeconds', () => {
  it('doubles from the visibility timeout on every receive, up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6].map((receives) => backoffSeconds(180, receives))).toEqual([
      180, 360, 720, 1440, 2880, 3600,
    ]);
  });
});
