// One large administration's peak, modelled from what the bench measured per declaration: 3,300
// declarations per second for an hour. Each DynamoDB partition family's write units are spread over the
// partitions its key design gives it, and compared with the 1,000 write units per second one partition
// takes (the target: no partition above half of it); Lambda concurrency per function follows from the
// invocations and run time per declaration (Little's law: rate x time; the run times are this shared
// 2-core machine's, so the figures are pessimistic), SQS and EventBridge rates from the requests and
// events per declaration.
//
//   scaleModel(costReport) -> ScaleModel
import { LIST_SHARDS } from '../shared/adapters/declaration-store.js';
import { AGGREGATE_SHARDS } from '../shared/domain/ledger/keys.js';
import { BENCH_PLATFORMS } from './cost/declaration-mix.js';
import type { LedgerCostReport } from './ledger-cost.js';

export const PEAK_PER_SECOND = 3_300;
export const PEAK_SECONDS = 3_600;
/** Write units per second one partition (of a table or a global secondary index) takes. */
export const PARTITION_WCU_LIMIT = 1_000;

/** How a family's writes spread over partitions. */
type Spread =
  /** One partition per declaration (or per consignee, per quote): never hot. */
  | { kind: 'perItem' }
  /** A day's writes over `shards` partitions. */
  | { kind: 'sharded'; shards: number }
  /** All of a day's writes in one partition. */
  | { kind: 'single' }
  /** One list per platform over `shards` partitions: the largest platform's share of the writes. */
  | { kind: 'perPlatform'; largestShare: number; shards: number };

const largestPlatformShare = (() => {
  const total = BENCH_PLATFORMS.reduce((sum, platform) => sum + platform.weight, 0);
  return Math.max(...BENCH_PLATFORMS.map((platform) => platform.weight)) / total;
})();

/** The key design of each partition family the pipeline writes, as built (the stores and ledger.ts). */
const SPREADS: Record<string, Spread> = {
  'declarations:DECL': { kind: 'perItem' },
  'risk:WINDOW': { kind: 'perItem' },
  // One item per risk profile, pre-summed per risk batch: at most one update per profile per batch.
  'risk:PROFILESTATS': { kind: 'single' },
  'declarations:byPlatform:PLATFORM': {
    kind: 'perPlatform',
    largestShare: largestPlatformShare,
    shards: LIST_SHARDS,
  },
  'declarations:byDay:DAY': { kind: 'sharded', shards: LIST_SHARDS },
  'ledger:FACTS': { kind: 'sharded', shards: AGGREGATE_SHARDS },
  'ledger:REV': { kind: 'sharded', shards: AGGREGATE_SHARDS },
  'ledger:STAT': { kind: 'sharded', shards: AGGREGATE_SHARDS },
  'ledger:DQ': { kind: 'sharded', shards: AGGREGATE_SHARDS },
};

const hottest = (family: string, wcuPerSecond: number, spread: Spread): number => {
  switch (spread.kind) {
    case 'perItem':
      return 0;
    case 'sharded':
      return wcuPerSecond / spread.shards;
    case 'single':
      return wcuPerSecond;
    case 'perPlatform':
      return (wcuPerSecond * spread.largestShare) / spread.shards;
  }
  throw new Error(`No spread for ${family}`);
};

/** Shards a family would need for its hottest partition to stay at half the limit. */
const shardsNeeded = (wcuPerSecond: number, spread: Spread): number => {
  const load = spread.kind === 'perPlatform' ? wcuPerSecond * spread.largestShare : wcuPerSecond;
  return Math.ceil(load / (PARTITION_WCU_LIMIT / 2));
};

export interface PartitionFigure {
  family: string;
  keyDesign: string;
  wcuPerSecond: number;
  hottestPartitionWcuPerSecond: number;
  /** Share of one partition's 1,000 WCU/s. */
  ofLimit: number;
  withinHalf: boolean;
  /** Where not within half: the shards that would bring it there, and the figure after. */
  shardTo?: number;
  hottestAfterSharding?: number;
}

export interface ScaleModel {
  declarationsPerSecond: number;
  declarationsInTheHour: number;
  partitions: PartitionFigure[];
  lambdaConcurrency: Record<string, number>;
  sqsRequestsPerSecond: number;
  eventBridgeEventsPerSecond: number;
  dynamoDbWriteUnitsPerSecond: number;
  costOfTheHourUsd: number;
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

const describe = (spread: Spread | undefined): string => {
  if (!spread) return 'unknown';
  switch (spread.kind) {
    case 'perItem':
      return 'one partition per item';
    case 'sharded':
      return `day x ${spread.shards} shards`;
    case 'single':
      return 'one partition';
    case 'perPlatform':
      return `per platform (largest ${Math.round(spread.largestShare * 100)}%) x ${spread.shards} shards`;
  }
};

export const scaleModel = (cost: LedgerCostReport, rate: number = PEAK_PER_SECOND): ScaleModel => {
  const partitions = Object.entries(cost.dynamodb.writeUnitsPerDeclarationByFamily)
    .filter(
      ([family]) => family in SPREADS || family.startsWith('declarations:') || family.startsWith('ledger:'),
    )
    .map(([family, perDeclaration]): PartitionFigure => {
      const spread = SPREADS[family] ?? { kind: 'single' as const };
      const wcuPerSecond = perDeclaration * rate;
      const hot = hottest(family, wcuPerSecond, spread);
      const withinHalf = hot <= PARTITION_WCU_LIMIT / 2;
      const figure: PartitionFigure = {
        family,
        keyDesign: describe(SPREADS[family]),
        wcuPerSecond: round(wcuPerSecond),
        hottestPartitionWcuPerSecond: round(hot),
        ofLimit: round(hot / PARTITION_WCU_LIMIT, 2),
        withinHalf,
      };
      if (!withinHalf) {
        const shards = shardsNeeded(wcuPerSecond, spread);
        const load = spread.kind === 'perPlatform' ? wcuPerSecond * spread.largestShare : wcuPerSecond;
        figure.shardTo = shards;
        figure.hottestAfterSharding = round(load / shards);
      }
      return figure;
    })
    .sort((a, b) => b.hottestPartitionWcuPerSecond - a.hottestPartitionWcuPerSecond);
  return {
    declarationsPerSecond: rate,
    declarationsInTheHour: rate * PEAK_SECONDS,
    partitions,
    lambdaConcurrency: Object.fromEntries(
      Object.entries(cost.lambda.byFunction).map(([fn, figures]) => [
        fn,
        Math.ceil((rate * figures.msPerDeclaration) / 1000),
      ]),
    ),
    sqsRequestsPerSecond: round(rate * cost.sqs.requestsPerDeclaration),
    eventBridgeEventsPerSecond: round(rate * cost.eventBridge.eventsPerDeclaration),
    dynamoDbWriteUnitsPerSecond: round(rate * cost.dynamodb.writeUnitsPerDeclaration),
    costOfTheHourUsd: round((cost.costPerMillionDeclarations.total * rate * PEAK_SECONDS) / 1_000_000, 2),
  };
};
