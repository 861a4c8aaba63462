// Crashes between writes. A consumer can die, or lose its connection, at any point between the first
// write of a record and the deletion of its message: after the outcome (and the ledger) were saved but
// before the events went out, after the events went out but before the message was deleted, after
// DynamoDB committed but before the answer arrived, and, for a consignment too large for one
// transaction, between its first transaction and the parts that follow. Whatever the point, the
// message comes back and the clearance ends as it would have: each step written once, the ledger exact,
// every event delivered.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall, DynamoDbFaultRule } from '../../../infra/local/dynamodb-proxy.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { booksFact } from '../../fixtures/ledger-facts.js';
import {
  type FaultStack,
  lodgeAll,
  lodgeMix,
  retriedMessages,
  startFaultStack,
  verifyClearance,
} from './support.js';

/** Batches a consumer processed since `from` (an index into stack.batches). */
const batchesOf = (stack: FaultStack, consumer: string, from = 0) =>
  stack.batches.slice(from).filter((batch) => batch.functionName.endsWith(`-${consumer}`));

describe('crashes between writes', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({ name: 'crash' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('announces an outcome booked by an invocation that died before publishing, booking it once', async () => {
    // Prepare: the duty step's announcements are refused until further notice
    const from = stack.batches.length;
    const outcomes = ['DeclarationReleased', 'DeclarationHeld', 'HoldPlaced'];
    stack.runtime.bus.failEntriesMatching({ 'detail-type': outcomes });

    // Act
    const ids = await lodgeMix(stack, 2, 'DTY');
    await expect
      .poll(async () => [...(await stack.states(ids)).values()].filter((state) => state.assessment).length, {
        timeout: 15_000,
      })
      .toBe(ids.length);
    await expect
      .poll(() => batchesOf(stack, 'duty', from).filter((b) => b.outcome === 'failed').length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    const announced = stack.webhook.deliveries.filter(
      (delivery) => ids.includes(delivery.declarationId) && outcomes.includes(delivery.type),
    );
    stack.runtime.bus.failEntriesMatching(undefined);
    await stack.settle(stack.expected.map((entry) => entry.id));

    // Assess: nothing went out while failing; afterwards all of it, with the ledger booked once
    expect(announced).toEqual([]);
    await verifyClearance(stack);
  });

  it('handles again, and changes nothing, a batch whose invocation died after its work and before its deletion', async () => {
    // Prepare: half the invocations, at random, fail after returning (messages not deleted) until each
    // consumer has crashed at least once and every declaration is assessed
    const from = stack.batches.length;
    // Not every one: a stream is read in order, so a batch that always crashed would hold back the shard
    // (as on AWS) and nothing behind it would ever be handled.
    const crashed = (consumer: string) =>
      batchesOf(stack, consumer, from).filter((batch) => /crashed after its writes/.test(batch.error ?? ''));
    stack.faults.crashAfterWrite = 0.5;

    // Act: crashes are random, so lodge rounds until each consumer has crashed at least once
    const everyConsumerCrashed = () =>
      ['risk', 'duty', 'notify'].every((consumer) => crashed(consumer).length > 0);
    const ids: string[] = [];
    for (let round = 0; round < 8 && !everyConsumerCrashed(); round++) {
      ids.push(...(await lodgeMix(stack, 2, `DEL${round}`)));
      await stack.settle(ids);
    }
    expect(everyConsumerCrashed()).toBe(true);
    stack.faults.crashAfterWrite = 0;
    await stack.settle(stack.expected.map((entry) => entry.id));

    // Assess: every message that crashed was handled again, successfully, and nothing changed twice
    for (const consumer of ['risk', 'duty', 'notify']) {
      const { failed, neverSucceeded } = retriedMessages(stack, consumer, from);
      expect(failed.length, consumer).toBeGreaterThan(0);
      expect(neverSucceeded, consumer).toEqual([]);
    }
    await verifyClearance(stack);
  }, 300_000);

  it('ends right when DynamoDB committed a state but its answer was lost', async () => {
    // Prepare: every write of the risk step (consignee windows, hit counters) and of the duty step
    // commits in DynamoDB and, the first time, answers HTTP 500 (the SDK tries again: a plain SET
    // writes the same again, a transaction is answered by its idempotency token)
    const text = (call: DynamoDbCall) => JSON.stringify(call.body);
    const recordsRisk = (call: DynamoDbCall) => text(call).includes('WINDOW#');
    const booksAssessment = (call: DynamoDbCall) => booksFact(call.body, 'ASSESSMENT');
    const lost = (matches: (call: DynamoDbCall) => boolean): DynamoDbFaultRule => ({
      fault: 'InternalServerError',
      at: 'response',
      operations: ['PutItem', 'UpdateItem', 'TransactWriteItems'],
      matches,
      // The first answer to each such write is lost; the SDK's next attempt gets the real one.
      timesEach: 1,
    });
    const rules = [lost(recordsRisk), lost(booksAssessment)];
    stack.dynamoDb.rules.splice(0, Infinity, ...rules);

    // Act
    await lodgeMix(stack, 2, 'LOST');
    await stack.settle(stack.expected.map((entry) => entry.id));
    stack.dynamoDb.rules.splice(0, Infinity);

    // Assess
    const [risk, duty] = rules.map((rule) => stack.dynamoDb.injectedBy(rule));
    expect(risk, 'risk results').toBeGreaterThan(0);
    expect(duty, 'assessments').toBeGreaterThan(0);
    await verifyClearance(stack);
  });

  it('completes a consignment too large for one transaction when the invocation died between its parts', async () => {
    // Prepare: 95 lines in 95 statistics cells (distinct origin and HS chapter) need a second
    // transaction after the one that saves the state; that one fails until the invocation gives up
    const declaration = oversizedConsignment();
    const writesPart = (call: DynamoDbCall) => JSON.stringify(call.body).includes('FACT#PART#1');
    stack.dynamoDb.rules.splice(0, Infinity, {
      fault: 'InternalServerError',
      operations: ['TransactWriteItems'],
      matches: writesPart,
    });
    const from = stack.batches.length;
    const failedDuty = () =>
      batchesOf(stack, 'duty', from).filter((batch) => batch.failedMessageIds.length > 0).length;

    // Act: the part keeps failing until the record has failed (its state and first transaction saved)
    const [id] = await lodgeAll(stack, 'large-platform', [{ kind: 'payable', declaration }]);
    await expect.poll(failedDuty, { timeout: 15_000 }).toBeGreaterThan(0);
    const whileFailing = await stack.states([id as string]);
    const partsWhileFailing = (await stack.scan('ledger')).filter(
      (item) => item.pk === `LEDGER#${id}` && item.sk === 'FACT#PART#1',
    );
    stack.dynamoDb.rules.splice(0, Infinity);
    await stack.settle(stack.expected.map((entry) => entry.id));

    // Assess: assessed and booked by the first transaction, the rest written by the redelivery, once
    expect(whileFailing.get(id as string)?.status).toBe('AWAITING_PAYMENT');
    expect(partsWhileFailing).toEqual([]);
    await verifyClearance(stack);
  });
});

/** HS6 subheadings of chapters that no risk profile routes or holds, one per chapter. */
const neutralSubheadings = (): string[] => {
  const excluded = new Set([
    '30',
    '36',
    '93',
    '95',
    ...Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(2, '0')),
  ]);
  const byChapter = new Map<string, string>();
  for (const line of readFileSync(new URL('../../../shared/data/hs2022.csv', import.meta.url), 'utf8').split(
    '\n',
  )) {
    const code = line.split(',')[0] ?? '';
    if (!/^\d{6}$/.test(code)) continue;
    const chapter = code.slice(0, 2);
    if (!excluded.has(chapter) && !byChapter.has(chapter)) byChapter.set(chapter, code);
  }
  return [...byChapter.values()];
};

/** A low-value consignment of 95 lines, each in a statistics cell of its own. */
const oversizedConsignment = () => {
  const subheadings = neutralSubheadings().slice(0, 19);
  const origins = ['CN', 'VN', 'IN', 'TR', 'TH'];
  const reference = aReference('LARGE');
  return aDeclaration({
    reference,
    consignee: {
      name: `Consignee ${reference}`,
      address: { line1: 'Large street 1', city: 'Utrecht', postcode: '3511 AB', country: 'NL' },
    },
    items: origins.flatMap((originCountry) =>
      subheadings.map((hsCode) =>
        anItem({
          description: `household article of kind ${hsCode}`,
          hsCode,
          originCountry,
          quantity: 1,
          value: '1.50',
        }),
      ),
    ),
  });
};
