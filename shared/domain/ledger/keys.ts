// Where the ledger table keeps the ledger and its aggregates (DESIGN.md section 6): partitions and sort
// keys, measure attribute names, and the shard of a declaration.
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
import { bucketOf } from '../../lib/hash.js';
import type { Lane } from '../clearance/record.js';
import type { Channel, CollectionModel } from '../declaration/declaration.js';
import type { Payer } from '../duty/assessment.js';
import type { LedgerEntry, LedgerKind } from './entries.js';

/**
 * Partitions a day's aggregates are spread over. At a peak of 3,300 declarations/s the statistics cells
 * take about 2.1 WCU per declaration even pre-summed (a transactional update of a small item costs 2 WCU),
 * 6,900 WCU/s a day; a partition takes 1,000 WCU/s, and 16 shards keep each under half of it
 * (bench/scale-model.ts). Readers sum every shard.
 */
export const AGGREGATE_SHARDS = 16;

/** The shard of a declaration's aggregate updates: the same for every fact of that declaration. */
export const shardOf = (declarationId: string, shards: number = AGGREGATE_SHARDS): number =>
  bucketOf(declarationId, shards);

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

/** An aggregate partition key (`REV#<day>#<shard>`, `STAT#<day>#<shard>`) without its shard. */
export const withoutShard = (pk: string): string => pk.slice(0, pk.lastIndexOf('#'));
