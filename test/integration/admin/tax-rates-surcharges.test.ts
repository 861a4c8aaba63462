// What the administration's tax rates and surcharges do to clearance and to the published rules: PUT
// through the admin routes against DynamoDB Local, then read by the duty step and by GET /v1/public/rules.
// The steps keep reference data for 30 s per instance (surcharges as one list), so this file PUTs
// everything before any declaration is assessed, and each test uses HS codes no other test reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { applyEnv, createIsolatedResources, type IsolatedResources, uniqueSuffix } from '../support.js';
import { type Handlers, importHandlers, pipeline } from './pipeline.js';

const ADMIN = 'admin:admin-1' as const;
const today = () => new Date().toISOString().slice(0, 10);

const aConsignee = () => ({
  name: `Consignee ${uniqueSuffix()}`,
  address: { line1: 'Keizersgracht 1', city: 'Amsterdam', postcode: `10${uniqueSuffix()}`, country: 'NL' },
});

const RATE_BASIS = 'Administration decision: printed leaflets at the general rate';
const SURCHARGE_BASIS = 'Council Implementing Regulation on solar glass from China (worked example)';

describe("the administration's tax rates and surcharges in clearance", () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let admin: HttpHandler;
  let quotes: HttpHandler;
  let handlers: Handlers;
  let flow: ReturnType<typeof pipeline>;
  const surchargeId = `SOLAR_GLASS_${uniqueSuffix().toUpperCase()}`;

  const call = async (
    routeKey: string,
    pathParameters: Record<string, string>,
    body?: unknown,
    query?: Record<string, string>,
  ) =>
    invoke(admin, {
      routeKey,
      as: ADMIN,
      pathParameters,
      ...(body !== undefined ? { body } : {}),
      ...(query ? { query } : {}),
    });

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'taxrates' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: admin } = (await import('../../../functions/admin/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: quotes } = (await import('../../../functions/quotes/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    handlers = await importHandlers();
    flow = pipeline(handlers, resources);
    // Before any assessment: the duty step lists surcharges once per 30 s.
    const surcharge = await call(
      'PUT /v1/admin/surcharges/{id}',
      { id: surchargeId },
      {
        description: 'Solar glass from China',
        originCountries: ['CN'],
        hsPrefixes: ['700719'],
        rate: '0.10',
        specific: { amount: '1.50', per: 'ITEM' },
        validFrom: '2026-01-01',
        legalBasis: SURCHARGE_BASIS,
      },
    );
    expect(surcharge.statusCode, surcharge.text).toBe(201);
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  it('assesses a declaration lodged before an overriding tax rate was PUT at that rate, naming its version', async () => {
    // Prepare: two declarations lodged under the pack's rules: leaflets (4911) at NL's 21 %, and the same
    // leaflets under a prefix the administration will rate.
    const lodged = aDeclaration({
      reference: aReference('RATE'),
      importDate: today(),
      consignee: aConsignee(),
      items: [
        anItem({
          description: 'printed advertising leaflets',
          hsCode: '491110',
          quantity: 1,
          value: '100.00',
        }),
      ],
    });
    const untouched = aDeclaration({
      reference: aReference('RATE'),
      importDate: today(),
      consignee: aConsignee(),
      items: [
        anItem({ description: 'printed trade catalogues', hsCode: '491191', quantity: 1, value: '100.00' }),
      ],
    });
    const lodgedId = await flow.lodge(lodged);
    const untouchedId = await flow.lodge(untouched);
    // Act: the administration rates 491110 at 9 %, then the pipeline assesses both.
    const put = await call(
      'PUT /v1/admin/tax-rates/{hsPrefix}',
      { hsPrefix: '491110' },
      { rate: '0.09', validFrom: '2026-01-01', legalBasis: RATE_BASIS },
    );
    await flow.risk(lodgedId);
    const rated = await flow.duty(lodgedId);
    await flow.risk(untouchedId);
    const standard = await flow.duty(untouchedId);

    // Assess: a low-value consignment, EUR 3 flat duty per HS6: 100.00 + 5.00 transport + 3.00 = 108.00;
    // 9 % = 9.72 against the standard 21 % = 22.68.
    expect(put.statusCode, put.text).toBe(201);
    expect(rated.assessment?.taxes).toEqual([
      { code: 'VAT', base: '108.00', rate: '0.09', amount: '9.72', collectedAtCheckout: false },
    ]);
    expect(rated.assessment?.ruleSet).toContain('TAXRATE/491110@2026-01-01');
    expect(rated.assessment?.notes).toContain('GOODS_RATE');
    expect(standard.assessment?.taxes).toEqual([
      { code: 'VAT', base: '108.00', rate: '0.21', amount: '22.68', collectedAtCheckout: false },
    ]);
    expect(standard.assessment?.ruleSet.some((id) => id.startsWith('TAXRATE/'))).toBe(false);
  });

  it('lists the surcharge as a duty line named by its id, ad valorem and per item', async () => {
    // Prepare
    await call(
      'PUT /v1/admin/tariff-rates/{hsCode}',
      { hsCode: '700719' },
      { dutyRate: '0.03', validFrom: '2026-01-01' },
    );
    const declaration = aDeclaration({
      reference: aReference('SURCHARGE'),
      importDate: today(),
      transportCost: '0.00',
      consignee: aConsignee(),
      items: [
        anItem({ description: 'tempered solar glass panel', hsCode: '700719', quantity: 4, value: '200.00' }),
        anItem({
          description: 'tempered solar glass panel',
          hsCode: '700719',
          originCountry: 'VN',
          quantity: 1,
          value: '50.00',
        }),
      ],
    });

    // Act
    const stored = await flow.clear(declaration);

    // Assess: CN line 3 % x 200.00 = 6.00, surcharge 10 % = 20.00 and 4 x 1.50 = 6.00; VN line 3 % x 50.00 = 1.50.
    expect(stored.assessment?.duties).toEqual([
      expect.objectContaining({ code: 'CUSTOMS_DUTY', base: '200.00', amount: '6.00' }),
      {
        code: surchargeId,
        hsCode: '700719',
        base: '200.00',
        rate: '0.1',
        amount: '20.00',
        legalBasis: SURCHARGE_BASIS,
      },
      { code: surchargeId, hsCode: '700719', base: '200.00', amount: '6.00', legalBasis: SURCHARGE_BASIS },
      expect.objectContaining({ code: 'CUSTOMS_DUTY', base: '50.00', amount: '1.50' }),
    ]);
    expect(stored.assessment?.totals.duty).toBe('33.50');
    expect(stored.assessment?.ruleSet).toContain(`SURCHARGE/${surchargeId}@2026-01-01`);
  });

  it('publishes the stored tax rates and surcharges in force in GET /v1/public/rules', async () => {
    const response = await invoke(quotes, {
      routeKey: 'GET /v1/public/rules',
      query: { date: today() },
    });

    expect(response.statusCode, response.text).toBe(200);
    expect(response.body.adminTaxRates).toContainEqual({
      hsPrefix: '491110',
      rate: '0.09',
      validFrom: '2026-01-01',
      legalBasis: RATE_BASIS,
    });
    expect((response.body.duty as { originSurcharges: unknown[] }).originSurcharges).toContainEqual(
      expect.objectContaining({ code: surchargeId, rate: '0.10', specific: { amount: '1.50', per: 'ITEM' } }),
    );
  });
});
