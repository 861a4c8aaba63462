// Trust comes from identities the administration verified, never from words in the body, and a filer
// sees of risk only what concerns its own declaration (DESIGN.md section 14). Each test lodges through
// the intake handler, runs the risk step and reads the declaration as the filer and as an officer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { type Handlers, importHandlers, pipeline } from '../admin/pipeline.js';
import { applyEnv, createIsolatedResources, type IsolatedResources, uniqueSuffix } from '../support.js';

const ADMIN = 'admin:admin-1' as const;
const today = () => new Date().toISOString().slice(0, 10);

/** A consignee of its own, so no test's consignments look like splitting to another's. */
const aConsignee = () => ({
  name: `Consignee ${uniqueSuffix()}`,
  address: { line1: 'Keizersgracht 1', city: 'Amsterdam', postcode: `10${uniqueSuffix()}`, country: 'NL' },
});

/** One vaguely described item: BUILTIN-VAGUE-DESCRIPTION (score 20, AMBER) hits it. */
const vague = (sellerId: string, overrides: Partial<Declaration> = {}) =>
  aDeclaration({
    reference: aReference('TRUST'),
    importDate: today(),
    consignee: aConsignee(),
    seller: { name: 'Shenzhen Apparel Co', country: 'CN', id: sellerId },
    items: [anItem({ description: 'goods' })],
    ...overrides,
  });

describe('trust boundaries in the risk step', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let admin: HttpHandler;
  let declarations: HttpHandler;
  let handlers: Handlers;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'trust' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: admin } = (await import('../../../functions/admin/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: declarations } = (await import('../../../functions/declarations/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    handlers = await importHandlers();
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

  const view = (id: string, as: `${'platform' | 'officer'}:${string}`) =>
    invoke(declarations, { routeKey: 'GET /v1/declarations/{id}', as, pathParameters: { id } });

  it('trusts a seller only for the filers its registration authorises', async () => {
    // Prepare
    const sellerId = `NL${uniqueSuffix()}`;
    await put(
      'PUT /v1/admin/trusted-traders/{id}',
      { id: sellerId },
      { kind: 'SELLER', name: 'Trusted Seller BV', authorisedFilers: ['acme'], validFrom: '2026-01-01' },
    );
    const acme = pipeline(handlers, resources, 'platform:acme');
    const rival = pipeline(handlers, resources, 'platform:rival');

    // Act
    const byAuthorised = await acme.risk(await acme.lodge(vague(sellerId)));
    const byOther = await rival.risk(await rival.lodge(vague(sellerId)));

    // Assess
    expect(byAuthorised.risk).toMatchObject({ lane: 'GREEN', score: 10 });
    expect(byOther.risk).toMatchObject({ lane: 'AMBER', score: 20 });
  });

  it('takes a registered scheme number as the seller’s only when seller.id is the verified holder', async () => {
    // Prepare
    const number = `IM528${String(Date.now()).slice(-7)}`;
    const holderId = `NL${uniqueSuffix()}`;
    await put(
      'PUT /v1/admin/tax-registrations/{number}',
      { number },
      { scheme: 'IOSS', holder: 'Shenzhen Apparel Co', holderId, validFrom: '2026-01-01' },
    );
    const flow = pipeline(handlers, resources, 'platform:acme');
    const withNumber = (sellerId: string) =>
      aDeclaration({
        reference: aReference('IOSS'),
        importDate: today(),
        consignee: aConsignee(),
        collectionModel: 'SELLER_AT_CHECKOUT',
        taxRegistration: { scheme: 'IOSS', number },
        seller: { name: 'Shenzhen Apparel Co', country: 'CN', id: sellerId },
      });

    // Act: the holder's name typed in the body, with another seller id
    const impostor = await flow.risk(await flow.lodge(withNumber('SOMEONE-ELSE')));
    const holder = await flow.risk(await flow.lodge(withNumber(holderId)));

    // Assess
    expect(impostor.risk?.hits.map((hit) => hit.profileId)).toContain('BUILTIN-SCHEME-HOLDER-MISMATCH');
    expect(holder.risk?.hits.map((hit) => hit.profileId)).not.toContain('BUILTIN-SCHEME-HOLDER-MISMATCH');
  });

  it('shows a filer each hit’s profile id and public reason, never scores, trust or other parcels', async () => {
    // Prepare: another platform sent the same consignee three parcels in the last hours
    const consignee = aConsignee();
    const other = pipeline(handlers, resources, 'platform:other-shop');
    for (let index = 0; index < 3; index++) {
      const id = await other.lodge(
        aDeclaration({ reference: aReference('PRIOR'), importDate: today(), consignee }),
      );
      await other.risk(id);
    }
    const sellerId = `NL${uniqueSuffix()}`;
    await put(
      'PUT /v1/admin/trusted-traders/{id}',
      { id: sellerId },
      { kind: 'SELLER', name: 'Trusted Seller BV', authorisedFilers: ['acme'], validFrom: '2026-01-01' },
    );
    const acme = pipeline(handlers, resources, 'platform:acme');
    const id = await acme.lodge(vague(sellerId, { consignee }));
    await acme.risk(id);

    // Act
    const filer = await view(id, 'platform:acme');
    const officer = await view(id, 'officer:officer-1');

    // Assess: the officer sees everything, the filer neither counts, values, scores nor trust
    expect(officer.body.risk).toMatchObject({ score: expect.any(Number) });
    const officerHits = (officer.body.risk as { hits: { profileId: string; reason: string }[] }).hits;
    expect(officerHits.map((hit) => hit.profileId)).toContain('BUILTIN-SPLITTING');
    const filerRisk = filer.body.risk as { lane: string; hits: Record<string, unknown>[] };
    expect(filerRisk).not.toHaveProperty('score');
    expect(filerRisk.hits.map((hit) => hit.profileId)).toEqual(['BUILTIN-VAGUE-DESCRIPTION']);
    for (const hit of filerRisk.hits) expect(Object.keys(hit).sort()).toEqual(['profileId', 'reason']);
    expect(filer.text).not.toMatch(/72 hours|other consignments|trusted/i);
    expect(filer.text).not.toContain('other-shop');
  });
});
