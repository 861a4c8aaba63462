import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { VersionConflictError } from '../../../shared/adapters/declaration-store.js';
import { type DeclarationRecord, newRecord, transition } from '../../../shared/domain/clearance/record.js';
import { signatureHeader, verifySignature } from '../../../shared/domain/webhooks/signature.js';
import { cursorCodec, InvalidCursorError } from '../../../shared/http/cursor.js';
import { webhookUrlProblem } from '../../../shared/http/schemas/declarations.js';
import { backoffSeconds } from '../../../shared/sqs/visibility-backoff.js';
import { cancelDeclaration } from '../../../shared/use-cases/cancel-declaration.js';

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

describe('cancelDeclaration', () => {
  const record = (): DeclarationRecord =>
    newRecord({
      id: 'dcl_1',
      reference: 'R-1',
      platformId: 'acme',
      bodyHash: 'h',
      at: '2026-07-01T10:00:00.000Z',
    });

  it('retries once the version moved and publishes DeclarationCancelled', async () => {
    // Prepare
    const save = vi
      .fn()
      .mockRejectedValueOnce(new VersionConflictError('dcl_1'))
      .mockImplementation(async (next: DeclarationRecord) => ({ ...next, version: next.version + 1 }));
    const publish = vi.fn().mockResolvedValue(undefined);
    const getState = vi
      .fn()
      .mockResolvedValueOnce(record())
      .mockResolvedValueOnce(
        transition(record(), 'ASSESSED', 'duty', 'Assessed', '2026-07-01T10:01:00.000Z'),
      );

    // Act
    const result = await cancelDeclaration(
      { id: 'dcl_1', principal: { role: 'platform', subject: 'acme' }, body: undefined },
      { store: { getState, save }, publish, now: () => new Date('2026-07-01T10:02:00.000Z') },
    );

    // Assess
    expect(save).toHaveBeenCalledTimes(2);
    expect(result.record.status).toBe('CANCELLED');
    expect(result.record.history.map((entry) => entry.to)).toEqual(['RECEIVED', 'ASSESSED', 'CANCELLED']);
    expect(publish).toHaveBeenCalledWith([
      expect.objectContaining({
        detailType: 'DeclarationCancelled',
        detail: expect.objectContaining({ declarationId: 'dcl_1', platformId: 'acme', status: 'CANCELLED' }),
      }),
    ]);
  });

  it('gives up after three conflicting writes', async () => {
    const save = vi.fn().mockRejectedValue(new VersionConflictError('dcl_1'));
    const invocation = cancelDeclaration(
      { id: 'dcl_1', principal: { role: 'platform', subject: 'acme' }, body: {} },
      {
        store: { getState: vi.fn().mockResolvedValue(record()), save },
        publish: vi.fn(),
        now: () => new Date(),
      },
    );
    await expect(invocation).rejects.toThrow(VersionConflictError);
    expect(save).toHaveBeenCalledTimes(3);
  });
});
