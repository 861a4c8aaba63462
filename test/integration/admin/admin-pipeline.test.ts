// What admin data does to clearance: profiles, reference prices, tariff rates and exchange rates PUT
// through the admin routes, then read by the risk and duty steps. The steps cache reference data for
// 30 s per instance, so each test uses keys (profile ids, HS codes, currencies) no earlier test read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { applyEnv, createIsolatedResources, type IsolatedResources, uniqueSuffix } from '../support.js';
import { type Handlers, importHandlers, pipeline } from './pipeline.js';

const ADMIN = 'admin:admin-1' as const;
const today = () => new Date().toISOString().slice(0, 10);

/** A consignee of its own, so no test's consignments look like splitting to another's. */
const aConsignee = () => ({
  name: `Consignee ${uniqueSuffix()}`,
  address: { line1: 'Keizersgracht 1', city: 'Amsterdam', postcode: `10${uniqueSuffix()}`, country: 'NL' },
});

describe('admin data in clearance', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let admin: HttpHandler;
  let handlers: Handlers;
  let flow: ReturnType<typeof pipeline>;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'adminflow' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: admin } = (await import('../../../functions/admin/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    handlers = await importHandlers();
    flow = pipeline(handlers, resources);
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const put = async (routeKey: string, pathParameters: Record<string, string>, body: unknown) => {
    const response = await invoke(admin, { routeKey, as: ADMIN, pathParameters, body });
    expect(response.statusCode, response.text).toBeLessThan(300);
    return response;
  };

  // First: the risk step lists every profile once and keeps the list for 30 s.
  it('fires a risk profile PUT through admin in the risk step and counts each declaration it hits once', async () => {
    // Prepare
    const id = `ADMIN-WATCH-${uniqueSuffix()}`;
    await put(
      'PUT /v1/admin/risk-profiles/{id}',
      { id },
      {
        id,
        description: 'Wrist watches from Hong Kong',
        validFrom: '2026-01-01',
        when: { item: { hsHeading: ['9102'], originCountry: ['HK'] } },
        score: 10,
        reason: '{item} (HS {item.hsCode}) is a watch from Hong Kong',
      },
    );
    await put(
      'PUT /v1/admin/reference-prices/{hsPrefix}',
      { hsPrefix: '9102' },
      {
        price: '500.00',
        currency: 'EUR',
        validFrom: '2026-01-01',
      },
    );
    const watch = aDeclaration({
      reference: aReference('WATCH'),
      importDate: today(),
      consignee: aConsignee(),
      items: [
        anItem({
          description: 'steel wrist watch',
          hsCode: '910211',
          originCountry: 'HK',
          quantity: 1,
          value: '50.00',
        }),
      ],
    });

    // Act
    const id1 = await flow.lodge(watch);
    const evaluated = await flow.risk(id1);
    await flow.risk(id1); // a redelivery
    const id2 = await flow.lodge({ ...watch, reference: aReference('WATCH'), consignee: aConsignee() });
    await flow.risk(id2);
    const stats = await invoke(admin, {
      routeKey: 'GET /v1/admin/risk-profiles/{id}',
      as: ADMIN,
      pathParameters: { id },
    });
    const undervaluation = await invoke(admin, {
      routeKey: 'GET /v1/admin/risk-profiles/{id}',
      as: ADMIN,
      pathParameters: { id: 'BUILTIN-UNDERVALUATION' },
    });

    // Assess
    const hits = evaluated.risk?.hits ?? [];
    expect(hits).toContainEqual({
      profileId: id,
      score: 10,
      reason: 'Item 1 (HS 910211) is a watch from Hong Kong',
      publicReason: 'Selected for a customs check',
    });
    expect(hits.map((hit) => hit.profileId)).toContain('BUILTIN-UNDERVALUATION');
    expect(stats.body.stats).toEqual({ hits: 2, checks: 0, confirmed: 0, hitRate: null });
    expect(undervaluation.body.stats).toMatchObject({ hits: 2 });
  });

  it('assesses a later declaration with the tariff rates PUT through admin, longest prefix first', async () => {
    // Prepare
    await put(
      'PUT /v1/admin/tariff-rates/{hsCode}',
      { hsCode: '85' },
      { dutyRate: '0.10', validFrom: '2026-01-01' },
    );
    await put(
      'PUT /v1/admin/tariff-rates/{hsCode}',
      { hsCode: '851830' },
      { dutyRate: '0.02', validFrom: '2026-01-01' },
    );
    const declaration = aDeclaration({
      reference: aReference('TARIFF'),
      importDate: today(),
      transportCost: '0.00',
      consignee: aConsignee(),
      items: [
        anItem({ description: 'wireless headphones', hsCode: '851830', quantity: 1, value: '200.00' }),
        anItem({ description: 'smartphone', hsCode: '851713', quantity: 1, value: '300.00' }),
      ],
    });

    // Act
    const stored = await flow.clear(declaration);

    // Assess
    expect(stored.assessment?.declarationType).toBe('H1');
    expect(stored.assessment?.duties).toEqual([
      expect.objectContaining({ code: 'CUSTOMS_DUTY', hsCode: '851830', rate: '0.02', amount: '4.00' }),
      expect.objectContaining({ code: 'CUSTOMS_DUTY', hsCode: '851713', rate: '0.1', amount: '30.00' }),
    ]);
  });

  it('converts a USD declaration at the exchange rate in force on its importDate', async () => {
    // Prepare
    await put(
      'PUT /v1/admin/exchange-rates/{currency}',
      { currency: 'USD' },
      { rate: '0.90', validFrom: '2026-01-01' },
    );
    await put(
      'PUT /v1/admin/exchange-rates/{currency}',
      { currency: 'USD' },
      { rate: '0.95', validFrom: '2026-04-01' },
    );
    const declaration = aDeclaration({
      reference: aReference('USD'),
      importDate: '2026-03-15',
      currency: 'USD',
      transportCost: '10.00',
      consignee: aConsignee(),
      items: [anItem({ description: 'cotton T-shirts', hsCode: '610910', quantity: 4, value: '100.00' })],
    });

    // Act
    const stored = await flow.clear(declaration);

    // Assess
    expect(stored.assessment).toMatchObject({
      importDate: '2026-03-15',
      currency: 'EUR',
      exchangeRates: [{ currency: 'USD', rate: '0.90', validFrom: '2026-01-01' }],
      intrinsicValue: '90.00',
      customsValue: '99.00',
    });
  });
});
