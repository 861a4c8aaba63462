// What an assessment or the end of a debt causes in the ledger table as a whole: the ledger entries with
// the aggregate cells they change, and the DebtExtinguished event.
import type { CountryPack } from '../../countries/types.js';
import type { DeclarationRecord } from '../clearance/record.js';
import { type DomainEvent, domainEvent, eventBase } from '../events.js';
import { Decimal, unitDigits } from '../money.js';
import { assessedQualityDelta } from '../quality/data-quality.js';
import type { AggregateDelta } from './aggregates.js';
import {
  assessedAt,
  dayOf,
  type LedgerEntry,
  type LedgerKind,
  ledgerEntriesForAssessment,
  ledgerEntriesForExtinguishment,
} from './entries.js';
import { AGGREGATE_SHARDS, shardOf } from './keys.js';
import { type StatisticsDeclaration, statisticsDeltaFor } from './statistics.js';

const ZERO = new Decimal(0);

/**
 * Everything an assessment causes in the ledger table: its ledger entries (whose revenue cells the
 * store derives) and its statistics cells, including the release time when it was released at once.
 */
export const assessmentEffects = (
  record: DeclarationRecord,
  declaration: StatisticsDeclaration,
  pack: CountryPack,
  shards: number = AGGREGATE_SHARDS,
): { entries: LedgerEntry[]; deltas: AggregateDelta[] } => ({
  entries: ledgerEntriesForAssessment(record, declaration),
  deltas: [
    ...statisticsDeltaFor(record, declaration, pack, shards),
    ...(record.assessment || record.status === 'REJECTED'
      ? [assessedQualityDelta(record, declaration, dayOf(assessedAt(record)), shardOf(record.id, shards))]
      : []),
  ],
});

/**
 * Everything ending an assessed declaration's debt causes in the ledger table: its EXTINGUISHED and
 * REFUNDED entries, and the statistics cells its assessment added, taken back on the day they were
 * added, so statistics no longer count a consignment that was never imported.
 */
export const extinguishmentEffects = (
  record: DeclarationRecord,
  declaration: StatisticsDeclaration,
  pack: CountryPack,
  at: string,
  shards: number = AGGREGATE_SHARDS,
): { entries: LedgerEntry[]; deltas: AggregateDelta[] } => {
  // The cells as the assessment wrote them: the status it had then (never RELEASED, never REJECTED).
  const asAssessed: DeclarationRecord = { ...record, status: 'ASSESSED' };
  const added = statisticsDeltaFor(asAssessed, declaration, pack, shards);
  return {
    entries: ledgerEntriesForExtinguishment(record, declaration, at),
    deltas: added.map((delta) => ({
      ...delta,
      add: Object.fromEntries(Object.entries(delta.add).map(([name, value]) => [name, value.negated()])),
    })),
  };
};

/**
 * The DebtExtinguished event of an extinguishment: what ended unpaid and what goes back, in the
 * assessment's currency, with the law that ends the debt.
 */
export const debtExtinguishedEvent = (
  record: DeclarationRecord,
  entries: readonly LedgerEntry[],
  at: string,
  legalBasis: string,
): DomainEvent<'DebtExtinguished'> => {
  const currency = record.assessment?.currency ?? '';
  const total = (kind: LedgerKind) =>
    entries
      .filter((made) => made.kind === kind && made.currency === currency)
      .reduce((sum, made) => sum.plus(made.amount), ZERO)
      .toFixed(unitDigits(currency));
  return domainEvent('DebtExtinguished', {
    ...eventBase(record, at),
    currency,
    extinguished: total('EXTINGUISHED'),
    refunded: total('REFUNDED'),
    legalBasis,
  });
};
