// The ledger entries a declaration's record has booked, rebuilt for the officer's export: one per code of
// the assessment, of each payment, of each refund and of the end of the debt, with the ids they were
// booked under.
import { describe, expect, it } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { extinguishedAt, ledgerEntriesOfRecord } from '../../../shared/domain/ledger/entries.js';
import { anAssessedRecord, aPayment } from './support.js';

const declaration = { collectionModel: 'CONSUMER_AT_IMPORT' as const };
const summary = (record: DeclarationRecord) =>
  ledgerEntriesOfRecord(record, declaration).map((entry) => [entry.id, entry.fact, entry.amount, entry.at]);

describe('ledgerEntriesOfRecord', () => {
  it('rebuilds the assessment, each payment and each refund of a released declaration', () => {
    // Prepare: EUR 8.88 due (3.00 duty, 5.88 VAT), paid in full, 2.00 VAT refunded
    const record: DeclarationRecord = {
      ...anAssessedRecord({ status: 'RELEASED', payments: [aPayment('P-1', '8.88')] }),
      refunds: [
        {
          id: 'R-1',
          reference: 'RMA-1',
          reason: 'Returned',
          items: [0],
          amount: '2.00',
          currency: 'EUR',
          lines: [{ kind: 'TAX', code: 'VAT', amount: '2.00' }],
          requestedBy: 'acme',
          requestedAt: '2026-07-09T12:00:00.000Z',
        },
      ],
    };

    // Act
    const entries = summary(record);

    // Assess
    expect(entries).toEqual([
      ['dcl_1#ASSESSED#DUTY#EUR', 'ASSESSMENT', '3', '2026-07-01T10:00:02.000Z'],
      ['dcl_1#ASSESSED#VAT#EUR', 'ASSESSMENT', '5.88', '2026-07-01T10:00:02.000Z'],
      ['dcl_1#COLLECTED#P-1#DUTY', 'PAYMENT#P-1', '3', '2026-07-02T09:00:00.000Z'],
      ['dcl_1#COLLECTED#P-1#VAT', 'PAYMENT#P-1', '5.88', '2026-07-02T09:00:00.000Z'],
      ['dcl_1#REFUNDED#R-1#VAT', 'REFUND#R-1', '2', '2026-07-09T12:00:00.000Z'],
    ]);
    expect(extinguishedAt(record)).toBeUndefined();
  });

  it('adds the end of the debt, at the time of the step that ended it, once', () => {
    // Prepare: EUR 5.00 paid, then cancelled
    const assessed = anAssessedRecord({ payments: [aPayment('P-1', '5.00')] });
    const cancelledAt = '2026-07-03T08:00:00.000Z';
    const record: DeclarationRecord = {
      ...assessed,
      status: 'CANCELLED',
      history: [
        ...assessed.history,
        { at: cancelledAt, from: 'AWAITING_PAYMENT', to: 'CANCELLED', by: 'acme', reason: 'Order cancelled' },
      ],
    };

    // Act
    const entries = summary(record).filter(([, fact]) => fact === 'EXTINGUISHMENT');

    // Assess: 3.88 VAT unpaid ends; the 3.00 duty and 2.00 VAT paid go back
    expect(extinguishedAt(record)).toBe(cancelledAt);
    expect(entries).toEqual([
      ['dcl_1#EXTINGUISHED#VAT#EUR', 'EXTINGUISHMENT', '3.88', cancelledAt],
      ['dcl_1#REFUNDED#EXTINGUISHMENT#DUTY#EUR', 'EXTINGUISHMENT', '3', cancelledAt],
      ['dcl_1#REFUNDED#EXTINGUISHMENT#VAT#EUR', 'EXTINGUISHMENT', '2', cancelledAt],
    ]);
  });

  it('books nothing for a declaration never assessed', () => {
    // Prepare
    const { assessment: _assessment, ...record } = anAssessedRecord({ status: 'HELD' });

    // Act / Assess
    expect(ledgerEntriesOfRecord({ ...record, status: 'CANCELLED' }, declaration)).toEqual([]);
  });
});
