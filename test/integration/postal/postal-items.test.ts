import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { aPostalItem, itmattMessage, s10Id } from '../../fixtures/postal.js';
import {
  applyEnv,
  createIsolatedResources,
  drainQueue,
  type IsolatedResources,
  sqsClient,
  testDeclarationIds,
} from '../support.js';

interface Result {
  index: number;
  itemId?: string;
  status: number;
  id?: string;
  errors?: { path: string; message: string }[];
}

describe('postal routes', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let postal: HttpHandler;
  let declarations: HttpHandler;
  const sqs = sqsClient();
  let serial = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const nextId = () => s10Id(serial++);

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'postal' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: postal } = (await import('../../../functions/postal/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: declarations } = (await import('../../../functions/declarations/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const operator = () => `PostNL-${resources.prefix.slice(-8)}`;
  const asPost = () => `post:${operator()}` as const;
  const fileJson = (items: unknown[], as: `post:${string}` | `platform:${string}` = asPost()) =>
    invoke(postal, { routeKey: 'POST /v1/postal/items', as, body: { items } });
  const fileXml = (xml: string, contentType = 'application/xml') =>
    invoke(postal, { routeKey: 'POST /v1/postal/itmatt', as: asPost(), rawBody: xml, contentType });
  const view = (id: string, as: `${'post' | 'platform' | 'officer'}:${string}` = asPost()) =>
    invoke(declarations, { routeKey: 'GET /v1/declarations/{id}', as, pathParameters: { id } });

  it('lodges each CN23 item as a POST-channel declaration under its item id, owned by the post', async () => {
    // Prepare
    await drainQueue(sqs, resources.queues.risk.url);
    const itemId = nextId();
    const item = aPostalItem({ itemId, importerReference: 'IM5280001234', insurance: '2.00' });

    // Act
    const response = await fileJson([item]);

    // Assess
    expect(response.statusCode, response.text).toBe(207);
    const [result] = response.body.results as Result[];
    expect(result).toEqual({
      index: 0,
      itemId,
      status: 202,
      id: testDeclarationIds()(`post:${operator()}`, itemId),
    });
    const stored = await view(String(result?.id));
    expect(stored.statusCode).toBe(200);
    expect(stored.body.reference).toBe(itemId);
    expect(stored.body.platformId).toBe(`post:${operator()}`);
    const declaration = stored.body.declaration as Record<string, unknown>;
    expect(declaration).toMatchObject({
      channel: 'POST',
      transactionType: 'B2C',
      collectionModel: 'SELLER_AT_CHECKOUT',
      taxRegistration: { scheme: 'IOSS', number: 'IM5280001234' },
      transportCost: '4.50',
      insuranceCost: '2.00',
      transportDocument: itemId,
      postal: { itemId, category: 'SALE_OF_GOODS', postingDate: '2026-07-01' },
    });
    // Stored like any lodgement: its insert starts its risk step, nothing is sent.
    expect(await drainQueue(sqs, resources.queues.risk.url)).toEqual([]);
  });

  it('answers 200 for the same item again and 409 for other content under the same item id', async () => {
    // Prepare
    const itemId = nextId();
    const item = aPostalItem({ itemId });
    const first = await fileJson([item]);
    expect((first.body.results as Result[])[0]?.status).toBe(202);

    // Act
    const again = await fileJson([item]);
    const changed = await fileJson([aPostalItem({ itemId, postalCharges: '9.00' })]);

    // Assess
    expect((again.body.results as Result[])[0]).toMatchObject({ itemId, status: 200 });
    const conflict = (changed.body.results as Result[])[0];
    expect(conflict).toMatchObject({ itemId, status: 409 });
    expect(conflict?.errors?.[0]?.path).toBe('reference');
  });

  it('refuses a wrong S10 check digit, missing HS code of a commercial item and an unknown category by item and field; the rest are lodged', async () => {
    // Prepare
    const good = aPostalItem({ itemId: nextId() });
    const badDigit = aPostalItem({ itemId: 'RR123456784NL' });
    const noHs = aPostalItem({
      itemId: nextId(),
      contents: [{ description: 'wireless earbuds', quantity: 1, netWeightKg: '0.1', value: '30.00' }],
    });
    const unknownCategory = aPostalItem({ itemId: nextId(), category: 'PRESENT' });

    // Act
    const response = await fileJson([good, badDigit, noHs, unknownCategory]);

    // Assess
    const results = response.body.results as Result[];
    expect(results.map((result) => result.status)).toEqual([202, 400, 400, 400]);
    expect(results[1]?.errors).toEqual([
      { path: 'items.1.itemId', message: 'has check digit 4; for serial 12345678 it must be 5' },
    ]);
    expect(results[2]?.errors).toEqual([
      { path: 'items.2.contents.0.hsCode', message: 'is required for an item of category SALE_OF_GOODS' },
      {
        path: 'items.2.contents.0.originCountry',
        message: 'is required for an item of category SALE_OF_GOODS',
      },
    ]);
    expect(results[3]?.errors?.map((error) => error.path)).toEqual(['items.3.category']);
    // Nothing stored for a refused item.
    const noHsId = testDeclarationIds()(`post:${operator()}`, String(noHs.itemId));
    expect((await view(noHsId)).statusCode).toBe(404);
  });

  it("refuses an item addressed outside the stack's customs territory, naming the addressee's country", async () => {
    // Prepare: the NL stack clears EU member states; one item goes to Germany, one to the United States
    const addressedTo = (country: string) => {
      const { addressee } = aPostalItem() as { addressee: { address: Record<string, string> } };
      return aPostalItem({
        itemId: nextId(),
        addressee: { ...addressee, address: { ...addressee.address, country } },
      });
    };
    const toGermany = addressedTo('DE');
    const abroad = addressedTo('US');

    // Act
    const response = await fileJson([toGermany, abroad]);

    // Assess
    const results = response.body.results as Result[];
    expect(results.map((result) => result.status)).toEqual([202, 400]);
    expect(results[1]?.errors).toEqual([
      {
        path: 'items.1.addressee.address.country',
        message: expect.stringMatching(/^is outside the customs territory this stack clears/),
      },
    ]);
    const abroadId = testDeclarationIds()(`post:${operator()}`, String(abroad.itemId));
    expect((await view(abroadId)).statusCode).toBe(404);
  });

  it('lets a gift and documents go without HS code or origin, documents classified as printed matter', async () => {
    // Prepare
    const gift = aPostalItem({
      itemId: nextId(),
      category: 'GIFT',
      contents: [{ description: 'hand-knitted wool scarf', quantity: 1, netWeightKg: '0.2', value: '20.00' }],
    });
    const documents = aPostalItem({
      itemId: nextId(),
      category: 'DOCUMENTS',
      contents: [{ description: 'signed contract papers', quantity: 1, netWeightKg: '0.1', value: '1.00' }],
    });

    // Act
    const response = await fileJson([gift, documents]);

    // Assess
    const results = response.body.results as Result[];
    expect(results.map((result) => result.status)).toEqual([202, 202]);
    const giftDeclaration = (await view(String(results[0]?.id))).body.declaration as Record<string, unknown>;
    expect(giftDeclaration).toMatchObject({
      transactionType: 'C2C',
      collectionModel: 'INTERMEDIARY_ON_DELIVERY',
      items: [{ hsCode: '999999', originCountry: 'CN', category: 'GIFT' }],
      postal: { unclassifiedLines: [1] },
    });
    const documentsDeclaration = (await view(String(results[1]?.id))).body.declaration as Record<
      string,
      unknown
    >;
    expect(documentsDeclaration).toMatchObject({ items: [{ hsCode: '491199', category: 'DOCUMENTS' }] });
  });

  it('keeps a post to its own items: a platform and another post get 404', async () => {
    // Prepare
    const response = await fileJson([aPostalItem({ itemId: nextId() })]);
    const id = String((response.body.results as Result[])[0]?.id);

    // Act
    const asPlatform = await view(id, `platform:${operator()}`);
    const asOtherPost = await view(id, `post:Other-${operator()}`);
    const asOfficer = await view(id, 'officer:officer-1');

    // Assess
    expect(asPlatform.statusCode).toBe(404);
    expect(asOtherPost.statusCode).toBe(404);
    expect(asOfficer.statusCode).toBe(200);
  });

  it('lodges the items of an ITMATT message as the JSON route does', async () => {
    // Prepare
    const items = [
      aPostalItem({ itemId: nextId(), restrictions: [{ type: 'PHYTOSANITARY', explanation: 'seeds' }] }),
      aPostalItem({ itemId: 'RR123456784NL' }),
      aPostalItem({
        itemId: nextId(),
        contents: [
          {
            description: 'Fish & chips fork set <steel>',
            quantity: 1,
            netWeightKg: '0.3',
            value: '12.00',
            hsCode: '821599',
            originCountry: 'CN',
          },
        ],
      }),
    ];

    // Act
    const response = await fileXml(itmattMessage(items));

    // Assess
    expect(response.statusCode, response.text).toBe(207);
    const results = response.body.results as Result[];
    expect(results.map((result) => [result.itemId, result.status])).toEqual([
      [items[0]?.itemId, 202],
      ['RR123456784NL', 400],
      [items[2]?.itemId, 202],
    ]);
    expect(results[1]?.errors?.[0]?.path).toBe('items.1.itemId');
    const first = (await view(String(results[0]?.id))).body.declaration as Record<string, unknown>;
    expect(first).toMatchObject({
      transportCost: '4.50',
      postal: { restrictions: [{ type: 'PHYTOSANITARY', explanation: 'seeds' }] },
      items: [{ description: "men's cotton T-shirt", quantity: 2, netMassKg: '0.4', value: '24.00' }],
    });
    const third = (await view(String(results[2]?.id))).body.declaration as {
      items: { description: string }[];
    };
    expect(third.items[0]?.description).toBe('Fish & chips fork set <steel>');
  });

  it('refuses a whole ITMATT message that is malformed, declares entities or breaks the schema, storing nothing', async () => {
    // Prepare
    const itemId = nextId();
    const valid = itmattMessage([aPostalItem({ itemId })]);
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${valid.slice(valid.indexOf('<ITMATT'))}`;
    const external = valid.replace('<ITMATT', '<!DOCTYPE ITMATT SYSTEM "http://example.com/x.dtd"><ITMATT');
    const malformed = valid.replace('</Header>', '');
    const offSchema = valid.replace('<Quantity>', '<Weight>1</Weight><Quantity>');

    // Act
    const answers = await Promise.all([bomb, external, malformed, offSchema].map((xml) => fileXml(xml)));

    // Assess
    for (const answer of answers) {
      expect(answer.statusCode, answer.text).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
    expect((answers[0]?.body.errors as Result['errors'])?.[0]?.message).toMatch(/DOCTYPE or entity/);
    expect((answers[1]?.body.errors as Result['errors'])?.[0]?.message).toMatch(/DOCTYPE or entity/);
    expect(answers[2]?.body.detail).toBe('The message is not well-formed XML');
    expect(answers[3]?.body.errors).toEqual([
      {
        path: 'items.0.Weight',
        message: expect.stringMatching(/Element 'Weight': This element is not expected/),
      },
    ]);
    expect((await view(testDeclarationIds()(`post:${operator()}`, itemId))).statusCode).toBe(404);
  });

  it('refuses JSON on the XML route and a platform on both routes', async () => {
    // Act
    const json = await fileXml('{"items": []}', 'application/json');
    const platform = await fileJson([aPostalItem({ itemId: nextId() })], `platform:${operator()}`);

    // Assess
    expect(json.statusCode).toBe(415);
    expect(platform.statusCode).toBe(403);
  });

  it('serves the published XSD', async () => {
    // Act
    const response = await invoke(postal, { routeKey: 'GET /v1/postal/itmatt.xsd' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/xml');
    expect(response.text).toContain('targetNamespace="urn:clearway:itmatt:1"');
  });
});
