// The ledger invariant (DESIGN.md section 6): whatever facts arrive, in any order and any number of
// times, the sum of the ledger entries equals every aggregate view.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerWrites, type TransactionWrite } from '../../../shared/adapters/ledger-store.js';
import { packFor } from '../../../shared/countries/index.js';
import type { DeclarationRecord, Lane, Payment } from '../../../shared/domain/clearance/record.js';
import type { CollectionModel, Declaration } from '../../../shared/domain/declaration/declaration.js';
import type { Assessment, Payer } from '../../../shared/domain/duty/assessment.js';
import type { AggregateDelta } from '../../../shared/domain/ledger/aggregates.js';
import { extinguishmentEffects } from '../../../shared/domain/ledger/effects.js';
import {
  type LedgerEntry,
  ledgerEntriesForAssessment,
  ledgerEntriesForPayment,
  ledgerEntriesForRefund,
  type RefundFact,
} from '../../../shared/domain/ledger/entries.js';
import { statisticsDeltaFor, valueBandOf } from '../../../shared/domain/ledger/statistics.js';
import {
  REVENUE_GROUP_BY,
  revenueCellFrom,
  STATISTICS_GROUP_BY,
  type StatisticsCell,
  statisticsItemFrom,
  summarizeRevenue,
  summarizeStatistics,
} from '../../../shared/domain/ledger/views.js';
import { Decimal } from '../../../shared/domain/money.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';
import { bookedFacts } from '../../fixtures/ledger-facts.js';
import { anAssessedRecord, anAssessment, memoryTable, totalsOf } from './support.js';

const NL = packFor('NL');
/** 150 scenarios of up to six declarations each: room for a shared, busy machine (not a speed target). */
const PROPERTY_TIMEOUT_MS = 60_000;
const cents = (max: number) => fc.integer({ min: 0, max }).map((value) => (value / 100).toFixed(2));
const positiveCents = (max: number) => fc.integer({ min: 1, max }).map((value) => (value / 100).toFixed(2));

const assessmentArbitrary: fc.Arbitrary<Assessment> = fc
  .record({
    duties: fc.array(
      fc.record({
        code: fc.constantFrom('DUTY', 'FLAT_DUTY'),
        hsCode: fc.constantFrom('610910', '6403', undefined),
        amount: cents(5000),
      }),
      { maxLength: 2 },
    ),
    taxes: fc.array(
      fc.record({
        code: fc.constantFrom('VAT' as const, 'GST' as const),
        amount: cents(9000),
        collectedAtCheckout: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
    fees: fc.array(fc.record({ code: fc.constant('HANDLING_FEE'), amount: cents(300) }), { maxLength: 1 }),
    intrinsicValue: positiveCents(200_000),
    payer: fc.constantFrom<Payer>('SELLER', 'PLATFORM', 'INTERMEDIARY', 'CONSUMER'),
  })
  .map((drawn) => {
    const lines = {
      duties: drawn.duties.map(({ hsCode, ...line }) => ({
        ...line,
        ...(hsCode ? { hsCode } : {}),
        base: '1.00',
        legalBasis: 'test',
      })),
      taxes: drawn.taxes.map((line) => ({ ...line, base: '1.00', rate: '0.21' })),
      fees: drawn.fees.map((line) => ({ ...line, legalBasis: 'test' })),
    };
    return anAssessment({
      ...lines,
      totals: totalsOf(lines),
      intrinsicValue: drawn.intrinsicValue,
      payer: drawn.payer,
    });
  });

interface Case {
  record: DeclarationRecord;
  declaration: Declaration;
  refunds: RefundFact[];
  ended?: 'CANCELLED' | 'REJECTED' | 'SEIZED';
}

const caseArbitrary = (index: number): fc.Arbitrary<Case> =>
  fc
    .record({
      platformId: fc.constantFrom('acme', 'globex', 'initech'),
      collectionModel: fc.constantFrom<CollectionModel>(
        'SELLER_AT_CHECKOUT',
        'INTERMEDIARY_ON_DELIVERY',
        'CONSUMER_AT_IMPORT',
        'DEFERRED_ACCOUNT',
      ),
      channel: fc.constantFrom('POST' as const, 'EXPRESS' as const, 'FREIGHT' as const),
      lane: fc.constantFrom<Lane>('GREEN', 'AMBER', 'RED'),
      released: fc.boolean(),
      /** Cancelled, rejected or seized after assessment: the debt ends (never for a released one). */
      ended: fc.constantFrom(undefined, 'CANCELLED' as const, 'REJECTED' as const, 'SEIZED' as const),
      day: fc.constantFrom('2026-07-01', '2026-07-02', '2026-08-01'),
      assessment: assessmentArbitrary,
      items: fc.array(
        fc.record({
          originCountry: fc.constantFrom('CN', 'VN', 'US'),
          hsCode: fc.constantFrom('610910', '640399', '420221', '851712'),
          quantity: fc.integer({ min: 1, max: 5 }),
          value: positiveCents(100_000),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      payments: fc.array(positiveCents(6000), { maxLength: 3 }),
      refunds: fc.array(positiveCents(2000), { maxLength: 2 }),
    })
    .map((drawn) => {
      const id = `dcl_${index}`;
      const payments: Payment[] = drawn.payments.map((amount, number) => ({
        id: `pay${number}`,
        amount,
        currency: 'EUR',
        reference: `r${number}`,
        recordedBy: drawn.platformId,
        recordedAt: `2026-07-0${3 + number}T12:00:00.000Z`,
      }));
      const record = anAssessedRecord({
        id,
        platformId: drawn.platformId,
        lane: drawn.lane,
        status: drawn.released ? 'RELEASED' : 'AWAITING_PAYMENT',
        createdAt: `${drawn.day}T08:00:00.000Z`,
        assessedAt: `${drawn.day}T08:00:05.000Z`,
        assessment: drawn.assessment,
        payments,
      });
      const declaration = aDeclaration({
        collectionModel: drawn.collectionModel,
        channel: drawn.channel,
        items: drawn.items.map((item) => anItem(item)),
      });
      const ended = drawn.released ? undefined : drawn.ended;
      const refunds = (ended ? [] : drawn.refunds).map((amount, number) => ({
        id: `ref${number}`,
        amount,
        currency: 'EUR',
        recordedAt: `2026-07-1${number}T12:00:00.000Z`,
      }));
      return { record, declaration, refunds, ...(ended ? { ended } : {}) };
    });

interface Fact {
  key: string;
  entries: LedgerEntry[];
  deltas: AggregateDelta[];
}

/**
 * A fact's transaction. An assessment rides with its declaration's state change, whose version
 * condition refuses a second delivery even when the assessment charged nothing (no ledger fact).
 */
const writesOf = (fact: Fact): TransactionWrite[] => [
  ...(fact.key.endsWith('/assessment') || fact.key.endsWith('/extinguishment')
    ? [
        {
          Put: {
            TableName: 'declarations',
            Item: { pk: `DECL#${fact.key}`, sk: 'STATE' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]
    : []),
  ...ledgerWrites('ledger', fact.entries, fact.deltas),
];

const ENDED_AT = '2026-07-20T09:00:00.000Z';

const factsOf = ({ record, declaration, refunds, ended }: Case): Fact[] => [
  ...(ended
    ? [
        {
          key: `${record.id}/extinguishment`,
          ...extinguishmentEffects({ ...record, status: ended }, declaration, NL, ENDED_AT),
        },
      ]
    : []),
  {
    key: `${record.id}/assessment`,
    entries: ledgerEntriesForAssessment(record, declaration),
    deltas: statisticsDeltaFor(record, declaration, NL),
  },
  ...record.payments.map((payment) => ({
    key: `${record.id}/${payment.id}`,
    entries: ledgerEntriesForPayment(record, declaration, payment),
    deltas: [],
  })),
  ...refunds.map((refund) => ({
    key: `${record.id}/${refund.id}`,
    entries: ledgerEntriesForRefund(record, declaration, refund),
    deltas: [],
  })),
];

/** Facts in some order, some of them delivered more than once. */
const scenario = fc
  .integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => caseArbitrary(index))))
  .chain((cases) => {
    const facts = cases.flatMap(factsOf);
    return fc
      .tuple(
        fc.array(fc.nat({ max: facts.length - 1 }), { maxLength: facts.length * 2 }),
        fc.func(fc.integer()),
      )
      .map(([repeats, order]) => {
        const delivered = [...facts, ...repeats.map((index) => facts[index] as Fact)];
        const ranked = delivered.map((fact, index) => ({ fact, rank: order(index) }));
        ranked.sort((a, b) => a.rank - b.rank);
        return { cases, facts, delivered: ranked.map(({ fact }) => fact) };
      });
  });

const revenueKey = (entry: LedgerEntry, dimension: (typeof REVENUE_GROUP_BY)[number]): string =>
  ({
    day: entry.at.slice(0, 10),
    month: entry.at.slice(0, 7),
    taxCode: entry.taxCode,
    collectionModel: entry.collectionModel,
    platform: entry.platformId,
    payer: entry.payer,
  })[dimension];

/** The revenue view computed straight from the ledger entries. */
const revenueFromEntries = (entries: LedgerEntry[], groupBy: (typeof REVENUE_GROUP_BY)[number][]) => {
  const groups = new Map<string, { keys: string[]; sums: Record<LedgerEntry['kind'], Decimal> }>();
  for (const entry of entries) {
    const keys = [...groupBy.map((dimension) => revenueKey(entry, dimension)), entry.currency];
    const id = JSON.stringify(keys);
    const zero = new Decimal(0);
    const group = groups.get(id) ?? {
      keys,
      sums: { ASSESSED: zero, CHECKOUT_DECLARED: zero, COLLECTED: zero, REFUNDED: zero, EXTINGUISHED: zero },
    };
    group.sums[entry.kind] = group.sums[entry.kind].plus(entry.amount);
    groups.set(id, group);
  }
  return [...groups.values()]
    .map(({ keys, sums }) => {
      const assessed = sums.ASSESSED.plus(sums.CHECKOUT_DECLARED);
      const collected = sums.COLLECTED.plus(sums.CHECKOUT_DECLARED);
      return [
        ...keys,
        assessed.toFixed(2),
        collected.toFixed(2),
        sums.REFUNDED.toFixed(2),
        sums.EXTINGUISHED.toFixed(2),
        assessed.minus(sums.EXTINGUISHED).minus(collected).toFixed(2),
      ].join('|');
    })
    .sort();
};

const subsetOf = <T>(values: readonly T[]) => fc.subarray([...values]);

describe('the ledger invariant', () => {
  it(
    'gives every revenue view the sums of the ledger entries booked, however often facts arrive',
    () => {
      fc.assert(
        fc.property(scenario, subsetOf(REVENUE_GROUP_BY), ({ facts, delivered }, groupBy) => {
          // Act: deliver every fact (some twice) through the store's writes
          const table = memoryTable();
          for (const fact of delivered) table.transact(writesOf(fact));

          // Assess: each fact booked once; the aggregate view equals the view of the unique entries
          const booked = bookedFacts([...table.items.values()]);
          expect(booked).toHaveLength(facts.filter((fact) => fact.entries.length > 0).length);
          const cells = table.aggregates('REV#').flatMap((item) => revenueCellFrom(item) ?? []);
          const view = summarizeRevenue(cells, groupBy)
            .map((row) =>
              [
                ...groupBy.map((dimension) => row[dimension]),
                row.currency,
                row.assessed,
                row.collected,
                row.refunded,
                row.extinguished,
                row.outstanding,
              ].join('|'),
            )
            .sort();
          expect(view).toEqual(
            revenueFromEntries(
              facts.flatMap((fact) => fact.entries),
              groupBy,
            ),
          );
        }),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'counts every consignment once in every statistics grouping and keeps the totals exact',
    () => {
      fc.assert(
        fc.property(scenario, subsetOf(STATISTICS_GROUP_BY), ({ cases: all, delivered }, groupBy) => {
          // Consignments whose debt ended were never imported: statistics do not count them.
          const cases = all.filter((drawn) => drawn.ended === undefined);
          // Act
          const table = memoryTable();
          for (const fact of delivered) table.transact(writesOf(fact));
          const cells = table.aggregates('STAT#').flatMap((item) => {
            const parsed = statisticsItemFrom(item);
            return parsed && 'cell' in parsed ? [parsed.cell] : [];
          }) as StatisticsCell[];
          const rows = summarizeStatistics(cells, groupBy, 'EUR');

          // Assess: per group, consignments = distinct declarations with a line in it; items and units exact
          const expected = new Map<string, { declarations: Set<string>; items: number; quantity: number }>();
          for (const { record, declaration } of cases) {
            for (const item of declaration.items) {
              const key = groupBy
                .map((dimension) => {
                  if (dimension === 'originCountry') return item.originCountry;
                  if (dimension === 'hsChapter') return item.hsCode.slice(0, 2);
                  if (dimension === 'channel') return declaration.channel;
                  if (dimension === 'lane') return record.risk?.lane ?? 'GREEN';
                  if (dimension === 'collectionModel') return declaration.collectionModel;
                  if (dimension === 'day') return record.updatedAt.slice(0, 10);
                  if (dimension === 'month') return record.updatedAt.slice(0, 7);
                  return valueBandOf(record.assessment as Assessment, NL);
                })
                .join('|');
              const group = expected.get(key) ?? { declarations: new Set<string>(), items: 0, quantity: 0 };
              group.declarations.add(record.id);
              group.items += 1;
              group.quantity += item.quantity;
              expected.set(key, group);
            }
          }
          const actual = new Map(
            rows.map((row) => [groupBy.map((dimension) => row[dimension]).join('|'), row]),
          );
          expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
          for (const [key, group] of expected) {
            expect(actual.get(key)).toMatchObject({
              consignments: group.declarations.size,
              items: group.items,
              quantity: group.quantity,
            });
          }
          const total = (name: 'value' | 'duty' | 'tax') =>
            rows.reduce((sum, row) => sum.plus(String(row[name])), new Decimal(0)).toFixed(2);
          const sumOf = (pick: (assessment: Assessment) => string) =>
            cases
              .reduce((sum, { record }) => sum.plus(pick(record.assessment as Assessment)), new Decimal(0))
              .toFixed(2);
          expect(total('value')).toBe(sumOf((assessment) => assessment.intrinsicValue));
          expect(total('duty')).toBe(sumOf((assessment) => assessment.totals.duty));
          expect(total('tax')).toBe(sumOf((assessment) => assessment.totals.tax));
          expect(rows.reduce((sum, row) => sum + Number(row.items), 0)).toBe(
            cases.reduce((sum, { declaration }) => sum + declaration.items.length, 0),
          );
        }),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
