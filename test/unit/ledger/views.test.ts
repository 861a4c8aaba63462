import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerWrites } from '../../../shared/adapters/ledger-store.js';
import { outstandingAtImport, releaseDecision } from '../../../shared/domain/clearance/record.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  extinguishesDebt,
  ledgerEntriesForAssessment,
  ledgerEntriesForExtinguishment,
  ledgerEntriesForPayment,
  ledgerEntriesForRefund,
} from '../../../shared/domain/ledger/entries.js';
import {
  daysOfMonth,
  publicStatistics,
  rangeOf,
  releaseTimePercentiles,
  revenueCellFrom,
  type StatisticsCell,
  summarizeRevenue,
  summarizeStatement,
} from '../../../shared/domain/ledger/views.js';
import { Decimal } from '../../../shared/domain/money.js';
import { csvField, toCsv, wantsCsv } from '../../../shared/http/csv.js';
import { parseInput } from '../../../shared/http/parse.js';
import { RevenueQuerySchema, StatisticsQuerySchema } from '../../../shared/http/schemas/ledger.js';
import { anAssessedRecord, anAssessment, aPayment, memoryTable } from './support.js';

const validationErrors = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return { message: error.message, errors: error.errors };
    throw error;
  }
  throw new Error('no validation error');
};

describe('the range query', () => {
  const revenueQuery = (query: Record<string, string>) =>
    rangeOf(parseInput(RevenueQuerySchema, query, 'The query parameters are not valid'));

  it('reads dates and a comma-separated groupBy in the order given', () => {
    expect(revenueQuery({ from: '2026-07-01', to: '2026-07-31', groupBy: 'month, taxCode,month' })).toEqual({
      from: '2026-07-01',
      to: '2026-07-31',
      groupBy: ['month', 'taxCode'],
    });
  });

  it('names an unknown groupBy', () => {
    const problem = validationErrors(() =>
      revenueQuery({ from: '2026-07-01', to: '2026-07-02', groupBy: 'day,country' }),
    );
    expect(problem.message).toContain('"country"');
    expect(problem.errors).toEqual([{ path: 'groupBy', message: expect.stringContaining('"country"') }]);
  });

  it('refuses bad dates, a reversed range, a range over 366 days and unknown parameters', () => {
    expect(
      new Set(
        validationErrors(() => revenueQuery({ from: '2026-02-30', to: 'x' })).errors.map((e) => e.path),
      ),
    ).toEqual(new Set(['from', 'to']));
    expect(validationErrors(() => revenueQuery({ from: '2026-07-02', to: '2026-07-01' })).errors).toEqual([
      { path: 'to', message: 'must not be before from' },
    ]);
    expect(revenueQuery({ from: '2024-01-01', to: '2024-12-31' }).to).toBe('2024-12-31');
    expect(
      validationErrors(() => revenueQuery({ from: '2025-01-01', to: '2026-01-02' })).errors[0]?.message,
    ).toContain('366');
    expect(
      validationErrors(() => revenueQuery({ from: '2026-07-01', to: '2026-07-01', colour: 'red' })).errors[0]
        ?.path,
    ).toBe('colour');
  });

  it('knows the groupBy names of statistics and the days of a month', () => {
    expect(
      rangeOf(
        parseInput(
          StatisticsQuerySchema,
          { from: '2026-07-01', to: '2026-07-01', groupBy: 'valueBand,lane' },
          'The query parameters are not valid',
        ),
      ).groupBy,
    ).toEqual(['valueBand', 'lane']);
    expect(daysOfMonth('2028-02')).toHaveLength(29);
    expect(daysOfMonth('2026-07').at(-1)).toBe('2026-07-31');
  });
});

/** Books facts through the store's writes and reads the revenue cells back. */
const cellsOf = (facts: Parameters<typeof ledgerWrites>[1][]) => {
  const table = memoryTable();
  for (const entries of facts) table.transact(ledgerWrites('ledger', entries));
  return table.aggregates('REV#').flatMap((item) => revenueCellFrom(item) ?? []);
};

describe('summarizeRevenue', () => {
  it('counts checkout taxes as assessed and collected, so outstanding is what is due at import and unpaid', () => {
    // Prepare: a consumer declaration half paid and refunded 1.00; an IOSS declaration with VAT at checkout
    const consumer = anAssessedRecord({ id: 'a', payments: [aPayment('p1', '4.00')] });
    const ioss = anAssessedRecord({
      id: 'b',
      assessment: anAssessment({
        duties: [{ code: 'DUTY', base: '1', amount: '3.00', legalBasis: 'x' }],
        taxes: [{ code: 'VAT', base: '25', rate: '0.21', amount: '5.25', collectedAtCheckout: true }],
        payer: 'SELLER',
      }),
    });
    const cells = cellsOf([
      ledgerEntriesForAssessment(consumer, { collectionModel: 'CONSUMER_AT_IMPORT' }),
      ledgerEntriesForPayment(consumer, { collectionModel: 'CONSUMER_AT_IMPORT' }, aPayment('p1', '4.00')),
      ledgerEntriesForRefund(
        consumer,
        { collectionModel: 'CONSUMER_AT_IMPORT' },
        {
          id: 'r1',
          amount: '1.00',
          currency: 'EUR',
          recordedAt: '2026-07-03T00:00:00.000Z',
          lines: [{ taxCode: 'DUTY', amount: '1.00' }],
        },
      ),
      ledgerEntriesForAssessment(ioss, { collectionModel: 'SELLER_AT_CHECKOUT' }),
    ]);

    // Act
    const byModelAndCode = summarizeRevenue(cells, ['collectionModel', 'taxCode']);
    const total = summarizeRevenue(cells, []);

    // Assess
    expect(byModelAndCode).toEqual([
      {
        collectionModel: 'CONSUMER_AT_IMPORT',
        taxCode: 'DUTY',
        currency: 'EUR',
        assessed: '3.00',
        collected: '3.00',
        refunded: '1.00',
        extinguished: '0.00',
        outstanding: '0.00',
      },
      {
        collectionModel: 'CONSUMER_AT_IMPORT',
        taxCode: 'VAT',
        currency: 'EUR',
        assessed: '5.88',
        collected: '1.00',
        refunded: '0.00',
        extinguished: '0.00',
        outstanding: '4.88',
      },
      {
        collectionModel: 'SELLER_AT_CHECKOUT',
        taxCode: 'DUTY',
        currency: 'EUR',
        assessed: '3.00',
        collected: '0.00',
        refunded: '0.00',
        extinguished: '0.00',
        outstanding: '3.00',
      },
      {
        collectionModel: 'SELLER_AT_CHECKOUT',
        taxCode: 'VAT',
        currency: 'EUR',
        assessed: '5.25',
        collected: '5.25',
        refunded: '0.00',
        extinguished: '0.00',
        outstanding: '0.00',
      },
    ]);
    expect(total).toEqual([
      {
        currency: 'EUR',
        assessed: '17.13',
        collected: '9.25',
        refunded: '1.00',
        extinguished: '0.00',
        outstanding: '7.88',
      },
    ]);
    expect(summarizeRevenue(cells, ['day', 'month']).map((row) => [row.day, row.month])).toEqual([
      ['2026-07-01', '2026-07'],
      ['2026-07-02', '2026-07'],
      ['2026-07-03', '2026-07'],
    ]);
  });
});

describe('summarizeStatement', () => {
  it("shows an account's checkout collections and charges, never consumer-paid declarations or other accounts", () => {
    // Prepare
    const deferred = anAssessedRecord({ id: 'a', assessment: anAssessment({ payer: 'PLATFORM' }) });
    const ioss = anAssessedRecord({
      id: 'b',
      assessment: anAssessment({
        taxes: [{ code: 'VAT', base: '25', rate: '0.21', amount: '5.25', collectedAtCheckout: true }],
        payer: 'SELLER',
      }),
    });
    const consumer = anAssessedRecord({ id: 'c' });
    const other = anAssessedRecord({ id: 'd', platformId: 'globex' });
    const cells = cellsOf([
      ledgerEntriesForAssessment(deferred, { collectionModel: 'DEFERRED_ACCOUNT' }),
      ledgerEntriesForAssessment(ioss, { collectionModel: 'SELLER_AT_CHECKOUT' }),
      ledgerEntriesForAssessment(consumer, { collectionModel: 'CONSUMER_AT_IMPORT' }),
      ledgerEntriesForAssessment(other, { collectionModel: 'DEFERRED_ACCOUNT' }),
    ]);

    // Act
    const statement = summarizeStatement(cells, 'acme', '2026-07');

    // Assess
    expect(
      statement.lines.map((line) => [
        line.collectionModel,
        line.taxCode,
        line.collectedAtCheckout,
        line.dueAtImport,
        line.balance,
      ]),
    ).toEqual([
      ['DEFERRED_ACCOUNT', 'DUTY', '0.00', '3.00', '3.00'],
      ['DEFERRED_ACCOUNT', 'VAT', '0.00', '5.88', '5.88'],
      ['SELLER_AT_CHECKOUT', 'DUTY', '0.00', '3.00', '3.00'],
      ['SELLER_AT_CHECKOUT', 'VAT', '5.25', '0.00', '0.00'],
    ]);
    expect(statement.totals).toEqual([
      {
        currency: 'EUR',
        collectedAtCheckout: '5.25',
        dueAtImport: '11.88',
        paid: '0.00',
        refunded: '0.00',
        extinguished: '0.00',
        balance: '11.88',
      },
    ]);
  });
});

/** Consignments spread evenly over as many filers, unless the test gives the filers. */
const evenlySpread = (consignments: number, value: Decimal): StatisticsCell['filers'] =>
  new Map(
    Array.from({ length: consignments }, (_, index) => [
      `filer-${index}`,
      { consignments: 1, value: value.div(consignments) },
    ]),
  );

const aCell = (overrides: Partial<StatisticsCell>): StatisticsCell => {
  const cell = aBareCell(overrides);
  return { ...cell, filers: overrides.filers ?? evenlySpread(cell.consignmentsPair, cell.value) };
};

const aBareCell = (overrides: Partial<StatisticsCell>): StatisticsCell => ({
  day: '2026-07-01',
  originCountry: 'CN',
  hsChapter: '61',
  channel: 'POST',
  lane: 'GREEN',
  collectionModel: 'CONSUMER_AT_IMPORT',
  valueBand: '0-150',
  consignmentsPair: 1,
  consignmentsOrigin: 1,
  consignmentsChapter: 1,
  consignmentsAll: 1,
  items: 1,
  quantity: 1,
  value: new Decimal('10.00'),
  duty: new Decimal('0.50'),
  tax: new Decimal('2.10'),
  histogram: new Map(),
  filers: new Map(),
  ...overrides,
});

describe('publicStatistics', () => {
  it('publishes cells of at least ten consignments and marks smaller ones suppressed, without figures', () => {
    const cells = [
      aCell({ consignmentsPair: 12, items: 12, quantity: 20 }),
      aCell({ originCountry: 'VN', consignmentsPair: 3, items: 3 }),
      aCell({ day: '2026-08-01', consignmentsPair: 50 }),
    ];
    const published = publicStatistics(cells, '2026-07', 'EUR');
    expect(published.rows).toEqual([
      {
        hsChapter: '61',
        originCountry: 'CN',
        channel: 'POST',
        suppressed: false,
        consignments: 12,
        items: 12,
        quantity: 20,
        value: '10.00',
        duty: '0.50',
        tax: '2.10',
      },
      { hsChapter: '61', originCountry: 'VN', channel: 'POST', suppressed: true },
    ]);
    expect(JSON.stringify(published)).not.toMatch(/platform|acme/i);
  });

  const shares = (...entries: [string, number, string][]): StatisticsCell['filers'] =>
    new Map(
      entries.map(([filer, consignments, value]) => [filer, { consignments, value: new Decimal(value) }]),
    );

  it('suppresses a cell in which one filer lodged most of the consignments, however many there are', () => {
    // Prepare: 40 consignments, 21 of them from one platform (52.5 %)
    const cell = aCell({
      consignmentsPair: 40,
      value: new Decimal('400.00'),
      filers: shares(['acme', 21, '210.00'], ['globex', 19, '190.00']),
    });

    // Act
    const published = publicStatistics([cell], '2026-07', 'EUR');

    // Assess
    expect(published.maximumFilerShare).toBe('0.5');
    expect(published.rows).toEqual([
      { hsChapter: '61', originCountry: 'CN', channel: 'POST', suppressed: true },
    ]);
  });

  it('suppresses a cell in which one filer holds most of the value, and splits the sums over the cells of a row', () => {
    // Prepare: 12 consignments over 11 filers, but one filer's 2 consignments are worth 60 % of the value,
    // recorded in two cells (two lanes) of the same published row
    const cells = [
      aCell({
        lane: 'GREEN',
        consignmentsPair: 6,
        value: new Decimal('300.00'),
        filers: shares(
          ['big', 1, '250.00'],
          ...[1, 2, 3, 4, 5].map((n): [string, number, string] => [`small-${n}`, 1, '10.00']),
        ),
      }),
      aCell({
        lane: 'AMBER',
        consignmentsPair: 6,
        value: new Decimal('200.00'),
        filers: shares(
          ['big', 1, '50.00'],
          ...[6, 7, 8, 9, 10].map((n): [string, number, string] => [`small-${n}`, 1, '30.00']),
        ),
      }),
    ];

    // Act
    const published = publicStatistics(cells, '2026-07', 'EUR');

    // Assess
    expect(published.rows).toEqual([
      { hsChapter: '61', originCountry: 'CN', channel: 'POST', suppressed: true },
    ]);
  });

  it('publishes a cell whose largest filer has exactly half of it', () => {
    const cell = aCell({
      consignmentsPair: 20,
      value: new Decimal('200.00'),
      filers: shares(['acme', 10, '100.00'], ['globex', 10, '100.00']),
    });
    expect(publicStatistics([cell], '2026-07', 'EUR').rows[0]).toMatchObject({
      suppressed: false,
      consignments: 20,
    });
  });

  it('treats consignments without a filer share as one more filer', () => {
    const legacy = aBareCell({ consignmentsPair: 30, value: new Decimal('300.00') });
    expect(publicStatistics([legacy], '2026-07', 'EUR').rows[0]).toMatchObject({ suppressed: true });
  });

  it('never publishes a row in which one filer has more than half of the consignments or the value', () => {
    const filerIds = ['a', 'b', 'c', 'd'];
    const cellArbitrary = fc
      .record({
        originCountry: fc.constantFrom('CN', 'VN'),
        lane: fc.constantFrom('GREEN' as const, 'AMBER' as const),
        counts: fc.array(fc.tuple(fc.nat({ max: 8 }), fc.integer({ min: 1, max: 50_000 })), {
          minLength: filerIds.length,
          maxLength: filerIds.length,
        }),
      })
      .map(({ originCountry, lane, counts }) => {
        const filers = new Map(
          counts
            .map(([consignments, cents], index) => ({ consignments, cents, filer: filerIds[index] ?? '' }))
            .filter((share) => share.consignments > 0)
            .map((share) => [
              share.filer,
              {
                consignments: share.consignments,
                value: new Decimal(share.cents).times(share.consignments).div(100),
              },
            ]),
        );
        const shares = [...filers.values()];
        return aCell({
          originCountry,
          lane,
          consignmentsPair: shares.reduce((total, share) => total + share.consignments, 0),
          value: shares.reduce((total, share) => total.plus(share.value), new Decimal(0)),
          filers,
        });
      });
    fc.assert(
      fc.property(fc.array(cellArbitrary, { maxLength: 8 }), (cells) => {
        for (const row of publicStatistics(cells, '2026-07', 'EUR').rows) {
          if (row.suppressed) continue;
          const inRow = cells.filter((cell) => cell.originCountry === row.originCountry);
          const byFiler = new Map<string, { consignments: number; value: Decimal }>();
          for (const cell of inRow)
            for (const [filer, share] of cell.filers) {
              const sum = byFiler.get(filer) ?? { consignments: 0, value: new Decimal(0) };
              byFiler.set(filer, {
                consignments: sum.consignments + share.consignments,
                value: sum.value.plus(share.value),
              });
            }
          expect(row.consignments).toBeGreaterThanOrEqual(10);
          for (const share of byFiler.values()) {
            expect(share.consignments * 2).toBeLessThanOrEqual(row.consignments);
            expect(share.value.times(2).lte(new Decimal(row.value))).toBe(true);
          }
        }
      }),
    );
  });
});

describe('releaseTimePercentiles', () => {
  it('reports p50, p90 and p99 per lane from every histogram', () => {
    const rows = releaseTimePercentiles([
      {
        lane: 'GREEN',
        histogram: new Map([
          [40, 90],
          [60, 10],
        ]),
      },
      { lane: 'RED', histogram: new Map([[80, 1]]) },
      { lane: 'AMBER', histogram: new Map() },
    ]);
    expect(rows).toEqual([
      { lane: 'GREEN', p50Ms: 1024, p90Ms: 1024, p99Ms: 32768 },
      { lane: 'RED', p50Ms: 1048576, p90Ms: 1048576, p99Ms: 1048576 },
    ]);
  });
});

describe('csv', () => {
  it('quotes as RFC 4180 says, ends lines with CRLF and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12.50')).toBe('-12.50');
    expect(toCsv(['platform', 'assessed'], [{ platform: 'acme, inc', assessed: '1.00' }])).toBe(
      'platform,assessed\r\n"acme, inc",1.00\r\n',
    );
  });

  it('answers CSV only when the client prefers it', () => {
    expect(wantsCsv({ accept: 'text/csv' })).toBe(true);
    expect(wantsCsv({ accept: 'application/json, text/csv;q=0.5' })).toBe(false);
    expect(wantsCsv({ accept: '*/*' })).toBe(false);
    expect(wantsCsv({})).toBe(false);
  });
});

describe('extinguished debt (UCC Art. 124(1)(d), (e))', () => {
  // Worked example: a declaration of EUR 3.00 duty and EUR 5.88 VAT due at import is invalidated at the
  // declarant's request after assessment (UCC Art. 174; the debt ends under Art. 124(1)(d), see
  // https://ploum.nl/en/news/article-124-ucc-systematics-coherence-and-the-limits-of-the-extinguish-ment-of-a-customs-debt).
  const ENDED_AT = '2026-07-05T09:00:00.000Z';

  it('books what was unpaid as EXTINGUISHED and refunds what was paid, so outstanding falls to zero', () => {
    // Prepare: EUR 4.00 of EUR 8.88 paid (covers the 3.00 duty first, then 1.00 VAT)
    const paid = anAssessedRecord({ id: 'a', payments: [aPayment('p1', '4.00')] });
    const ended = { ...paid, status: 'CANCELLED' as const };
    const model = { collectionModel: 'CONSUMER_AT_IMPORT' as const };

    // Act
    const entries = ledgerEntriesForExtinguishment(ended, model, ENDED_AT);
    const cells = cellsOf([
      ledgerEntriesForAssessment(paid, model),
      ledgerEntriesForPayment(paid, model, aPayment('p1', '4.00')),
      entries,
    ]);

    // Assess
    expect(entries.map((entry) => [entry.id, entry.kind, entry.taxCode, entry.amount])).toEqual([
      ['a#EXTINGUISHED#VAT#EUR', 'EXTINGUISHED', 'VAT', '4.88'],
      ['a#REFUNDED#EXTINGUISHMENT#DUTY#EUR', 'REFUNDED', 'DUTY', '3'],
      ['a#REFUNDED#EXTINGUISHMENT#VAT#EUR', 'REFUNDED', 'VAT', '1'],
    ]);
    expect(summarizeRevenue(cells, [])).toEqual([
      {
        currency: 'EUR',
        assessed: '8.88',
        collected: '4.00',
        refunded: '4.00',
        extinguished: '4.88',
        outstanding: '0.00',
      },
    ]);
  });

  it("nets a cancelled consignment to zero on the account's statement", () => {
    const deferred = anAssessedRecord({ id: 'd', assessment: anAssessment({ payer: 'PLATFORM' }) });
    const model = { collectionModel: 'DEFERRED_ACCOUNT' as const };
    const cells = cellsOf([
      ledgerEntriesForAssessment(deferred, model),
      ledgerEntriesForExtinguishment({ ...deferred, status: 'REJECTED' }, model, ENDED_AT),
    ]);

    const statement = summarizeStatement(cells, 'acme', '2026-07');

    expect(statement.totals).toEqual([
      {
        currency: 'EUR',
        collectedAtCheckout: '0.00',
        dueAtImport: '8.88',
        paid: '0.00',
        refunded: '0.00',
        extinguished: '8.88',
        balance: '0.00',
      },
    ]);
  });

  describe("the declarant's own lines on a consumer-paid declaration (EU flat duty, Delegated Regulation (EU) 2026/1022)", () => {
    // The consumer pays the VAT before release; the EUR 3 duty is the lodging platform's debt, on its account
    // (https://www.owlbrief.com/briefs/14284-european-commission-updates-customs-declaration-data-for-eur-3-duty-on-distance-sales-eur150).
    const flat = anAssessedRecord({
      id: 'f',
      assessment: anAssessment({
        duties: [
          {
            code: 'EU_FLAT_DUTY',
            hsCode: '610910',
            base: '25.00',
            amount: '3.00',
            legalBasis: 'x',
            payer: 'PLATFORM',
          },
        ],
      }),
    });
    const model = { collectionModel: 'CONSUMER_AT_IMPORT' as const };

    it("books the duty on the platform and the consumer's payment on the VAT alone", () => {
      const assessed = ledgerEntriesForAssessment(flat, model);
      const payment = ledgerEntriesForPayment(flat, model, aPayment('p1', '5.88'));

      expect(assessed.map((entry) => [entry.taxCode, entry.amount, entry.payer])).toEqual([
        ['EU_FLAT_DUTY', '3', 'PLATFORM'],
        ['VAT', '5.88', 'CONSUMER'],
      ]);
      expect(payment.map((entry) => [entry.taxCode, entry.amount, entry.payer])).toEqual([
        ['VAT', '5.88', 'CONSUMER'],
      ]);
      expect(outstandingAtImport({ ...flat, payments: [aPayment('p1', '5.88')] }).toFixed(2)).toBe('0.00');
      expect(releaseDecision({ ...flat, payments: [aPayment('p1', '5.88')] }).status).toBe('RELEASED');
    });

    it("puts the duty on the platform's statement and revenue by payer, and extinguishes it there", () => {
      const paid = { ...flat, payments: [aPayment('p1', '5.88')] };
      const cells = cellsOf([
        ledgerEntriesForAssessment(flat, model),
        ledgerEntriesForPayment(paid, model, aPayment('p1', '5.88')),
      ]);

      expect(
        summarizeStatement(cells, 'acme', '2026-07').lines.map((line) => [
          line.collectionModel,
          line.taxCode,
          line.dueAtImport,
          line.balance,
        ]),
      ).toEqual([['CONSUMER_AT_IMPORT', 'EU_FLAT_DUTY', '3.00', '3.00']]);
      expect(summarizeRevenue(cells, ['payer'])).toEqual([
        expect.objectContaining({
          payer: 'CONSUMER',
          assessed: '5.88',
          collected: '5.88',
          outstanding: '0.00',
        }),
        expect.objectContaining({
          payer: 'PLATFORM',
          assessed: '3.00',
          collected: '0.00',
          outstanding: '3.00',
        }),
      ]);

      const ended = ledgerEntriesForExtinguishment({ ...paid, status: 'CANCELLED' }, model, ENDED_AT);
      expect(ended.map((entry) => [entry.kind, entry.taxCode, entry.amount, entry.payer])).toEqual([
        ['EXTINGUISHED', 'EU_FLAT_DUTY', '3', 'PLATFORM'],
        ['REFUNDED', 'VAT', '5.88', 'CONSUMER'],
      ]);
    });
  });

  it('extinguishes only on the first change to CANCELLED, REJECTED or SEIZED of an assessed declaration', () => {
    const assessed = anAssessedRecord({ status: 'AWAITING_PAYMENT' });
    const { assessment: _none, ...unassessed } = assessed;
    expect(extinguishesDebt(assessed, { ...assessed, status: 'SEIZED' })).toBe(true);
    expect(extinguishesDebt({ ...assessed, status: 'HELD' }, { ...assessed, status: 'REJECTED' })).toBe(true);
    expect(extinguishesDebt({ ...assessed, status: 'CANCELLED' }, { ...assessed, status: 'CANCELLED' })).toBe(
      false,
    );
    expect(extinguishesDebt({ status: 'HELD' }, { ...unassessed, status: 'CANCELLED' })).toBe(false);
    expect(extinguishesDebt(assessed, { ...assessed, status: 'RELEASED' })).toBe(false);
  });
});
