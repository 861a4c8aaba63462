// What the shared HTTP layer and the domain's schemas do with hostile input. Each case is a regression of
// something the security matrix or the fuzz suite (test/e2e) found: a 500 instead of a 4xx, or a body
// accepted that should have been refused.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDeclaration, toFieldErrors } from '../../../shared/domain/declaration/declaration.js';
import { isPlainText } from '../../../shared/domain/declaration/text.js';
import { TrustedTraderRequestSchema } from '../../../shared/domain/reference/admin.js';
import { parseRiskProfile } from '../../../shared/domain/risk/profile.js';
import { docsAsset } from '../../../shared/http/docs-page.js';
import { BodyError, parseJsonBody, toProblem } from '../../../shared/http/handler.js';
import {
  DecisionRequestSchema,
  HoldRequestSchema,
  PaymentRequestSchema,
} from '../../../shared/http/schemas/clearance.js';
import { CancelRequestSchema, WebhookSettingsSchema } from '../../../shared/http/schemas/declarations.js';
import {
  compilePattern,
  InvalidPatternError,
  MAX_PATTERN_DEPTH,
  MAX_PATTERN_LENGTH,
} from '../../../shared/lib/event-pattern.js';
import { aDeclaration } from '../../fixtures/declarations.js';
import { httpEvent } from '../../fixtures/http.js';
import { leakIn } from '../../fixtures/leaks.js';

const ROUTE = 'POST /v1/quotes';
const body = JSON.stringify({ reason: 'x' });

const refusal = (event: ReturnType<typeof httpEvent>) => {
  try {
    parseJsonBody(event);
  } catch (error) {
    if (error instanceof BodyError) return error.status;
    throw error;
  }
  return undefined;
};

describe('parseJsonBody', () => {
  it('refuses a charset other than UTF-8, or two charsets, with 415', () => {
    for (const contentType of [
      'application/json; charset=iso-8859-1',
      'application/json; charset=utf-16',
      'application/json; charset="latin1"',
      'application/json; charset=',
      'application/json; charset=utf-8; charset=latin1',
    ]) {
      expect(refusal(httpEvent({ routeKey: ROUTE, rawBody: body, contentType })), contentType).toBe(415);
    }
    for (const contentType of [
      'application/json',
      'application/json; charset=UTF-8',
      'application/json;charset="utf-8"',
    ]) {
      expect(
        refusal(httpEvent({ routeKey: ROUTE, rawBody: body, contentType })),
        contentType,
      ).toBeUndefined();
    }
  });

  it('refuses a Content-Encoding with 415: a compressed body is never read as JSON', () => {
    // Prepare: one that lies (plain JSON said to be gzip) and one that is gzip
    const lie = httpEvent({ routeKey: ROUTE, rawBody: body });
    lie.headers['content-encoding'] = 'gzip';
    const gzip = httpEvent({ routeKey: ROUTE, contentType: 'application/json' });
    gzip.headers = { 'content-type': 'application/json', 'Content-Encoding': 'GZIP' };
    gzip.body = gzipSync(body).toString('base64');
    gzip.isBase64Encoded = true;
    const identity = httpEvent({ routeKey: ROUTE, rawBody: body });
    identity.headers['content-encoding'] = 'identity';

    // Act + Assess
    expect(refusal(lie)).toBe(415);
    expect(refusal(gzip)).toBe(415);
    expect(refusal(identity)).toBeUndefined();
  });

  it('refuses base64-encoded bytes that are not UTF-8 with 400, and decodes those that are', () => {
    const latin1 = httpEvent({ routeKey: ROUTE, contentType: 'application/json' });
    latin1.body = Buffer.from('{"reason":"M\u00fcller"}', 'latin1').toString('base64');
    latin1.isBase64Encoded = true;
    const utf8 = httpEvent({ routeKey: ROUTE, contentType: 'application/json' });
    utf8.body = Buffer.from('{"reason":"Müller"}', 'utf8').toString('base64');
    utf8.isBase64Encoded = true;

    expect(refusal(latin1)).toBe(400);
    expect(parseJsonBody(utf8)).toEqual({ reason: 'Müller' });
  });
});

describe('toProblem', () => {
  it('turns an unexpected error into a 500 that names nothing of it', () => {
    // Prepare: the kind of error DynamoDB raises for a key it refuses
    const error = new Error(
      'Hash primary key values must be under 2048 bytes (/work/main/shared/adapters/x.ts:1:1)',
    );
    error.name = 'ValidationException';

    // Act
    const problem = toProblem(error);

    // Assess
    expect(problem.status).toBe(500);
    expect(leakIn(JSON.stringify(problem))).toBeUndefined();
    expect(JSON.stringify(problem)).not.toContain('2048');
  });
});

describe('docsAsset', () => {
  it('finds nothing for names of Object.prototype (they answered 500)', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(docsAsset(name), name).toBeUndefined();
    }
    expect(docsAsset('swagger-ui.css')?.contentType).toBe('text/css; charset=utf-8');
  });
});

describe('event patterns beyond any real use', () => {
  const nested = (depth: number): Record<string, unknown> => {
    let pattern: Record<string, unknown> = { leaf: ['x'] };
    for (let level = 1; level < depth; level += 1) pattern = { a: pattern };
    return pattern;
  };

  it(`refuses a pattern nested deeper than ${MAX_PATTERN_DEPTH} levels instead of overflowing the stack`, () => {
    expect(() => compilePattern(nested(MAX_PATTERN_DEPTH))).not.toThrow();
    expect(() => compilePattern(nested(MAX_PATTERN_DEPTH + 1))).toThrow(InvalidPatternError);
    expect(() => compilePattern(nested(10_000))).toThrow(InvalidPatternError);
  });

  it(`refuses a pattern longer than ${MAX_PATTERN_LENGTH} characters, as EventBridge does`, () => {
    const long = { item: { hsChapter: ['x'.repeat(MAX_PATTERN_LENGTH)] } };
    expect(() => compilePattern(long)).toThrow(/at most 4096 characters/);
  });

  it('reports both as a 400 on the risk profile, naming `when` (they answered 500)', () => {
    const profile = (when: Record<string, unknown>) =>
      parseRiskProfile({ id: 'P-1', description: 'x', validFrom: '2030-01-01', when, score: 1 });

    for (const when of [nested(10_000), { item: { hsChapter: ['x'.repeat(1 << 20)] } }]) {
      const parsed = profile(when);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['when']);
    }
  });
});

describe('free text', () => {
  const REFUSED = [
    '\u0000',
    '\u0007',
    '\u001b[31m',
    '\r\n',
    '\t',
    '\u007f',
    '\u0085',
    '\u202e',
    '\u202a',
    '\u2066',
    '\u2069',
    '\ud800',
    '\udc00',
    '\udc00\ud800',
  ];
  const ACCEPTED = [
    'Zoë',
    '👩‍👩‍👧‍👦',
    '🇳🇱',
    'e\u0301\u0301',
    'مرحبا',
    'שלום',
    '漢字かな',
    'Straße',
    'Ａｂｃ',
    '\u200f',
  ];

  it('refuses control characters, bidi overrides and unpaired surrogates; takes any script, emoji and marks', () => {
    for (const value of REFUSED)
      expect(isPlainText(`Anna ${value} de Vries`), JSON.stringify(value)).toBe(false);
    for (const value of ACCEPTED) expect(isPlainText(`Anna ${value} de Vries`), value).toBe(true);
  });

  it('refuses such text in every free-text field of a declaration (they were stored)', () => {
    const base = aDeclaration();
    const bad = 'A\u0000\u202e\ud800';
    const parsed = parseDeclaration({
      ...base,
      reference: bad,
      seller: { ...base.seller, name: bad, id: bad },
      consignee: {
        ...base.consignee,
        name: bad,
        address: { ...base.consignee.address, line1: bad, city: bad, postcode: bad },
      },
      items: [{ ...base.items[0], description: `${bad}xyz` }],
    });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(
      [
        'consignee.address.city',
        'consignee.address.line1',
        'consignee.address.postcode',
        'consignee.name',
        'items.0.description',
        'reference',
        'seller.id',
        'seller.name',
      ].sort(),
    );
    expect(
      parseDeclaration({ ...base, consignee: { ...base.consignee, name: 'Zoë 👩‍👩‍👧‍👦 مرحبا e\u0301' } })
        .success,
    ).toBe(true);
  });

  it('refuses it in reasons, references, notes, webhook secrets and admin names', () => {
    const bad = 'x\u0000y';
    expect(HoldRequestSchema.safeParse({ reason: bad }).success).toBe(false);
    expect(CancelRequestSchema.safeParse({ reason: bad }).success).toBe(false);
    expect(PaymentRequestSchema.safeParse({ amount: '1.00', currency: 'EUR', reference: bad }).success).toBe(
      false,
    );
    expect(
      DecisionRequestSchema.safeParse({
        decision: 'RELEASE',
        findings: { P: { confirmed: true, notes: bad } },
      }).success,
    ).toBe(false);
    expect(
      WebhookSettingsSchema.safeParse({ url: 'https://hooks.example/x', secret: `secret-${bad}-0123456789` })
        .success,
    ).toBe(false);
    expect(
      TrustedTraderRequestSchema.safeParse({ kind: 'SELLER', name: bad, validFrom: '2026-01-01' }).success,
    ).toBe(false);
    expect(
      parseRiskProfile({
        id: 'P-1',
        description: bad,
        validFrom: '2030-01-01',
        when: { item: { hsChapter: ['97'] } },
        score: 1,
      }).success,
    ).toBe(false);
  });
});

describe('toFieldErrors', () => {
  it('echoes at most ten unknown field names, each shortened, never a megabyte key', () => {
    // Prepare
    const huge = 'k'.repeat(1 << 20);
    const extra = Object.fromEntries([
      [huge, 1],
      ...Array.from({ length: 20 }, (_, index) => [`extra${index}`, 1]),
    ]);
    const parsed = parseDeclaration({ ...aDeclaration(), ...extra });
    if (parsed.success) throw new Error('expected a failure');

    // Act
    const errors = toFieldErrors(parsed.error);

    // Assess
    const unknown = errors.find((error) => error.message.startsWith('is not a known field'));
    expect(JSON.stringify(errors).length).toBeLessThan(2_000);
    expect(unknown?.message).toContain('and 11 more');
    expect(unknown?.message).toContain(`${'k'.repeat(64)}…`);
  });
});
