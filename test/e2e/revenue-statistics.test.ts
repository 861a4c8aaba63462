// The ledger invariant under failure, through `npm start`'s runtime: hundreds of declarations flow
// through intake, risk and duty while every queue message is delivered twice and a fifth of the
// invocations crash after writing. Afterwards the ledger, /v1/revenue and /v1/statistics agree to the
// cent with the assessments, and no declaration is counted twice.
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeState, stateFilePath } from '../../infra/local/runtime.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/util.js';
import { decodeRecord } from '../../shared/adapters/record-codec.js';
import type { DeclarationRecord } from '../../shared/domain/clearance/record.js';
import { dueFromPayer } from '../../shared/domain/duty/assessment.js';
import { Decimal } from '../../shared/domain/money.js';
import { bookedFacts } from '../fixtures/ledger-facts.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

/** Each declaration's current record: its outcome item once it has one, else its lodgement item. */
const currentRecords = (items: Record<string, unknown>[]): DeclarationRecord[] => {
  const records = new Map<string, DeclarationRecord>();
  for (const item of items) {
    if (item.sk === 'OUTCOME') records.set(String(item.id), decodeRecord(item.record as Uint8Array));
    else if (item.sk === 'STATE' && !records.has(String(item.id)))
      records.set(String(item.id), item as unknown as DeclarationRecord);
  }
  return [...records.values()];
};

const DECLARATIONS = 300;
const PLATFORMS = ['e2e-ledger-a', 'e2e-ledger-b', 'e2e-ledger-c'];
const FINANCE = 'Bearer local:finance:e2e-finance';
const MODELS = ['CONSUMER_AT_IMPORT', 'INTERMEDIARY_ON_DELIVERY', 'DEFERRED_ACCOUNT', 'SELLER_AT_CHECKOUT'];
const CHANNELS = ['POST', 'EXPRESS', 'FREIGHT'];
const GOODS = [
  { hsCode: '610910', description: "men's cotton T-shirt, knitted" },
  { hsCode: '640399', description: 'leather ankle boots for women' },
  { hsCode: '420221', description: 'leather handbag with shoulder strap' },
  { hsCode: '851762', description: 'wireless network router for home use' },
];
const ORIGINS = ['CN', 'VN', 'IN', 'US'];

/** A varied low-value consignment: one to three lines, several origins and chapters. */
const declarationNumber = (run: string, index: number) => {
  const lines = 1 + (index % 3);
  return {
    reference: `LEDGER-${run}-${index}`,
    dispatchCountry: 'CN',
    destinationCountry: 'NL',
    channel: CHANNELS[index % CHANNELS.length],
    transactionType: 'B2C',
    collectionModel: MODELS[index % MODELS.length],
    currency: 'EUR',
    transportCost: (3 + (index % 5)).toFixed(2),
    seller: { name: `Seller ${index % 7}`, country: 'CN', id: `S-${index % 7}` },
    consignee: {
      name: `Consignee ${run} ${index}`,
      address: {
        line1: `Street ${index}`,
        city: 'Utrecht',
        postcode: `35${String(index).padStart(2, '0')} AB`,
        country: 'NL',
      },
    },
    items: Array.from({ length: lines }, (_, line) => {
      const goods = GOODS[(index + line) % GOODS.length] as (typeof GOODS)[number];
      return {
        ...goods,
        originCountry: ORIGINS[(index * 7 + line) % ORIGINS.length],
        quantity: 1 + ((index + line) % 3),
        value: (11 + ((index * 13 + line * 17) % 30) + (index % 100) / 100).toFixed(2),
        netMassKg: '0.50',
      };
    }),
  };
};

const isoDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const sum = (values: (string | undefined)[]) =>
  values.reduce((total, value) => total.plus(value ?? '0'), new Decimal(0));

describe('the ledger invariant under duplicate deliveries and crashes', () => {
  let runtime: RuntimeProcess;
  let state: RuntimeState;
  let documents: DynamoDBDocumentClient;
  let sqs: SQSClient;
  /** The declarations the first test saw assessed, for the payments test. */
  let assessedRecords: DeclarationRecord[] = [];

  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      CLEARWAY_FAULTS: 'duplicate-delivery,crash-after-write:0.2',
      CLEARWAY_VISIBILITY_TIMEOUT_SECONDS: '2',
      CLEARWAY_MAX_RECEIVE_COUNT: '40',
      CLEARWAY_LOG_LEVEL: 'warn',
    });
    state = JSON.parse(readFileSync(stateFilePath('NL', 'memory', runtime.pid), 'utf8')) as RuntimeState;
    const config = {
      endpoint: state.endpoints.dynamodb,
      region: state.region,
      credentials: LOCAL_CREDENTIALS,
    };
    documents = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    sqs = new SQSClient({
      endpoint: state.endpoints.sqs,
      region: state.region,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    documents?.destroy();
    sqs?.destroy();
    await runtime?.stop();
  });

  const scan = async (table: string, prefix: string) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': prefix },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  const get = async (path: string, accept = 'application/json') => {
    const response = await fetch(`${runtime.url}${path}`, { headers: { authorization: FINANCE, accept } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  const queueDepth = async (url: string) => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };

  it('books every assessment exactly once and every view agrees with the assessments to the cent', async () => {
    // Prepare and act: lodge the declarations, a batch per platform
    const run = Date.now().toString(36);
    const ids: string[] = [];
    const lodged: ReturnType<typeof declarationNumber>[] = [];
    for (const [platformIndex, platform] of PLATFORMS.entries()) {
      const declarations = Array.from({ length: DECLARATIONS / PLATFORMS.length }, (_, index) =>
        declarationNumber(run, platformIndex * 1000 + index),
      );
      lodged.push(...declarations);
      const response = await fetch(`${runtime.url}/v1/declarations/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer local:platform:${platform}`, 'content-type': 'application/json' },
        body: JSON.stringify({ declarations }),
      });
      const body = (await response.json()) as {
        results: { status: number; id?: string; errors?: unknown }[];
      };
      expect(body.results.filter((result) => result.status !== 202)).toEqual([]);
      ids.push(...body.results.map((result) => String(result.id)));
    }

    // Wait until every declaration has been through duty and the duty queue has drained its retries
    const ours = new Set(ids);
    const states = await eventually(
      async () =>
        currentRecords(await scan(state.tables.declarations, 'DECL#')).filter((record) =>
          ours.has(record.id),
        ),
      (found) => found.length === ids.length && found.every((record) => record.status !== 'RECEIVED'),
      90_000,
      1_000,
    );
    await eventually(
      () => queueDepth(state.queues.duty.url),
      (depth) => depth === 0,
      60_000,
      500,
    );

    // Assess: the faults really happened
    expect(runtime.output()).toContain('Fault injection on');
    expect(runtime.output()).toMatch(/Injected fault/);

    const assessed = states.filter((record) => record.assessment && record.status !== 'REJECTED');
    assessedRecords = assessed;
    expect(assessed.length).toBeGreaterThan(DECLARATIONS * 0.9);
    const charged = assessed.filter((record) =>
      new Decimal(record.assessment?.totals.dueAtImport ?? 0)
        .plus(record.assessment?.totals.collectedAtCheckout ?? 0)
        .greaterThan(0),
    );

    // The ledger: one assessment fact per charged declaration, its entries equal to the assessment
    const facts = bookedFacts(await scan(state.tables.ledger, 'FACTS#')).filter((fact) =>
      ours.has(fact.declarationId),
    );
    expect(facts).toHaveLength(charged.length);
    const factOf = new Map(facts.map((fact) => [String(fact.declarationId), fact]));
    const ledgerByCode = new Map<string, Decimal>();
    for (const record of charged) {
      const fact = factOf.get(record.id);
      const entries = fact?.entries ?? [];
      const total = (kind: string) =>
        sum(entries.filter((entry) => entry.kind === kind).map((entry) => String(entry.amount)));
      expect(total('ASSESSED').toFixed(2)).toBe(record.assessment?.totals.dueAtImport);
      expect(total('CHECKOUT_DECLARED').toFixed(2)).toBe(record.assessment?.totals.collectedAtCheckout);
      for (const entry of entries)
        ledgerByCode.set(
          entry.taxCode,
          (ledgerByCode.get(entry.taxCode) ?? new Decimal(0)).plus(String(entry.amount)),
        );
    }

    // /v1/revenue by tax code equals the ledger, and in total the assessments
    const range = `from=${isoDay(-1)}&to=${isoDay(1)}`;
    const byCode = await get(`/v1/revenue?${range}&groupBy=taxCode,platform`);
    expect(byCode.status).toBe(200);
    const rows = (JSON.parse(byCode.text) as { rows: Record<string, string>[] }).rows.filter((row) =>
      PLATFORMS.includes(row.platform ?? ''),
    );
    const revenueByCode = new Map<string, Decimal>();
    for (const row of rows)
      revenueByCode.set(
        row.taxCode ?? '',
        (revenueByCode.get(row.taxCode ?? '') ?? new Decimal(0)).plus(row.assessed ?? '0'),
      );
    expect(Object.fromEntries([...revenueByCode].map(([code, amount]) => [code, amount.toFixed(2)]))).toEqual(
      Object.fromEntries([...ledgerByCode].map(([code, amount]) => [code, amount.toFixed(2)])),
    );
    const assessedTotal = sum(
      assessed.flatMap((record) => [
        record.assessment?.totals.dueAtImport,
        record.assessment?.totals.collectedAtCheckout,
      ]),
    );
    expect(sum(rows.map((row) => row.assessed)).toFixed(2)).toBe(assessedTotal.toFixed(2));
    expect(sum(rows.map((row) => row.outstanding)).toFixed(2)).toBe(
      sum(assessed.map((record) => record.assessment?.totals.dueAtImport)).toFixed(2),
    );

    // the same as CSV
    const csv = await get(`/v1/revenue?${range}&groupBy=platform`, 'text/csv');
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[0]).toBe('platform,currency,assessed,collected,refunded,outstanding');

    // /v1/statistics: each declaration counted once, at every level; amounts equal the assessments
    const statistics = async (groupBy: string) => {
      const response = await get(`/v1/statistics?${range}&groupBy=${groupBy}`);
      expect(response.status).toBe(200);
      return JSON.parse(response.text) as {
        rows: Record<string, string | number>[];
        releaseTime: { lane: string }[];
      };
    };
    // (this runtime holds only this test's declarations, so the totals are ours)
    const bodies = new Map(lodged.map((body) => [body.reference, body]));
    const bodyOf = (record: DeclarationRecord) =>
      bodies.get(record.reference) as ReturnType<typeof declarationNumber>;
    const distinct = (
      record: DeclarationRecord,
      key: (item: { originCountry?: string; hsCode: string }) => string,
    ) => new Set(bodyOf(record).items.map(key)).size;
    const totals = await statistics('collectionModel');
    const count = (report: { rows: Record<string, string | number>[] }, name: string) =>
      report.rows.reduce((total, row) => total + Number(row[name]), 0);
    expect(count(totals, 'consignments')).toBe(assessed.length);
    expect(count(totals, 'items')).toBe(
      assessed.reduce((total, record) => total + bodyOf(record).items.length, 0),
    );
    expect(count(totals, 'quantity')).toBe(
      assessed.reduce(
        (total, record) => total + bodyOf(record).items.reduce((units, item) => units + item.quantity, 0),
        0,
      ),
    );
    expect(sum(totals.rows.map((row) => String(row.duty))).toFixed(2)).toBe(
      sum(assessed.map((record) => record.assessment?.totals.duty)).toFixed(2),
    );
    expect(sum(totals.rows.map((row) => String(row.tax))).toFixed(2)).toBe(
      sum(assessed.map((record) => record.assessment?.totals.tax)).toFixed(2),
    );
    expect(sum(totals.rows.map((row) => String(row.value))).toFixed(2)).toBe(
      sum(assessed.map((record) => record.assessment?.intrinsicValue)).toFixed(2),
    );
    const pairs = await statistics('originCountry,hsChapter');
    expect(count(pairs, 'consignments')).toBe(
      assessed.reduce(
        (total, record) =>
          total + distinct(record, (item) => `${item.originCountry}/${item.hsCode.slice(0, 2)}`),
        0,
      ),
    );
    const byOrigin = await statistics('originCountry,lane');
    expect(count(byOrigin, 'consignments')).toBe(
      assessed.reduce((total, record) => total + distinct(record, (item) => String(item.originCountry)), 0),
    );
    const byChapter = await statistics('hsChapter,day,valueBand');
    expect(count(byChapter, 'consignments')).toBe(
      assessed.reduce((total, record) => total + distinct(record, (item) => item.hsCode.slice(0, 2)), 0),
    );
    if (assessed.some((record) => record.status === 'RELEASED')) {
      expect(totals.releaseTime.map((row) => row.lane)).toContain('GREEN');
    }
  });

  it('books each payment once however often it is sent, and revenue shows it collected', async () => {
    // Prepare: consumer-paid declarations awaiting payment
    const awaiting = assessedRecords.filter((record) => record.status === 'AWAITING_PAYMENT').slice(0, 40);
    expect(awaiting.length).toBeGreaterThan(10);
    const pay = (record: DeclarationRecord) =>
      fetch(`${runtime.url}/v1/declarations/${record.id}/payments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer local:platform:${record.platformId}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          // The consumer's share: the EU flat duty is the platform's, on its account.
          amount: record.assessment && dueFromPayer(record.assessment).toFixed(2),
          currency: record.assessment?.currency,
          reference: `PAY-${record.id}`,
        }),
      }).then((response) => response.status);

    // Act: every payment sent twice at once, then once more
    const first = await Promise.all(awaiting.flatMap((record) => [pay(record), pay(record)]));
    const again = await Promise.all(awaiting.map(pay));

    // Assess
    expect(first.every((status) => status === 200 || status === 201)).toBe(true);
    expect(again.every((status) => status === 200)).toBe(true);
    const paidIds = new Set(awaiting.map((record) => record.id));
    const facts = bookedFacts(await scan(state.tables.ledger, 'FACTS#')).filter(
      (fact) => paidIds.has(fact.declarationId) && fact.fact.startsWith('PAYMENT#'),
    );
    expect(facts).toHaveLength(awaiting.length);
    const paid = sum(
      awaiting.map((record) => record.assessment && dueFromPayer(record.assessment).toFixed(2)),
    );
    const collected = sum(facts.flatMap((fact) => fact.entries.map((entry) => String(entry.amount))));
    expect(collected.toFixed(2)).toBe(paid.toFixed(2));

    const response = await get(`/v1/revenue?from=${isoDay(-1)}&to=${isoDay(1)}&groupBy=collectionModel`);
    const consumer = (JSON.parse(response.text) as { rows: Record<string, string>[] }).rows.find(
      (row) => row.collectionModel === 'CONSUMER_AT_IMPORT',
    );
    const consumerDue = sum(
      assessedRecords
        .filter((record) => record.assessment?.payer === 'CONSUMER')
        .map((record) => record.assessment?.totals.dueAtImport),
    );
    expect(consumer?.collected).toBe(paid.toFixed(2));
    expect(consumer?.outstanding).toBe(consumerDue.minus(paid).toFixed(2));
    const states = await eventually(
      async () =>
        currentRecords(await scan(state.tables.declarations, 'DECL#')).filter((record) =>
          paidIds.has(record.id),
        ),
      (found) => found.every((item) => item.status === 'RELEASED' || item.status === 'HELD'),
      30_000,
      500,
    );
    if (states.some((item) => item.status === 'RELEASED')) {
      const statistics = JSON.parse(
        (await get(`/v1/statistics?from=${isoDay(-1)}&to=${isoDay(1)}`)).text,
      ) as {
        releaseTime: { lane: string; p50Ms: number }[];
      };
      expect(statistics.releaseTime.length).toBeGreaterThan(0);
    }
  });
});
