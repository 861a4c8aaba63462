// The revenue ledger as the clearance actions use it: the COLLECTED entries of a payment, the REFUNDED
// entries of a refund (one per duty or tax code of its lines) and the release-time observation of a
// declaration an action released, each as writes for the transaction that stores the new state.
import type { Refund } from '../domain/clearance/record.js';
import {
  ledgerEntriesForPayment,
  ledgerEntriesForRefund,
  type RefundFact,
  releaseTimeDelta,
} from '../domain/ledger/ledger.js';
import type { LedgerPort } from '../use-cases/clearance-command.js';
import { ledgerWrites } from './ledger-store.js';

export const refundFact = (refund: Refund): RefundFact => ({
  id: refund.id,
  amount: refund.amount,
  currency: refund.currency,
  recordedAt: refund.requestedAt,
  lines: refund.lines.map((line) => ({ taxCode: line.code, amount: line.amount })),
});

export const clearanceLedger = (table: string): LedgerPort => ({
  forPayment: (record, declaration, payment) =>
    ledgerWrites(table, ledgerEntriesForPayment(record, declaration, payment)),
  forRefund: (record, declaration, refund) =>
    ledgerWrites(table, ledgerEntriesForRefund(record, declaration, refundFact(refund))),
  forRelease: (record) => ledgerWrites(table, [], releaseTimeDelta(record)),
});
