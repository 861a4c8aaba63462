// Quotes and the published rules: POST /v1/quotes for any date, the quote honoured by the duty step, and
// GET /v1/public/rules. Reference data is cached for 30 s per function instance, so each test uses HS
// codes no earlier test read.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { quoteRoutes } from '../../../shared/http/routes/reference.js';
import { answerAs } from '../../fixtures/api.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, type HttpResult, invoke } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  documentClient,
  type IsolatedResources,
  uniqueSuffix,
} from '../support.js';
import { type Handlers, importHandlers, pipeline } from './pipeline.js';

const ADMIN = 'admin:admin-1' as const;
const today = () => new Date().toISOString().slice(0, 10);

const quoteBody = (overrides: Partial<Declaration> = {}) => {
  const { reference: _reference, ...body } = aDeclaration({
    consignee: {
      name: `Consignee ${uniqueSuffix()}`,
      address: {
        line1: 'Keizersgracht 1',
        city: 'Amsterdam',
        postcode: `10${uniqueSuffix()}`,
        country: 'NL',
      },
    },
    ...overrides,
  });
  return body;
};

describe('quotes and public rules', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let admin: HttpHandler;
  let quotes: HttpHandler;
  let handlers: Handlers;
  let flow: ReturnType<typeof pipeline>;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'quotes' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: admin } = (await import('../../../functions/admin/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: quotes } = (await import('../../../functions/quotes/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    handlers = await importHandlers();
    flow = pipeline(handlers, resources);
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const putTariff = async (hsCode: string, dutyRate: string) => {
    const response = await invoke(admin, {
      routeKey: 'PUT /v1/admin/tariff-rates/{hsCode}',
      as: ADMIN,
      pathParameters: { hsCode },
      body: { dutyRate, validFrom: '2026-01-01' },
    });
    expect(response.statusCode, response.text).toBeLessThan(300);
  };

  const quote = (body: unknown): Promise<HttpResult> => invoke(quotes, { routeKey: 'POST /v1/quotes', body });

  describe('POST /v1/quotes', () => {
    it('quotes a future date under the rules in force then, for anyone, and keeps the quote 30 days', async () => {
      // Prepare
      await putTariff('640399', '0.08');
      const shoes = [
        anItem({ description: 'leather shoes', hsCode: '640399', quantity: 1, value: '100.00' }),
      ];

      // Act
      const now = await quote(quoteBody({ importDate: today(), items: shoes }));
      const later = await quote(quoteBody({ importDate: '2028-07-01', items: shoes }));

      // Assess
      const current = answerAs(quoteRoutes.quote, now, 201).assessment;
      const upcoming = answerAs(quoteRoutes.quote, later, 201).assessment;
      expect(current.ruleSet).toContain('EU@2026-07-01');
      expect(current.duties).toEqual([expect.objectContaining({ code: 'EU_FLAT_DUTY', amount: '3.00' })]);
      expect(upcoming.ruleSet).toContain('EU@2028-07-01');
      expect(upcoming.importDate).toBe('2028-07-01');
      expect(upcoming.duties).toEqual([
        expect.objectContaining({ code: 'CUSTOMS_DUTY', hsCode: '640399', rate: '0.08', amount: '8.40' }),
      ]);
      const quoteId = String(later.body.quoteId);
      expect(quoteId).toMatch(/^qt_/);
      const expiresAt = Date.parse(String(later.body.expiresAt));
      expect(expiresAt - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
      const stored = await documentClient().send(
        new GetCommand({
          TableName: resources.tables.reference,
          Key: { pk: `QUOTE#${quoteId}`, sk: 'QUOTE' },
        }),
      );
      expect(stored.Item?.expiresAt).toBe(Math.floor(expiresAt / 1000));
      expect(stored.Item?.consignee).toBeUndefined();
    });

    it('answers 422 naming the missing exchange rate or tariff rate', async () => {
      const francs = await quote(quoteBody({ currency: 'CHF', importDate: today() }));
      const untariffed = await quote(
        quoteBody({
          importDate: today(),
          items: [anItem({ description: 'bicycle', hsCode: '871200', quantity: 1, value: '400.00' })],
        }),
      );

      expect(francs.statusCode).toBe(422);
      expect(francs.headers['content-type']).toBe('application/problem+json');
      expect(francs.body.missing).toEqual([{ kind: 'EXCHANGE_RATE', key: 'CHF' }]);
      expect(untariffed.statusCode).toBe(422);
      expect(untariffed.body.missing).toEqual([{ kind: 'TARIFF_RATE', key: '871200' }]);
    });

    it('answers 400 naming the field, for a bad body or a quoteId in it', async () => {
      const bad = await quote({ ...quoteBody(), items: [anItem({ hsCode: '12' })], quoteId: 'qt_x' });

      expect((answerAs(quoteRoutes.quote, bad, 400).errors ?? []).map((error) => error.path)).toEqual(
        expect.arrayContaining(['items.0.hsCode', 'quoteId']),
      );
    });
  });

  describe('a declaration naming a quote', () => {
    it('is never assessed above the quote when nothing material changed', async () => {
      // Prepare: a quote at 3 %, then the rate goes up to 10 % before the goods arrive.
      await putTariff('420221', '0.03');
      const bag = {
        importDate: today(),
        transportCost: '10.00',
        items: [anItem({ description: 'leather handbag', hsCode: '420221', quantity: 1, value: '300.00' })],
      };
      const quoted = await quote(quoteBody(bag));
      const { assessment: quotedAssessment, quoteId } = answerAs(quoteRoutes.quote, quoted, 201);
      await putTariff('420221', '0.10');

      // Act
      const same = await flow.clear(
        aDeclaration({
          ...quoteBody(bag),
          reference: aReference('Q'),
          quoteId,
          transportCost: '10',
          items: [
            anItem({ description: 'brown leather handbag', hsCode: '420221', quantity: 1, value: '300' }),
          ],
        }),
      );
      const changed = await flow.clear(
        aDeclaration({
          ...quoteBody(bag),
          reference: aReference('Q'),
          quoteId,
          items: [anItem({ description: 'leather handbag', hsCode: '420221', quantity: 1, value: '310.00' })],
        }),
      );
      const unknown = await flow.clear(
        aDeclaration({ ...quoteBody(bag), reference: aReference('Q'), quoteId: 'qt_none' }),
      );

      // Assess
      expect(same.assessment?.totals).toEqual(quotedAssessment.totals);
      expect(same.assessment?.duties).toEqual(quotedAssessment.duties);
      expect(same.assessment?.notes).toContain('QUOTE_HONOURED');
      expect(changed.assessment?.duties).toEqual([expect.objectContaining({ rate: '0.1', amount: '32.00' })]);
      expect(changed.assessment?.notes).toContain('QUOTE_MATERIAL_CHANGE');
      expect(unknown.assessment?.notes).toContain('QUOTE_NOT_FOUND');
    });

    it('keeps an assessment below the quote as it is', async () => {
      await putTariff('711319', '0.04');
      const ring = {
        importDate: today(),
        items: [anItem({ description: 'gold ring', hsCode: '711319', quantity: 1, value: '400.00' })],
      };
      const quoted = await quote(quoteBody(ring));
      await putTariff('711319', '0.02');

      const stored = await flow.clear(
        aDeclaration({
          ...quoteBody(ring),
          reference: aReference('Q'),
          quoteId: String(quoted.body.quoteId),
        }),
      );

      expect(stored.assessment?.duties).toEqual([expect.objectContaining({ rate: '0.02', amount: '8.10' })]);
      expect(stored.assessment?.notes).not.toContain('QUOTE_HONOURED');
    });
  });

  describe('GET /v1/public/rules', () => {
    const rules = (query?: Record<string, string>) =>
      invoke(quotes, { routeKey: 'GET /v1/public/rules', ...(query ? { query } : {}) });

    it('publishes the rules in force on a date, restricted goods and the changes to come', async () => {
      const response = await rules({ date: '2026-06-30' });

      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({ country: 'NL', date: '2026-06-30', currency: 'EUR' });
      expect(response.body.ruleSet).toContain('EU@2021-07-01');
      expect(response.body.thresholds).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: 'LOW_VALUE', amount: '150' })]),
      );
      expect(response.body.collectionModels).toHaveLength(4);
      expect(response.body.restrictedGoods).toEqual(
        expect.arrayContaining([
          { profileId: 'BUILTIN-WEAPONS', description: expect.any(String), hsCodes: ['93'] },
        ]),
      );
      const upcoming = response.body.upcoming as { date: string; changes: string[] }[];
      expect(upcoming.map((change) => change.date)).toEqual(
        expect.arrayContaining(['2026-07-01', '2028-07-01']),
      );
    });

    it('defaults to today and answers 400 for a date that is not one', async () => {
      const current = await rules();
      const invalid = await rules({ date: '2026-13-01' });

      expect(current.body.date).toBe(today());
      expect(invalid.statusCode).toBe(400);
      expect(invalid.body.errors).toEqual([expect.objectContaining({ path: 'date' })]);
    });
  });
});
