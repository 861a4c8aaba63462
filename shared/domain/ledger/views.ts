// Views over the aggregates (DESIGN.md sections 3 and 6): revenue by any grouping, a collecting
// account's monthly statement, item-level statistics with release-time percentiles, and the coarse
// published statistics. Pure: the adapter hands over the aggregate items of the days asked for.

import type { Lane } from '../clearance/record.js';
import type { CollectionModel } from '../declaration/declaration.js';
import { Decimal, minorUnitDigits } from '../money.js';
import type { LedgerKind } from './entries.js';
import {
  FILER_CONSIGNMENTS_PREFIX,
  FILER_VALUE_PREFIX,
  parseMeasureAttribute,
  parseRevenueKey,
  parseStatisticsKey,
  type RevenueCellKey,
  STAT,
  type StatisticsCellKey,
} from './keys.js';
import { histogramQuantile, parseHistogramAttribute } from './release-time.js';

/** Longest range one query may cover (a leap year). */
export const MAX_RANGE_DAYS = 366;

export const REVENUE_GROUP_BY = ['day', 'month', 'taxCode', 'collectionModel', 'platform', 'payer'] as const;
export type RevenueGroupBy = (typeof REVENUE_GROUP_BY)[number];

export const STATISTICS_GROUP_BY = [
  'day',
  'month',
  'originCountry',
  'hsChapter',
  'channel',
  'lane',
  'collectionModel',
  'valueBand',
] as const;
export type StatisticsGroupBy = (typeof STATISTICS_GROUP_BY)[number];

/** The names of a comma-separated `groupBy`, in order, without blanks or repeats. */
export const groupByNames = (raw: string | undefined): string[] => [
  ...new Set(
    (raw ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  ),
];

/** An aggregate item as read: its key and every numeric attribute as an exact decimal string. */
export interface AggregateItem {
  pk: string;
  sk: string;
  numbers: Record<string, string>;
}

/** Published statistics show no cell with fewer consignments than this. */
export const MINIMUM_PUBLISHED_CONSIGNMENTS = 10;
/**
 * Dominance rule, (1, 50 %): published statistics show no cell in which one filer lodged more than this
 * share of the consignments or of the value, since its own figures could be read off it.
 */
export const MAXIMUM_FILER_SHARE = '0.5';
export const PUBLIC_GROUP_BY = ['hsChapter', 'originCountry', 'channel'] as const;

const ZERO = new Decimal(0);

// ---------------------------------------------------------------------------------------------------
// Query parameters

const DAY_MS = 86_400_000;

/** Every date from `from` to `to`, inclusive. */
export const daysBetween = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += DAY_MS) {
    days.push(new Date(time).toISOString().slice(0, 10));
  }
  return days;
};

/** Every date of a month `YYYY-MM`. */
export const daysOfMonth = (month: string): string[] => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return daysBetween(`${month}-01`, `${month}-${String(last).padStart(2, '0')}`);
};

/** A range of days with an optional comma-separated grouping, as the edge accepted it. */
export interface RangeQuery {
  from: string;
  to: string;
  groupBy?: string | undefined;
}

/** A range query's days and grouping, once its schema accepted it. */
export const rangeOf = <G extends string>(query: RangeQuery) => ({
  from: query.from,
  to: query.to,
  groupBy: groupByNames(query.groupBy) as G[],
});

/** An amount with at least the currency's minor-unit decimals and never fewer than it holds. */
export const moneyString = (amount: Decimal, currency: string): string => {
  let digits = 2;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    // an unknown code keeps two decimals
  }
  return amount.toFixed(Math.max(digits, amount.decimalPlaces()));
};

// ---------------------------------------------------------------------------------------------------
// Revenue

export interface RevenueCell extends RevenueCellKey {
  measures: { kind: LedgerKind; taxCode: string; amount: Decimal }[];
}

export const revenueCellFrom = (item: AggregateItem): RevenueCell | undefined => {
  const key = parseRevenueKey(item.pk, item.sk);
  if (!key) return undefined;
  const measures: RevenueCell['measures'] = [];
  for (const [name, value] of Object.entries(item.numbers)) {
    const measure = parseMeasureAttribute(name);
    if (measure) measures.push({ ...measure, amount: new Decimal(value) });
  }
  return { ...key, measures };
};

/** The sums a revenue group carries, per ledger kind. */
type KindSums = Record<LedgerKind, Decimal>;

const emptySums = (): KindSums => ({
  ASSESSED: ZERO,
  CHECKOUT_DECLARED: ZERO,
  COLLECTED: ZERO,
  REFUNDED: ZERO,
  EXTINGUISHED: ZERO,
});

const revenueKeyOf = (cell: RevenueCell, taxCode: string, dimension: RevenueGroupBy): string => {
  switch (dimension) {
    case 'day':
      return cell.day;
    case 'month':
      return cell.day.slice(0, 7);
    case 'taxCode':
      return taxCode;
    case 'collectionModel':
      return cell.collectionModel;
    case 'platform':
      return cell.platformId;
    case 'payer':
      return cell.payer;
  }
};

const compareKeys = (a: readonly string[], b: readonly string[]): number => {
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index] ?? '';
    const right = b[index] ?? '';
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
};

/** Sums cells into groups keyed by the given dimension values plus currency. */
const groupSums = <Cell>(
  cells: readonly Cell[],
  expand: (cell: Cell) => { keys: string[]; currency: string; kind: LedgerKind; amount: Decimal }[],
): { keys: string[]; currency: string; sums: KindSums }[] => {
  const groups = new Map<string, { keys: string[]; currency: string; sums: KindSums }>();
  for (const cell of cells) {
    for (const part of expand(cell)) {
      const id = JSON.stringify([...part.keys, part.currency]);
      let group = groups.get(id);
      if (!group) {
        group = { keys: part.keys, currency: part.currency, sums: emptySums() };
        groups.set(id, group);
      }
      group.sums[part.kind] = group.sums[part.kind].plus(part.amount);
    }
  }
  return [...groups.values()].sort((a, b) => compareKeys([...a.keys, a.currency], [...b.keys, b.currency]));
};

/**
 * Revenue rows `{<each groupBy key>, currency, assessed, collected, refunded, outstanding}`:
 * - assessed: everything assessments charged, due at import (ASSESSED) or collected at checkout under a
 *   scheme (CHECKOUT_DECLARED);
 * - collected: payments recorded at import (COLLECTED) plus what sellers collected at checkout, which is
 *   collected when the goods are sold;
 * - refunded: refunds (REFUNDED), including what was paid on a declaration whose debt was extinguished;
 * - extinguished: debts that ended unpaid because the declaration was cancelled, rejected or seized
 *   (EXTINGUISHED);
 * - outstanding = assessed - extinguished - collected, i.e. amounts due at import not yet paid: under CONSUMER_AT_IMPORT
 *   what consumers still owe before release; under the account models (SELLER_AT_CHECKOUT duty,
 *   INTERMEDIARY_ON_DELIVERY, DEFERRED_ACCOUNT) what the guaranteed account still owes on its monthly
 *   statement. Refunds do not change it (they are paid back after collection).
 */
export const summarizeRevenue = (
  cells: readonly RevenueCell[],
  groupBy: readonly RevenueGroupBy[],
): Record<string, string>[] =>
  groupSums(cells, (cell) =>
    cell.measures.map((measure) => ({
      keys: groupBy.map((dimension) => revenueKeyOf(cell, measure.taxCode, dimension)),
      currency: cell.currency,
      kind: measure.kind,
      amount: measure.amount,
    })),
  ).map(({ keys, currency, sums }) => {
    const assessed = sums.ASSESSED.plus(sums.CHECKOUT_DECLARED);
    const collected = sums.COLLECTED.plus(sums.CHECKOUT_DECLARED);
    const row: Record<string, string> = {};
    groupBy.forEach((dimension, index) => {
      row[dimension] = keys[index] ?? '';
    });
    return {
      ...row,
      currency,
      assessed: moneyString(assessed, currency),
      collected: moneyString(collected, currency),
      refunded: moneyString(sums.REFUNDED, currency),
      extinguished: moneyString(sums.EXTINGUISHED, currency),
      outstanding: moneyString(assessed.minus(sums.EXTINGUISHED).minus(collected), currency),
    };
  });

export interface StatementLine {
  collectionModel: CollectionModel;
  taxCode: string;
  currency: string;
  /** Collected from buyers at checkout under a scheme (CHECKOUT_DECLARED); remitted through the scheme's return. */
  collectedAtCheckout: string;
  /** Charged to the account, due at import (ASSESSED). */
  dueAtImport: string;
  /** Payments recorded against those charges (COLLECTED). */
  paid: string;
  /** Refunds credited (REFUNDED). */
  refunded: string;
  /** Charges that ended unpaid: the declaration was cancelled, rejected or seized (EXTINGUISHED). */
  extinguished: string;
  /** dueAtImport - extinguished - paid - refunded: what the account owes for the month. */
  balance: string;
}

export interface Statement {
  account: string;
  month: string;
  lines: StatementLine[];
  totals: Omit<StatementLine, 'collectionModel' | 'taxCode'>[];
}

/**
 * The monthly statement of a collecting account (the lodging platform's, or the carrier's when it lodges
 * under INTERMEDIARY_ON_DELIVERY): per collection model, tax code and currency, what it collected at
 * checkout and what was charged to it, paid and refunded in the month, with totals per currency.
 * What consumers pay at import is on no account.
 */
export const summarizeStatement = (
  cells: readonly RevenueCell[],
  account: string,
  month: string,
): Statement => {
  const own = cells.filter(
    (cell) =>
      cell.platformId === account &&
      cell.day.startsWith(month) &&
      // On an account: whatever a guaranteed account (seller's, platform's, carrier's) owes, including
      // the lines the declarant owes on a consumer-paid declaration (EU flat duty).
      cell.payer !== 'CONSUMER',
  );
  const line = (sums: KindSums, currency: string) => ({
    currency,
    collectedAtCheckout: moneyString(sums.CHECKOUT_DECLARED, currency),
    dueAtImport: moneyString(sums.ASSESSED, currency),
    paid: moneyString(sums.COLLECTED, currency),
    refunded: moneyString(sums.REFUNDED, currency),
    extinguished: moneyString(sums.EXTINGUISHED, currency),
    balance: moneyString(
      sums.ASSESSED.minus(sums.EXTINGUISHED).minus(sums.COLLECTED).minus(sums.REFUNDED),
      currency,
    ),
  });
  const measures = (keys: (cell: RevenueCell, taxCode: string) => string[]) => (cell: RevenueCell) =>
    cell.measures.map((measure) => ({
      keys: keys(cell, measure.taxCode),
      currency: cell.currency,
      kind: measure.kind,
      amount: measure.amount,
    }));
  return {
    account,
    month,
    lines: groupSums(
      own,
      measures((cell, taxCode) => [cell.collectionModel, taxCode]),
    ).map(({ keys, currency, sums }) => ({
      collectionModel: keys[0] as CollectionModel,
      taxCode: keys[1] ?? '',
      ...line(sums, currency),
    })),
    totals: groupSums(
      own,
      measures(() => []),
    ).map(({ currency, sums }) => line(sums, currency)),
  };
};

// ---------------------------------------------------------------------------------------------------
// Statistics

export interface StatisticsCell extends StatisticsCellKey {
  consignmentsPair: number;
  consignmentsOrigin: number;
  consignmentsChapter: number;
  consignmentsAll: number;
  items: number;
  quantity: number;
  value: Decimal;
  duty: Decimal;
  tax: Decimal;
  /** Release-time buckets recorded on the cell (releases in the assessing step). */
  histogram: Map<number, number>;
  /** Each filer's consignments (counted like `consignmentsPair`) and value in the cell. */
  filers: Map<string, { consignments: number; value: Decimal }>;
}

export interface ReleaseTimeCell {
  day: string;
  lane: Lane;
  histogram: Map<number, number>;
}

const histogramOf = (numbers: Record<string, string>): Map<number, number> => {
  const histogram = new Map<number, number>();
  for (const [name, value] of Object.entries(numbers)) {
    const bucket = parseHistogramAttribute(name);
    if (bucket !== undefined) histogram.set(bucket, Number(value));
  }
  return histogram;
};

export const statisticsItemFrom = (
  item: AggregateItem,
): { cell: StatisticsCell } | { releaseTime: ReleaseTimeCell } | undefined => {
  const key = parseStatisticsKey(item.pk, item.sk);
  if (!key) return undefined;
  const histogram = histogramOf(item.numbers);
  if (key.kind === 'releaseTime') return { releaseTime: { day: key.day, lane: key.lane, histogram } };
  const { kind: _kind, ...cellKey } = key;
  const count = (name: string) => Number(item.numbers[name] ?? '0');
  const amount = (name: string) => new Decimal(item.numbers[name] ?? '0');
  const filers: StatisticsCell['filers'] = new Map();
  const filerShare = (filer: string) => {
    let share = filers.get(filer);
    if (!share) {
      share = { consignments: 0, value: ZERO };
      filers.set(filer, share);
    }
    return share;
  };
  for (const [name, value] of Object.entries(item.numbers)) {
    if (name.startsWith(FILER_VALUE_PREFIX))
      filerShare(name.slice(FILER_VALUE_PREFIX.length)).value = new Decimal(value);
    else if (name.startsWith(FILER_CONSIGNMENTS_PREFIX))
      filerShare(name.slice(FILER_CONSIGNMENTS_PREFIX.length)).consignments = Number(value);
  }
  return {
    cell: {
      ...cellKey,
      consignmentsPair: count(STAT.consignmentsPair),
      consignmentsOrigin: count(STAT.consignmentsOrigin),
      consignmentsChapter: count(STAT.consignmentsChapter),
      consignmentsAll: count(STAT.consignmentsAll),
      items: count(STAT.items),
      quantity: count(STAT.quantity),
      value: amount(STAT.value),
      duty: amount(STAT.duty),
      tax: amount(STAT.tax),
      histogram,
      filers,
    },
  };
};

/** Which consignment count answers a grouping: each consignment counts once per group. */
const consignmentsFor = (cell: StatisticsCell, groupBy: readonly string[]): number => {
  const byOrigin = groupBy.includes('originCountry');
  const byChapter = groupBy.includes('hsChapter');
  if (byOrigin && byChapter) return cell.consignmentsPair;
  if (byOrigin) return cell.consignmentsOrigin;
  if (byChapter) return cell.consignmentsChapter;
  return cell.consignmentsAll;
};

const statisticsKeyOf = (cell: StatisticsCell, dimension: StatisticsGroupBy): string =>
  dimension === 'month' ? cell.day.slice(0, 7) : cell[dimension];

interface StatisticsSums {
  keys: string[];
  consignments: number;
  items: number;
  quantity: number;
  value: Decimal;
  duty: Decimal;
  tax: Decimal;
  filers: Map<string, { consignments: number; value: Decimal }>;
}

const sumStatistics = (
  cells: readonly StatisticsCell[],
  groupBy: readonly StatisticsGroupBy[],
): StatisticsSums[] => {
  const groups = new Map<string, StatisticsSums>();
  for (const cell of cells) {
    const keys = groupBy.map((dimension) => statisticsKeyOf(cell, dimension));
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (!group) {
      group = {
        keys,
        consignments: 0,
        items: 0,
        quantity: 0,
        value: ZERO,
        duty: ZERO,
        tax: ZERO,
        filers: new Map(),
      };
      groups.set(id, group);
    }
    group.consignments += consignmentsFor(cell, groupBy);
    group.items += cell.items;
    group.quantity += cell.quantity;
    group.value = group.value.plus(cell.value);
    group.duty = group.duty.plus(cell.duty);
    group.tax = group.tax.plus(cell.tax);
    for (const [filer, share] of cell.filers) {
      const sum = group.filers.get(filer) ?? { consignments: 0, value: ZERO };
      group.filers.set(filer, {
        consignments: sum.consignments + share.consignments,
        value: sum.value.plus(share.value),
      });
    }
  }
  return [...groups.values()].sort((a, b) => compareKeys(a.keys, b.keys));
};

export interface StatisticsRow {
  [key: string]: string | number | boolean;
}

/** Statistics rows `{<each groupBy key>, consignments, items, quantity, value, duty, tax}`; money in `currency`. */
export const summarizeStatistics = (
  cells: readonly StatisticsCell[],
  groupBy: readonly StatisticsGroupBy[],
  currency: string,
): StatisticsRow[] =>
  sumStatistics(cells, groupBy)
    // A group whose consignments were all taken back (debt extinguished) is no longer reported.
    .filter((group) => group.consignments !== 0 || group.items !== 0)
    .map((group) => {
      const row: StatisticsRow = {};
      groupBy.forEach((dimension, index) => {
        row[dimension] = group.keys[index] ?? '';
      });
      return {
        ...row,
        consignments: group.consignments,
        items: group.items,
        quantity: group.quantity,
        value: moneyString(group.value, currency),
        duty: moneyString(group.duty, currency),
        tax: moneyString(group.tax, currency),
      };
    });

export interface ReleaseTimeRow {
  lane: Lane;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

const LANES: readonly Lane[] = ['GREEN', 'AMBER', 'RED'];

/** Release-time percentiles per lane over every histogram given (lanes with no release are left out). */
export const releaseTimePercentiles = (
  cells: readonly { lane: Lane; histogram: ReadonlyMap<number, number> }[],
): ReleaseTimeRow[] => {
  const byLane = new Map<Lane, Map<number, number>>();
  for (const cell of cells) {
    let merged = byLane.get(cell.lane);
    if (!merged) {
      merged = new Map();
      byLane.set(cell.lane, merged);
    }
    for (const [bucket, count] of cell.histogram) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
  }
  return LANES.flatMap((lane) => {
    const histogram = byLane.get(lane);
    const p50Ms = histogram && histogramQuantile(histogram, 0.5);
    if (!histogram || p50Ms === undefined) return [];
    return [
      {
        lane,
        p50Ms,
        p90Ms: histogramQuantile(histogram, 0.9) ?? p50Ms,
        p99Ms: histogramQuantile(histogram, 0.99) ?? p50Ms,
      },
    ];
  });
};

export type PublicStatisticsRow =
  | {
      hsChapter: string;
      originCountry: string;
      channel: string;
      suppressed: false;
      consignments: number;
      items: number;
      quantity: number;
      value: string;
      duty: string;
      tax: string;
    }
  | { hsChapter: string; originCountry: string; channel: string; suppressed: true };

export interface PublicStatistics {
  month: string;
  currency: string;
  groupBy: string[];
  minimumConsignments: number;
  maximumFilerShare: string;
  rows: PublicStatisticsRow[];
}

/**
 * Whether one filer lodged more than MAXIMUM_FILER_SHARE of a group's consignments or value. Consignments
 * without a filer share (aggregates written before shares were kept) count as one more filer, so a group
 * that cannot be shown to be spread out is treated as dominated.
 */
const dominated = (group: StatisticsSums): boolean => {
  const limit = new Decimal(MAXIMUM_FILER_SHARE);
  const maxConsignments = limit.times(group.consignments);
  const maxValue = limit.times(group.value);
  let attributedConsignments = 0;
  let attributedValue = ZERO;
  for (const share of group.filers.values()) {
    if (maxConsignments.lt(share.consignments) || maxValue.lt(share.value)) return true;
    attributedConsignments += share.consignments;
    attributedValue = attributedValue.plus(share.value);
  }
  return (
    maxConsignments.lt(group.consignments - attributedConsignments) ||
    maxValue.lt(group.value.minus(attributedValue))
  );
};

/**
 * The published monthly figures: by HS chapter, origin and channel only (no platform, no person, no
 * day). A cell with fewer than `minimum` consignments, or one filer's share above MAXIMUM_FILER_SHARE of
 * its consignments or value (the dominance rule), is shown as suppressed without figures; the answer
 * does not say which rule suppressed it.
 */
export const publicStatistics = (
  cells: readonly StatisticsCell[],
  month: string,
  currency: string,
  minimum: number = MINIMUM_PUBLISHED_CONSIGNMENTS,
): PublicStatistics => ({
  month,
  currency,
  groupBy: [...PUBLIC_GROUP_BY],
  minimumConsignments: minimum,
  maximumFilerShare: MAXIMUM_FILER_SHARE,
  rows: sumStatistics(
    cells.filter((cell) => cell.day.startsWith(month)),
    PUBLIC_GROUP_BY,
  ).map((group): PublicStatisticsRow => {
    const [hsChapter = '', originCountry = '', channel = ''] = group.keys;
    if (group.consignments < minimum || dominated(group))
      return { hsChapter, originCountry, channel, suppressed: true };
    return {
      hsChapter,
      originCountry,
      channel,
      suppressed: false,
      consignments: group.consignments,
      items: group.items,
      quantity: group.quantity,
      value: moneyString(group.value, currency),
      duty: moneyString(group.duty, currency),
      tax: moneyString(group.tax, currency),
    };
  }),
});
