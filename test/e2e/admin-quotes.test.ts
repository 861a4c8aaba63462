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
