import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceWriter } from '../../../shared/adapters/reference-writer.js';
import { RevisionConflictError } from '../../../shared/domain/errors.js';
import { shiftDate } from '../../../shared/domain/reference/versions.js';
import { routes } from '../../../shared/http/routes/index.js';
import { adminRoute } from '../../../shared/http/routes/reference.js';
import { answerAs } from '../../fixtures/api.js';
import { type HttpHandler, type HttpResult, invoke } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  documentClient,
  type IsolatedResources,
  uniqueSuffix,
} from '../support.js';

const ADMIN = 'admin:admin-1' as const;
const today = () => new Date().toISOString().slice(0, 10);

describe('admin routes', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handler: HttpHandler;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'admin' });
    restoreEnv = applyEnv(resources.env);
    ({ handler } = (await import('../../../functions/admin/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const call = (
    routeKey: string,
    pathParameters: Record<string, string> = {},
    options: {
      body?: unknown;
      query?: Record<string, string>;
      as?: `${'admin' | 'officer' | 'platform'}:${string}`;
    } = {},
  ): Promise<HttpResult> => {
    const path = routeKey.split(' ')[1] ?? '';
    return invoke(handler, {
      routeKey,
      as: options.as ?? ADMIN,
      pathParameters,
      rawPath: path.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? ''),
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.query ? { query: options.query } : {}),
    });
  };

  /** The `errors` of a refusal, read as the problem every admin route answers with. */
  const fieldErrors = (response: HttpResult) =>
    answerAs(adminRoute.audit, response, Math.max(response.statusCode, 400)).errors ?? [];

  const rawItem = async (pk: string, sk: string) =>
    (await documentClient().send(new GetCommand({ TableName: resources.tables.reference, Key: { pk, sk } })))
      .Item;

  const auditOf = async (kind: string, key: string) => {
    const response = await call('GET /v1/admin/audit', {}, { query: { kind, key } });
    return answerAs(adminRoute.audit, response, 200).items;
  };

  describe('access', () => {
    const adminRoutes = routes.filter((route) => route.function === 'admin');
    const params = { hsCode: '61', currency: 'USD', id: 'X-1', number: 'IM5280000001', hsPrefix: '61' };

    it('serves every admin route to the admin role only', () => {
      expect(adminRoutes.length).toBeGreaterThanOrEqual(18);
      for (const route of adminRoutes) expect(route.roles).toEqual(['admin']);
    });

    it('answers 403 to an officer and a platform on every admin route', async () => {
      for (const route of adminRoutes) {
        for (const as of ['officer:o-1', 'platform:acme'] as const) {
          const response = await call(`${route.method} ${route.path}`, params, {
            as,
            ...(route.method === 'PUT' ? { body: {} } : {}),
          });
          expect(response.statusCode, `${as} ${route.method} ${route.path}`).toBe(403);
          expect(response.headers['content-type']).toBe('application/problem+json');
        }
      }
    });

    it('answers 401 without a token', async () => {
      const response = await invoke(handler, {
        routeKey: 'GET /v1/admin/tariff-rates/{hsCode}',
        pathParameters: { hsCode: '61' },
      });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('validation', () => {
    const valid = { validFrom: '2026-01-01' };
    const cases: {
      name: string;
      route: string;
      params: Record<string, string>;
      body: unknown;
      path: string;
    }[] = [
      {
        name: 'a one-digit HS code',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '6' },
        body: { dutyRate: '0.05', ...valid },
        path: 'hsCode',
      },
      {
        name: 'neither rate nor specific duty',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: valid,
        path: 'dutyRate',
      },
      {
        name: 'a rate above 10',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: { dutyRate: '10.5', ...valid },
        path: 'dutyRate',
      },
      {
        name: 'a rate as a number',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: { dutyRate: 0.05, ...valid },
        path: 'dutyRate',
      },
      {
        name: 'a specific duty per litre',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: { specific: { amount: '1.00', per: 'LITRE' }, ...valid },
        path: 'specific.per',
      },
      {
        name: 'validTo before validFrom',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: { dutyRate: '0.05', validFrom: '2026-02-01', validTo: '2026-01-31' },
        path: 'validTo',
      },
      {
        name: 'a date that is not a date',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: { dutyRate: '0.05', validFrom: '2026-02-30' },
        path: 'validFrom',
      },
      {
        name: 'an unknown field',
        route: 'PUT /v1/admin/tariff-rates/{hsCode}',
        params: { hsCode: '61' },
        body: { dutyRate: '0.05', rate: '0.05', ...valid },
        path: 'rate',
      },
      {
        name: 'a tax rate above 1',
        route: 'PUT /v1/admin/tax-rates/{hsPrefix}',
        params: { hsPrefix: '4901' },
        body: { rate: '9', legalBasis: 'Act', ...valid },
        path: 'rate',
      },
      {
        name: 'a tax rate without legal basis',
        route: 'PUT /v1/admin/tax-rates/{hsPrefix}',
        params: { hsPrefix: '4901' },
        body: { rate: '0.09', ...valid },
        path: 'legalBasis',
      },
      {
        name: 'a tax rate as a number',
        route: 'PUT /v1/admin/tax-rates/{hsPrefix}',
        params: { hsPrefix: '4901' },
        body: { rate: 0.09, legalBasis: 'Act', ...valid },
        path: 'rate',
      },
      {
        name: 'a tax rate for a one-digit prefix',
        route: 'PUT /v1/admin/tax-rates/{hsPrefix}',
        params: { hsPrefix: '4' },
        body: { rate: '0.09', legalBasis: 'Act', ...valid },
        path: 'hsPrefix',
      },
      {
        name: 'a surcharge with neither rate nor specific',
        route: 'PUT /v1/admin/surcharges/{id}',
        params: { id: 'SOLAR_CELLS' },
        body: { description: 'Solar cells', originCountries: ['CN'], legalBasis: 'Order', ...valid },
        path: 'rate',
      },
      {
        name: 'a surcharge on an unknown origin',
        route: 'PUT /v1/admin/surcharges/{id}',
        params: { id: 'SOLAR_CELLS' },
        body: {
          description: 'Solar cells',
          originCountries: ['CN', 'XX'],
          rate: '0.25',
          legalBasis: 'Order',
          ...valid,
        },
        path: 'originCountries.1',
      },
      {
        name: 'a surcharge per kilogram',
        route: 'PUT /v1/admin/surcharges/{id}',
        params: { id: 'SOLAR_CELLS' },
        body: {
          description: 'Solar cells',
          originCountries: ['CN'],
          specific: { amount: '1.00', per: 'KG' },
          legalBasis: 'Order',
          ...valid,
        },
        path: 'specific.per',
      },
      {
        name: 'a surcharge id in lower case',
        route: 'PUT /v1/admin/surcharges/{id}',
        params: { id: 'solar' },
        body: {
          description: 'Solar cells',
          originCountries: ['CN'],
          rate: '0.25',
          legalBasis: 'Order',
          ...valid,
        },
        path: 'id',
      },
      {
        name: 'a lower-case currency',
        route: 'PUT /v1/admin/exchange-rates/{currency}',
        params: { currency: 'usd' },
        body: { rate: '0.9', ...valid },
        path: 'currency',
      },
      {
        name: 'the stack currency',
        route: 'PUT /v1/admin/exchange-rates/{currency}',
        params: { currency: 'EUR' },
        body: { rate: '1', ...valid },
        path: 'currency',
      },
      {
        name: 'a zero rate',
        route: 'PUT /v1/admin/exchange-rates/{currency}',
        params: { currency: 'USD' },
        body: { rate: '0', ...valid },
        path: 'rate',
      },
      {
        name: 'an exchange rate with validTo',
        route: 'PUT /v1/admin/exchange-rates/{currency}',
        params: { currency: 'USD' },
        body: { rate: '0.9', validTo: '2026-12-31', ...valid },
        path: 'validTo',
      },
      {
        name: 'an unknown trader kind',
        route: 'PUT /v1/admin/trusted-traders/{id}',
        params: { id: 'S-1' },
        body: { kind: 'FRIEND', name: 'Acme', ...valid },
        path: 'kind',
      },
      {
        name: 'a trader without name',
        route: 'PUT /v1/admin/trusted-traders/{id}',
        params: { id: 'S-1' },
        body: { kind: 'SELLER', ...valid },
        path: 'name',
      },
      {
        name: 'a malformed IOSS number',
        route: 'PUT /v1/admin/tax-registrations/{number}',
        params: { number: 'IM123' },
        body: { scheme: 'IOSS', holder: 'Seller One', holderId: 'S-1', ...valid },
        path: 'number',
      },
      {
        name: 'a registration without scheme',
        route: 'PUT /v1/admin/tax-registrations/{number}',
        params: { number: 'IM5280000001' },
        body: { holder: 'Seller One', holderId: 'S-1', ...valid },
        path: 'scheme',
      },
      {
        name: 'a registration without the verified holder id',
        route: 'PUT /v1/admin/tax-registrations/{number}',
        params: { number: 'IM5280000001' },
        body: { scheme: 'IOSS', holder: 'Seller One', ...valid },
        path: 'holderId',
      },
      {
        name: 'a trader without authorised filers',
        route: 'PUT /v1/admin/trusted-traders/{id}',
        params: { id: 'S-1' },
        body: { kind: 'SELLER', name: 'Acme', ...valid },
        path: 'authorisedFilers',
      },
      {
        name: 'a reference price currency',
        route: 'PUT /v1/admin/reference-prices/{hsPrefix}',
        params: { hsPrefix: '6109' },
        body: { price: '10', currency: 'EURO', ...valid },
        path: 'currency',
      },
      {
        name: 'a negative reference price',
        route: 'PUT /v1/admin/reference-prices/{hsPrefix}',
        params: { hsPrefix: '6109' },
        body: { price: '-1', currency: 'EUR', ...valid },
        path: 'price',
      },
      {
        name: 'an invalid pattern',
        route: 'PUT /v1/admin/risk-profiles/{id}',
        params: { id: 'P-1' },
        body: {
          id: 'P-1',
          description: 'x',
          validFrom: '2026-01-01',
          when: { item: { hsChapter: '61' } },
          score: 10,
        },
        path: 'when',
      },
      {
        name: 'an unknown field path',
        route: 'PUT /v1/admin/risk-profiles/{id}',
        params: { id: 'P-1' },
        body: {
          id: 'P-1',
          description: 'x',
          validFrom: '2026-01-01',
          when: { item: { unitPrice: [{ numeric: ['<', 1] }] } },
          score: 10,
        },
        path: 'when.item.unitPrice',
      },
      {
        name: 'a profile id other than the path',
        route: 'PUT /v1/admin/risk-profiles/{id}',
        params: { id: 'P-1' },
        body: {
          id: 'P-2',
          description: 'x',
          validFrom: '2026-01-01',
          when: { item: { hsChapter: ['61'] } },
          score: 10,
        },
        path: 'id',
      },
    ];

    it.each(cases)(
      'answers 400 problem+json naming $path for $name',
      async ({ route, params, body, path }) => {
        const response = await call(route, params, { body });

        expect(response.statusCode, response.text).toBe(400);
        expect(response.headers['content-type']).toBe('application/problem+json');
        expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
        expect(fieldErrors(response).map((error) => error.path)).toContain(path);
      },
    );

    it('explains why a pattern is invalid', async () => {
      const response = await call(
        'PUT /v1/admin/risk-profiles/{id}',
        { id: 'P-1' },
        {
          body: {
            id: 'P-1',
            description: 'x',
            validFrom: '2026-01-01',
            when: { item: { unitPrice: [1] } },
            score: 10,
          },
        },
      );

      const error = fieldErrors(response).find((entry) => entry.path === 'when.item.unitPrice');
      expect(error?.message).toMatch(/unknown field; known item fields are .*unitValue/);
    });
  });

  describe('tax rates and surcharges', () => {
    it('versions a tax rate per HS prefix, audits it, ends it, and 404s a GET of a prefix without one', async () => {
      // Prepare
      const hsPrefix = `49${String(Date.now()).slice(-6)}`;
      const basis = 'Wet op de omzetbelasting 1968, Tabel I, post a.6';

      // Act
      const first = await call(
        'PUT /v1/admin/tax-rates/{hsPrefix}',
        { hsPrefix },
        { body: { rate: '0.09', validFrom: '2026-01-01', legalBasis: basis } },
      );
      const second = await call(
        'PUT /v1/admin/tax-rates/{hsPrefix}',
        { hsPrefix },
        { body: { rate: '0', validFrom: '2027-01-01', legalBasis: basis } },
      );
      const read = await call('GET /v1/admin/tax-rates/{hsPrefix}', { hsPrefix });
      const removed = await call(
        'DELETE /v1/admin/tax-rates/{hsPrefix}',
        { hsPrefix },
        { query: { validFrom: '2027-01-01' } },
      );
      const ended = await call('DELETE /v1/admin/tax-rates/{hsPrefix}', { hsPrefix });
      const afterDelete = await call('GET /v1/admin/tax-rates/{hsPrefix}', { hsPrefix });
      const missing = await call('GET /v1/admin/tax-rates/{hsPrefix}', { hsPrefix: '9799' });
      const audit = await auditOf('TAXRATE', hsPrefix);

      // Assess
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(200);
      expect(read.body).toEqual({
        hsPrefix,
        revision: 2,
        versions: [
          { rate: '0.09', legalBasis: basis, validFrom: '2026-01-01', validTo: '2026-12-31' },
          { rate: '0', legalBasis: basis, validFrom: '2027-01-01' },
        ],
      });
      expect(removed.body.versions).toEqual([{ rate: '0.09', legalBasis: basis, validFrom: '2026-01-01' }]);
      expect(ended.statusCode).toBe(200);
      expect(afterDelete.body).toEqual({
        hsPrefix,
        revision: 4,
        versions: [
          { rate: '0.09', legalBasis: basis, validFrom: '2026-01-01', validTo: shiftDate(today(), -1) },
        ],
      });
      expect(missing.statusCode).toBe(404);
      expect(audit.map((entry) => entry.action)).toEqual(['DELETE', 'DELETE', 'PUT', 'PUT']);
      expect(audit[3]).toMatchObject({
        actor: { subject: 'admin-1', role: 'admin' },
        kind: 'TAXRATE',
        key: hsPrefix,
        before: [],
        after: [{ rate: '0.09', legalBasis: basis, validFrom: '2026-01-01' }],
      });
      // Listed under one partition, which GET /v1/public/rules reads whole.
      const item = await rawItem('INDEX#TAXRATE', hsPrefix);
      expect(item).toMatchObject({ key: hsPrefix, versions: afterDelete.body.versions });
    });

    it('stores nothing and audits nothing for a tax rate or a surcharge with a bad body', async () => {
      const hsPrefix = `48${String(Date.now()).slice(-6)}`;
      const id = `BAD_${uniqueSuffix()
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')}`;

      const badRate = await call(
        'PUT /v1/admin/tax-rates/{hsPrefix}',
        { hsPrefix },
        { body: { rate: '0.09', validFrom: '2026-01-01', legalBasis: '' } },
      );
      const badSurcharge = await call(
        'PUT /v1/admin/surcharges/{id}',
        { id },
        {
          body: {
            description: 'x',
            originCountries: [],
            rate: '0.1',
            validFrom: '2026-01-01',
            legalBasis: 'x',
          },
        },
      );

      expect(badRate.statusCode).toBe(400);
      expect(fieldErrors(badRate).map((error) => error.path)).toEqual(['legalBasis']);
      expect(badSurcharge.statusCode).toBe(400);
      expect(fieldErrors(badSurcharge).map((error) => error.path)).toEqual(['originCountries']);
      expect(await rawItem('INDEX#TAXRATE', hsPrefix)).toBeUndefined();
      expect(await rawItem('INDEX#SURCHARGE', id)).toBeUndefined();
      expect((await call('GET /v1/admin/tax-rates/{hsPrefix}', { hsPrefix })).statusCode).toBe(404);
      expect((await call('GET /v1/admin/surcharges/{id}', { id })).statusCode).toBe(404);
      expect(await auditOf('TAXRATE', hsPrefix)).toEqual([]);
      expect(await auditOf('SURCHARGE', id)).toEqual([]);
    });

    it('versions a surcharge by id, ad valorem and per item, and audits every change', async () => {
      // Prepare
      const id = `SOLAR_${uniqueSuffix()
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')}`;
      const body = {
        description: 'Crystalline silicon photovoltaic cells',
        originCountries: ['CN', 'VN'],
        hsPrefixes: ['854142', '854143'],
        rate: '0.25',
        specific: { amount: '0.50', per: 'ITEM' },
        validFrom: '2026-01-01',
        legalBasis: 'Proclamation 9693',
      };

      // Act
      const created = await call('PUT /v1/admin/surcharges/{id}', { id }, { body });
      const raised = await call(
        'PUT /v1/admin/surcharges/{id}',
        { id },
        { body: { ...body, rate: '0.30', specific: undefined, validFrom: '2027-01-01' } },
      );
      const read = await call('GET /v1/admin/surcharges/{id}', { id });
      const audit = await auditOf('SURCHARGE', id);

      // Assess
      expect(created.statusCode).toBe(201);
      expect(raised.statusCode).toBe(200);
      const { validFrom: _from, specific: _specific, ...rest } = body;
      expect(read.body).toEqual({
        id,
        revision: 2,
        versions: [
          { ...body, validTo: '2026-12-31' },
          { ...rest, rate: '0.30', validFrom: '2027-01-01' },
        ],
      });
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ action: 'PUT', kind: 'SURCHARGE', key: id });
    });
  });

  describe('tariff rates', () => {
    it('versions a rate: a later version ends the open one, GET lists every version', async () => {
      // Prepare
      const hsCode = `61${String(Date.now()).slice(-6)}`;

      // Act
      const first = await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { body: { dutyRate: '0.12', validFrom: '2026-01-01' } },
      );
      const second = await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        {
          body: { specific: { amount: '1.50', per: 'KG' }, dutyRate: '0.08', validFrom: '2027-01-01' },
        },
      );
      const read = await call('GET /v1/admin/tariff-rates/{hsCode}', { hsCode });

      // Assess
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(200);
      expect(read.body).toEqual({
        hsCode,
        revision: 2,
        versions: [
          { dutyRate: '0.12', validFrom: '2026-01-01', validTo: '2026-12-31' },
          { dutyRate: '0.08', specific: { amount: '1.50', per: 'KG' }, validFrom: '2027-01-01' },
        ],
      });
      // The shape reference-store.ts reads.
      const item = await rawItem(`TARIFF#${hsCode}`, 'VERSIONS');
      expect(item).toMatchObject({ key: hsCode, versions: read.body.versions });
    });

    it('removes a future version, then ends the rate from today, keeping the past', async () => {
      // Prepare
      const hsCode = `62${String(Date.now()).slice(-6)}`;
      const future = shiftDate(today(), 40);
      await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { body: { dutyRate: '0.12', validFrom: '2026-01-01' } },
      );
      await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { body: { dutyRate: '0.20', validFrom: future } },
      );

      // Act
      const removed = await call(
        'DELETE /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { query: { validFrom: future } },
      );
      const ended = await call('DELETE /v1/admin/tariff-rates/{hsCode}', { hsCode });
      const tooLate = await call(
        'DELETE /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { query: { validFrom: '2026-01-01' } },
      );
      const past = await call(
        'DELETE /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { query: { validTo: '2026-03-01' } },
      );

      // Assess
      expect(removed.body.versions).toEqual([{ dutyRate: '0.12', validFrom: '2026-01-01' }]);
      expect(ended.body.versions).toEqual([
        { dutyRate: '0.12', validFrom: '2026-01-01', validTo: shiftDate(today(), -1) },
      ]);
      expect(tooLate.statusCode).toBe(409);
      expect(past.statusCode).toBe(400);
      expect(fieldErrors(past)[0]?.path).toBe('validTo');
    });

    it('answers 404 for a code without rates and 409 for a version overlapping the next', async () => {
      const hsCode = `63${String(Date.now()).slice(-6)}`;
      await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { body: { dutyRate: '0.10', validFrom: '2027-01-01' } },
      );

      const missing = await call('GET /v1/admin/tariff-rates/{hsCode}', { hsCode: '9999' });
      const overlap = await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        {
          body: { dutyRate: '0.05', validFrom: '2026-01-01', validTo: '2027-06-30' },
        },
      );

      expect(missing.statusCode).toBe(404);
      expect(overlap.statusCode).toBe(409);
      expect(fieldErrors(overlap)[0]?.path).toBe('validTo');
    });

    it('audits every change: who, when, what, before and after', async () => {
      // Prepare
      const hsCode = `64${String(Date.now()).slice(-6)}`;
      const started = new Date().toISOString();
      await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { body: { dutyRate: '0.12', validFrom: '2026-01-01' } },
      );
      await call(
        'PUT /v1/admin/tariff-rates/{hsCode}',
        { hsCode },
        { body: { dutyRate: '0.10', validFrom: '2026-01-01' } },
      );
      await call('DELETE /v1/admin/tariff-rates/{hsCode}', { hsCode });
      await call('DELETE /v1/admin/tariff-rates/{hsCode}', { hsCode }); // nothing left to change: not audited

      // Act
      const entries = await auditOf('TARIFF', hsCode);

      // Assess
      expect(entries.map((entry) => entry.action)).toEqual(['DELETE', 'PUT', 'PUT']);
      for (const entry of entries) {
        expect(entry.actor).toEqual({ subject: 'admin-1', role: 'admin' });
        expect(entry.at >= started).toBe(true);
        expect(entry).toMatchObject({ kind: 'TARIFF', key: hsCode });
      }
      expect(entries[1]).toMatchObject({
        before: [{ dutyRate: '0.12', validFrom: '2026-01-01' }],
        after: [{ dutyRate: '0.10', validFrom: '2026-01-01' }],
      });
      expect(entries[2]).toMatchObject({
        before: [],
        after: [{ dutyRate: '0.12', validFrom: '2026-01-01' }],
      });
      const month = started.slice(0, 7);
      const stored = await documentClient().send(
        new GetCommand({ TableName: resources.tables.reference, Key: { pk: `AUDIT#${month}`, sk: 'none' } }),
      );
      expect(stored.Item).toBeUndefined();
    });

    it('pages the audit with a cursor and refuses a range over a year', async () => {
      const hsCode = `65${String(Date.now()).slice(-6)}`;
      for (const rate of ['0.01', '0.02', '0.03']) {
        await call(
          'PUT /v1/admin/tariff-rates/{hsCode}',
          { hsCode },
          { body: { dutyRate: rate, validFrom: '2026-01-01' } },
        );
      }

      const first = await call(
        'GET /v1/admin/audit',
        {},
        { query: { kind: 'TARIFF', key: hsCode, limit: '2' } },
      );
      const second = await call(
        'GET /v1/admin/audit',
        {},
        {
          query: { kind: 'TARIFF', key: hsCode, limit: '2', cursor: String(first.body.cursor) },
        },
      );
      const tooLong = await call(
        'GET /v1/admin/audit',
        {},
        { query: { from: '2025-01-01', to: '2026-06-30' } },
      );

      expect(answerAs(adminRoute.audit, first, 200).items).toHaveLength(2);
      expect(
        answerAs(adminRoute.audit, second, 200).items.map(
          (entry) => (entry.after as { dutyRate?: string }[])[0]?.dutyRate,
        ),
      ).toEqual(['0.01']);
      expect(tooLong.statusCode).toBe(400);
      expect(fieldErrors(tooLong)[0]?.path).toBe('from');
    });

    it('refuses a write based on a revision someone else has since replaced', async () => {
      // Prepare
      const writer = referenceWriter(resources.tables.reference, documentClient());
      const hsCode = `67${String(Date.now()).slice(-6)}`;
      const audit = {
        at: new Date().toISOString(),
        actor: { subject: 'admin-1', role: 'admin' },
        action: 'PUT' as const,
        before: [],
        after: [],
      };
      const stale = await writer.read('TARIFF', hsCode);
      await writer.write(stale, [{ dutyRate: '0.01', validFrom: '2026-01-01' }], audit);

      // Act
      const second = writer.write(stale, [{ dutyRate: '0.02', validFrom: '2026-01-01' }], audit);

      // Assess
      await expect(second).rejects.toBeInstanceOf(RevisionConflictError);
      expect((await writer.read('TARIFF', hsCode)).versions).toEqual([
        { dutyRate: '0.01', validFrom: '2026-01-01' },
      ]);
    });

    it('keeps both changes when two admins write the same code at once', async () => {
      const hsCode = `66${String(Date.now()).slice(-6)}`;
      const dates = ['2026-01-01', '2026-03-01', '2026-05-01', '2026-07-01'];

      const responses = await Promise.all(
        dates.map((validFrom, index) =>
          call(
            'PUT /v1/admin/tariff-rates/{hsCode}',
            { hsCode },
            { body: { dutyRate: `0.0${index + 1}`, validFrom }, as: `admin:admin-${index}` },
          ),
        ),
      );

      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 409).length).toBeLessThanOrEqual(1);
      const accepted = dates.filter((_, index) => statuses[index] !== 409);
      const read = await call('GET /v1/admin/tariff-rates/{hsCode}', { hsCode });
      expect(
        answerAs(adminRoute.tariffRates.get, read, 200).versions.map((version) => version.validFrom),
      ).toEqual(accepted);
      expect(read.body.revision).toBe(accepted.length);
      expect(await auditOf('TARIFF', hsCode)).toHaveLength(accepted.length);
    });
  });

  describe('exchange rates', () => {
    it('keeps a rate per validFrom, the latest applying until the next', async () => {
      const put = await call(
        'PUT /v1/admin/exchange-rates/{currency}',
        { currency: 'CHF' },
        { body: { rate: '1.05', validFrom: '2026-01-01' } },
      );
      await call(
        'PUT /v1/admin/exchange-rates/{currency}',
        { currency: 'CHF' },
        { body: { rate: '1.07', validFrom: '2026-02-01' } },
      );
      const read = await call('GET /v1/admin/exchange-rates/{currency}', { currency: 'CHF' });

      expect(put.statusCode).toBe(201);
      expect(read.body).toMatchObject({
        currency: 'CHF',
        versions: [
          { rate: '1.05', validFrom: '2026-01-01' },
          { rate: '1.07', validFrom: '2026-02-01' },
        ],
      });
      expect((await auditOf('FX', 'CHF')).length).toBe(2);
    });
  });

  describe('trusted traders', () => {
    it('stores a trader under <kind>:<id>, where the risk step looks it up, and ends it', async () => {
      // Prepare
      const id = `S-${uniqueSuffix()}`;

      // Act
      const put = await call(
        'PUT /v1/admin/trusted-traders/{id}',
        { id },
        {
          body: {
            kind: 'SELLER',
            name: 'Shenzhen Apparel Co',
            authorisedFilers: ['acme'],
            validFrom: '2026-01-01',
          },
        },
      );
      const read = await call('GET /v1/admin/trusted-traders/{id}', { id });
      const ended = await call('DELETE /v1/admin/trusted-traders/{id}', { id });

      // Assess
      expect(put.statusCode).toBe(201);
      expect(read.body).toEqual({
        id,
        records: [
          {
            kind: 'SELLER',
            key: `SELLER:${id}`,
            revision: 1,
            versions: [
              {
                kind: 'SELLER',
                name: 'Shenzhen Apparel Co',
                authorisedFilers: ['acme'],
                validFrom: '2026-01-01',
              },
            ],
          },
        ],
      });
      expect(await rawItem(`TRUSTED#SELLER:${id}`, 'VERSIONS')).toMatchObject({ key: `SELLER:${id}` });
      expect(ended.body).toMatchObject({ records: [{ versions: [{ validTo: shiftDate(today(), -1) }] }] });
      expect((await auditOf('TRUSTED', `SELLER:${id}`)).map((entry) => entry.action)).toEqual([
        'DELETE',
        'PUT',
      ]);
      expect((await call('GET /v1/admin/trusted-traders/{id}', { id: `none-${id}` })).statusCode).toBe(404);
    });
  });

  describe('tax registrations', () => {
    it('keeps the registry of scheme numbers, versioned', async () => {
      const number = `IM528${String(Date.now()).slice(-7)}`;
      await call(
        'PUT /v1/admin/tax-registrations/{number}',
        { number },
        { body: { scheme: 'IOSS', holder: 'Seller One', holderId: 'SELLER-1', validFrom: '2026-01-01' } },
      );
      await call(
        'PUT /v1/admin/tax-registrations/{number}',
        { number },
        { body: { scheme: 'IOSS', holder: 'Market One', holderId: 'MARKET-1', validFrom: '2026-09-01' } },
      );
      const read = await call('GET /v1/admin/tax-registrations/{number}', { number });
      const later = shiftDate(today(), 10);
      const ended = await call(
        'DELETE /v1/admin/tax-registrations/{number}',
        { number },
        { query: { validTo: later } },
      );

      expect(read.body.versions).toEqual([
        {
          scheme: 'IOSS',
          holder: 'Seller One',
          holderId: 'SELLER-1',
          validFrom: '2026-01-01',
          validTo: '2026-08-31',
        },
        { scheme: 'IOSS', holder: 'Market One', holderId: 'MARKET-1', validFrom: '2026-09-01' },
      ]);
      expect(answerAs(adminRoute.taxRegistrations.delete, ended, 200).versions[1]?.validTo).toBe(later);
    });
  });

  describe('reference prices', () => {
    it('stores the shape the risk step reads: {hsPrefix, price, currency} per version, listed together', async () => {
      const hsPrefix = `9102${String(Date.now()).slice(-4)}`;
      const put = await call(
        'PUT /v1/admin/reference-prices/{hsPrefix}',
        { hsPrefix },
        { body: { price: '250.00', currency: 'EUR', validFrom: '2026-01-01' } },
      );

      expect(put.statusCode).toBe(201);
      expect(await rawItem('INDEX#REFPRICE', hsPrefix)).toMatchObject({
        key: hsPrefix,
        versions: [{ hsPrefix, price: '250.00', currency: 'EUR', validFrom: '2026-01-01' }],
      });
      const removed = await call(
        'DELETE /v1/admin/reference-prices/{hsPrefix}',
        { hsPrefix },
        { query: { validTo: today() } },
      );
      expect(removed.body.versions).toEqual([
        { hsPrefix, price: '250.00', currency: 'EUR', validFrom: '2026-01-01', validTo: today() },
      ]);
    });
  });

  describe('risk profiles', () => {
    const aProfile = (id: string, overrides: Record<string, unknown> = {}) => ({
      id,
      description: 'Watches from a given origin',
      validFrom: '2026-01-01',
      when: { item: { hsHeading: ['9102'], originCountry: ['HK'] } },
      score: 25,
      lane: 'AMBER',
      ...overrides,
    });

    it('versions a profile, refusing to rewrite a version in force, and shows its statistics', async () => {
      // Prepare
      const id = `ADMIN-WATCH-${uniqueSuffix()}`;
      const next = shiftDate(today(), 1);

      // Act
      const created = await call('PUT /v1/admin/risk-profiles/{id}', { id }, { body: aProfile(id) });
      const rewrite = await call(
        'PUT /v1/admin/risk-profiles/{id}',
        { id },
        { body: aProfile(id, { score: 40 }) },
      );
      const changed = await call(
        'PUT /v1/admin/risk-profiles/{id}',
        { id },
        { body: aProfile(id, { score: 40, validFrom: next }) },
      );
      const read = await call('GET /v1/admin/risk-profiles/{id}', { id });
      const list = await call('GET /v1/admin/risk-profiles');

      // Assess
      expect(created.statusCode).toBe(201);
      expect(rewrite.statusCode).toBe(409);
      expect(changed.statusCode).toBe(200);
      expect(read.body).toMatchObject({
        id,
        builtin: false,
        revision: 2,
        inForce: { score: 25 },
        versions: [
          { score: 25, validFrom: '2026-01-01', validTo: today() },
          { score: 40, validFrom: next },
        ],
        stats: { hits: 0, checks: 0, confirmed: 0, hitRate: null },
      });
      const ids = answerAs(adminRoute.riskProfileList, list, 200).items.map((item) => item.id);
      expect(ids).toContain(id);
      expect(ids).toContain('BUILTIN-WEAPONS');
      expect(await rawItem('INDEX#PROFILE', id)).toMatchObject({ key: id });
    });

    it('shows a built-in profile, lets an admin override it and refuses to end it', async () => {
      const read = await call('GET /v1/admin/risk-profiles/{id}', { id: 'BUILTIN-WEAPONS' });
      const ended = await call('DELETE /v1/admin/risk-profiles/{id}', { id: 'BUILTIN-WEAPONS' });
      const unknown = await call('GET /v1/admin/risk-profiles/{id}', { id: 'NO-SUCH-PROFILE' });

      expect(read.body).toMatchObject({
        id: 'BUILTIN-WEAPONS',
        builtin: true,
        versions: [],
        inForce: { category: 'RESTRICTED' },
      });
      expect(ended.statusCode).toBe(409);
      expect(unknown.statusCode).toBe(404);
    });

    it('ends a stored profile and audits it', async () => {
      const id = `ADMIN-END-${uniqueSuffix()}`;
      await call('PUT /v1/admin/risk-profiles/{id}', { id }, { body: aProfile(id) });

      const ended = await call('DELETE /v1/admin/risk-profiles/{id}', { id });

      expect(ended.body).toMatchObject({ inForce: null, versions: [{ validTo: shiftDate(today(), -1) }] });
      expect((await auditOf('PROFILE', id)).map((entry) => entry.action)).toEqual(['DELETE', 'PUT']);
    });
  });
});
