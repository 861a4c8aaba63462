// The revenue ledger as the clearance actions use it: the COLLECTED entries of a payment, the REFUNDED
// entries of a refund (one per duty or tax code of its lines) and the release-time observation of a
// declaration an action released, each as writes for the transaction that stores the new state.
import type { CountryPack } from '../countries/types.js';
import { type AnnualUsage, annualUsageOf } from '../domain/duty/assess.js';
import { rulesOn } from '../domain/duty/rules.js';
import {
  extinguishmentEffects,
  ledgerEntriesForPayment,
  ledgerEntriesForRefund,
  refundFactOf,
  releaseTimeDelta,
} from '../domain/ledger/ledger.js';
import type { LedgerPort } from '../use-cases/clearance-command.js';
import type { TransactionWrite } from './declaration-store.js';
import { ledgerWrites } from './ledger-store.js';

export const refundFact = refundFactOf;

/** Said of a pack that names no law of its own for the end of a debt. */
const NO_PACK_BASIS =
  'The declaration was withdrawn, refused or the goods seized before release: nothing is imported';

export const clearanceLedger = (
  table: string,
  pack: CountryPack,
  annual: AnnualRelease = () => [],
): LedgerPort => ({
  forPayment: (record, declaration, payment) =>
    ledgerWrites(table, ledgerEntriesForPayment(record, declaration, payment)),
  forRefund: (record, declaration, refund) =>
    ledgerWrites(table, ledgerEntriesForRefund(record, declaration, refundFact(refund))),
  forRelease: (record) => ledgerWrites(table, [], releaseTimeDelta(record)),
  forExtinguishment: async (record, declaration, at) => {
    const { entries, deltas } = extinguishmentEffects(record, declaration, pack, at);
    const usage = record.assessment ? annualUsageOf(declaration, record.assessment, pack) : undefined;
    return [...ledgerWrites(table, entries, deltas), ...(usage ? await annual(usage) : [])];
  },
  debtLegalBasis: (record) =>
    (record.assessment && rulesOn(pack, record.assessment.importDate).debtExtinguishment) || NO_PACK_BASIS,
});

/** The write that gives a consignee's annual allowance back (CN): what a consignment had counted. */
export type AnnualRelease = (usage: AnnualUsage) => Promise<TransactionWrite[]> | TransactionWrite[];
