// The revenue ledger (DESIGN.md section 6). Pure: the ledger entries a fact books (an assessment, a
// payment, a refund, the end of the debt) and every entry a declaration's record has booked. Where they
// are stored is in keys.ts, the aggregate cells they change in aggregates.ts.
import type { DeclarationRecord, Payment, Refund } from '../clearance/record.js';
import type { CollectionModel, Declaration } from '../declaration/declaration.js';
import { type Assessment, type Payer, payerOfCode } from '../duty/assessment.js';
import { allocate, Decimal, unitDigits } from '../money.js';

const ZERO = new Decimal(0);

export const LEDGER_KINDS = [
  'ASSESSED',
  'CHECKOUT_DECLARED',
  'COLLECTED',
  'REFUNDED',
  'EXTINGUISHED',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

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

/** What the declaration needs to carry for the ledger: the lodged body's relevant fields. */
export type LedgerDeclaration = Pick<Declaration, 'collectionModel'>;

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
