// E-commerce statistics over the aggregates: item-level figures by any grouping with release-time
// percentiles per lane, and the coarse monthly figures published to anyone.

import { ValidationError } from '../domain/errors.js';
import {
  daysBetween,
  daysOfMonth,
  MINIMUM_PUBLISHED_CONSIGNMENTS,
  type PublicStatistics,
  publicStatistics as publish,
  type RangeQuery,
  type ReleaseTimeCell,
  type ReleaseTimeRow,
  rangeOf,
  releaseTimePercentiles,
  type StatisticsCell,
  type StatisticsGroupBy,
  type StatisticsRow,
  statisticsItemFrom,
  summarizeStatistics,
} from '../domain/ledger/views.js';
import type { LedgerReader } from './ports/ledger.js';

export interface StatisticsDeps {
  reader: Pick<LedgerReader, 'statisticsItems'>;
  /** The stack currency every value, duty and tax is in. */
  currency: string;
}

export interface StatisticsReport {
  from: string;
  to: string;
  groupBy: StatisticsGroupBy[];
  rows: StatisticsRow[];
  releaseTime: ReleaseTimeRow[];
}

export const STATISTICS_MEASURES = ['consignments', 'items', 'quantity', 'value', 'duty', 'tax'] as const;

const readCells = async (reader: StatisticsDeps['reader'], days: string[]) => {
  const cells: StatisticsCell[] = [];
  const releaseTimes: ReleaseTimeCell[] = [];
  for (const item of await reader.statisticsItems(days)) {
    const parsed = statisticsItemFrom(item);
    if (parsed && 'cell' in parsed) cells.push(parsed.cell);
    else if (parsed) releaseTimes.push(parsed.releaseTime);
  }
  return { cells, releaseTimes };
};

export const queryStatistics = async (query: RangeQuery, deps: StatisticsDeps): Promise<StatisticsReport> => {
  const { from, to, groupBy } = rangeOf<StatisticsGroupBy>(query);
  const { cells, releaseTimes } = await readCells(deps.reader, daysBetween(from, to));
  return {
    from,
    to,
    groupBy,
    rows: summarizeStatistics(cells, groupBy, deps.currency),
    releaseTime: releaseTimePercentiles([...cells, ...releaseTimes]),
  };
};

/** How long a published month is served from memory before it is read again. */
const PUBLIC_CACHE_MS = 5 * 60_000;
const publicCache = new Map<string, { until: number; value: Promise<PublicStatistics> }>();

/**
 * The published monthly statistics. Open to anyone, so each instance serves a month from memory for a
 * few minutes instead of reading the aggregates on every request.
 */
export interface PublicStatisticsDeps extends StatisticsDeps {
  now: () => Date;
  /** The stack's first month (`YYYY-MM`): nothing was lodged before it, so nothing is published. */
  lifetimeStart: () => Promise<string>;
  minimum?: number;
}

export const queryPublicStatistics = async (
  query: { month: string },
  deps: PublicStatisticsDeps,
): Promise<PublicStatistics> => {
  const { month } = query;
  // An open month's figures change every day: the difference between two answers would single out the
  // consignments lodged in between. Only closed months are published.
  if (month >= deps.now().toISOString().slice(0, 7)) {
    throw new ValidationError(
      [{ path: 'month', message: 'is not closed yet: statistics are published for past months only' }],
      'The month is not closed yet',
    );
  }
  const start = await deps.lifetimeStart();
  if (month < start) {
    throw new ValidationError(
      [{ path: 'month', message: `is before this stack's first month (${start}): nothing was lodged then` }],
      'The month is outside the stack lifetime',
    );
  }
  const now = deps.now().getTime();
  const cached = publicCache.get(month);
  if (cached && cached.until > now) return cached.value;
  const value = readCells(deps.reader, daysOfMonth(month)).then(({ cells }) =>
    publish(cells, month, deps.currency, deps.minimum ?? MINIMUM_PUBLISHED_CONSIGNMENTS),
  );
  publicCache.set(month, { until: now + PUBLIC_CACHE_MS, value });
  value.catch(() => publicCache.delete(month));
  return value;
};
