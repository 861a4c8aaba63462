import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  UnprocessableError,
  VersionConflictError,
} from '../../../shared/domain/errors.js';
import { Decimal } from '../../../shared/domain/money.js';
import { recordDeclarationPayment } from '../../../shared/use-cases/record-payment.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';
import { type ClearanceWorld, clearanceWorld, historyIsAChain, officer, platform } from './support.js';

describe('recordDeclarationPayment', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('payments');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const pay = (id: string, amount: string, reference: string, principal = platform()) =>
    recordDeclarationPayment({ id, principal, request: { amount, currency: 'EUR', reference } }, world.deps);

  it('adds partial payments up and releases once everything due is paid, booking each in the ledger', async () => {
    // Prepare: EUR 8.77 due at import
    const { id } = await world.seed(anAssessedDeclaration());

    // Act
    const first = await pay(id, '5.00', 'P-1');
    const second = await pay(id, '3.77', 'P-2', officer());

    // Assess
    expect(first.created).toBe(true);
    expect(first.body.declaration).toMatchObject({ status: 'AWAITING_PAYMENT', amountDue: '3.77' });
    expect(second.body.declaration).toMatchObject({ status: 'RELEASED', amountDue: '0.00' });
    const stored = await world.store.getState(id);
    expect(stored?.history.at(-1)).toMatchObject({
      from: 'AWAITING_PAYMENT',
      to: 'RELEASED',
      by: 'officer-1',
    });
    const facts = await world.ledgerFacts(id);
    const collected = facts.flatMap((fact) => fact.entries as { kind: string; amount: unknown }[]);
    expect(collected.every((entry) => entry.kind === 'COLLECTED')).toBe(true);
    expect(collected.reduce((sum, entry) => sum.plus(String(entry.amount)), new Decimal(0)).toFixed(2)).toBe(
      '8.77',
    );
    expect(world.eventsOf(id).map((event) => event.detailType)).toEqual([
      'PaymentRecorded',
      'PaymentRecorded',
      'DeclarationReleased',
    ]);
  });

  it('answers the same reference again with the payment already recorded, writing nothing', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration());
    const first = await pay(id, '2.00', 'P-SAME');
    const version = (await world.store.getState(id))?.version;

    // Act
    const again = await pay(id, '2.00', 'P-SAME');
    const changed = await pay(id, '2.50', 'P-SAME').catch((error: unknown) => error);

    // Assess
    expect(again.created).toBe(false);
    expect(again.body.payment).toEqual(first.body.payment);
    expect(changed).toBeInstanceOf(ConflictError);
    expect((await world.store.getState(id))?.version).toBe(version);
    expect(await world.ledgerFacts(id)).toHaveLength(1);
  });

  it('refuses an overpayment, stating the amount due, and another platform sees nothing', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration());

    // Act
    const over = await pay(id, '8.78', 'P-OVER').catch((error: unknown) => error);
    const rival = await pay(id, '1.00', 'P-RIVAL', platform('rival')).catch((error: unknown) => error);

    // Assess
    expect(over).toBeInstanceOf(UnprocessableError);
    expect(over).toMatchObject({ details: { amountDue: '8.77', currency: 'EUR' } });
    expect(rival).toBeInstanceOf(NotFoundError);
  });

  it('loses no payment when many are recorded at the same moment', async () => {
    // Prepare: six payments that together pay exactly what is due
    const { id } = await world.seed(anAssessedDeclaration());
    const amounts = ['1.00', '1.00', '1.00', '1.00', '1.00', '3.77'];

    // Act
    const results = await Promise.allSettled(
      amounts.map((amount, index) => pay(id, amount, `P-RACE-${index}`)),
    );

    // Assess
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.map((result) => (result as PromiseRejectedResult).reason)).toEqual([]);
    const stored = await world.store.getState(id);
    expect(stored?.payments.map((payment) => payment.reference).sort()).toEqual(
      amounts.map((_, index) => `P-RACE-${index}`).sort(),
    );
    expect(stored?.status).toBe('RELEASED');
    expect(stored?.history.filter((entry) => entry.to === 'RELEASED')).toHaveLength(1);
    expect(historyIsAChain(stored?.history ?? [])).toBe(true);
    expect(stored?.version).toBe(amounts.length);
    expect(await world.ledgerFacts(id)).toHaveLength(amounts.length);
    expect(world.eventsOf(id).filter((event) => event.detailType === 'DeclarationReleased')).toHaveLength(1);
  });

  it('reports a version conflict rather than overwrite when the races never end', async () => {
    // Prepare: a store whose every save loses the race
    const { id } = await world.seed(anAssessedDeclaration());
    let saves = 0;
    const store = {
      ...world.store,
      save: async () => {
        saves += 1;
        throw new VersionConflictError(id);
      },
    };

    // Act
    const payment = await recordDeclarationPayment(
      { id, principal: platform(), request: { amount: '1.00', currency: 'EUR', reference: 'P-LOST' } },
      { ...world.deps, store, backoff: async () => undefined },
    ).catch((error: unknown) => error);

    // Assess
    expect(payment).toBeInstanceOf(VersionConflictError);
    expect(saves).toBe(10);
    expect((await world.store.getState(id))?.payments).toEqual([]);
  });
});
