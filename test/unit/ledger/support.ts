// Helpers for the ledger tests: assessed records without running the engine, and an in-memory table
// that applies the store's transaction writes (conditional Put, UpdateItem ADD) all-or-nothing, as
// DynamoDB does.
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { TransactionWrite } from '../../../shared/adapters/ledger-store.js';
import type { DeclarationRecord, Lane, Payment, Status } from '../../../shared/domain/clearance/record.js';
import type { Assessment } from '../../../shared/domain/duty/assessment.js';
import type { AggregateItem } from '../../../shared/domain/ledger/views.js';
import { Decimal } from '../../../shared/domain/money.js';

export const anAssessment = (overrides: Partial<Assessment> = {}): Assessment => {
  const base: Assessment = {
    ruleSet: ['EU@2026-07-01', 'NL@2026-01-01'],
    importDate: '2026-07-01',
    currency: 'EUR',
    exchangeRates: [],
    intrinsicValue: '20.00',
    customsValue: '25.00',
    lowValue: true,
    declarationType: 'H7',
    duties: [{ code: 'DUTY', hsCode: '610910', base: '25.00', amount: '3.00', legalBasis: 'test' }],
    taxes: [{ code: 'VAT', base: '28.00', rate: '0.21', amount: '5.88', collectedAtCheckout: false }],
    fees: [],
    totals: { duty: '3.00', tax: '5.88', fees: '0.00', collectedAtCheckout: '0.00', dueAtImport: '8.88' },
    payer: 'CONSUMER',
    notes: [],
  };
  const merged = { ...base, ...overrides };
  return overrides.totals ? merged : { ...merged, totals: totalsOf(merged) };
};

/** Totals consistent with the lines, as the engine computes them. */
export const totalsOf = (assessment: Pick<Assessment, 'duties' | 'taxes' | 'fees'>): Assessment['totals'] => {
  const sum = (amounts: string[]) => amounts.reduce((total, amount) => total.plus(amount), new Decimal(0));
  const duty = sum(assessment.duties.map((line) => line.amount));
  const tax = sum(assessment.taxes.map((line) => line.amount));
  const fees = sum(assessment.fees.map((line) => line.amount));
  const checkout = sum(
    assessment.taxes.filter((line) => line.collectedAtCheckout).map((line) => line.amount),
  );
  const declarant = sum(assessment.duties.filter((line) => line.payer).map((line) => line.amount));
  return {
    duty: duty.toFixed(2),
    tax: tax.toFixed(2),
    fees: fees.toFixed(2),
    collectedAtCheckout: checkout.toFixed(2),
    dueAtImport: duty.plus(tax).minus(checkout).plus(fees).toFixed(2),
    ...(declarant.greaterThan(0) ? { dueFromDeclarant: declarant.toFixed(2) } : {}),
  };
};

export const anAssessedRecord = (
  input: {
    id?: string;
    platformId?: string;
    lane?: Lane;
    status?: Status;
    createdAt?: string;
    assessedAt?: string;
    assessment?: Assessment;
    payments?: Payment[];
  } = {},
): DeclarationRecord => {
  const createdAt = input.createdAt ?? '2026-07-01T10:00:00.000Z';
  const at = input.assessedAt ?? '2026-07-01T10:00:02.000Z';
  const status = input.status ?? 'AWAITING_PAYMENT';
  return {
    id: input.id ?? 'dcl_1',
    reference: 'LRN-1',
    platformId: input.platformId ?? 'acme',
    status,
    version: 3,
    createdAt,
    updatedAt: at,
    bodyHash: 'hash',
    risk: { lane: input.lane ?? 'GREEN', score: 0, hits: [], assessedAt: createdAt },
    assessment: input.assessment ?? anAssessment(),
    holds: [],
    payments: input.payments ?? [],
    history: [
      { at: createdAt, from: null, to: 'RECEIVED', by: 'acme', reason: 'Declaration lodged' },
      { at, from: 'RECEIVED', to: 'ASSESSED', by: 'duty', reason: 'Assessed' },
      { at, from: 'ASSESSED', to: status, by: 'clearance', reason: 'Decided' },
    ],
  };
};

export const aPayment = (id: string, amount: string, recordedAt = '2026-07-02T09:00:00.000Z'): Payment => ({
  id,
  amount,
  currency: 'EUR',
  reference: `pay-${id}`,
  recordedBy: 'acme',
  recordedAt,
});

const toNumberString = (value: unknown): string => {
  if (value instanceof NumberValue) return value.toString();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new Error(`Not a number: ${String(value)}`);
};

/**
 * The ledger table in memory: applies a transaction's writes all-or-nothing, refusing it when a
 * `attribute_not_exists(pk)` Put finds its item, and adds UpdateItem ADD values exactly.
 */
export const memoryTable = () => {
  const items = new Map<string, Record<string, unknown>>();
  const keyOf = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;
  return {
    items,
    transact(writes: readonly TransactionWrite[]): boolean {
      const touched = new Set<string>();
      for (const write of writes) {
        const key = write.Put
          ? keyOf(write.Put.Item ?? {})
          : write.Update
            ? keyOf(write.Update.Key ?? {})
            : '';
        if (touched.has(key)) throw new Error(`Two writes to one item in a transaction: ${key}`);
        touched.add(key);
        if (write.Put?.ConditionExpression === 'attribute_not_exists(pk)' && items.has(key)) return false;
      }
      if (writes.length > 100) throw new Error('More than 100 items in a transaction');
      for (const write of writes) {
        if (write.Put) items.set(keyOf(write.Put.Item ?? {}), { ...write.Put.Item });
        if (write.Update) {
          const update = write.Update;
          const key = keyOf(update.Key ?? {});
          const item = items.get(key) ?? { ...update.Key };
          const expression = update.UpdateExpression ?? '';
          if (!expression.startsWith('ADD ')) throw new Error(`Unsupported update ${expression}`);
          for (const clause of expression.slice(4).split(',')) {
            const [nameRef = '', valueRef = ''] = clause.trim().split(/\s+/);
            const name = update.ExpressionAttributeNames?.[nameRef] ?? nameRef;
            const value = toNumberString(update.ExpressionAttributeValues?.[valueRef]);
            const current = item[name] === undefined ? '0' : toNumberString(item[name]);
            item[name] = NumberValue.from(new Decimal(current).plus(value).toFixed());
          }
          items.set(key, item);
        }
      }
      return true;
    },
    /** The aggregate items whose pk starts with `prefix`, as the reader hands them over. */
    aggregates(prefix: string): AggregateItem[] {
      return [...items.values()]
        .filter((item) => String(item.pk).startsWith(prefix))
        .map((item) => ({
          pk: String(item.pk),
          sk: String(item.sk),
          numbers: Object.fromEntries(
            Object.entries(item)
              .filter(([, value]) => value instanceof NumberValue || typeof value === 'number')
              .map(([name, value]) => [name, toNumberString(value)]),
          ),
        }));
    },
  };
};
