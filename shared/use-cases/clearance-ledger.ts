// The revenue ledger as the clearance actions use it: the COLLECTED entries of a payment, the REFUNDED
// entries of a refund (one per duty or tax code of its lines), the release-time observation of a
// declaration an action released, and what ends with a debt, each as effects stored with the new state.
import type { CountryPack } from '../countries/types.js';
import { annualUsageOf } from '../domain/duty/assess.js';
import { rulesOn } from '../domain/duty/rules.js';
import { extinguishmentEffects } from '../domain/ledger/effects.js';
import { ledgerEntriesForPayment, ledgerEntriesForRefund, refundFactOf } from '../domain/ledger/entries.js';
import { releaseTimeDelta } from '../domain/ledger/release-time.js';
import type { LedgerPort } from './clearance-command.js';

/** Said of a pack that names no law of its own for the end of a debt. */
const NO_PACK_BASIS =
  'The declaration was withdrawn, refused or the goods seized before release: nothing is imported';

export const clearanceLedger = (pack: CountryPack): LedgerPort => ({
  forPayment: (record, declaration, payment) => [
    { kind: 'LEDGER', entries: ledgerEntriesForPayment(record, declaration, payment) },
  ],
  forRefund: (record, declaration, refund) => [
    { kind: 'LEDGER', entries: ledgerEntriesForRefund(record, declaration, refundFactOf(refund)) },
  ],
  forRelease: (record) => [{ kind: 'LEDGER', entries: [], deltas: releaseTimeDelta(record) }],
  forExtinguishment: (record, declaration, at) => {
    const { entries, deltas } = extinguishmentEffects(record, declaration, pack, at);
    const usage = record.assessment ? annualUsageOf(declaration, record.assessment, pack) : undefined;
    return [
      { kind: 'LEDGER', entries, deltas },
      ...(usage ? [{ kind: 'ANNUAL_ALLOWANCE_RELEASED' as const, usage }] : []),
    ];
  },
  debtLegalBasis: (record) =>
    (record.assessment && rulesOn(pack, record.assessment.importDate).debtExtinguishment) || NO_PACK_BASIS,
});
