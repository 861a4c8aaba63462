import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

const { reference: _reference, ...fixture } = JSON.parse(
  readFileSync('test/fixtures/declaration.json', 'utf8'),
) as Record<string, unknown>;
const ADMIN = 'Bearer local:admin:e2e-admin';
const PLATFORM = 'Bearer local:platform:e2e-quotes';
const today = () => new Date().toISOString().slice(0, 10);

describe('admin data and quotes over HTTP (npm start)', () => {
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    runtime = await startRuntimeProcess();
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: token } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('keeps admin routes to admins and audits what they change', async () => {
    const rate = { dutyRate: '0.05', validFrom: '2026-01-01' };

    const asPlatform = await call('PUT', '/v1/admin/tariff-rates/9504', rate, PLATFORM);
    const anonymous = await call('PUT', '/v1/admin/tariff-rates/9504', rate);
    const invalid = await call('PUT', '/v1/admin/tariff-rates/9504', { validFrom: '2026-01-01' }, ADMIN);
    const created = await call('PUT', '/v1/admin/tariff-rates/9504', rate, ADMIN);
    const audit = await call('GET', '/v1/admin/audit?kind=TARIFF&key=9504', undefined, ADMIN);

    expect(asPlatform.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toBe('application/problem+json');
    expect(invalid.body.errors).toEqual([expect.objectContaining({ path: 'dutyRate' })]);
    expect(created.status).toBe(201);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'PUT', actor: { subject: 'e2e-admin', role: 'admin' }, key: '9504' }),
    ]);
  });

  it('quotes for anyone and holds a declaration carrying the quote to it after the rate rises', async () => {
    // Prepare
    await call('PUT', '/v1/admin/tariff-rates/950450', { dutyRate: '0.04', validFrom: '2026-01-01' }, ADMIN);
    const body = {
      ...fixture,
      importDate: today(),
      collectionModel: 'CONSUMER_AT_IMPORT',
      items: [
        {
          description: 'video game console',
          hsCode: '950450',
          originCountry: 'CN',
          quantity: 1,
          value: '400.00',
          netMassKg: '3.20',
        },
      ],
    };
    const quote = await call('POST', '/v1/quotes', body);
    expect(quote.status).toBe(201);
    const quoted = quote.body.assessment as { totals: Record<string, string> };
    await call('PUT', '/v1/admin/tariff-rates/950450', { dutyRate: '0.12', validFrom: '2026-01-01' }, ADMIN);

    // Act
    const lodged = await call(
      'POST',
      '/v1/declarations',
      { ...body, reference: `E2E-QUOTE-${Date.now()}`, quoteId: quote.body.quoteId },
      PLATFORM,
    );

    // Assess
    expect(lodged.status).toBe(202);
    const assessed = await eventually(
      () => call('GET', `/v1/declarations/${lodged.body.id}`, undefined, PLATFORM),
      (response) => response.body.assessment !== null && response.body.assessment !== undefined,
    );
    const assessment = assessed.body.assessment as { totals: Record<string, string>; notes: string[] };
    expect(assessment.totals).toEqual(quoted.totals);
    expect(assessment.notes).toContain('QUOTE_HONOURED');
  });

  it("assesses a declaration at the administration's tax rate for its HS prefix and publishes it; after DELETE it ended yesterday", async () => {
    // Prepare: leaflets at NL's standard 21 %, as quoted before the administration rates them.
    await call('PUT', '/v1/admin/tariff-rates/491110', { dutyRate: '0', validFrom: '2026-01-01' }, ADMIN);
    const body = {
      ...fixture,
      importDate: today(),
      collectionModel: 'CONSUMER_AT_IMPORT',
      items: [
        {
          description: 'printed advertising leaflets',
          hsCode: '491110',
          originCountry: 'CN',
          quantity: 1,
          value: '200.00',
          netMassKg: '2.00',
        },
      ],
    };
    const quote = await call('POST', '/v1/quotes', body);
    const rate = { rate: '0.09', validFrom: '2026-01-01', legalBasis: 'Administration decision (e2e)' };

    // Act
    const invalid = await call('PUT', '/v1/admin/tax-rates/491110', { ...rate, rate: '9%' }, ADMIN);
    const stored = await call('PUT', '/v1/admin/tax-rates/491110', rate, ADMIN);
    const lodged = await call(
      'POST',
      '/v1/declarations',
      { ...body, reference: `E2E-RATE-${Date.now()}` },
      PLATFORM,
    );
    const assessed = await eventually(
      () => call('GET', `/v1/declarations/${lodged.body.id}`, undefined, PLATFORM),
      (response) => response.body.assessment !== null && response.body.assessment !== undefined,
    );
    const published = await call('GET', `/v1/public/rules?date=${today()}`);
    const ended = await call('DELETE', '/v1/admin/tax-rates/491110', undefined, ADMIN);
    const afterDelete = await call('GET', '/v1/admin/tax-rates/491110', undefined, ADMIN);

    // Assess: CIF 200.00 + 4.50 = 204.50, no duty; 21 % = 42.95 quoted, 9 % = 18.41 (18.405 half-up) assessed.
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ path: 'rate' })]);
    expect(stored.status).toBe(201);
    expect((quote.body.assessment as { taxes: unknown[] }).taxes).toEqual([
      { code: 'VAT', base: '204.50', rate: '0.21', amount: '42.95', collectedAtCheckout: false },
    ]);
    const assessment = assessed.body.assessment as { taxes: unknown[]; ruleSet: string[] };
    expect(assessment.taxes).toEqual([
      { code: 'VAT', base: '204.50', rate: '0.09', amount: '18.41', collectedAtCheckout: false },
    ]);
    expect(assessment.ruleSet).toContain('TAXRATE/491110@2026-01-01');
    expect(published.body.adminTaxRates).toContainEqual({ hsPrefix: '491110', ...rate });
    expect(ended.status).toBe(200);
    expect(afterDelete.body.versions).toEqual([
      { ...rate, validTo: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) },
    ]);
  });

  it('answers 422 naming a missing exchange rate, and publishes the rules to anyone', async () => {
    const body = { ...fixture, currency: 'SEK' };

    const missing = await call('POST', '/v1/quotes', body);
    const rules = await call('GET', '/v1/public/rules');
    const invalid = await call('GET', '/v1/public/rules?date=tomorrow');

    expect(missing.status).toBe(422);
    expect(missing.body.missing).toEqual([{ kind: 'EXCHANGE_RATE', key: 'SEK' }]);
    expect(rules.status).toBe(200);
    expect(rules.body).toMatchObject({ country: 'NL', date: today() });
    expect((rules.body.upcoming as { date: string }[]).map((change) => change.date)).toContain('2028-07-01');
    expect(invalid.status).toBe(400);
  });
});
