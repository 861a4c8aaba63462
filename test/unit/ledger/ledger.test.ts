import { describe, expect, it } from 'vitest';
import {
  ledgerWrites,
  MAX_TRANSACTION_ITEMS,
  planTransactions,
  splitOversized,
} from '../../../shared/adapters/ledger-store.js';
import { packFor } from '../../../shared/countries/index.js';
import { inOneShard, mergeDeltas, revenueDeltas } from '../../../shared/domain/ledger/aggregates.js';
import {
  ledgerEntriesForAssessment,
  ledgerEntriesForPayment,
  ledgerEntriesForRefund,
  UNALLOCATED,
} from '../../../shared/domain/ledger/entries.js';
import { shardOf } from '../../../shared/domain/ledger/keys.js';
import {
  bucketUpperBoundMs,
  histogramQuantile,
  releaseBucket,
  releaseTimeDelta,
} from '../../../shared/domain/ledger/release-time.js';
import { statisticsDeltaFor } from '../../../shared/domain/ledger/statistics.js';
import { allocate, Decimal } from '../../../shared/domain/money.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';
import { anAssessedRecord, anAssessment, aPayment, memoryTable } from './support.js';

const NL = packFor('NL');
const sum = (amounts: string[]) =>
  amounts.reduce((total, amount) => total.plus(amount), new Decimal(0)).toFixed(2);

describe('ledgerEntriesForAssessment', () => {
  it('books amounts due at import as ASSESSED and checkout taxes as CHECKOUT_DECLARED, one per code', () => {
    // Prepare
    const record = anAssessedRecord({
      assessment: anAssessment({
        duties: [
          { code: 'DUTY', hsCode: '610910', base: '10.00', amount: '1.20', legalBasis: 'x' },
          { code: 'DUTY', hsCode: '640399', base: '10.00', amount: '0.80', legalBasis: 'x' },
        ],
        taxes: [{ code: 'VAT', base: '25.00', rate: '0.21', amount: '5.25', collectedAtCheckout: true }],
        fees: [{ code: 'HANDLING_FEE', amount: '2.00', legalBasis: 'x' }],
        payer: 'SELLER',
      }),
    });

    // Act
    const entries = ledgerEntriesForAssessment(record, { collectionModel: 'SELLER_AT_CHECKOUT' });

    // Assess
    expect(entries.map(({ id, kind, taxCode, amount }) => ({ id, kind, taxCode, amount }))).toEqual([
      { id: 'dcl_1#ASSESSED#DUTY#EUR', kind: 'ASSESSED', taxCode: 'DUTY', amount: '2' },
      { id: 'dcl_1#ASSESSED#HANDLING_FEE#EUR', kind: 'ASSESSED', taxCode: 'HANDLING_FEE', amount: '2' },
      { id: 'dcl_1#CHECKOUT_DECLARED#VAT#EUR', kind: 'CHECKOUT_DECLARED', taxCode: 'VAT', amount: '5.25' },
    ]);
    expect(entries.every((entry) => entry.fact === 'ASSESSMENT' && entry.payer === 'SELLER')).toBe(true);
    expect(entries[0]?.at).toBe('2026-07-01T10:00:02.000Z');
  });

  it('books nothing for an assessment that charges nothing', () => {
    const record = anAssessedRecord({ assessment: anAssessment({ duties: [], taxes: [], fees: [] }) });
    expect(ledgerEntriesForAssessment(record, { collectionModel: 'CONSUMER_AT_IMPORT' })).toEqual([]);
  });

  it('derives the same ids every time, so a redelivery books the same entries', () => {
    const record = anAssessedRecord();
    const first = ledgerEntriesForAssessment(record, { collectionModel: 'CONSUMER_AT_IMPORT' });
    const again = ledgerEntriesForAssessment(structuredClone(record), {
      collectionModel: 'CONSUMER_AT_IMPORT',
    });
    expect(again).toEqual(first);
  });
});

describe('ledgerEntriesForPayment', () => {
  const declaration = { collectionModel: 'CONSUMER_AT_IMPORT' } as const;

  it('covers the codes due in assessment order, after the payments before it', () => {
    // Prepare: DUTY 3.00 then VAT 5.88 due
    const first = aPayment('p1', '2.00');
    const second = aPayment('p2', '5.00');
    const record = anAssessedRecord({ payments: [first, second] });

    // Act
    const one = ledgerEntriesForPayment(record, declaration, first);
    const two = ledgerEntriesForPayment(record, declaration, second);

    // Assess
    expect(one.map((entry) => [entry.id, entry.taxCode, entry.amount])).toEqual([
      ['dcl_1#COLLECTED#p1#DUTY', 'DUTY', '2'],
    ]);
    expect(two.map((entry) => [entry.taxCode, entry.amount])).toEqual([
      ['DUTY', '1'],
      ['VAT', '4'],
    ]);
  });

  it('gives the same entries whether the payment is already in the record or not', () => {
    const payment = aPayment('p2', '5.00');
    const before = anAssessedRecord({ payments: [aPayment('p1', '2.00')] });
    const after = anAssessedRecord({ payments: [aPayment('p1', '2.00'), payment] });
    expect(ledgerEntriesForPayment(before, declaration, payment)).toEqual(
      ledgerEntriesForPayment(after, declaration, payment),
    );
  });

  it('keeps an overpayment on the last code and books a foreign-currency payment as unallocated', () => {
    const record = anAssessedRecord();
    const over = ledgerEntriesForPayment(record, declaration, aPayment('p1', '10.00'));
    expect(over.map((entry) => [entry.taxCode, entry.amount])).toEqual([
      ['DUTY', '3'],
      ['VAT', '7'],
    ]);
    const foreign = ledgerEntriesForPayment(record, declaration, {
      ...aPayment('p2', '4.00'),
      currency: 'USD',
    });
    expect(foreign.map((entry) => [entry.taxCode, entry.currency, entry.amount])).toEqual([
      [UNALLOCATED, 'USD', '4'],
    ]);
  });
});

describe('ledgerEntriesForRefund', () => {
  const declaration = { collectionModel: 'CONSUMER_AT_IMPORT' } as const;

  it('spreads a refund over what was collected, exactly to the cent', () => {
    // Prepare: everything paid (DUTY 3.00, VAT 5.88)
    const record = anAssessedRecord({ payments: [aPayment('p1', '8.88')] });

    // Act
    const entries = ledgerEntriesForRefund(record, declaration, {
      id: 'r1',
      amount: '1.00',
      currency: 'EUR',
      recordedAt: '2026-07-05T00:00:00.000Z',
    });

    // Assess
    expect(entries.map((entry) => [entry.id, entry.taxCode, entry.amount])).toEqual([
      ['dcl_1#REFUNDED#r1#DUTY', 'DUTY', '0.34'],
      ['dcl_1#REFUNDED#r1#VAT', 'VAT', '0.66'],
    ]);
    expect(sum(entries.map((entry) => entry.amount))).toBe('1.00');
  });

  it('follows the lines a refund names', () => {
    const entries = ledgerEntriesForRefund(anAssessedRecord(), declaration, {
      id: 'r2',
      amount: '5.88',
      currency: 'EUR',
      recordedAt: '2026-07-05T00:00:00.000Z',
      lines: [{ taxCode: 'VAT', amount: '5.88' }],
    });
    expect(entries.map((entry) => [entry.taxCode, entry.amount])).toEqual([['VAT', '5.88']]);
  });
});

describe('allocate', () => {
  it('splits by largest remainder so the parts add up exactly', () => {
    const parts = allocate(
      new Decimal('10.00'),
      [1, 1, 1].map((weight) => new Decimal(weight)),
      2,
    );
    expect(parts.map((part) => part.toFixed(2))).toEqual(['3.34', '3.33', '3.33']);
  });

  it('splits a negative total as the mirror image of the positive one', () => {
    const weights = [1, 1, 1].map((weight) => new Decimal(weight));
    const parts = allocate(new Decimal('-10.00'), weights, 2);
    expect(parts.map((part) => part.toFixed(2))).toEqual(['-3.34', '-3.33', '-3.33']);
  });

  it('puts everything on the first part when no weight is positive', () => {
    const parts = allocate(new Decimal('1.5'), [new Decimal(0), new Decimal(0)], 2);
    expect(parts.map((part) => part.toFixed(2))).toEqual(['1.50', '0.00']);
  });
});

describe('inOneShard', () => {
  it('moves every update to the shard of the first, so mergeDeltas sums a batch into one cell per key', () => {
    const add = (amount: string) => ({ 'A:VAT': new Decimal(amount) });
    const deltas = inOneShard([
      { pk: 'REV#2026-07-01#3', sk: 'acme#M#P#EUR', add: add('1.10') },
      { pk: 'REV#2026-07-01#6', sk: 'acme#M#P#EUR', add: add('2.25') },
      { pk: 'STAT#2026-07-02#0', sk: 'RT#GREEN', add: add('1') },
    ]);
    expect(deltas.map((delta) => delta.pk)).toEqual([
      'REV#2026-07-01#3',
      'REV#2026-07-01#3',
      'STAT#2026-07-02#3',
    ]);
    const merged = mergeDeltas(deltas);
    expect(merged).toHaveLength(2);
    expect(merged[0]?.add['A:VAT']?.toFixed(2)).toBe('3.35');
  });

  it('leaves nothing to move when there is nothing', () => {
    expect(inOneShard([])).toEqual([]);
  });
});

describe('revenueDeltas', () => {
  it('pre-sums entries of one cell into one update per day, shard, platform, model, payer and currency', () => {
    const record = anAssessedRecord();
    const entries = ledgerEntriesForAssessment(record, { collectionModel: 'CONSUMER_AT_IMPORT' });
    const deltas = revenueDeltas([...entries, ...entries]);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]?.pk).toBe(`REV#2026-07-01#${shardOf('dcl_1')}`);
    expect(deltas[0]?.sk).toBe('acme#CONSUMER_AT_IMPORT#CONSUMER#EUR');
    expect(
      Object.fromEntries(Object.entries(deltas[0]?.add ?? {}).map(([k, v]) => [k, v.toFixed(2)])),
    ).toEqual({
      'A:DUTY': '6.00',
      'A:VAT': '11.76',
    });
  });
});

describe('statisticsDeltaFor', () => {
  it('counts a consignment once at every grouping level and attributes value, duty and tax exactly', () => {
    // Prepare: three lines, two origins, two chapters
    const declaration = aDeclaration({
      items: [
        anItem({ hsCode: '610910', originCountry: 'CN', value: '10.00', quantity: 2 }),
        anItem({ hsCode: '640399', originCountry: 'CN', value: '20.00', quantity: 1 }),
        anItem({ hsCode: '610910', originCountry: 'VN', value: '10.00', quantity: 3 }),
      ],
    });
    const record = anAssessedRecord({
      status: 'RELEASED',
      assessment: anAssessment({
        intrinsicValue: '40.00',
        duties: [{ code: 'DUTY', hsCode: '610910', base: '20', amount: '1.01', legalBasis: 'x' }],
        taxes: [{ code: 'VAT', base: '41', rate: '0.21', amount: '8.61', collectedAtCheckout: false }],
      }),
    });

    // Act
    const deltas = statisticsDeltaFor(record, declaration, NL);

    // Assess
    const view = deltas.map((delta) => ({
      sk: delta.sk,
      add: Object.fromEntries(Object.entries(delta.add).map(([name, value]) => [name, value.toFixed()])),
    }));
    const band = view[0]?.sk.split('#').at(-1);
    expect(view.map((cell) => cell.sk)).toEqual([
      `C#CN#61#POST#GREEN#CONSUMER_AT_IMPORT#${band}`,
      `C#CN#64#POST#GREEN#CONSUMER_AT_IMPORT#${band}`,
      `C#VN#61#POST#GREEN#CONSUMER_AT_IMPORT#${band}`,
    ]);
    expect(view[0]?.add).toMatchObject({
      cPair: '1',
      cAll: '1',
      cOrigin: '1',
      cChapter: '1',
      items: '1',
      quantity: '2',
    });
    expect(view[1]?.add).toMatchObject({ cPair: '1', cChapter: '1' });
    expect(view[1]?.add.cAll).toBeUndefined();
    expect(view[1]?.add.cOrigin).toBeUndefined();
    expect(view[2]?.add).toMatchObject({ cPair: '1', cOrigin: '1' });
    expect(view[2]?.add.cChapter).toBeUndefined();
    const total = (name: string) => sum(deltas.map((delta) => delta.add[name]?.toFixed(2) ?? '0'));
    expect([total('value'), total('duty'), total('tax')]).toEqual(['40.00', '1.01', '8.61']);
    // duty only on the lines of its HS code
    expect(view[1]?.add.duty).toBeUndefined();
    // the lodging filer's share of each cell, for the dominance rule of published statistics
    expect(view.map((cell) => cell.add[`F:${record.platformId}`])).toEqual(['1', '1', '1']);
    expect(total(`FV:${record.platformId}`)).toBe('40.00');
    // released in the same step: one release-time observation on the first cell
    expect(Object.keys(view[0]?.add ?? {}).filter((name) => /^h\d+$/.test(name))).toHaveLength(1);
  });

  it('leaves a rejected declaration out', () => {
    const record = anAssessedRecord({ status: 'REJECTED' });
    expect(statisticsDeltaFor(record, aDeclaration(), NL)).toEqual([]);
  });
});

describe('release-time histogram', () => {
  it('puts a duration in the bucket whose bounds hold it', () => {
    for (const ms of [1, 2, 999, 1000, 1001, 60_000, 3_600_000, 86_400_000 * 7]) {
      const bucket = releaseBucket(ms);
      expect(bucketUpperBoundMs(bucket)).toBeGreaterThanOrEqual(ms);
      if (bucket > 0) expect(bucketUpperBoundMs(bucket - 1)).toBeLessThan(ms);
    }
  });

  it('estimates quantiles within one bucket (19%) of the truth', () => {
    const durations = Array.from({ length: 1000 }, (_, index) => (index + 1) * 10);
    const buckets = new Map<number, number>();
    for (const ms of durations) buckets.set(releaseBucket(ms), (buckets.get(releaseBucket(ms)) ?? 0) + 1);
    const p90 = histogramQuantile(buckets, 0.9) ?? 0;
    expect(p90).toBeGreaterThanOrEqual(9000);
    expect(p90).toBeLessThanOrEqual(9000 * 1.19);
  });

  it('observes a release after assessment in its lane on the day of release', () => {
    const record = anAssessedRecord({ status: 'RELEASED', lane: 'AMBER' });
    const [delta] = releaseTimeDelta(record);
    expect(delta?.sk).toBe('RT#AMBER');
    expect(delta?.pk).toMatch(/^STAT#2026-07-01#\d$/);
    expect(releaseTimeDelta(anAssessedRecord({ status: 'HELD' }))).toEqual([]);
  });
});

describe('ledgerWrites', () => {
  it('writes each fact once under a condition and each aggregate item once', () => {
    // Prepare
    const table = memoryTable();
    const record = anAssessedRecord();
    const entries = ledgerEntriesForAssessment(record, { collectionModel: 'CONSUMER_AT_IMPORT' });
    const deltas = statisticsDeltaFor(record, aDeclaration(), NL);

    // Act
    const writes = ledgerWrites('ledger', entries, deltas);
    const first = table.transact(writes);
    const again = table.transact(ledgerWrites('ledger', entries, deltas));

    // Assess
    expect(writes.filter((write) => write.Put)).toHaveLength(1);
    expect(writes.filter((write) => write.Update)).toHaveLength(2);
    expect(first).toBe(true);
    expect(again).toBe(false);
    const [revenue] = table.aggregates('REV#');
    expect(revenue?.numbers).toEqual({ 'A:DUTY': '3', 'A:VAT': '5.88' });
  });

  it('packs several declarations into one transaction, pre-summing shared cells', () => {
    // Prepare: 30 declarations of one platform on one day
    const steps = Array.from({ length: 30 }, (_, index) => {
      const record = anAssessedRecord({ id: `dcl_${index}` });
      return {
        writes: [{ Put: { TableName: 'declarations', Item: { pk: `DECL#${record.id}`, sk: 'STATE' } } }],
        entries: ledgerEntriesForAssessment(record, { collectionModel: 'CONSUMER_AT_IMPORT' }),
        deltas: statisticsDeltaFor(record, aDeclaration(), NL),
      };
    });

    // Act
    const { transactions, oversized } = planTransactions('ledger', steps);

    // Assess: 30 states + 30 facts + at most 8 revenue + 8 statistics cells fit one transaction
    expect(oversized).toEqual([]);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]?.writes.length).toBeLessThanOrEqual(30 + 30 + 16);
  });

  it('splits a consignment with more cells than a transaction holds into parts written once each', () => {
    // Prepare: 150 lines in 150 (origin, chapter) pairs
    const origins = ['CN', 'VN', 'IN', 'TR', 'US', 'GB', 'JP', 'KR', 'TH', 'ID'];
    const chapters = [
      '61',
      '62',
      '64',
      '42',
      '85',
      '95',
      '33',
      '39',
      '71',
      '90',
      '94',
      '63',
      '65',
      '96',
      '49',
    ];
    const items = origins.flatMap((originCountry) =>
      chapters.map((chapter) =>
        anItem({ originCountry, hsCode: `${chapter}0000`.slice(0, 6), value: '1.00' }),
      ),
    );
    const record = anAssessedRecord({ assessment: anAssessment({ intrinsicValue: '150.00' }) });
    const step = {
      writes: [{ Put: { TableName: 'declarations', Item: { pk: 'DECL#dcl_1', sk: 'STATE' } } }],
      entries: ledgerEntriesForAssessment(record, { collectionModel: 'CONSUMER_AT_IMPORT' }),
      deltas: statisticsDeltaFor(record, aDeclaration({ items }), NL),
    };
    const table = memoryTable();

    // Act
    const { main, parts } = splitOversized('ledger', record.id, step);
    const committed = [main, ...parts].map((writes) => table.transact(writes));
    const replayed = parts.map((writes) => table.transact(writes));

    // Assess
    expect(planTransactions('ledger', [step]).oversized).toHaveLength(1);
    expect(main.length).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    expect(committed.every(Boolean)).toBe(true);
    expect(replayed.some(Boolean)).toBe(false);
    const cells = table.aggregates('STAT#');
    expect(cells).toHaveLength(150);
    expect(sum(cells.map((cell) => cell.numbers.value ?? '0'))).toBe('150.00');
  });

  it('merges deltas to one item and drops zero additions', () => {
    const merged = mergeDeltas([
      { pk: 'a', sk: 'b', add: { x: new Decimal('1.10'), y: new Decimal(0) } },
      { pk: 'a', sk: 'b', add: { x: new Decimal('-1.10') } },
      { pk: 'a', sk: 'c', add: { x: new Decimal('2') } },
    ]);
    expect(merged.map((delta) => [delta.sk, Object.keys(delta.add)])).toEqual([['c', ['x']]]);
  });
});
