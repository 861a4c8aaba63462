// The query function against DynamoDB Local: revenue (JSON and CSV), account statements, statistics and
// published statistics, answered from aggregates the store wrote, with the contract's validation.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFor } from '../../../shared/countries/index.js';
import {
  ledgerEntriesForAssessment,
  ledgerEntriesForPayment,
} from '../../../shared/domain/ledger/entries.js';
import { statisticsDeltaFor } from '../../../shared/domain/ledger/statistics.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';
import { type HttpHandler, httpEvent, invoke, lambdaContext, readResult } from '../../fixtures/http.js';
import { anAssessedRecord, anAssessment, aPayment } from '../../unit/ledger/support.js';
import { applyEnv, createIsolatedResources, type IsolatedResources } from '../support.js';

const NL = packFor('NL');

describe('the query function', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handler: HttpHandler;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'query' });
    restoreEnv = applyEnv({ ...resources.env, STACK_LIFETIME_START: '2026-01' });
    ({ handler } = (await import('../../../functions/query/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    const { ledgerWrites, transact } = await import('../../../shared/adapters/ledger-store.js');
    const book = (...args: Parameters<typeof ledgerWrites> extends [string, ...infer Rest] ? Rest : never) =>
      transact(ledgerWrites(resources.tables.ledger, ...args));

    // Twelve consumer declarations from CN (one paid) and three deferred-account ones from VN on 2026-07-01,
    // one IOSS declaration on 2026-07-02.
    for (let index = 0; index < 12; index += 1) {
      const record = anAssessedRecord({
        id: `dcl_c${index}`,
        status: index === 0 ? 'RELEASED' : 'AWAITING_PAYMENT',
        payments: index === 0 ? [aPayment('p1', '8.88')] : [],
      });
      const declaration = aDeclaration({ collectionModel: 'CONSUMER_AT_IMPORT' });
      await book(
        ledgerEntriesForAssessment(record, declaration),
        statisticsDeltaFor(record, declaration, NL),
      );
      if (index === 0) await book(ledgerEntriesForPayment(record, declaration, aPayment('p1', '8.88')), []);
    }
    for (let index = 0; index < 3; index += 1) {
      const record = anAssessedRecord({
        id: `dcl_d${index}`,
        status: 'RELEASED',
        assessment: anAssessment({ payer: 'PLATFORM' }),
      });
      const declaration = aDeclaration({
        collectionModel: 'DEFERRED_ACCOUNT',
        channel: 'EXPRESS',
        items: [anItem({ originCountry: 'VN' })],
      });
      await book(
        ledgerEntriesForAssessment(record, declaration),
        statisticsDeltaFor(record, declaration, NL),
      );
    }
    const ioss = anAssessedRecord({
      id: 'dcl_i0',
      platformId: 'globex, "the shop"',
      assessedAt: '2026-07-02T10:00:00.000Z',
      assessment: anAssessment({
        taxes: [{ code: 'VAT', base: '25.00', rate: '0.21', amount: '5.25', collectedAtCheckout: true }],
        payer: 'SELLER',
      }),
    });
    await book(ledgerEntriesForAssessment(ioss, { collectionModel: 'SELLER_AT_CHECKOUT' }), []);
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const get = (
    routeKey: string,
    query: Record<string, string>,
    as: `${string}:${string}` | null = 'finance:f-1',
  ) => invoke(handler, { routeKey, query, ...(as ? { as: as as `finance:${string}` } : {}) });

  describe('GET /v1/revenue', () => {
    it('sums per group and currency from the aggregates, each fact on the day it happened', async () => {
      const response = await get('GET /v1/revenue', {
        from: '2026-07-01',
        to: '2026-07-31',
        groupBy: 'day,collectionModel',
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toEqual({
        from: '2026-07-01',
        to: '2026-07-31',
        groupBy: ['day', 'collectionModel'],
        rows: [
          {
            day: '2026-07-01',
            collectionModel: 'CONSUMER_AT_IMPORT',
            currency: 'EUR',
            assessed: '106.56',
            collected: '0.00',
            refunded: '0.00',
            extinguished: '0.00',
            outstanding: '106.56',
          },
          {
            day: '2026-07-01',
            collectionModel: 'DEFERRED_ACCOUNT',
            currency: 'EUR',
            assessed: '26.64',
            collected: '0.00',
            refunded: '0.00',
            extinguished: '0.00',
            outstanding: '26.64',
          },
          {
            day: '2026-07-02',
            collectionModel: 'CONSUMER_AT_IMPORT',
            currency: 'EUR',
            assessed: '0.00',
            collected: '8.88',
            refunded: '0.00',
            extinguished: '0.00',
            outstanding: '-8.88',
          },
          {
            day: '2026-07-02',
            collectionModel: 'SELLER_AT_CHECKOUT',
            currency: 'EUR',
            assessed: '8.25',
            collected: '5.25',
            refunded: '0.00',
            extinguished: '0.00',
            outstanding: '3.00',
          },
        ],
      });
    });

    it('answers CSV a spreadsheet opens when asked for text/csv', async () => {
      const event = httpEvent({
        routeKey: 'GET /v1/revenue',
        as: 'finance:f-1',
        query: { from: '2026-07-02', to: '2026-07-02', groupBy: 'platform,taxCode' },
      });
      event.headers.accept = 'text/csv';
      const response = readResult((await handler(event, lambdaContext())) as APIGatewayProxyResultV2);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.text).toBe(
        'platform,taxCode,currency,assessed,collected,refunded,outstanding\r\n' +
          'acme,DUTY,EUR,0.00,3.00,0.00,-3.00\r\n' +
          'acme,VAT,EUR,0.00,5.88,0.00,-5.88\r\n' +
          '"globex, ""the shop""",DUTY,EUR,3.00,0.00,0.00,3.00\r\n' +
          '"globex, ""the shop""",VAT,EUR,5.25,5.25,0.00,0.00\r\n',
      );
    });

    it('refuses an unknown groupBy by name, a reversed range and the wrong role', async () => {
      const unknown = await get('GET /v1/revenue', {
        from: '2026-07-01',
        to: '2026-07-02',
        groupBy: 'day,colour',
      });
      expect(unknown.statusCode).toBe(400);
      expect(String(unknown.body.detail)).toContain('"colour"');
      const reversed = await get('GET /v1/revenue', { from: '2026-07-02', to: '2026-07-01' });
      expect(reversed.statusCode).toBe(400);
      expect(
        (await get('GET /v1/revenue', { from: '2026-07-01', to: '2026-07-01' }, 'officer:o-1')).statusCode,
      ).toBe(403);
      expect((await get('GET /v1/revenue', { from: '2026-07-01', to: '2026-07-01' }, null)).statusCode).toBe(
        401,
      );
    });
  });

  describe('GET /v1/revenue/statements', () => {
    it("gives a platform its own account's statement and hides others'", async () => {
      const own = await get(
        'GET /v1/revenue/statements',
        { account: 'acme', month: '2026-07' },
        'platform:acme',
      );
      expect(own.statusCode).toBe(200);
      expect(own.body.totals).toEqual([
        {
          currency: 'EUR',
          collectedAtCheckout: '0.00',
          dueAtImport: '26.64',
          paid: '0.00',
          refunded: '0.00',
          extinguished: '0.00',
          balance: '26.64',
        },
      ]);
      const other = await get(
        'GET /v1/revenue/statements',
        { account: 'globex', month: '2026-07' },
        'platform:acme',
      );
      expect(other.statusCode).toBe(404);
      const finance = await get('GET /v1/revenue/statements', {
        account: 'globex, "the shop"',
        month: '2026-07',
      });
      expect(finance.body.lines).toEqual([
        expect.objectContaining({
          collectionModel: 'SELLER_AT_CHECKOUT',
          taxCode: 'DUTY',
          dueAtImport: '3.00',
        }),
        expect.objectContaining({
          collectionModel: 'SELLER_AT_CHECKOUT',
          taxCode: 'VAT',
          collectedAtCheckout: '5.25',
        }),
      ]);
      expect(
        (await get('GET /v1/revenue/statements', { account: 'acme', month: '2026-13' })).statusCode,
      ).toBe(400);
    });
  });

  describe('GET /v1/statistics', () => {
    it('counts consignments, items, value, duty and tax by any grouping, with release times per lane', async () => {
      const response = await get(
        'GET /v1/statistics',
        { from: '2026-07-01', to: '2026-07-01', groupBy: 'originCountry,channel' },
        'officer:o-1',
      );
      expect(response.statusCode).toBe(200);
      expect(response.body.rows).toEqual([
        {
          originCountry: 'CN',
          channel: 'POST',
          consignments: 12,
          items: 12,
          quantity: 24,
          value: '240.00',
          duty: '36.00',
          tax: '70.56',
        },
        {
          originCountry: 'VN',
          channel: 'EXPRESS',
          consignments: 3,
          items: 3,
          quantity: 6,
          value: '60.00',
          duty: '9.00',
          tax: '17.64',
        },
      ]);
      expect(response.body.releaseTime).toEqual([{ lane: 'GREEN', p50Ms: 2048, p90Ms: 2048, p99Ms: 2048 }]);
    });
  });

  describe('GET /v1/public/statistics', () => {
    it('publishes to anyone, suppressing cells under ten consignments or dominated by one filer', async () => {
      const response = await get('GET /v1/public/statistics', { month: '2026-07' }, null);
      expect(response.statusCode).toBe(200);
      // The twelve CN consignments all come from one platform: enough of them, but one filer's figures.
      expect(response.body.rows).toEqual([
        { hsChapter: '61', originCountry: 'CN', channel: 'POST', suppressed: true },
        { hsChapter: '61', originCountry: 'VN', channel: 'EXPRESS', suppressed: true },
      ]);
      expect(response.text).not.toContain('acme');
    });

    it("refuses a month before the stack's first month with 400 naming month", async () => {
      const response = await get('GET /v1/public/statistics', { month: '2025-12' }, null);
      expect(response.statusCode).toBe(400);
      expect(response.body.errors).toEqual([
        { path: 'month', message: "is before this stack's first month (2026-01): nothing was lodged then" },
      ]);
    });

    it('publishes closed months only: the current month and later answer 400 naming month', async () => {
      const current = new Date().toISOString().slice(0, 7);
      for (const month of [current, '2099-01']) {
        const response = await get('GET /v1/public/statistics', { month }, null);
        expect(response.statusCode, month).toBe(400);
        expect(response.body.errors).toEqual([{ path: 'month', message: expect.stringContaining('closed') }]);
      }
    });
  });
});
