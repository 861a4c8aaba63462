// Aggregate deltas (DESIGN.md section 6): numbers added to the ledger table's aggregate cells, summed per
// cell and moved to one shard per transaction; and the revenue cells ledger entries change.
import { Decimal } from '../money.js';
import { dayOf, type LedgerEntry } from './entries.js';
import {
  AGGREGATE_SHARDS,
  measureAttribute,
  revenuePartition,
  revenueSortKey,
  shardOf,
  withoutShard,
} from './keys.js';

const ZERO = new Decimal(0);

/** Numbers to add to one aggregate item (UpdateItem ADD); counts are whole numbers, money exact decimals. */
export interface AggregateDelta {
  pk: string;
  sk: string;
  add: Record<string, Decimal>;
}

/**
 * The deltas moved to the shard of the first one. Which shard a cell lives in does not matter to readers
 * (they sum every shard); one shard per transaction lets a batch pre-sum into one cell per key.
 */
export const inOneShard = (deltas: readonly AggregateDelta[]): AggregateDelta[] => {
  const first = deltas[0];
  if (!first) return [];
  const shard = first.pk.slice(withoutShard(first.pk).length);
  return deltas.map((delta) => ({ ...delta, pk: `${withoutShard(delta.pk)}${shard}` }));
};

/** Sums deltas to the same item, so each aggregate item is updated once per transaction. */
export const mergeDeltas = (deltas: readonly AggregateDelta[]): AggregateDelta[] => {
  const merged = new Map<string, AggregateDelta>();
  for (const delta of deltas) {
    const key = `${delta.pk}\u0000${delta.sk}`;
    let target = merged.get(key);
    if (!target) {
      target = { pk: delta.pk, sk: delta.sk, add: {} };
      merged.set(key, target);
    }
    for (const [name, value] of Object.entries(delta.add))
      target.add[name] = (target.add[name] ?? ZERO).plus(value);
  }
  return [...merged.values()]
    .map((delta) => ({
      ...delta,
      add: Object.fromEntries(Object.entries(delta.add).filter(([, value]) => !value.isZero())),
    }))
    .filter((delta) => Object.keys(delta.add).length > 0);
};

/** The revenue cells the entries change: day x platform x collection model x payer x currency, measure per code. */
export const revenueDeltas = (
  entries: readonly LedgerEntry[],
  shards: number = AGGREGATE_SHARDS,
): AggregateDelta[] =>
  mergeDeltas(
    entries.map((ledgerEntry) => ({
      pk: revenuePartition(dayOf(ledgerEntry.at), shardOf(ledgerEntry.declarationId, shards)),
      sk: revenueSortKey(ledgerEntry),
      add: { [measureAttribute(ledgerEntry.kind, ledgerEntry.taxCode)]: new Decimal(ledgerEntry.amount) },
    })),
  );
