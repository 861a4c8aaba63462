import { describe, expect, it } from 'vitest';
import type { LedgerCostReport } from '../../../bench/ledger-cost.js';
import { PARTITION_WCU_LIMIT, scaleModel } from '../../../bench/scale-model.js';
import { LIST_SHARDS } from '../../../shared/adapters/declaration-store.js';
import { AGGREGATE_SHARDS } from '../../../shared/domain/ledger/keys.js';

/** A cost report with only what the model reads. */
const report = (byFamily: Record<string, number>): LedgerCostReport =>
  ({
    dynamodb: {
      writeUnitsPerDeclaration: Object.values(byFamily).reduce((sum, units) => sum + units, 0),
      writeUnitsPerDeclarationByFamily: byFamily,
    },
    sqs: { requestsPerDeclaration: 2 },
    eventBridge: { eventsPerDeclaration: 1 },
    lambda: {
      byFunction: { risk: { invocationsPerDeclaration: 0.01, msPerDeclaration: 3 } },
    },
    costPerMillionDeclarations: { total: 10 },
  }) as unknown as LedgerCostReport;

describe('scaleModel', () => {
  it('puts a single-partition family in one partition and says how many shards bring it under half the limit', () => {
    const model = scaleModel(report({ 'risk:PROFILESTATS': 2 }), 3_300);

    const [stats] = model.partitions;
    expect(stats).toMatchObject({ family: 'risk:PROFILESTATS', hottestPartitionWcuPerSecond: 6_600 });
    expect(stats?.withinHalf).toBe(false);
    expect(stats?.shardTo).toBe(14);
    expect(stats?.hottestAfterSharding).toBeLessThanOrEqual(PARTITION_WCU_LIMIT / 2);
  });

  it('spreads the list indexes over their shards: a day, and the largest platform', () => {
    const model = scaleModel(
      report({ 'declarations:byDay:DAY': 1, 'declarations:byPlatform:PLATFORM': 1 }),
      3_300,
    );

    const byFamily = new Map(model.partitions.map((partition) => [partition.family, partition]));
    expect(byFamily.get('declarations:byDay:DAY')).toMatchObject({
      hottestPartitionWcuPerSecond: Math.round(3_300 / LIST_SHARDS),
      withinHalf: true,
    });
    expect(byFamily.get('declarations:byPlatform:PLATFORM')).toMatchObject({
      hottestPartitionWcuPerSecond: Math.round((3_300 * 0.4) / LIST_SHARDS),
      withinHalf: true,
    });
  });

  it('spreads a sharded family over its shards and a per-item family over nothing hot', () => {
    const model = scaleModel(report({ 'ledger:REV': 1, 'declarations:DECL': 5 }), 3_300);

    const byFamily = new Map(model.partitions.map((partition) => [partition.family, partition]));
    expect(byFamily.get('ledger:REV')).toMatchObject({
      hottestPartitionWcuPerSecond: Math.round(3_300 / AGGREGATE_SHARDS),
      withinHalf: true,
    });
    expect(byFamily.get('declarations:DECL')).toMatchObject({
      hottestPartitionWcuPerSecond: 0,
      withinHalf: true,
    });
  });

  it('derives concurrency, queue and bus rates and the hour’s cost from the per-declaration figures', () => {
    const model = scaleModel(report({ 'declarations:DECL': 5 }), 3_300);

    expect(model.lambdaConcurrency).toEqual({ risk: 10 });
    expect(model.sqsRequestsPerSecond).toBe(6_600);
    expect(model.eventBridgeEventsPerSecond).toBe(3_300);
    expect(model.costOfTheHourUsd).toBe(118.8);
  });
});
