// A post's items through `npm start`'s runtime: lodged as CN23 sets, they end released, released with
// duty the post collects on delivery, held for an agency, and seized (returned or destroyed). The post
// polls its customs responses and receives them at its webhook, signed; the duty it collects is on its
// monthly statement; statistics, the officer's queue and the lists count the items as channel POST.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../shared/domain/money.js';
import { verifySignature } from '../../shared/domain/webhooks/signature.js';
import { declarationRoutes } from '../../shared/http/routes/declarations.js';
import { ledgerRoutes } from '../../shared/http/routes/ledger.js';
import { postalRoutes } from '../../shared/http/routes/postal.js';
import { type AnswerBody, answerAs } from '../fixtures/api.js';
import { aPostalItem, s10Id } from '../fixtures/postal.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

const OPERATOR = 'PostNL-e2e';
const POST = `local:post:${OPERATOR}`;
const OFFICER = 'local:officer:e2e-officer';
const FINANCE = 'local:finance:e2e-finance';
const SECRET = 'e2e-post-webhook-secret-01';

/** A customs response as GET /v1/postal/responses documents it. */
type CustomsResponse = AnswerBody<typeof postalRoutes.responses, 200>['items'][number];

describe("a post's items through the local runtime", () => {
  let runtime: RuntimeProcess;
  let server: Server;
  const deliveries: { signature: string; body: string }[] = [];
  let hookUrl = '';
  const serial = 20_000_000 + (process.pid % 1000) * 1000;
  const ids = {
    released: s10Id(serial + 1),
    dutyDue: s10Id(serial + 2),
    held: s10Id(serial + 3),
    returned: s10Id(serial + 4),
    destroyed: s10Id(serial + 5),
  };
  /** Declaration id per item id, from the 207 results. */
  const declarationOf = new Map<string, string>();

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ CLEARWAY_LOG_LEVEL: 'warn' });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        deliveries.push({ signature: String(req.headers['clearway-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/customs`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await runtime?.stop();
  });

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    return { status: response.status, body: json, text };
  };

  const view = (itemId: string, token = POST) =>
    call('GET', `/v1/declarations/${declarationOf.get(itemId)}`, token);

  /** Every response the post can poll, following the cursor. */
  const pollAll = async (limit = 2) => {
    const items: CustomsResponse[] = [];
    let since = '';
    for (let page = 0; page < 50; page += 1) {
      const answer = await call(
        'GET',
        `/v1/postal/responses?limit=${limit}${since ? `&since=${encodeURIComponent(since)}` : ''}`,
        POST,
      );
      const { items: found, cursor } = answerAs(postalRoutes.responses, answer, 200);
      items.push(...found);
      since = cursor;
      if (found.length < limit) break;
    }
    return items;
  };

  const codesOf = (responses: CustomsResponse[], itemId: string) =>
    responses.filter((response) => response.itemId === itemId).map((response) => response.code);

  const latestCode = (responses: CustomsResponse[], itemId: string) =>
    responses
      .filter((response) => response.itemId === itemId)
      .sort((a, b) => a.at.localeCompare(b.at))
      .at(-1)?.code;

  it('lodges the items and answers each status change as a customs response, polled and at the webhook', async () => {
    // Prepare: the post's webhook
    const put = await call('PUT', '/v1/webhooks', POST, { url: hookUrl, secret: SECRET });
    expect(put.status, put.text).toBe(200);

    // Act: five items; the two declared OTHER go to an officer, who seizes them
    const lodged = await call('POST', '/v1/postal/items', POST, {
      items: [
        aPostalItem({
          itemId: ids.released,
          category: 'DOCUMENTS',
          contents: [
            {
              description: 'signed paper contract documents',
              quantity: 1,
              netWeightKg: '0.1',
              value: '1.00',
            },
          ],
        }),
        aPostalItem({ itemId: ids.dutyDue }),
        aPostalItem({ itemId: ids.held, restrictions: [{ type: 'SANITARY' }] }),
        aPostalItem({
          itemId: ids.returned,
          category: 'OTHER',
          categoryExplanation: 'spare parts for repair',
        }),
        aPostalItem({
          itemId: ids.destroyed,
          category: 'OTHER',
          categoryExplanation: 'spare parts for repair',
        }),
      ],
    });
    for (const result of answerAs(postalRoutes.items, lodged, 207).results) {
      expect(result.status, JSON.stringify(result)).toBe(202);
      declarationOf.set(String(result.itemId), String(result.id));
    }
    for (const itemId of [ids.returned, ids.destroyed]) {
      await eventually(
        () => view(itemId, OFFICER),
        (answer) => answer.body.status === 'HELD' && answer.body.assessment !== undefined,
      );
    }
    const returned = await call(
      'POST',
      `/v1/declarations/${declarationOf.get(ids.returned)}/decisions`,
      OFFICER,
      {
        decision: 'SEIZE',
        disposal: 'RETURN',
      },
    );
    const destroyed = await call(
      'POST',
      `/v1/declarations/${declarationOf.get(ids.destroyed)}/decisions`,
      OFFICER,
      { decision: 'SEIZE' },
    );
    expect(returned.status, returned.text).toBe(200);
    expect(destroyed.status, destroyed.text).toBe(200);

    // Assess: the polled responses
    const responses = await eventually(
      () => pollAll(),
      (all) =>
        codesOf(all, ids.released).includes('RELEASED') &&
        codesOf(all, ids.dutyDue).includes('RELEASED') &&
        codesOf(all, ids.held).includes('HELD') &&
        codesOf(all, ids.returned).includes('RETURN') &&
        codesOf(all, ids.destroyed).includes('DESTROY'),
      30_000,
      250,
    );
    const dutyDue = responses.find(
      (response) => response.itemId === ids.dutyDue && response.code === 'DUTY_DUE',
    );
    const assessed = await view(ids.dutyDue);
    const { assessment } = answerAs(declarationRoutes.view, assessed, 200);
    if (!assessment) throw new Error('The duty-due item has no assessment');
    const { totals } = assessment;
    expect(dutyDue).toMatchObject({
      declarationId: declarationOf.get(ids.dutyDue),
      amountDue: totals.dueAtImport,
      currency: 'EUR',
      payer: 'INTERMEDIARY',
    });
    expect(new Decimal(totals.dueAtImport).greaterThan(0)).toBe(true);
    const held = responses.find((response) => response.itemId === ids.held && response.code === 'HELD');
    expect(held?.reason).toMatch(/food safety/);
    // Declared OTHER, they were assessed as sales (duty due) and held for the officer, then seized.
    expect(codesOf(responses, ids.returned).sort()).toEqual(['DUTY_DUE', 'HELD', 'RETURN']);
    // The feed is in the order responses were recorded, which redelivery can change; by time, the
    // disposal comes last.
    expect(latestCode(responses, ids.returned)).toBe('RETURN');
    expect(codesOf(responses, ids.destroyed).sort()).toEqual(['DESTROY', 'DUTY_DUE', 'HELD']);
    expect(latestCode(responses, ids.destroyed)).toBe('DESTROY');
    // Each response once: no two with the same item, code and time.
    const keys = responses.map((response) => `${response.declarationId}#${response.code}#${response.at}`);
    expect(new Set(keys).size).toBe(keys.length);

    // Assess: the same responses reached the webhook, signed
    const announced = await eventually(
      async () =>
        deliveries
          .map((delivery) => ({
            ...delivery,
            event: JSON.parse(delivery.body) as { type: string; data: Record<string, unknown> },
          }))
          .filter((delivery) => delivery.event.type === 'PostalResponseIssued'),
      (all) => all.length >= responses.length,
      30_000,
      250,
    );
    for (const delivery of announced) {
      expect(verifySignature(SECRET, delivery.signature, delivery.body)).toBe(true);
      expect(delivery.event.data.platformId).toBe(`post:${OPERATOR}`);
    }
    const announcedKeys = new Set(announced.map((delivery) => String(delivery.event.data.responseId)));
    expect([...announcedKeys].sort()).toEqual([...keys].sort());
  });

  it("puts the duty the post collects on delivery on the post's monthly statement", async () => {
    // Prepare: what the released items left due at import under the post's guarantee
    const month = new Date().toISOString().slice(0, 7);
    let expected = new Decimal(0);
    for (const itemId of [ids.released, ids.dutyDue, ids.held]) {
      const record = await view(itemId);
      const assessment = record.body.assessment as
        | { totals: { dueAtImport: string }; payer: string }
        | undefined;
      if (assessment?.payer === 'INTERMEDIARY') expected = expected.plus(assessment.totals.dueAtImport);
    }

    // Act
    const statement = await call(
      'GET',
      `/v1/revenue/statements?account=post:${OPERATOR}&month=${month}`,
      POST,
    );
    const someoneElses = await call(
      'GET',
      `/v1/revenue/statements?account=post:${OPERATOR}&month=${month}`,
      'local:post:BPost-e2e',
    );

    // Assess
    const { lines } = answerAs(ledgerRoutes.statement, statement, 200);
    const onDelivery = lines.filter((line) => line.collectionModel === 'INTERMEDIARY_ON_DELIVERY');
    const charged = onDelivery.reduce(
      (sum, line) => sum.plus(line.dueAtImport).minus(line.extinguished),
      new Decimal(0),
    );
    expect(expected.greaterThan(0)).toBe(true);
    expect(charged.toFixed(2)).toBe(expected.toFixed(2));
    expect(someoneElses.status).toBe(404);
  });

  it('counts the items as channel POST in the statistics, the officer queue and the lists', async () => {
    // Prepare: the items statistics count, assessed and neither seized nor rejected
    const today = new Date().toISOString().slice(0, 10);
    let counted = 0;
    let lines = 0;
    for (const itemId of Object.values(ids)) {
      const record = answerAs(declarationRoutes.view, await view(itemId), 200);
      if (record.assessment && !['SEIZED', 'REJECTED', 'CANCELLED'].includes(record.status)) {
        counted += 1;
        lines += record.declaration.items.length;
      }
    }

    // Act
    const statistics = await call('GET', `/v1/statistics?from=${today}&to=${today}&groupBy=channel`, FINANCE);
    const queue = await call('GET', '/v1/declarations?status=HELD&limit=100', OFFICER);
    const own = await call('GET', '/v1/declarations?limit=100', POST);
    const platforms = await call('GET', '/v1/declarations?limit=100', 'local:platform:e2e-other');

    // Assess
    const { rows } = answerAs(ledgerRoutes.statistics, statistics, 200);
    expect(counted).toBeGreaterThan(0);
    expect(rows.find((row) => row.channel === 'POST')).toMatchObject({ consignments: counted, items: lines });
    const queued = answerAs(declarationRoutes.list, queue, 200).items.map((item) => item.id);
    expect(queued).toContain(declarationOf.get(ids.held));
    const listed = answerAs(declarationRoutes.list, own, 200).items.map((item) => item.reference);
    expect(listed.sort()).toEqual(Object.values(ids).sort());
    expect(platforms.body.items).toEqual([]);
  });

  it("reports the post's data quality to the post and officers, and no other filer's", async () => {
    // Prepare: an item refused at intake (a commercial item without an HS code), sent twice
    const today = new Date().toISOString().slice(0, 10);
    const refused = aPostalItem({
      itemId: s10Id(serial + 6),
      contents: [{ description: 'ceramic coffee mug', quantity: 1, netWeightKg: '0.3', value: '9.00' }],
    });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await call('POST', '/v1/postal/items', POST, { items: [refused] });
      expect((answer.body.results as { status: number }[])[0]?.status).toBe(400);
    }
    const range = `from=${today}&to=${today}`;

    // Act
    const own = await call('GET', `/v1/data-quality?${range}`, POST);
    const named = await call('GET', `/v1/data-quality?${range}&filer=post:${OPERATOR}`, OFFICER);
    const all = await call('GET', `/v1/data-quality?${range}`, 'local:admin:e2e-admin');
    const another = await call(
      'GET',
      `/v1/data-quality?${range}&filer=post:${OPERATOR}`,
      'local:post:BPost-e2e',
    );
    const platform = await call('GET', `/v1/data-quality?${range}`, 'local:platform:e2e-other');

    // Assess
    expect(own.status, own.text).toBe(200);
    const rows = own.body.rows as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const assessed = [];
    for (const itemId of Object.values(ids)) {
      const record = await view(itemId);
      if (record.body.assessment) assessed.push(itemId);
    }
    expect(rows[0]).toMatchObject({
      filer: `post:${OPERATOR}`,
      declarations: assessed.length,
      refusedAtIntake: 1,
      refusedByField: { 'items.*.contents.*.hsCode': 1, 'items.*.contents.*.originCountry': 1 },
      missingMandatory: 1,
      riskFlagged: expect.any(Number),
    });
    expect(rows[0]?.riskFlagged).toBeGreaterThanOrEqual(3);
    expect(named.status).toBe(200);
    expect(named.body.rows).toEqual(rows);
    expect(all.status).toBe(200);
    expect((all.body.rows as { filer: string }[]).map((row) => row.filer)).toContain(`post:${OPERATOR}`);
    expect(another.status).toBe(403);
    expect(platform.status).toBe(200);
    expect(platform.body.rows).toEqual([
      expect.objectContaining({ filer: 'e2e-other', declarations: 0, refusedAtIntake: 0, score: null }),
    ]);
  });
});
