// The life of a declaration: its record, the status machine and the release decision (DESIGN.md 3 and 7).
import * as z from 'zod';
import type { ActedBy } from '../caller.js';
import type { Declaration } from '../declaration/declaration.js';
import { type Assessment, dueFromPayer } from '../duty/assessment.js';
import { ConflictError } from '../errors.js';
import { Decimal, minorUnitDigits, sumMoney } from '../money.js';

export const Status = z.enum([
  'RECEIVED',
  'ASSESSED',
  'AWAITING_PAYMENT',
  'HELD',
  'RELEASED',
  'REJECTED',
  'SEIZED',
  'CANCELLED',
]);
export type Status = z.infer<typeof Status>;

export const TERMINAL: ReadonlySet<Status> = new Set(['RELEASED', 'REJECTED', 'SEIZED', 'CANCELLED']);

const TRANSITIONS: Record<Status, readonly Status[]> = {
  RECEIVED: ['ASSESSED', 'HELD', 'REJECTED', 'CANCELLED'],
  ASSESSED: ['RELEASED', 'AWAITING_PAYMENT', 'HELD', 'REJECTED', 'CANCELLED'],
  AWAITING_PAYMENT: ['RELEASED', 'HELD', 'REJECTED', 'CANCELLED'],
  // HELD -> RECEIVED: the holds that stopped an assessment (missing reference data) are lifted, so the
  // declaration goes back to the duty step.
  HELD: ['RECEIVED', 'ASSESSED', 'RELEASED', 'AWAITING_PAYMENT', 'REJECTED', 'SEIZED', 'CANCELLED'],
  RELEASED: [],
  REJECTED: [],
  SEIZED: [],
  CANCELLED: [],
};

export type Lane = 'GREEN' | 'AMBER' | 'RED';

export interface RiskHit {
  profileId: string;
  /** The officer's sentence: may speak of other consignments. */
  reason: string;
  score: number;
  /** The filer's sentence; absent when the hit is for officers only. */
  publicReason?: string;
}

export interface RiskOutcome {
  lane: Lane;
  score: number;
  hits: RiskHit[];
  assessedAt: string;
  /** Ids of the profile versions evaluated, so a result can be explained later. */
  profileVersions?: string[];
}

/**
 * What the risk step decided for a declaration, handed to the duty step, which writes it with the
 * outcome: the result, the holds it places and, when a profile refuses the declaration, why.
 */
export interface RiskResult {
  risk: RiskOutcome;
  holds: Hold[];
  rejection?: string;
}

export interface Hold {
  id: string;
  reason: string;
  agency?: string;
  profileId?: string;
  /** Who holds: an officer, an agency code, or a pipeline step (`risk`, `duty`). */
  placedBy: string;
  /** The staff member who placed it for the agency in `placedBy`. */
  placedByPerson?: string;
  placedAt: string;
  liftedAt?: string;
  liftedBy?: string;
  /** The staff member who lifted it for the agency in `liftedBy`. */
  liftedByPerson?: string;
  /** What the one who lifted it noted, e.g. the result of a sample. */
  liftNote?: string;
}

export interface Payment {
  id: string;
  amount: string;
  currency: string;
  reference: string;
  recordedBy: string;
  recordedAt: string;
}

/** What an officer found for one risk profile that hit the declaration. */
export interface Finding {
  confirmed: boolean;
  notes?: string;
}

export type Decision = 'RELEASE' | 'REJECT' | 'SEIZE';

export interface DecisionRecord {
  decision: Decision;
  by: string;
  at: string;
  /** Findings by risk profile id; profiles hit without a finding count as hits, not as checks. */
  findings?: Record<string, Finding>;
  /** SEIZE: what becomes of the goods. */
  disposal?: 'RETURN' | 'DESTROY';
}

/** One refund line: the part of one duty or tax line collected at import that goes back. */
export interface RefundLine {
  kind: 'DUTY' | 'TAX';
  code: string;
  hsCode?: string;
  amount: string;
}

export interface Refund {
  id: string;
  reference: string;
  reason: string;
  /** Indexes of the declaration's goods lines returned. */
  items: number[];
  amount: string;
  currency: string;
  lines: RefundLine[];
  requestedBy: string;
  requestedAt: string;
}

export interface HistoryEntry {
  at: string;
  from: Status | null;
  to: Status;
  by: string;
  /** The staff member who acted for `by` (an agency), when `by` is not a person. */
  person?: string;
  reason: string;
}

export interface DeclarationRecord {
  id: string;
  reference: string;
  platformId: string;
  status: Status;
  /** Incremented on every write; updates are conditional on it so no transition is lost. */
  version: number;
  createdAt: string;
  updatedAt: string;
  bodyHash: string;
  /** The goods' value as declared (the items' values summed, in the declaration's currency), for lists. */
  goodsValue?: GoodsValue;
  risk?: RiskOutcome;
  assessment?: Assessment;
  holds: Hold[];
  payments: Payment[];
  history: HistoryEntry[];
  /** Set when an officer closed a check: RELEASE lets the declaration go once nothing else stands. */
  decision?: DecisionRecord;
  /** Refunds of duty and tax collected at import, for goods returned after release. */
  refunds?: Refund[];
  /** When the consignee's personal data was pseudonymised, its record-keeping period over. */
  personalDataErasedAt?: string;
}

export interface StoredDeclaration extends DeclarationRecord {
  declaration: Declaration;
}

export class InvalidTransitionError extends ConflictError {
  constructor(from: Status, to: Status) {
    super(`The declaration is ${from}; it cannot become ${to}`, { currentStatus: from });
  }
}

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);

/** The record after a status change, with its history entry appended; throws on a transition the law forbids. */
export const transition = (
  record: DeclarationRecord,
  to: Status,
  by: string | ActedBy,
  reason: string,
  at: string,
): DeclarationRecord => {
  if (!canTransition(record.status, to)) throw new InvalidTransitionError(record.status, to);
  const acted = typeof by === 'string' ? { by } : by;
  return {
    ...record,
    status: to,
    updatedAt: at,
    history: [...record.history, { at, from: record.status, to, ...acted, reason }],
  };
};

export interface GoodsValue {
  amount: string;
  currency: string;
}

/** The items' values summed, in the declaration's currency, with at least the currency's minor-unit decimals. */
export const goodsValueOf = (declaration: Pick<Declaration, 'currency' | 'items'>): GoodsValue => {
  const total = sumMoney(declaration.items.map((item) => item.value));
  const digits = Math.max(minorUnitDigits(declaration.currency), total.decimalPlaces());
  return { amount: total.toFixed(digits), currency: declaration.currency };
};

export const newRecord = (input: {
  id: string;
  reference: string;
  platformId: string;
  bodyHash: string;
  at: string;
  goodsValue?: GoodsValue;
}): DeclarationRecord => ({
  ...input,
  status: 'RECEIVED',
  version: 0,
  createdAt: input.at,
  updatedAt: input.at,
  holds: [],
  payments: [],
  history: [{ at: input.at, from: null, to: 'RECEIVED', by: input.platformId, reason: 'Declaration lodged' }],
});

export const standingHolds = (record: DeclarationRecord): Hold[] =>
  record.holds.filter((hold) => !hold.liftedAt);

/**
 * What the consumer still owes at import, in the stack currency: what is due from it less what it paid.
 * Lines owed by the declarant (EU flat duty) are on the declarant's account and do not hold the goods.
 */
export const outstandingAtImport = (record: DeclarationRecord): Decimal => {
  if (record.assessment?.payer !== 'CONSUMER') return new Decimal(0);
  const paid = record.payments.reduce((total, payment) => total.plus(payment.amount), new Decimal(0));
  const due = dueFromPayer(record.assessment).minus(paid);
  return due.isNegative() ? new Decimal(0) : due;
};

/**
 * Where an assessed declaration goes next: HELD while a hold stands or a check awaits an officer's
 * decision, AWAITING_PAYMENT while the consumer owes duty or tax at import, otherwise RELEASED.
 * Amounts due under a guaranteed account (seller, platform, carrier) never delay release.
 */
export const releaseDecision = (record: DeclarationRecord): { status: Status; reason: string } => {
  const holds = standingHolds(record);
  if (holds.length > 0) {
    return { status: 'HELD', reason: holds.map((hold) => hold.reason).join('; ') };
  }
  const checkOrdered = record.risk !== undefined && record.risk.lane !== 'GREEN';
  if (checkOrdered && record.decision?.decision !== 'RELEASE') {
    return { status: 'HELD', reason: `Risk lane ${record.risk?.lane}: awaiting an officer's decision` };
  }
  if (outstandingAtImport(record).greaterThan(0)) {
    return { status: 'AWAITING_PAYMENT', reason: 'Duty and tax due at import are unpaid' };
  }
  return { status: 'RELEASED', reason: 'Nothing stands in the way of release' };
};

/** A check that stands on a declaration: an ordered risk check awaiting an officer's decision, or a hold. */
export type OpenCheck =
  | { kind: 'RISK_CHECK'; lane: 'AMBER' | 'RED' }
  | { kind: 'HOLD'; holdId: string; reason: string; agency?: string };

/**
 * The checks standing on a declaration. A platform cannot withdraw goods from one (UCC Art. 174(1): once
 * the declarant is told the goods will be examined, invalidation waits for the examination); before the
 * risk step ran there is none, and awaiting payment is not one.
 */
export const openChecks = (record: Pick<DeclarationRecord, 'risk' | 'decision' | 'holds'>): OpenCheck[] => {
  const checks: OpenCheck[] = [];
  const lane = record.risk?.lane;
  if ((lane === 'AMBER' || lane === 'RED') && record.decision === undefined) {
    checks.push({ kind: 'RISK_CHECK', lane });
  }
  for (const hold of record.holds) {
    if (hold.liftedAt) continue;
    checks.push({
      kind: 'HOLD',
      holdId: hold.id,
      reason: hold.reason,
      ...(hold.agency ? { agency: hold.agency } : {}),
    });
  }
  return checks;
};
