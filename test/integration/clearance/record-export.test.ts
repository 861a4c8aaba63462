// An officer's export of one declaration's whole record for an audit (issue 17 item 11): what the
// declaration store holds, risk with the officer-only facts, and the ledger entries exactly as the ledger
// table booked them (payments and the end of the debt here, read back from DynamoDB Local).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/domain/caller.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { cancelDeclaration } from '../../../shared/use-cases/cancel-declaration.js';
import { exportRecord } from '../../../shared/use-cases/export-record.js';
import { recordDeclarationPayment } from '../../../shared/use-cases/record-payment.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';
import { type ClearanceWorld, clearanceWorld, officer, platform } from './support.js';

describe('exportRecord', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('record-export');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const admin: Principal = { role: 'admin', subject: 'admin-1' };

  it('exports body, history, full risk, payments and the ledger entries the ledger table holds', async () => {
    // Prepare: a risk hit with an officer-only reason (a GREEN lane: no check to close), EUR 8.77 due, EUR 5.00 paid, then cancelled
    const { id } = await world.seed(anAssessedDeclaration({ hits: ['BUILTIN-VAGUE-DESCRIPTION'] }));
    await recordDeclarationPayment(
      { id, principal: platform(), request: { amount: '5.00', currency: 'EUR', reference: 'PAY-1' } },
      world.deps,
    );
    await cancelDeclaration({ id, principal: platform(), reason: 'Order cancelled' }, world.deps);
    const stored = await world.store.get(id);

    // Act
    const record = await exportRecord({ id, principal: officer() }, world.deps);

    // Assess: the stored record in full
    expect(record.declaration).toEqual(stored?.declaration);
    expect(record.history.map((step) => step.to)).toEqual([
      'RECEIVED',
      'ASSESSED',
      'AWAITING_PAYMENT',
      'CANCELLED',
    ]);
    expect(record.payments).toHaveLength(1);
    expect(record.risk).toMatchObject({
      lane: 'GREEN',
      score: 20,
      hits: [{ profileId: 'BUILTIN-VAGUE-DESCRIPTION', reason: 'BUILTIN-VAGUE-DESCRIPTION hit', score: 20 }],
    });
    expect(record.assessment).toEqual(stored?.assessment);
    expect(record.decision).toBeNull();
    expect(record.refunds).toEqual([]);
    // The ledger: every entry booked in the table is in the export, with the same id and amount. The
    // seeded assessment was written without its ledger fact, so ASSESSED entries are compared to the
    // assessment itself.
    const booked = (await world.ledgerFacts(id)).flatMap((fact) =>
      fact.entries.map((entry) => ({
        id: entry.id,
        kind: entry.kind,
        taxCode: entry.taxCode,
        currency: entry.currency,
        amount: String(entry.amount),
      })),
    );
    expect(booked.map((entry) => entry.kind).sort()).toEqual([
      'COLLECTED',
      'COLLECTED',
      'EXTINGUISHED',
      'REFUNDED',
      'REFUNDED',
    ]);
    const exported = record.ledgerEntries.map(({ id: entryId, kind, taxCode, currency, amount }) => ({
      id: entryId,
      kind,
      taxCode,
      currency,
      amount,
    }));
    expect(exported.filter((entry) => entry.kind !== 'ASSESSED')).toEqual(expect.arrayContaining(booked));
    expect(exported.filter((entry) => entry.kind !== 'ASSESSED')).toHaveLength(booked.length);
    expect(exported.filter((entry) => entry.kind === 'ASSESSED')).toEqual([
      {
        id: `${id}#ASSESSED#EU_FLAT_DUTY#EUR`,
        kind: 'ASSESSED',
        taxCode: 'EU_FLAT_DUTY',
        currency: 'EUR',
        amount: '3',
      },
      { id: `${id}#ASSESSED#VAT#EUR`, kind: 'ASSESSED', taxCode: 'VAT', currency: 'EUR', amount: '5.77' },
    ]);
  });

  it('lets an admin export too, and answers an unknown id with not found', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration());

    // Act
    const record = await exportRecord({ id, principal: admin }, world.deps);
    const missing = await exportRecord(
      { id: 'dcl_00000000000000000000000000', principal: officer() },
      world.deps,
    ).catch((error: unknown) => error);

    // Assess
    expect(record.id).toBe(id);
    expect(record.ledgerEntries.every((entry) => entry.kind === 'ASSESSED')).toBe(true);
    expect(missing).toBeInstanceOf(NotFoundError);
  });
});
