// The duty step's ledger writes against DynamoDB Local through the real SDK and handler: one
// transaction per batch, and a redelivered or concurrently delivered message that adds nothing.
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSqsRecord } from '../../../infra/local/poller.js';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import { type DeclarationRecord, newRecord } from '../../../shared/domain/clearance/record.js';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { AGGREGATE_SHARDS } from '../../../shared/domain/ledger/keys.js';
import { Decimal } from '../../../shared/domain/money.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { lambdaContext } from '../../fixtures/http.js';
import { bookedFacts } from '../../fixtures/ledger-facts.js';
import { applyEnv, createIsolatedResources, documentClient, type IsolatedResources } from '../support.js';

type SqsHandler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

describe('the duty step books the ledger', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handler: SqsHandler;
  const documents = documentClient();

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'ledger' });
    restoreEnv = applyEnv(resources.env);
    ({ handler } = (await import('../../../functions/duty/handler.js')) as unknown as {
      handler: SqsHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  /** Lodges a declaration and records a green risk result, as intake and risk would. */
  const riskAssessed = async (declaration: Declaration, platformId = 'acme'): Promise<DeclarationRecord> => {
    const store = declarationStore(resources.tables.declarations, documents);
    const at = new Date().toISOString();
    const record = newRecord({
      id: `dcl_${randomUUID()}`,
      reference: declaration.reference,
      platformId,
      bodyHash: randomUUID(),
      at,
    });
    await store.create(record, declaration);
    return store.save({ ...record, risk: { lane: 'GREEN', score: 0, hits: [], assessedAt: at } });
  };

  const riskAssessedEvent = (records: DeclarationRecord[]): SQSEvent => ({
    Records: records.map((record) =>
      toSqsRecord(
        {
          MessageId: randomUUID(),
          ReceiptHandle: randomUUID(),
          Body: JSON.stringify({
            version: '0',
            id: randomUUID(),
            'detail-type': 'RiskAssessed',
            source: 'clearway.nl',
            account: '000000000000',
            time: new Date().toISOString(),
            region: 'eu-west-1',
            resources: [],
            detail: {
              version: 1,
              declarationId: record.id,
              platformId: record.platformId,
              reference: record.reference,
              status: 'RECEIVED',
              occurredAt: new Date().toISOString(),
              lane: 'GREEN',
              score: 0,
            },
          }),
        },
        'arn:aws:sqs:eu-west-1:000000000000:duty',
        'eu-west-1',
      ),
    ),
  });

  const ledgerItems = async () => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({ TableName: resources.tables.ledger, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
  };

  const factsOf = (items: Record<string, unknown>[], ids: string[]) =>
    bookedFacts(items).filter((fact) => ids.includes(fact.declarationId));

  it('books each assessment once, with revenue cells pre-summed over the batch, and a redelivery of the batch adds nothing', async () => {
    // Prepare: five low-value consignments (flat EUR 3 duty per HS6 and 21% VAT at import)
    const records = await Promise.all(
      Array.from({ length: 5 }, () => riskAssessed(aDeclaration({ reference: aReference('LED') }))),
    );
    const event = riskAssessedEvent(records);

    // Act
    const first = await handler(event, lambdaContext());
    const afterFirst = await ledgerItems();
    const again = await handler(riskAssessedEvent(records), lambdaContext());
    const afterAgain = await ledgerItems();

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const facts = factsOf(
      afterFirst,
      records.map((record) => record.id),
    );
    expect(facts).toHaveLength(5);
    // one transaction, one item holding its five facts
    expect(new Set(facts.map((fact) => `${fact.item.pk} ${fact.item.sk}`)).size).toBe(1);
    const states = await declarationStore(resources.tables.declarations, documents).getStates(
      records.map((record) => record.id),
    );
    for (const fact of facts) {
      const state = states.get(String(fact.declarationId));
      expect(fact.fact).toBe('ASSESSMENT');
      const assessed = fact.entries
        .filter((entry) => entry.kind === 'ASSESSED')
        .reduce((total, entry) => total.plus(String(entry.amount)), new Decimal(0));
      expect(assessed.toFixed(2)).toBe(state?.assessment?.totals.dueAtImport);
      expect(state?.status).toBe('AWAITING_PAYMENT');
    }
    // pre-summed: the batch's updates go to one shard, so one revenue cell per payer for all five
    // declarations: the consumer's VAT, and the EU flat duty the platform owes as declarant
    const revenue = afterFirst.filter(
      (item) => String(item.pk).startsWith('REV#') && String(item.sk).startsWith('acme#'),
    );
    expect(revenue.map((item) => String(item.sk)).sort()).toEqual([
      'acme#CONSUMER_AT_IMPORT#CONSUMER#EUR',
      'acme#CONSUMER_AT_IMPORT#PLATFORM#EUR',
    ]);
    expect(new Set(revenue.map((item) => String(item.pk))).size).toBe(1);
    expect(String(revenue[0]?.pk)).toMatch(/^REV#\d{4}-\d{2}-\d{2}#\d+$/);
    expect(Number(String(revenue[0]?.pk).split('#')[2])).toBeLessThan(AGGREGATE_SHARDS);
    expect(afterAgain).toEqual(afterFirst);
  });

  it('counts a message delivered twice at the same time once', async () => {
    // Prepare
    const records = await Promise.all(
      Array.from({ length: 4 }, () =>
        riskAssessed(
          aDeclaration({ reference: aReference('DUP'), items: [anItem({ value: '40.00' })] }),
          'dup-platform',
        ),
      ),
    );
    const before = await ledgerItems();

    // Act: two deliveries of the same messages race, then one more later
    const results = await Promise.all([
      handler(riskAssessedEvent(records), lambdaContext()),
      handler(riskAssessedEvent(records), lambdaContext()),
    ]);
    const after = await ledgerItems();
    await handler(riskAssessedEvent(records), lambdaContext());

    // Assess
    expect(results.flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(
      factsOf(
        after,
        records.map((record) => record.id),
      ),
    ).toHaveLength(4);
    const newRevenue = after.filter(
      (item) => String(item.pk).startsWith('REV#') && String(item.sk).startsWith('dup-platform#'),
    );
    const vat = newRevenue.reduce((total, item) => total.plus(String(item['A:VAT'] ?? 0)), new Decimal(0));
    const store = declarationStore(resources.tables.declarations, documents);
    const states = await store.getStates(records.map((record) => record.id));
    const expectedVat = [...states.values()].reduce(
      (total, state) => total.plus(state.assessment?.taxes.find((tax) => tax.code === 'VAT')?.amount ?? 0),
      new Decimal(0),
    );
    expect(vat.toFixed(2)).toBe(expectedVat.toFixed(2));
    expect(await ledgerItems()).toEqual(after);
    expect(before.length).toBeLessThan(after.length);
  });
});
