// An anonymous quote must not tell anyone whether a scheme number is in the registry (DESIGN.md section
// 14): the number is taken as subject to verification at import, and a quote made on that assumption
// never lowers what clearance assesses when the registry says otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import type { Assessment } from '../../../shared/domain/duty/assessment.js';
import { aDeclaration, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { type Handlers, importHandlers, pipeline } from '../admin/pipeline.js';
import { applyEnv, createIsolatedResources, type IsolatedResources, uniqueSuffix } from '../support.js';

const ADMIN = 'admin:admin-1' as const;
const today = () => new Date().toISOString().slice(0, 10);

const iossSale = (number: string): Declaration =>
  aDeclaration({
    reference: aReference('QIOSS'),
    importDate: today(),
    collectionModel: 'SELLER_AT_CHECKOUT',
    taxRegistration: { scheme: 'IOSS', number },
    seller: { name: 'Shenzhen Apparel Co', country: 'CN', id: 'SELLER-Q' },
    consignee: {
      name: `Consignee ${uniqueSuffix()}`,
      address: {
        line1: 'Keizersgracht 1',
        city: 'Amsterdam',
        postcode: `10${uniqueSuffix()}`,
        country: 'NL',
      },
    },
  });

const withoutReference = ({ reference: _reference, ...body }: Declaration) => body;

describe('quotes are no registry oracle', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let admin: HttpHandler;
  let quotes: HttpHandler;
  let handlers: Handlers;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'qoracle' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: admin } = (await import('../../../functions/admin/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: quotes } = (await import('../../../functions/quotes/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    handlers = await importHandlers();
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  it('answers the same for a registered and an unregistered number, and clearance verifies it', async () => {
    // Prepare
    const registered = `IM528${String(Date.now()).slice(-7)}`;
    const unregistered = `IM529${String(Date.now()).slice(-7)}`;
    const put = await invoke(admin, {
      routeKey: 'PUT /v1/admin/tax-registrations/{number}',
      as: ADMIN,
      pathParameters: { number: registered },
      body: { scheme: 'IOSS', holder: 'Shenzhen Apparel Co', holderId: 'SELLER-Q', validFrom: '2026-01-01' },
    });
    expect(put.statusCode, put.text).toBe(201);
    const validSale = iossSale(registered);
    const invalidSale = iossSale(unregistered);

    // Act
    const valid = await invoke(quotes, { routeKey: 'POST /v1/quotes', body: withoutReference(validSale) });
    const invalid = await invoke(quotes, {
      routeKey: 'POST /v1/quotes',
      body: withoutReference(invalidSale),
    });
    const flow = pipeline(handlers, resources, 'platform:acme');
    const cleared = await flow.clear({ ...invalidSale, quoteId: String(invalid.body.quoteId) });

    // Assess
    expect(valid.statusCode, valid.text).toBe(201);
    expect(invalid.statusCode, invalid.text).toBe(201);
    expect(invalid.body.assessment).toEqual(valid.body.assessment);
    const quoted = valid.body.assessment as Assessment;
    expect(quoted.notes).toContain('SCHEME_SUBJECT_TO_VERIFICATION');
    expect(cleared.assessment?.notes).toContain('IOSS_NUMBER_NOT_VALID');
    expect(cleared.assessment?.notes).not.toContain('QUOTE_HONOURED');
    expect(cleared.assessment?.totals.collectedAtCheckout).toBe('0.00');
  });
});
