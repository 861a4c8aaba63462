// Aggregate counters under concurrency against DynamoDB Local: many transactions adding to one hot cell
// at once lose nothing, repeated facts add nothing, and money stays exact decimals end to end.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exactDocumentClient,
  factsOfItem,
  ledgerReader,
  ledgerWrites,
  TransactionRejectedError,
  transact,
} from '../../../shared/adapters/ledger-store.js';
import type { LedgerEntry } from '../../../shared/domain/ledger/entries.js';
import { revenueCellFrom, summarizeRevenue } from '../../../shared/domain/ledger/views.js';
import { applyEnv, createIsolatedResources, type IsolatedResources } from '../support.js';

const entry = (declarationId: string, amount: string, fact = 'ASSESSMENT'): LedgerEntry => ({
  id: `${declarationId}#ASSESSED#VAT#EUR`,
  fact,
  declarationId,
  platformId: 'hot-platform',
  kind: 'ASSESSED',
  taxCode: 'VAT',
  currency: 'EUR',
  amount,
  at: '2026-07-01T12:00:00.000Z',
  collectionModel: 'CONSUMER_AT_IMPORT',
  payer: 'CONSUMER',
});

describe('ledger counters under concurrency', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'counters' });
    restoreEnv = applyEnv(resources.env);
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  it('adds every concurrent update to a hot cell exactly once and refuses repeated facts', async () => {
    // Prepare: 60 facts of 0.01..0.60 (a float sum would drift), each sent twice, all at once
    const client = exactDocumentClient();
    const facts = Array.from({ length: 60 }, (_, index) =>
      entry(`dcl_hot_${index}`, ((index + 1) / 100).toFixed(2)),
    );

    // Act
    const results = await Promise.allSettled(
      [...facts, ...facts].map((fact) => transact(ledgerWrites(resources.tables.ledger, [fact]), client)),
    );

    // Assess
    const refused = results.filter((result) => result.status === 'rejected');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(60);
    expect(refused).toHaveLength(60);
    for (const result of refused) {
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(TransactionRejectedError);
      expect((reason as TransactionRejectedError).conditionFailedAt(0)).toBe(true);
    }
    const cells = (await ledgerReader(resources.tables.ledger, client).revenueItems(['2026-07-01'])).flatMap(
      (item) => revenueCellFrom(item) ?? [],
    );
    expect(summarizeRevenue(cells, ['platform'])).toEqual([
      {
        platform: 'hot-platform',
        currency: 'EUR',
        assessed: '18.30',
        collected: '0.00',
        refunded: '0.00',
        extinguished: '0.00',
        outstanding: '18.30',
      },
    ]);
  });

  it('keeps amounts beyond a double precision exact', async () => {
    // Prepare: amounts a JavaScript number cannot hold exactly
    const client = exactDocumentClient();
    const big = [entry('dcl_big_1', '12345678901234567.89'), entry('dcl_big_2', '0.01')];

    // Act
    const writes = big.map((fact) => ledgerWrites(resources.tables.ledger, [fact]));
    for (const transaction of writes) await transact(transaction, client);
    const factsItem = writes[0]?.[0]?.Put?.Item ?? {};
    const fact = await client.send(
      new GetCommand({ TableName: resources.tables.ledger, Key: { pk: factsItem.pk, sk: factsItem.sk } }),
    );

    // Assess
    const [stored] = factsOfItem(fact.Item ?? {});
    expect(stored?.declarationId).toBe('dcl_big_1');
    expect(stored?.entries[0]?.amount).toBe('12345678901234567.89');
    const cells = (await ledgerReader(resources.tables.ledger, client).revenueItems(['2026-07-01'])).flatMap(
      (item) => revenueCellFrom(item) ?? [],
    );
    const total = summarizeRevenue(cells, []);
    expect(total[0]?.assessed).toBe('12345678901234586.20');
  });

  it('reports the write capacity a transaction consumed', async () => {
    const outcome = await transact(
      ledgerWrites(resources.tables.ledger, [entry('dcl_wcu', '1.00')]),
      exactDocumentClient(),
    );
    // DynamoDB Local sizes a transaction as a whole (AWS rounds each item up to 1 KB): at least 2 WCU
    expect(outcome.consumedWcu).toBeGreaterThanOrEqual(2);
  });
});
