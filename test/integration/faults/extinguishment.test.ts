// Debts that end under faults. Every queue message is delivered twice and a share of invocations dies
// after its writes; then platforms pay part of some declarations and cancel them, and officers reject or
// seize the ones held for a check, each request sent twice and the first answer of every extinguishing
// transaction lost after it committed. What must hold: each debt ends once (one EXTINGUISHMENT fact per
// declaration, EXTINGUISHED what was unpaid and REFUNDED what was paid), the revenue aggregates equal the
// ledger to the cent, statistics count only what was imported, and every DebtExtinguished reached its
// platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall, DynamoDbFaultRule } from '../../../infra/local/dynamodb-proxy.js';
import { Decimal } from '../../../shared/domain/money.js';
import { bookedFacts, booksFact } from '../../fixtures/ledger-facts.js';
import { type FaultStack, KINDS, lodgeMix, seeded, startFaultStack } from './support.js';

const sum = (values: readonly unknown[]) =>
  values.reduce<Decimal>((total, value) => total.plus(String(value ?? 0)), new Decimal(0));

/** Every numeric attribute of a cell whose name starts with `prefix`, added up. */
const measures = (item: Record<string, unknown>, prefix: string) =>
  sum(
    Object.entries(item)
      .filter(([name]) => name.startsWith(prefix))
      .map(([, value]) => value),
  );

describe('extinguished debts under duplicate deliveries, crashes and lost answers', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({
      name: 'extinguish',
      faults: { duplicateDelivery: true, crashAfterWrite: 0.3, random: seeded(16) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const send = async (method: string, path: string, token: string, body: unknown) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${stack.runtime.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      // A client sends a request again after a 5xx; every command here is safe to repeat.
      if (response.status < 500 || attempt >= 10) {
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  };

  it('ends each debt once and keeps ledger, revenue and statistics agreeing to the cent', async () => {
    // Prepare: 3 of each kind for two platforms, cleared under the faults
    const ids = await lodgeMix(stack, 3, 'EXT');
    await stack.settle(ids);
    const kindOf = new Map(stack.expected.map((entry) => [entry.id, entry.kind]));
    const platformOf = new Map(ids.map((id) => [id, '']));
    for (const platform of ['ext-a', 'ext-b']) {
      const listed = await fetch(`${stack.runtime.url}/v1/declarations?limit=100`, {
        headers: { authorization: `Bearer local:platform:${platform}` },
      });
      for (const item of ((await listed.json()) as { items: { id: string }[] }).items)
        platformOf.set(item.id, platform);
    }
    const payable = ids.filter((id) => kindOf.get(id) === 'payable');
    const checked = ids.filter((id) => kindOf.get(id) === 'vague');
    // The first answer to every extinguishing transaction is lost after it committed.
    const lostAnswer: DynamoDbFaultRule = {
      fault: 'InternalServerError',
      at: 'response',
      operations: ['TransactWriteItems'],
      matches: (call: DynamoDbCall) => booksFact(call.body, 'EXTINGUISHMENT'),
      timesEach: 1,
    };
    stack.dynamoDb.rules.push(lostAnswer);

    // Act: part of every other payable declaration paid, then every payable one cancelled; the checks
    // rejected and seized in turn; each request twice.
    const paid = new Map<string, string>();
    for (const [index, id] of payable.entries()) {
      const platform = `local:platform:${platformOf.get(id)}`;
      if (index % 2 === 0) {
        const payment = { amount: '1.25', currency: 'EUR', reference: `PAY-${id}` };
        for (let time = 0; time < 2; time += 1) {
          const answer = await send('POST', `/v1/declarations/${id}/payments`, platform, payment);
          expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
        }
        paid.set(id, '1.25');
      }
    }
    const refusedCancel = await send(
      'POST',
      `/v1/declarations/${checked[0]}/cancel`,
      `local:platform:${platformOf.get(checked[0] as string)}`,
      { reason: 'Order cancelled' },
    );
    for (const id of payable) {
      for (let time = 0; time < 2; time += 1) {
        const answer = await send(
          'POST',
          `/v1/declarations/${id}/cancel`,
          `local:platform:${platformOf.get(id)}`,
          {
            reason: 'Order cancelled',
          },
        );
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      }
    }
    const decided = new Map<string, 'REJECT' | 'SEIZE'>();
    for (const [index, id] of checked.entries()) {
      const decision = index % 2 === 0 ? 'REJECT' : 'SEIZE';
      for (let time = 0; time < 2; time += 1) {
        const answer = await send('POST', `/v1/declarations/${id}/decisions`, 'local:officer:officer-1', {
          decision,
          findings: {},
        });
        expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
      }
      decided.set(id, decision);
    }
    const states = await stack.settle(ids);
    await expect
      .poll(
        () => {
          const announced = new Set(
            stack.webhook.deliveries.filter((d) => d.type === 'DebtExtinguished').map((d) => d.declarationId),
          );
          return [...payable, ...checked].filter((id) => !announced.has(id));
        },
        { timeout: 20_000 },
      )
      .toEqual([]);

    // Assess: end states
    expect(refusedCancel.status).toBe(409);
    expect(refusedCancel.body).toMatchObject({ currentStatus: 'HELD' });
    for (const id of ids) {
      const kind = kindOf.get(id);
      const expected =
        kind === 'payable'
          ? 'CANCELLED'
          : kind === 'vague'
            ? decided.get(id) === 'REJECT'
              ? 'REJECTED'
              : 'SEIZED'
            : KINDS[kind ?? 'account'].status;
      expect(states.get(id)?.status, `${kind} ${id}`).toBe(expected);
    }

    // The ledger: one assessment and at most one extinguishment per declaration, the extinguished part
    // what was due and unpaid, the refunded part what was paid
    const ledger = await stack.scan('ledger');
    const facts = bookedFacts(ledger);
    const ended = [...payable, ...checked];
    for (const id of ids) {
      const ofDeclaration = facts.filter((fact) => fact.declarationId === id);
      expect(
        ofDeclaration.filter((fact) => fact.fact === 'ASSESSMENT'),
        id,
      ).toHaveLength(1);
      const extinguishments = ofDeclaration.filter((fact) => fact.fact === 'EXTINGUISHMENT');
      expect(extinguishments, id).toHaveLength(ended.includes(id) ? 1 : 0);
      if (!ended.includes(id)) continue;
      const entries = extinguishments[0]?.entries ?? [];
      const due = new Decimal(states.get(id)?.assessment?.totals.dueAtImport ?? '0');
      const collected = new Decimal(paid.get(id) ?? '0');
      const of = (kind: string) => sum(entries.filter((entry) => entry.kind === kind).map((e) => e.amount));
      expect(of('EXTINGUISHED').toFixed(2), id).toBe(due.minus(collected).toFixed(2));
      expect(of('REFUNDED').toFixed(2), id).toBe(collected.toFixed(2));
    }
    const entries = facts.flatMap((fact) => fact.entries);
    const ledgerSum = (kind: string) =>
      sum(entries.filter((entry) => entry.kind === kind).map((entry) => entry.amount)).toFixed(2);
    expect(ledgerSum('COLLECTED')).toBe(sum([...paid.values()]).toFixed(2));
    expect(new Decimal(ledgerSum('EXTINGUISHED')).greaterThan(0)).toBe(true);

    // Revenue: every measure the sum of its ledger entries, to the cent
    const revenue = ledger.filter((item) => String(item.pk).startsWith('REV#'));
    for (const [prefix, kind] of [
      ['A:', 'ASSESSED'],
      ['K:', 'CHECKOUT_DECLARED'],
      ['C:', 'COLLECTED'],
      ['R:', 'REFUNDED'],
      ['X:', 'EXTINGUISHED'],
    ] as const) {
      expect(sum(revenue.map((cell) => measures(cell, prefix))).toFixed(2), kind).toBe(ledgerSum(kind));
    }

    // Statistics: only what was imported or still stands, each consignment once
    const statistics = ledger.filter(
      (item) => String(item.pk).startsWith('STAT#') && String(item.sk).startsWith('C#'),
    );
    const standing = ids.filter((id) => !ended.includes(id));
    expect(sum(statistics.map((cell) => cell.cAll)).toNumber()).toBe(standing.length);
    expect(sum(statistics.map((cell) => cell.duty)).toFixed(2)).toBe(
      sum(standing.map((id) => states.get(id)?.assessment?.totals.duty)).toFixed(2),
    );

    // Nothing left behind, nothing dead-lettered
    for (const queue of ['risk', 'duty', 'notify'] as const) {
      expect(await stack.depth(queue), queue).toBe(0);
      expect(await stack.depth(queue, true), `${queue} DLQ`).toBe(0);
    }
    expect(stack.dynamoDb.injectedBy(lostAnswer)).toBe(ended.length);
  });
});
