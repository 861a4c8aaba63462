// Release times (DESIGN.md section 6): lodgement to release, counted per lane and day in a histogram of
// log-spaced buckets, four per doubling (each bound 19% above the last).
import type { DeclarationRecord, Lane } from '../clearance/record.js';
import { Decimal } from '../money.js';
import type { AggregateDelta } from './aggregates.js';
import { dayOf } from './entries.js';
import { AGGREGATE_SHARDS, releaseTimeSortKey, shardOf, statisticsPartition } from './keys.js';

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

/** The lane a record's statistics and release time count under. */
export const laneOf = (record: DeclarationRecord): Lane => record.risk?.lane ?? 'GREEN';

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
