// Hot counters: DynamoDB cancels a transaction (TransactionCanceledException, reason TransactionConflict
// or ThrottlingError) when another transaction holds one of its items at that moment, e.g. a risk
// profile's hit counter or a revenue cell that every declaration of a batch updates. DynamoDB Local
// serialises transactions and never does this, so the fault proxy in front of the handlers answers
// some transactions that way. A state save whose only trouble is such a cancellation is retried where
// it happens (the same transaction again), so no record of a batch fails and no clearance action is
// applied again for it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall, Json } from '../../../infra/local/dynamodb-proxy.js';
import { LOCAL_CREDENTIALS } from '../../../infra/local/util.js';
import { packFor } from '../../../shared/countries/index.js';
import type { StateEffect } from '../../../shared/domain/clearance/effects.js';
import { newRecord } from '../../../shared/domain/clearance/record.js';
import { VersionConflictError } from '../../../shared/domain/errors.js';
import type { DomainEvent } from '../../../shared/domain/events.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';
import { aDeclaration, aReference } from '../../fixtures/declarations.js';
import { aDeclarationOf, type FaultStack, startFaultStack } from './support.js';

const touchesCounter = (prefix: string) => (call: DynamoDbCall) => JSON.stringify(call.body).includes(prefix);
const updates = (prefix: string) => (write: Json) =>
  JSON.stringify((write.Update as Json | undefined)?.Key ?? {}).includes(prefix);

describe('transactions cancelled on a hot counter', () => {
  let stack: FaultStack;
  /** The adapters the handlers use, on a client that goes through the fault proxy. */
  let adapters: {
    store: typeof import('../../../shared/adapters/declaration-store.js');
    ledger: typeof import('../../../shared/use-cases/clearance-ledger.js');
    payment: typeof import('../../../shared/use-cases/record-payment.js');
  };
  let proxied: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startFaultStack({ name: 'conflicts' });
    // Imported once the runtime has set the handlers' environment, as the handlers are.
    adapters = {
      store: await import('../../../shared/adapters/declaration-store.js'),
      ledger: await import('../../../shared/use-cases/clearance-ledger.js'),
      payment: await import('../../../shared/use-cases/record-payment.js'),
    };
    proxied = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.runtime.env.AWS_ENDPOINT_URL_DYNAMODB,
        region: stack.runtime.region,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
  });

  afterAll(async () => {
    proxied?.destroy();
    await stack?.stop();
  });

  it('saves a state whose counter update lost the race, retrying the transaction itself', async () => {
    // Prepare: a lodged declaration, and the next transactions on a profile counter cancelled
    const table = stack.runtime.tables.declarations;
    const store = adapters.store.declarationStore(table, proxied, { risk: stack.runtime.tables.risk });
    const declaration = aDeclaration({ reference: aReference('HOT') });
    const at = new Date().toISOString();
    const record = newRecord({
      id: `dcl_hot_${aReference()}`,
      reference: declaration.reference,
      platformId: 'hot',
      bodyHash: 'h',
      at,
    });
    // Held, so the stack's pipeline (started by RECEIVED inserts) leaves it to this test.
    await store.create({ ...record, status: 'HELD' }, declaration);
    const counter: StateEffect[] = [{ kind: 'PROFILE_HITS', hits: new Map([['HOT-PROFILE', 1]]) }];
    stack.dynamoDb.rules.splice(
      0,
      Infinity,
      {
        fault: 'TransactionCanceled',
        cancellation: 'TransactionConflict',
        matches: touchesCounter('PROFILESTATS#HOT-PROFILE'),
        limit: 2,
      },
      {
        fault: 'TransactionCanceled',
        cancellation: 'ThrottlingError',
        matches: touchesCounter('PROFILESTATS#HOT-PROFILE'),
        limit: 1,
      },
    );
    const before = stack.dynamoDb.injected().TransactionCanceled ?? 0;

    // Act
    const saved = await store.save(
      { ...record, risk: { lane: 'GREEN', score: 0, hits: [], assessedAt: at } },
      counter,
    );

    // Assess
    expect(saved.version).toBe(1);
    expect((stack.dynamoDb.injected().TransactionCanceled ?? 0) - before).toBe(3);
    const stats = await stack.documents.send(
      new GetCommand({
        TableName: stack.runtime.tables.risk,
        Key: { pk: 'PROFILESTATS#HOT-PROFILE', sk: 'STATS' },
      }),
    );
    expect(String(stats.Item?.hits)).toBe('1');
    expect((await store.getState(record.id))?.version).toBe(1);
  });

  it('still refuses a save that lost to another writer of the declaration, without retrying it', async () => {
    // Prepare
    const table = stack.runtime.tables.declarations;
    const store = adapters.store.declarationStore(table, proxied, { risk: stack.runtime.tables.risk });
    const declaration = aDeclaration({ reference: aReference('HOT') });
    const at = new Date().toISOString();
    const record = newRecord({
      id: `dcl_hot_${aReference()}`,
      reference: declaration.reference,
      platformId: 'hot',
      bodyHash: 'h',
      at,
    });
    await store.create(record, declaration);
    await store.save(record);
    stack.dynamoDb.rules.splice(0, Infinity);

    // Act: a save based on the version before
    const stale = await store
      .save(record, [{ kind: 'PROFILE_HITS', hits: new Map([['STALE-PROFILE', 1]]) }])
      .catch((error: unknown) => error);

    // Assess
    expect(stale).toBeInstanceOf(VersionConflictError);
    const stats = await stack.documents.send(
      new GetCommand({
        TableName: stack.runtime.tables.risk,
        Key: { pk: 'PROFILESTATS#STALE-PROFILE', sk: 'STATS' },
      }),
    );
    expect(stats.Item).toBeUndefined();
  });

  it('evaluates a batch whose declarations all hit one profile without failing a record on the counter', async () => {
    // Prepare: every transaction that counts a vague-description hit is cancelled for a conflict on
    // the counter, twice, before it goes through
    stack.dynamoDb.rules.splice(0, Infinity, {
      fault: 'TransactionCanceled',
      timesEach: 2,
      matches: touchesCounter('PROFILESTATS#BUILTIN-VAGUE-DESCRIPTION'),
      cancels: updates('PROFILESTATS#'),
    });
    const before = stack.dynamoDb.injected().TransactionCanceled ?? 0;
    const firstBatch = stack.batches.length;

    // Act: ten vague declarations, queued for risk in one message batch
    const ids = await stack.lodge(
      'hot-platform',
      Array.from({ length: 10 }, () => aDeclarationOf('vague', 'HOT')),
    );
    const states = await stack.settle(ids);

    // Assess
    expect((stack.dynamoDb.injected().TransactionCanceled ?? 0) - before).toBeGreaterThan(0);
    const risk = stack.batches.slice(firstBatch).filter((batch) => batch.functionName.endsWith('-risk'));
    expect(risk.flatMap((batch) => batch.failedMessageIds)).toEqual([]);
    expect([...states.values()].map((state) => state.status)).toEqual(Array(10).fill('HELD'));
    const stats = await stack.documents.send(
      new GetCommand({
        TableName: stack.runtime.tables.risk,
        Key: { pk: 'PROFILESTATS#BUILTIN-VAGUE-DESCRIPTION', sk: 'STATS' },
      }),
    );
    expect(String(stats.Item?.hits)).toBe('10');
  });

  it('records a payment whose revenue cells were held by another transaction, applying it once', async () => {
    // Prepare: EUR 8.77 due; the payment's first transactions on the revenue cells are cancelled
    const tables = stack.runtime.tables;
    const store = adapters.store.declarationStore(tables.declarations, proxied, { ledger: tables.ledger });
    const seeded = anAssessedDeclaration({ platformId: 'hot-payer' });
    const { declaration, ...record } = seeded;
    await store.create(record, declaration);
    const conflict = {
      fault: 'TransactionCanceled' as const,
      matches: touchesCounter('REV#'),
      cancels: updates('REV#'),
      limit: 3,
    };
    stack.dynamoDb.rules.splice(0, Infinity, conflict);
    const published: DomainEvent[] = [];
    let reapplied = 0;

    // Act
    const { body } = await adapters.payment.recordDeclarationPayment(
      {
        id: record.id,
        principal: { role: 'platform', subject: 'hot-payer' },
        request: { amount: '8.77', currency: 'EUR', reference: 'PAY-HOT' },
      },
      {
        store,
        publish: async (events) => {
          published.push(...events);
        },
        now: () => new Date(),
        ledger: adapters.ledger.clearanceLedger(packFor('NL')),
        // Called only before the action is applied again to a fresh state, after a lost race.
        backoff: async () => {
          reapplied += 1;
        },
      },
    );

    // Assess: released, the payment booked once; the cancelled transaction was sent again as it was,
    // the action never applied again for it
    expect(body.declaration).toMatchObject({ status: 'RELEASED', amountDue: '0.00' });
    expect(stack.dynamoDb.injectedBy(conflict)).toBe(3);
    expect(reapplied).toBe(0);
    expect(published.map((event) => event.detailType).sort()).toEqual([
      'DeclarationReleased',
      'PaymentRecorded',
    ]);
    const stored = await store.getState(record.id);
    expect(stored?.payments).toHaveLength(1);
    expect(stored?.version).toBe(record.version + 1);
  });
});
