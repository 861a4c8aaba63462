// The revenue ledger and the aggregates it feeds (DESIGN.md section 6). Pure: the ledger entries a fact
// books (an assessment, a payment, a refund), the aggregate cells those facts change, pre-summing, and
// the keys under which both are stored in the ledger table.
//
// Storage layout (ledger table, pk/sk):
//   FACTS#<day>#<shard>    / <digest>             the facts one transaction booked (each with its declaration
//                                                   and entries), named by a digest of their ids; written once
//                                                   (attribute_not_exists) in the transaction of the state
//                                                   changes that cause them, so a redelivery books nothing
//   LEDGER#<declarationId> / FACT#PART#<n>         marker of an overflow part of a very large declaration
//   REV#<day>#<shard>      / <platform>#<model>#<payer>#<currency>
//                                                   revenue cell; measures "<A|K|C|R>:<taxCode>"
//   STAT#<day>#<shard>     / C#<origin>#<chapter>#<channel>#<lane>#<model>#<band>
//                                                   statistics cell (plus release-time buckets h<i>)
//   STAT#<day>#<shard>     / RT#<lane>             release-time histogram of releases after assessment
//   DQ#<day>#<shard>       / F#<filer>             data quality of a filer's assessed declarations
//                                                   (shared/domain/quality/data-quality.ts)
// The shard (0..AGGREGATE_SHARDS-1) is a hash of a declaration id: a day's cells are spread over that
// many partitions, and readers sum the shards. A transaction moves all its updates to one shard (that of
// its first update), so a batch of declarations adds to one cell per key instead of one per shard.
import type { CountryPack } from '../../countries/types.js';
import type { DeclarationRecord, Lane, Payment, Refund } from '../clearance/record.js';
import type { Channel, CollectionModel, Declaration } from '../declaration/declaration.js';
import { type Assessment, type Payer, payerOfCode } from '../duty/assessment.js';
import { valueBand } from '../duty/public-rules.js';
import { rulesOn } from '../duty/rules.js';
import { type DomainEvent, domainEvent, eventBase } from '../events.js';
import {
  apportion,
  Decimal,
  decimalPlaces,
  fromMinorUnits,
  minorUnitDigits,
  toMinorUnits,
} from '../money.js';
import { assessedQualityDelta } from '../quality/data-quality.js';

export const LEDGER_KINDS = [
  'ASSESSED',
  'CHECKOUT_DECLARED',
  'COLLECTED',
  'REFUNDED',
  'EXTINGUISHED',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * Partitions a day's aggregates are spread over. At a peak of 3,300 declarations/s the statistics cells
 * take about 2.1 WCU per declaration even pre-summed (a transactional update of a small item costs 2 WCU),
 * 6,900 WCU/s a day; a partition takes 1,000 WCU/s, and 16 shards keep each under half of it
 * (bench/scale-model.ts). Readers sum every shard.
 */
export const AGGREGATE_SHARDS = 16;

/** Tax code of a payment or refund that cannot be attributed to an assessed code (other currency). */
export const UNALLOCATED = 'UNALLOCATED';

/** One ledger entry: an amount of one kind, for one declaration, tax code and currency. */
export interface LedgerEntry {
  /**
   * Deterministic id: `<declarationId>#ASSESSED#<taxCode>#<currency>`,
   * `<declarationId>#CHECKOUT_DECLARED#<taxCode>#<currency>`, `<declarationId>#COLLECTED#<paymentId>#<taxCode>`,
   * `<declarationId>#REFUNDED#<refundId>#<taxCode>`, `<declarationId>#EXTINGUISHED#<taxCode>#<currency>`
   * (and `<declarationId>#REFUNDED#EXTINGUISHMENT#<taxCode>` for what was paid before the debt ended).
   */
  id: string;
  /** The fact that booked it; the entries of one fact are stored (once) as one item. */
  fact: string;
  declarationId: string;
  platformId: string;
  kind: LedgerKind;
  /** A tax code (VAT, GST, ...), a duty code (e.g. DUTY, FLAT_DUTY) or a fee code. */
  taxCode: string;
  currency: string;
  /** Positive decimal string. */
  amount: string;
  /** When the fact happened (ISO 8601 UTC); its date is the entry's day. */
  at: string;
  collectionModel: CollectionModel;
  payer: Payer;
}

/** A refund of duty or tax collected (returned goods, refunded order). */
export interface RefundFact {
  id: string;
  amount: string;
  currency: string;
  recordedAt: string;
  /** How the refund splits over tax codes; when absent it is spread over what was collected. */
  lines?: { taxCode: string; amount: string }[];
}

/** Numbers to add to one aggregate item (UpdateItem ADD); counts are whole numbers, money exact decimals. */
export interface AggregateDelta {
  pk: string;
  sk: string;
  add: Record<string, Decimal>;
}

/** What the declaration needs to carry for ledger and statistics: the lodged body's relevant fields. */
export type LedgerDeclaration = Pick<Declaration, 'collectionModel'>;
export type StatisticsDeclaration = Pick<Declaration, 'collectionModel' | 'channel' | 'items'>;

// ---------------------------------------------------------------------------------------------------
// Keys

/** 32-bit FNV-1a of a string: a stable, well-spread hash for choosing shards. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
};

/** The shard of a declaration's aggregate updates: the same for every fact of that declaration. */
export const shardOf = (declarationId: string, shards: number = AGGREGATE_SHARDS): number =>
  fnv1a(declarationId) % shards;

/** The partition of the facts booked on a day: sharded like the aggregates, as busy as they are. */
export const factsPartition = (day: string, shard: number): string => `FACTS#${day}#${shard}`;

/** The id of a fact: unique per declaration. */
export const factId = (entry: Pick<LedgerEntry, 'declarationId' | 'fact'>): string =>
  `${entry.declarationId}#${entry.fact}`;

export const ledgerFactKey = (declarationId: string, fact: string) => ({
  pk: `LEDGER#${declarationId}`,
  sk: `FACT#${fact}`,
});

export const revenuePartition = (day: string, shard: number): string => `REV#${day}#${shard}`;
export const statisticsPartition = (day: string, shard: number): string => `STAT#${day}#${shard}`;

export interface RevenueCellKey {
  day: string;
  platformId: string;
  collectionModel: CollectionModel;
  payer: Payer;
  currency: string;
}

export const revenueSortKey = (key: Omit<RevenueCellKey, 'day'>): string =>
  `${key.platformId}#${key.collectionModel}#${key.payer}#${key.currency}`;

/** Reads a revenue cell's key back; the platform id is whatever precedes the last three parts. */
export const parseRevenueKey = (pk: string, sk: string): RevenueCellKey | undefined => {
  const day = /^REV#(\d{4}-\d{2}-\d{2})#\d+$/.exec(pk)?.[1];
  const parts = sk.split('#');
  if (!day || parts.length < 4) return undefined;
  const [collectionModel, payer, currency] = parts.slice(-3) as [CollectionModel, Payer, string];
  return { day, platformId: parts.slice(0, -3).join('#'), collectionModel, payer, currency };
};

export interface StatisticsCellKey {
  day: string;
  originCountry: string;
  hsChapter: string;
  channel: Channel;
  lane: Lane;
  collectionModel: CollectionModel;
  valueBand: string;
}

export const statisticsSortKey = (key: Omit<StatisticsCellKey, 'day'>): string =>
  `C#${key.originCountry}#${key.hsChapter}#${key.channel}#${key.lane}#${key.collectionModel}#${key.valueBand}`;

export const releaseTimeSortKey = (lane: Lane): string => `RT#${lane}`;

export type StatisticsItemKey =
  | ({ kind: 'cell' } & StatisticsCellKey)
  | { kind: 'releaseTime'; day: string; lane: Lane };

export const parseStatisticsKey = (pk: string, sk: string): StatisticsItemKey | undefined => {
  const day = /^STAT#(\d{4}-\d{2}-\d{2})#\d+$/.exec(pk)?.[1];
  if (!day) return undefined;
  const parts = sk.split('#');
  if (parts[0] === 'RT' && parts.length === 2) return { kind: 'releaseTime', day, lane: parts[1] as Lane };
  if (parts[0] !== 'C' || parts.length !== 7) return undefined;
  const [, originCountry, hsChapter, channel, lane, collectionModel, band] = parts as string[];
  return {
    kind: 'cell',
    day,
    originCountry: originCountry ?? '',
    hsChapter: hsChapter ?? '',
    channel: channel as Channel,
    lane: lane as Lane,
    collectionModel: collectionModel as CollectionModel,
    valueBand: band ?? '',
  };
};

/**
 * Revenue measure attributes: `A:` assessed due at import, `K:` declared at checkout, `C:` collected,
 * `R:` refunded, `X:` extinguished.
 */
export const MEASURE_PREFIX: Record<LedgerKind, string> = {
  ASSESSED: 'A',
  CHECKOUT_DECLARED: 'K',
  COLLECTED: 'C',
  REFUNDED: 'R',
  EXTINGUISHED: 'X',
};

const KIND_OF_PREFIX: Record<string, LedgerKind> = Object.fromEntries(
  Object.entries(MEASURE_PREFIX).map(([kind, prefix]) => [prefix, kind as LedgerKind]),
);

export const measureAttribute = (kind: LedgerKind, taxCode: string): string =>
  `${MEASURE_PREFIX[kind]}:${taxCode}`;

export const parseMeasureAttribute = (name: string): { kind: LedgerKind; taxCode: string } | undefined => {
  const kind = KIND_OF_PREFIX[name.slice(0, 1)];
  if (!kind || name[1] !== ':') return undefined;
  return { kind, taxCode: name.slice(2) };
};

/** Statistics cell measures. */
export const STAT = {
  /** Consignments with a line in this (origin, chapter) pair. */
  consignmentsPair: 'cPair',
  /** 1 on the first cell of each origin of a consignment: distinct consignments per origin. */
  consignmentsOrigin: 'cOrigin',
  /** 1 on the first cell of each chapter of a consignment: distinct consignments per chapter. */
  consignmentsChapter: 'cChapter',
  /** 1 on a consignment's first cell: distinct consignments. */
  consignmentsAll: 'cAll',
  items: 'items',
  quantity: 'quantity',
  value: 'value',
  duty: 'duty',
  tax: 'tax',
} as const;

/**
 * Per-filer shares of a statistics cell, kept so published figures can leave out a cell one filer
 * dominates: `F:<filer>` counts the filer's consignments like `cPair`, `FV:<filer>` sums its value.
 * They stay inside the ledger table; no view shows them.
 */
export const FILER_CONSIGNMENTS_PREFIX = 'F:';
export const FILER_VALUE_PREFIX = 'FV:';

// ---------------------------------------------------------------------------------------------------
// Release-time histogram: log-spaced buckets, four per doubling (each bound 19% above the last).

export const BUCKETS_PER_DOUBLING = 4;
const HISTOGRAM_PREFIX = 'h';

/** Upper bound (inclusive) of bucket `index`, in ms. */
export const bucketUpperBoundMs = (index: number): number => 2 ** (index / BUCKETS_PER_DOUBLING);

/** The bucket a duration falls in: the smallest index whose upper bound holds it. */
export const releaseBucket = (ms: number): number => {
  if (!(ms > 1)) return 0;
  let index = Math.ceil(Math.log2(ms) * BUCKETS_PER_DOUBLING);
  while (bucketUpperBoundMs(index) < ms) index += 1;
  while (index > 0 && bucketUpperBoundMs(index - 1) >= ms) index -= 1;
  return index;
};

export const histogramAttribute = (index: number): string => `${HISTOGRAM_PREFIX}${index}`;

export const parseHistogramAttribute = (name: string): number | undefined =>
  /^h\d+$/.test(name) ? Number(name.slice(1)) : undefined;

/**
 * The `p`-quantile (0 < p <= 1) of a histogram, as the upper bound of the bucket the rank falls in
 * (an estimate at most 19% above the true value), rounded to whole ms.
 */
export const histogramQuantile = (buckets: ReadonlyMap<number, number>, p: number): number | undefined => {
  const ordered = [...buckets].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = ordered.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [index, count] of ordered) {
    seen += count;
    if (seen >= rank) return Math.round(bucketUpperBoundMs(index));
  }
  return Math.round(bucketUpperBoundMs(ordered.at(-1)?.[0] ?? 0));
};

// ---------------------------------------------------------------------------------------------------
// Exact allocation

const ZERO = new Decimal(0);

const unitDigits = (currency: string, ...amounts: (string | Decimal)[]): number => {
  let digits = 0;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    digits = 2;
  }
  for (const amount of amounts) digits = Math.max(digits, decimalPlaces(new Decimal(amount).toFixed()));
  return digits;
};

/**
 * Splits `total` over `weights` in proportion, in steps of 10^-digits, by largest remainder (`apportion`):
 * the parts always add up to `total` exactly. With no positive weight everything goes to the first part.
 */
export const allocate = (total: Decimal, weights: readonly Decimal[], digits: number): Decimal[] => {
  if (weights.length === 0) return [];
  // A negative total splits as its mirror image: apportioning counts whole units, never debts.
  if (total.isNegative()) return allocate(total.negated(), weights, digits).map((part) => part.negated());
  const counted = weights.map((weight) => (weight.greaterThan(0) ? weight : ZERO));
  if (counted.every((weight) => weight.isZero()))
    return weights.map((_, index) => (index === 0 ? total : ZERO));
  // Weights as whole numbers at their finest decimal: proportions are unchanged.
  const weightDigits = Math.max(...counted.map((weight) => weight.decimalPlaces()));
  const units = apportion(
    toMinorUnits(total.toDecimalPlaces(digits, Decimal.ROUND_DOWN), digits),
    counted.map((weight) => toMinorUnits(weight, weightDigits)),
  );
  const parts = units.map((part) => fromMinorUnits(part, digits));
  // What lies below the unit (only when `total` is finer than the unit) stays with the first part.
  const rest = total.minus(parts.reduce<Decimal>((acc, value) => acc.plus(value), ZERO));
  if (!rest.isZero()) parts[0] = (parts[0] ?? ZERO).plus(rest);
  return parts;
};

// ---------------------------------------------------------------------------------------------------
// Ledger entries from facts

const addTo = (map: Map<string, Decimal>, code: string, amount: string | Decimal) =>
  map.set(code, (map.get(code) ?? ZERO).plus(amount));

const positive = (map: Map<string, Decimal>): [string, Decimal][] =>
  [...map].filter(([, amount]) => amount.greaterThan(0));

/** Amounts due at import per code, in assessment order: duties, taxes not collected at checkout, fees. */
export const dueAtImportByCode = (assessment: Assessment): [string, Decimal][] => {
  const due = new Map<string, Decimal>();
  for (const line of assessment.duties) addTo(due, line.code, line.amount);
  for (const line of assessment.taxes) if (!line.collectedAtCheckout) addTo(due, line.code, line.amount);
  for (const line of assessment.fees) addTo(due, line.code, line.amount);
  return positive(due);
};

/** What the assessment's payer pays at import per code: the codes the declarant owes are on its account. */
const payableAtImportByCode = (assessment: Assessment): [string, Decimal][] =>
  dueAtImportByCode(assessment).filter(([code]) => payerOfCode(assessment, code) === assessment.payer);

/** Amounts collected at checkout under a scheme, per tax code. */
export const collectedAtCheckoutByCode = (assessment: Assessment): [string, Decimal][] => {
  const checkout = new Map<string, Decimal>();
  for (const line of assessment.taxes) if (line.collectedAtCheckout) addTo(checkout, line.code, line.amount);
  return positive(checkout);
};

const firstAt = (record: DeclarationRecord, status: string): string | undefined =>
  record.history.find((entry) => entry.to === status)?.at;

/** When the declaration was assessed: its first transition to ASSESSED (or REJECTED by the duty step). */
export const assessedAt = (record: DeclarationRecord): string =>
  firstAt(record, 'ASSESSED') ?? firstAt(record, 'REJECTED') ?? record.updatedAt;

export const dayOf = (timestamp: string): string => timestamp.slice(0, 10);

const entry = (
  record: DeclarationRecord,
  declaration: LedgerDeclaration,
  fields: {
    id: string;
    fact: string;
    kind: LedgerKind;
    taxCode: string;
    currency: string;
    amount: Decimal;
    at: string;
  },
): LedgerEntry => ({
  id: fields.id,
  fact: fields.fact,
  declarationId: record.id,
  platformId: record.platformId,
  kind: fields.kind,
  taxCode: fields.taxCode,
  currency: fields.currency,
  amount: fields.amount.toFixed(),
  at: fields.at,
  collectionModel: declaration.collectionModel,
  payer: record.assessment ? payerOfCode(record.assessment, fields.taxCode) : 'CONSUMER',
});

/**
 * What an assessment books: ASSESSED for every amount due at import (duties, import taxes, fees) and
 * CHECKOUT_DECLARED for taxes collected at checkout under a scheme, one entry per code and currency.
 * A rejection charges nothing and books nothing.
 */
export const ledgerEntriesForAssessment = (
  record: DeclarationRecord,
  declaration: LedgerDeclaration,
): LedgerEntry[] => {
  const assessment = record.assessment;
  if (!assessment) return [];
  const { currency } = assessment;
  const at = assessedAt(record);
  const fact = 'ASSESSMENT';
  return [
    ...dueAtImportByCode(assessment).map(([taxCode, amount]) =>
      entry(record, declaration, {
        id: `${record.id}#ASSESSED#${taxCode}#${currency}`,
        fact,
        kind: 'ASSESSED',
        taxCode,
        currency,
        amount,
        at,
      }),
    ),
    ...collectedAtCheckoutByCode(assessment).map(([taxCode, amount]) =>
      entry(record, declaration, {
        id: `${record.id}#CHECKOUT_DECLARED#${taxCode}#${currency}`,
        fact,
        kind: 'CHECKOUT_DECLARED',
        taxCode,
        currency,
        amount,
        at,
      }),
    ),
  ];
};

/**
 * Applies payments in order to the amounts due at import, code by code in assessment order. Returns
 * what each payment covers per code; anything beyond the total due stays on the last code (overpaid).
 */
const applyPayments = (
  due: readonly [string, Decimal][],
  payments: readonly { amount: string }[],
): [string, Decimal][][] => {
  const remaining = due.map(([code, amount]) => [code, amount] as [string, Decimal]);
  return payments.map((payment) => {
    let left = new Decimal(payment.amount);
    const covered = new Map<string, Decimal>();
    for (const slot of remaining) {
      if (left.lessThanOrEqualTo(0)) break;
      const take = Decimal.min(left, slot[1]);
      if (take.greaterThan(0)) {
        addTo(covered, slot[0], take);
        slot[1] = slot[1].minus(take);
        left = left.minus(take);
      }
    }
    if (left.greaterThan(0)) addTo(covered, remaining.at(-1)?.[0] ?? UNALLOCATED, left);
    return positive(covered);
  });
};

/** Payments of the declaration before `paymentId` (all of them when it is not in the record yet). */
const paymentsBefore = (record: DeclarationRecord, paymentId: string): Payment[] => {
  const index = record.payments.findIndex((payment) => payment.id === paymentId);
  return index === -1 ? record.payments : record.payments.slice(0, index);
};

/**
 * What a payment books: COLLECTED, split over the codes due at import in assessment order after the
 * payments recorded before it. Works with `record.payments` either before or after the payment is
 * appended. A payment in a currency other than the assessment's is booked as UNALLOCATED.
 */
export const ledgerEntriesForPayment = (
  record: DeclarationRecord,
  declaration: LedgerDeclaration,
  payment: Pick<Payment, 'id' | 'amount' | 'currency' | 'recordedAt'>,
): LedgerEntry[] => {
  const assessment = record.assessment;
  const fact = `PAYMENT#${payment.id}`;
  const make = (taxCode: string, amount: Decimal) =>
    entry(record, declaration, {
      id: `${record.id}#COLLECTED#${payment.id}#${taxCode}`,
      fact,
      kind: 'COLLECTED',
      taxCode,
      currency: payment.currency,
      amount,
      at: payment.recordedAt,
    });
  if (!new Decimal(payment.amount).greaterThan(0)) return [];
  if (!assessment || assessment.currency !== payment.currency) {
    return [make(UNALLOCATED, new Decimal(payment.amount))];
  }
  const prior = paymentsBefore(record, payment.id).filter((earlier) => earlier.currency === payment.currency);
  const applied = applyPayments(payableAtImportByCode(assessment), [...prior, payment]);
  return (applied.at(-1) ?? []).map(([taxCode, amount]) => make(taxCode, amount));
};

/** Collected so far per code, from the payments recorded on the declaration. */
const collectedByCode = (record: DeclarationRecord, assessment: Assessment): [string, Decimal][] => {
  const payments = record.payments.filter((payment) => payment.currency === assessment.currency);
  const collected = new Map<string, Decimal>();
  for (const covered of applyPayments(payableAtImportByCode(assessment), payments))
    for (const [code, amount] of covered) addTo(collected, code, amount);
  return positive(collected);
};

/**
 * What a refund books: REFUNDED per code, as the refund's own lines say or, without lines, spread in
 * proportion over what was collected per code (over what was charged to the account when nothing was
 * collected on the declaration itself), exactly to the currency's minor unit.
 */
export const ledgerEntriesForRefund = (
  record: DeclarationRecord,
  declaration: LedgerDeclaration,
  refund: RefundFact,
): LedgerEntry[] => {
  const fact = `REFUND#${refund.id}`;
  const make = (taxCode: string, amount: Decimal) =>
    entry(record, declaration, {
      id: `${record.id}#REFUNDED#${refund.id}#${taxCode}`,
      fact,
      kind: 'REFUNDED',
      taxCode,
      currency: refund.currency,
      amount,
      at: refund.recordedAt,
    });
  if (refund.lines && refund.lines.length > 0) {
    const byCode = new Map<string, Decimal>();
    for (const line of refund.lines) addTo(byCode, line.taxCode, line.amount);
    return positive(byCode).map(([taxCode, amount]) => make(taxCode, amount));
  }
  const total = new Decimal(refund.amount);
  if (!total.greaterThan(0)) return [];
  const assessment = record.assessment;
  if (!assessment || assessment.currency !== refund.currency) return [make(UNALLOCATED, total)];
  const collected = collectedByCode(record, assessment);
  const basis = collected.length > 0 ? collected : dueAtImportByCode(assessment);
  if (basis.length === 0) return [make(UNALLOCATED, total)];
  const parts = allocate(
    total,
    basis.map(([, amount]) => amount),
    unitDigits(refund.currency, refund.amount),
  );
  return basis
    .map(([taxCode], index) => make(taxCode, parts[index] ?? ZERO))
    .filter((made) => new Decimal(made.amount).greaterThan(0));
};

/** The statuses that end a customs debt not yet extinguished by payment (UCC Art. 124(1)(d), (e), (h)). */
export const DEBT_ENDING_STATUSES: ReadonlySet<string> = new Set(['CANCELLED', 'REJECTED', 'SEIZED']);

/**
 * True when a change from `before` to `after` ends the debt of an assessed declaration: it was cancelled
 * (invalidated), rejected or seized after assessment. Only the first such change extinguishes.
 */
export const extinguishesDebt = (
  before: Pick<DeclarationRecord, 'status'> | undefined,
  after: Pick<DeclarationRecord, 'status' | 'assessment'>,
): boolean =>
  after.assessment !== undefined &&
  DEBT_ENDING_STATUSES.has(after.status) &&
  before !== undefined &&
  !DEBT_ENDING_STATUSES.has(before.status) &&
  before.status !== 'RELEASED' &&
  before.status !== 'RECEIVED';

/** The fact an extinguishment books; one per declaration, so a repeat books nothing. */
export const EXTINGUISHMENT_FACT = 'EXTINGUISHMENT';

/**
 * What ending the debt books (Regulation (EU) No 952/2013 Art. 124(1): the customs debt is extinguished
 * when the declaration is invalidated, or the goods are confiscated or seized, and Art. 116 for the
 * repayment of what was paid): per code due at import, EXTINGUISHED for what was not yet collected and
 * REFUNDED for what was. Payments in another currency than the assessment's go back as UNALLOCATED.
 * Taxes a seller collected at checkout are the seller's to correct under its scheme and are left alone.
 */
export const ledgerEntriesForExtinguishment = (
  record: DeclarationRecord,
  declaration: LedgerDeclaration,
  at: string,
): LedgerEntry[] => {
  const assessment = record.assessment;
  if (!assessment) return [];
  const { currency } = assessment;
  const fact = EXTINGUISHMENT_FACT;
  const collected = new Map(collectedByCode(record, assessment));
  const entries: LedgerEntry[] = [];
  for (const [taxCode, due] of dueAtImportByCode(assessment)) {
    const paid = Decimal.min(collected.get(taxCode) ?? ZERO, due);
    const open = due.minus(paid);
    if (open.greaterThan(0)) {
      entries.push(
        entry(record, declaration, {
          id: `${record.id}#EXTINGUISHED#${taxCode}#${currency}`,
          fact,
          kind: 'EXTINGUISHED',
          taxCode,
          currency,
          amount: open,
          at,
        }),
      );
    }
  }
  // Everything collected goes back, overpayments included, per code as it was booked.
  const refunds = new Map<string, { currency: string; amount: Decimal }>();
  for (const payment of record.payments) {
    for (const collectedEntry of ledgerEntriesForPayment(record, declaration, payment)) {
      const key = `${collectedEntry.taxCode}\u0000${collectedEntry.currency}`;
      const before = refunds.get(key)?.amount ?? ZERO;
      refunds.set(key, { currency: collectedEntry.currency, amount: before.plus(collectedEntry.amount) });
    }
  }
  for (const [key, { currency: paidIn, amount }] of refunds) {
    if (!amount.greaterThan(0)) continue;
    const taxCode = key.slice(0, key.indexOf('\u0000'));
    entries.push(
      entry(record, declaration, {
        id: `${record.id}#REFUNDED#${EXTINGUISHMENT_FACT}#${taxCode}#${paidIn}`,
        fact,
        kind: 'REFUNDED',
        taxCode,
        currency: paidIn,
        amount,
        at,
      }),
    );
  }
  return entries;
};

/** A stored refund as the ledger books it: its lines by tax code. */
export const refundFactOf = (refund: Refund): RefundFact => ({
  id: refund.id,
  amount: refund.amount,
  currency: refund.currency,
  recordedAt: refund.requestedAt,
  lines: refund.lines.map((line) => ({ taxCode: line.code, amount: line.amount })),
});

/** When the debt ended: the first history step `extinguishesDebt` accepts, if any. */
export const extinguishedAt = (record: DeclarationRecord): string | undefined =>
  record.history.find(
    (step) =>
      step.from !== null &&
      extinguishesDebt({ status: step.from }, { status: step.to, assessment: record.assessment }),
  )?.at;

/**
 * Every ledger entry a declaration's record has booked: its assessment, each payment, each refund and
 * the end of its debt. Each fact is written in the same transaction as the record change that carries
 * it, so the record names exactly the facts the ledger holds, and these are the entries they booked.
 */
export const ledgerEntriesOfRecord = (
  record: DeclarationRecord,
  declaration: LedgerDeclaration,
): LedgerEntry[] => {
  const ended = extinguishedAt(record);
  return [
    ...ledgerEntriesForAssessment(record, declaration),
    ...record.payments.flatMap((payment) => ledgerEntriesForPayment(record, declaration, payment)),
    ...(record.refunds ?? []).flatMap((refund) =>
      ledgerEntriesForRefund(record, declaration, refundFactOf(refund)),
    ),
    ...(ended ? ledgerEntriesForExtinguishment(record, declaration, ended) : []),
  ];
};

// ---------------------------------------------------------------------------------------------------
// Aggregate deltas

/** An aggregate partition key (`REV#<day>#<shard>`, `STAT#<day>#<shard>`) without its shard. */
export const withoutShard = (pk: string): string => pk.slice(0, pk.lastIndexOf('#'));

/**
 * The deltas moved to the shard of the first one. Which shard a cell lives in does not matter to readers
 * (they sum every shard); one shard per transaction lets a batch pre-sum into one cell per key.
 */
export const inOneShard = (deltas: readonly AggregateDelta[]): AggregateDelta[] => {
  const first = deltas[0];
  if (!first) return [];
  const shard = first.pk.slice(withoutShard(first.pk).length);
  return deltas.map((delta) => ({ ...delta, pk: `${withoutShard(delta.pk)}${shard}` }));
};

/** Sums deltas to the same item, so each aggregate item is updated once per transaction. */
export const mergeDeltas = (deltas: readonly AggregateDelta[]): AggregateDelta[] => {
  const merged = new Map<string, AggregateDelta>();
  for (const delta of deltas) {
    const key = `${delta.pk}\u0000${delta.sk}`;
    let target = merged.get(key);
    if (!target) {
      target = { pk: delta.pk, sk: delta.sk, add: {} };
      merged.set(key, target);
    }
    for (const [name, value] of Object.entries(delta.add))
      target.add[name] = (target.add[name] ?? ZERO).plus(value);
  }
  return [...merged.values()]
    .map((delta) => ({
      ...delta,
      add: Object.fromEntries(Object.entries(delta.add).filter(([, value]) => !value.isZero())),
    }))
    .filter((delta) => Object.keys(delta.add).length > 0);
};

/** The revenue cells the entries change: day x platform x collection model x payer x currency, measure per code. */
export const revenueDeltas = (
  entries: readonly LedgerEntry[],
  shards: number = AGGREGATE_SHARDS,
): AggregateDelta[] =>
  mergeDeltas(
    entries.map((ledgerEntry) => ({
      pk: revenuePartition(dayOf(ledgerEntry.at), shardOf(ledgerEntry.declarationId, shards)),
      sk: revenueSortKey(ledgerEntry),
      add: { [measureAttribute(ledgerEntry.kind, ledgerEntry.taxCode)]: new Decimal(ledgerEntry.amount) },
    })),
  );

const laneOf = (record: DeclarationRecord): Lane => record.risk?.lane ?? 'GREEN';

const lastAt = (record: DeclarationRecord, status: string): string | undefined =>
  record.history.findLast((entryOfHistory) => entryOfHistory.to === status)?.at;

/** Milliseconds from lodgement to release, or undefined when the record is not released. */
export const releaseTimeMs = (record: DeclarationRecord): number | undefined => {
  if (record.status !== 'RELEASED') return undefined;
  const releasedAt = lastAt(record, 'RELEASED') ?? record.updatedAt;
  return Math.max(0, Date.parse(releasedAt) - Date.parse(record.createdAt));
};

/**
 * The release-time observation of a record released after its assessment (by a payment, a lifted hold,
 * an officer's decision): one count in its lane's histogram on the day of release. Empty unless the
 * record is RELEASED. Write it in the same transaction as the state change that releases it.
 */
export const releaseTimeDelta = (
  record: DeclarationRecord,
  shards: number = AGGREGATE_SHARDS,
): AggregateDelta[] => {
  const ms = releaseTimeMs(record);
  if (ms === undefined) return [];
  const releasedAt = lastAt(record, 'RELEASED') ?? record.updatedAt;
  return [
    {
      pk: statisticsPartition(dayOf(releasedAt), shardOf(record.id, shards)),
      sk: releaseTimeSortKey(laneOf(record)),
      add: { [histogramAttribute(releaseBucket(ms))]: new Decimal(1) },
    },
  ];
};

/** The value band of an assessed consignment, on the basis its thresholds use. */
export const valueBandOf = (assessment: Assessment, pack: CountryPack): string => {
  const basis = rulesOn(pack, assessment.importDate).thresholdBasis;
  return valueBand(
    pack,
    assessment.importDate,
    basis === 'CUSTOMS_VALUE' ? assessment.customsValue : assessment.intrinsicValue,
  );
};

/**
 * The statistics cells an assessment changes: day x origin x HS chapter x channel x lane x collection
 * model x value band, with goods lines, units, value, duty and tax (stack currency). Value is the
 * assessment's intrinsic value, duty lines are attributed to the goods lines of their HS code and tax
 * to all lines, each in proportion to declared value and exactly to the minor unit, so every cell sum
 * equals the assessment's totals. Consignment counts are kept at four levels (see STAT) so any grouping
 * counts a consignment once. A record released in the same step adds its release time to its first cell.
 */
export const statisticsDeltaFor = (
  record: DeclarationRecord,
  declaration: StatisticsDeclaration,
  pack: CountryPack,
  shards: number = AGGREGATE_SHARDS,
): AggregateDelta[] => {
  const assessment = record.assessment;
  if (!assessment || record.status === 'REJECTED' || declaration.items.length === 0) return [];
  const { items } = declaration;
  const currency = assessment.currency;
  const weights = items.map((item) => new Decimal(item.value));
  const values = allocate(
    new Decimal(assessment.intrinsicValue),
    weights,
    unitDigits(currency, assessment.intrinsicValue),
  );
  const taxes = allocate(
    new Decimal(assessment.totals.tax),
    weights,
    unitDigits(currency, assessment.totals.tax),
  );
  const duties = items.map(() => ZERO);
  for (const line of assessment.duties) {
    const matching = items.map((item) => line.hsCode === undefined || item.hsCode.startsWith(line.hsCode));
    const anyMatch = matching.some(Boolean);
    const lineWeights = weights.map((weight, index) => (!anyMatch || matching[index] ? weight : ZERO));
    const parts = allocate(new Decimal(line.amount), lineWeights, unitDigits(currency, line.amount));
    parts.forEach((part, index) => {
      duties[index] = (duties[index] ?? ZERO).plus(part);
    });
  }

  const day = dayOf(assessedAt(record));
  const pk = statisticsPartition(day, shardOf(record.id, shards));
  const common = {
    channel: declaration.channel,
    lane: laneOf(record),
    collectionModel: declaration.collectionModel,
    valueBand: valueBandOf(assessment, pack),
  };
  const cells = new Map<string, AggregateDelta>();
  const origins = new Set<string>();
  const chapters = new Set<string>();
  items.forEach((item, index) => {
    const hsChapter = item.hsCode.slice(0, 2);
    const sk = statisticsSortKey({ ...common, originCountry: item.originCountry, hsChapter });
    let cell = cells.get(sk);
    if (!cell) {
      cell = {
        pk,
        sk,
        add: {
          [STAT.consignmentsPair]: new Decimal(1),
          [`${FILER_CONSIGNMENTS_PREFIX}${record.platformId}`]: new Decimal(1),
        },
      };
      if (cells.size === 0) cell.add[STAT.consignmentsAll] = new Decimal(1);
      if (!origins.has(item.originCountry)) cell.add[STAT.consignmentsOrigin] = new Decimal(1);
      if (!chapters.has(hsChapter)) cell.add[STAT.consignmentsChapter] = new Decimal(1);
      origins.add(item.originCountry);
      chapters.add(hsChapter);
      cells.set(sk, cell);
    }
    const add = cell.add;
    add[STAT.items] = (add[STAT.items] ?? ZERO).plus(1);
    add[STAT.quantity] = (add[STAT.quantity] ?? ZERO).plus(item.quantity);
    add[STAT.value] = (add[STAT.value] ?? ZERO).plus(values[index] ?? ZERO);
    const filerValue = `${FILER_VALUE_PREFIX}${record.platformId}`;
    add[filerValue] = (add[filerValue] ?? ZERO).plus(values[index] ?? ZERO);
    add[STAT.duty] = (add[STAT.duty] ?? ZERO).plus(duties[index] ?? ZERO);
    add[STAT.tax] = (add[STAT.tax] ?? ZERO).plus(taxes[index] ?? ZERO);
  });
  const deltas = [...cells.values()];
  const ms = releaseTimeMs(record);
  const first = deltas[0];
  if (ms !== undefined && first) first.add[histogramAttribute(releaseBucket(ms))] = new Decimal(1);
  return mergeDeltas(deltas);
};

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
