import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeclarationSchema } from '../../../shared/domain/declaration/declaration.js';
import { declarationRoutes } from '../../../shared/http/routes/declarations.js';
import { answerAs } from '../../fixtures/api.js';
import { invalidDeclaration } from '../../fixtures/declaration-arbitrary.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, type HttpResult, invoke } from '../../fixtures/http.js';
import { applyEnv, createIsolatedResources, documentClient, type IsolatedResources } from '../support.js';

const ROUTE = 'POST /v1/declarations';

describe('lodgeDeclaration through the intake handler', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handler: HttpHandler;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'intake' });
    restoreEnv = applyEnv(resources.env);
    ({ handler } = (await import('../../../functions/intake/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  /** Items stored, but for the data-quality refusal counters (`DQ#`, `DQREF#`), which hold no refused data. */
  const countItems = async () => {
    const result = await documentClient().send(
      new ScanCommand({
        TableName: resources.tables.declarations,
        Select: 'COUNT',
        FilterExpression: 'NOT begins_with(pk, :quality)',
        ExpressionAttributeValues: { ':quality': 'DQ' },
      }),
    );
    return result.Count ?? 0;
  };

  const lodge = (body: unknown, as: `platform:${string}` = 'platform:acme') =>
    invoke(handler, { routeKey: ROUTE, as, body });

  const expectProblem = (response: HttpResult, status: number) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
  };

  describe('refuses what is not a valid declaration, naming each field, and stores nothing', () => {
    const item = anItem();
    const cases: [string, unknown, { path: string; message: string | RegExp }][] = [
      [
        'a number where a string is due',
        aDeclaration({ reference: 42 as unknown as string }),
        { path: 'reference', message: 'must be a string' },
      ],
      [
        'a string quantity',
        aDeclaration({ items: [{ ...item, quantity: '2' as unknown as number }] }),
        { path: 'items.0.quantity', message: 'must be a whole number of units' },
      ],
      [
        'a missing field',
        { ...aDeclaration(), currency: undefined },
        { path: 'currency', message: 'is required' },
      ],
      [
        'an unknown field',
        { ...aDeclaration(), giftWrap: true },
        { path: 'giftWrap', message: 'is not a known field (giftWrap)' },
      ],
      [
        'an unknown nested field',
        aDeclaration({ items: [{ ...item, colour: 'red' } as typeof item] }),
        { path: 'items.0.colour', message: /not a known field/ },
      ],
      [
        'an unknown country',
        aDeclaration({ dispatchCountry: 'XX' }),
        { path: 'dispatchCountry', message: /ISO 3166-1 alpha-2/ },
      ],
      [
        'a country in small letters',
        aDeclaration({ destinationCountry: 'nl' }),
        { path: 'destinationCountry', message: /in capitals/ },
      ],
      [
        "a destination outside the stack's customs territory (the NL stack clears EU member states)",
        aDeclaration({ destinationCountry: 'US' }),
        {
          path: 'destinationCountry',
          message: /outside the customs territory this stack clears: .*DE, .*NL/,
        },
      ],
      ['an unknown currency', aDeclaration({ currency: 'EURO' }), { path: 'currency', message: /ISO 4217/ }],
      [
        'an HS code of 5 digits',
        aDeclaration({ items: [anItem({ hsCode: '61091' })] }),
        { path: 'items.0.hsCode', message: 'must be 6 to 10 digits' },
      ],
      [
        'an HS code of 11 digits',
        aDeclaration({ items: [anItem({ hsCode: '61091000001' })] }),
        { path: 'items.0.hsCode', message: 'must be 6 to 10 digits' },
      ],
      [
        'an HS code that is no subheading',
        aDeclaration({ items: [anItem({ hsCode: '999999' })] }),
        { path: 'items.0.hsCode', message: /not an HS 2022 subheading/ },
      ],
      [
        'money as a number',
        aDeclaration({ items: [{ ...item, value: 12.5 as unknown as string }] }),
        { path: 'items.0.value', message: /decimal string/ },
      ],
      [
        'money in exponent notation',
        aDeclaration({ transportCost: '1e3' }),
        { path: 'transportCost', message: /decimal string/ },
      ],
      [
        'negative money',
        aDeclaration({ insuranceCost: '-1.00' }),
        { path: 'insuranceCost', message: /non-negative/ },
      ],
      [
        'a zero value',
        aDeclaration({ items: [anItem({ value: '0.00' })] }),
        { path: 'items.0.value', message: 'must be greater than zero' },
      ],
      [
        'more decimals than EUR allows',
        aDeclaration({ items: [anItem({ value: '10.005' })] }),
        { path: 'items.0.value', message: 'has more decimals than EUR allows (2)' },
      ],
      [
        'decimals in JPY',
        aDeclaration({
          currency: 'JPY',
          transportCost: '500.5',
          insuranceCost: '0',
          items: [anItem({ value: '2000' })],
        }),
        { path: 'transportCost', message: 'has more decimals than JPY allows (0)' },
      ],
      [
        'a zero quantity',
        aDeclaration({ items: [anItem({ quantity: 0 })] }),
        { path: 'items.0.quantity', message: 'must be at least 1' },
      ],
      [
        'a fractional quantity',
        aDeclaration({ items: [anItem({ quantity: 1.5 })] }),
        { path: 'items.0.quantity', message: 'must be a whole number of units' },
      ],
      ['no items', aDeclaration({ items: [] }), { path: 'items', message: 'must hold at least one item' }],
      [
        '1000 items',
        aDeclaration({ items: Array.from({ length: 1000 }, () => anItem()) }),
        { path: 'items', message: 'must hold at most 999 items' },
      ],
      [
        'a reference over 64 characters',
        aDeclaration({ reference: 'R'.repeat(65) }),
        { path: 'reference', message: 'must be at most 64 characters' },
      ],
      [
        'a description over 512 characters',
        aDeclaration({ items: [anItem({ description: 'd'.repeat(513) })] }),
        { path: 'items.0.description', message: 'must be at most 512 characters' },
      ],
      [
        'a day that does not exist',
        aDeclaration({ importDate: '2026-02-30' }),
        { path: 'importDate', message: 'is not a calendar date' },
      ],
      [
        'a date in another format',
        aDeclaration({ importDate: '01/07/2026' }),
        { path: 'importDate', message: 'must be a date written YYYY-MM-DD' },
      ],
      [
        'an item that is null',
        aDeclaration({ items: [null as unknown as typeof item] }),
        { path: 'items.0', message: 'must be a JSON object' },
      ],
      ['an array as the body', [aDeclaration()], { path: '(body)', message: 'must be a JSON object' }],
    ];

    it.each(cases)('refuses %s', async (_name, body, expected) => {
      // Act
      const response = await lodge(body);

      // Assess
      expectProblem(response, 400);
      expect(response.body.errors).toContainEqual({
        path: expected.path,
        message:
          typeof expected.message === 'string' ? expected.message : expect.stringMatching(expected.message),
      });
    });

    it.each([
      ['__proto__', '{"__proto__":{"polluted":true},'],
      ['constructor', '{"constructor":{"prototype":{"polluted":true}},'],
    ])('refuses a %s key and leaves prototypes alone', async (key, prefix) => {
      // Prepare
      const rawBody = JSON.stringify(aDeclaration({ reference: aReference() })).replace('{', prefix);

      // Act
      const response = await invoke(handler, { routeKey: ROUTE, as: 'platform:acme', rawBody });

      // Assess
      expectProblem(response, 400);
      expect(response.body.errors).toContainEqual({ path: key, message: `is not a known field (${key})` });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('names every offending field at once', async () => {
      // Act
      const response = await lodge(
        aDeclaration({
          currency: 'EUR',
          dispatchCountry: 'ZZ',
          items: [anItem({ hsCode: '1', quantity: 0 })],
        }),
      );

      // Assess
      expect(
        [
          ...new Set(
            (answerAs(declarationRoutes.lodge, response, 400).errors ?? []).map((error) => error.path),
          ),
        ].sort(),
      ).toEqual(['dispatchCountry', 'items.0.hsCode', 'items.0.quantity']);
    });

    it.each([
      ['text that is not JSON', { rawBody: '{"reference": "R-1",', contentType: 'application/json' }, 400],
      ['an empty body', { rawBody: '', contentType: 'application/json' }, 400],
      ['a form post', { rawBody: 'reference=R-1', contentType: 'application/x-www-form-urlencoded' }, 415],
      ['text/plain', { rawBody: JSON.stringify(aDeclaration()), contentType: 'text/plain' }, 415],
      ['no content type', { rawBody: JSON.stringify(aDeclaration()), contentType: null }, 415],
      [
        'a body over 6 MB',
        {
          rawBody: JSON.stringify({ ...aDeclaration(), padding: 'x'.repeat(6 * 1024 * 1024) }),
          contentType: 'application/json',
        },
        413,
      ],
    ] as const)('refuses %s', async (_name, request, status) => {
      // Act
      const response = await invoke(handler, { routeKey: ROUTE, as: 'platform:acme', ...request });

      // Assess
      expectProblem(response, status);
    });

    it('stores nothing for any of them', async () => {
      expect(await countItems()).toBe(0);
    });
  });

  describe('properties', () => {
    it('answers thousands of mutated declarations with 400 naming the mutated field, and stores nothing', async () => {
      // Prepare
      const before = await countItems();

      // Act + Assess
      await fc.assert(
        fc.asyncProperty(invalidDeclaration, async (mutation) => {
          const response = await invoke(handler, {
            routeKey: ROUTE,
            as: 'platform:fuzz',
            body: mutation.body,
          });
          expect(response.statusCode, mutation.kind).toBe(400);
          expect(response.headers['content-type']).toBe('application/problem+json');
          const paths = (answerAs(declarationRoutes.lodge, response, 400).errors ?? []).map(
            (error) => error.path,
          );
          expect(paths, `${mutation.kind}: ${JSON.stringify(response.body.errors)}`).toContain(
            mutation.expectedPath,
          );
        }),
        { numRuns: 2000 },
      );
      expect(await countItems()).toBe(before);
    });

    it('never answers arbitrary bodies and content types with a 5xx', async () => {
      // Prepare
      const before = await countItems();
      const body = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify({ ...aDeclaration(), items: [value] })),
        fc
          .dictionary(
            fc.string({ maxLength: 12 }).filter((key) => !Object.hasOwn(DeclarationSchema.shape, key)),
            fc.jsonValue({ maxDepth: 2 }),
            { minKeys: 1 },
          )
          .map((value) => JSON.stringify({ ...aDeclaration(), ...value })),
      );
      const contentType = fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/problem+json',
        'text/plain',
        'application/xml',
        '',
      );

      // Act + Assess
      await fc.assert(
        fc.asyncProperty(body, contentType, async (rawBody, type) => {
          const response = await invoke(handler, {
            routeKey: ROUTE,
            as: 'platform:fuzz',
            rawBody,
            contentType: type || null,
          });
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          expect(response.statusCode).toBeLessThan(500);
          expect(response.headers['content-type']).toBe('application/problem+json');
        }),
        { numRuns: 1500 },
      );
      expect(await countItems()).toBe(before);
    });
  });

  describe('the customs territory', () => {
    it('takes a consignment for consumption in another member state: an EU stack clears them all', async () => {
      const response = await lodge(
        aDeclaration({
          reference: aReference('TERRITORY'),
          destinationCountry: 'DE',
          consignee: {
            ...aDeclaration().consignee,
            address: { ...aDeclaration().consignee.address, country: 'DE' },
          },
        }),
      );

      expect(response.statusCode).toBe(202);
    });
  });

  describe('idempotency', () => {
    it('answers the same reference and body with 200 and the existing declaration', async () => {
      // Prepare
      const declaration = aDeclaration({ reference: aReference('IDEM') });
      const first = await lodge(declaration);

      // Act
      const again = await lodge(declaration);

      // Assess
      expect(first.statusCode).toBe(202);
      expect(again.statusCode).toBe(200);
      expect(again.body).toEqual(first.body);
    });

    it('answers the same reference with another body with 409 naming the reference', async () => {
      // Prepare
      const declaration = aDeclaration({ reference: aReference('IDEM') });
      const first = await lodge(declaration);

      // Act
      const changed = await lodge({ ...declaration, transportCost: '6.00' });

      // Assess
      expectProblem(changed, 409);
      expect(changed.body.detail).toContain(declaration.reference);
      expect(changed.body).toMatchObject({ reference: declaration.reference, existingId: first.body.id });
    });

    it('creates exactly one declaration from 50 concurrent identical submissions', async () => {
      // Prepare
      const declaration = aDeclaration({ reference: aReference('RACE') });
      const before = await countItems();

      // Act
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => lodge(declaration, 'platform:racer')),
      );

      // Assess
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(49);
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      // One item: the state with the lodged body in it
      expect(await countItems()).toBe(before + 1);
    });

    it('lets exactly one of 20 concurrent submissions with different bodies win; the others get 409', async () => {
      // Prepare
      const reference = aReference('RACE-DIFF');
      const bodies = Array.from({ length: 20 }, (_, index) =>
        aDeclaration({ reference, transportCost: `${index + 1}.00` }),
      );

      // Act
      const responses = await Promise.all(bodies.map((body) => lodge(body, 'platform:racer')));

      // Assess
      const statuses = responses.map((response) => response.statusCode).sort();
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    });
  });
});
