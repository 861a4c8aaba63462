import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/domain/errors.js';
import { Decimal } from '../../../shared/domain/money.js';
import { recordDeclarationPayment } from '../../../shared/use-cases/record-payment.js';
import { returnDeclarationGoods } from '../../../shared/use-cases/return-goods.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';
import { anItem } from '../../fixtures/declarations.js';
import { type ClearanceWorld, clearanceWorld, platform } from './support.js';

describe('returnDeclarationGoods', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('returns');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const returns = (id: string, request: Parameters<typeof returnDeclarationGoods>[0]['request']) =>
    returnDeclarationGoods({ id, principal: platform(), request }, world.deps);

  /** A paid and released consignment of two T-shirt lines worth 15.00 and 5.00. */
  const releasedConsignment = async () => {
    const stored = await world.seed(
      anAssessedDeclaration({
        declaration: {
          items: [anItem({ value: '15.00' }), anItem({ value: '5.00', description: "women's T-shirt" })],
        },
      }),
    );
    await recordDeclarationPayment(
      {
        id: stored.id,
        principal: platform(),
        request: { amount: '8.77', currency: 'EUR', reference: 'PAID' },
      },
      world.deps,
    );
    return stored.id;
  };

  const refundedEntries = async (id: string) =>
    (await world.ledgerFacts(id))
      .flatMap((fact) => fact.entries as { kind: string; taxCode: string; amount: unknown }[])
      .filter((entry) => entry.kind === 'REFUNDED');

  it('refunds the returned line, books REFUNDED entries with it, and the rest on the second return', async () => {
    // Prepare
    const id = await releasedConsignment();

    // Act
    const first = await returns(id, { reason: 'Returned', items: [1], reference: 'RMA-1' });
    const again = await returns(id, { reason: 'Returned', items: [1], reference: 'RMA-1' });
    const rest = await returns(id, { reason: 'Returned', reference: 'RMA-2' });

    // Assess: line 1 is a quarter of the value
    expect(first.created).toBe(true);
    expect(first.body.refund).toMatchObject({ items: [1], amount: '2.19' });
    expect(first.body.refund.lines).toEqual([
      { kind: 'DUTY', code: 'EU_FLAT_DUTY', hsCode: '610910', amount: '0.75' },
      { kind: 'TAX', code: 'VAT', amount: '1.44' },
    ]);
    expect(again.created).toBe(false);
    expect(again.body.refund).toEqual(first.body.refund);
    expect(rest.body.refund).toMatchObject({ items: [0], amount: '6.58' });
    const entries = await refundedEntries(id);
    expect(entries.reduce((sum, entry) => sum.plus(String(entry.amount)), new Decimal(0)).toFixed(2)).toBe(
      '8.77',
    );
    expect(world.eventsOf(id).filter((event) => event.detailType === 'RefundIssued')).toHaveLength(3);
  });

  it('refuses a return before release, naming the status', async () => {
    // Prepare: still awaiting payment
    const { id } = await world.seed(anAssessedDeclaration());

    // Act
    const early = await returns(id, { reason: 'Refused', reference: 'RMA-EARLY' }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(early).toBeInstanceOf(ConflictError);
    expect(early).toMatchObject({ details: { currentStatus: 'AWAITING_PAYMENT' } });
    expect(await refundedEntries(id)).toEqual([]);
  });

  it('records both of two returns of different lines made at the same moment', async () => {
    // Prepare
    const id = await releasedConsignment();

    // Act
    const results = await Promise.allSettled([
      returns(id, { reason: 'Returned', items: [0], reference: 'RMA-A' }),
      returns(id, { reason: 'Returned', items: [1], reference: 'RMA-B' }),
    ]);

    // Assess
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const stored = await world.store.getState(id);
    expect(stored?.refunds?.map((refund) => refund.reference).sort()).toEqual(['RMA-A', 'RMA-B']);
    const total = (stored?.refunds ?? []).reduce((sum, refund) => sum.plus(refund.amount), new Decimal(0));
    expect(total.toFixed(2)).toBe('8.77');
  });
});
