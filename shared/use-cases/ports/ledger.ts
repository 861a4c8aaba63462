// The aggregate cells revenue and statistics are read from.
import type { AggregateItem } from '../../domain/ledger/views.js';

export interface LedgerReader {
  /** Every revenue cell of the days; with `skPrefix`, only cells whose key starts with it. */
  revenueItems(days: readonly string[], skPrefix?: string): Promise<AggregateItem[]>;
  /** Every statistics cell and release-time histogram of the days. */
  statisticsItems(days: readonly string[]): Promise<AggregateItem[]>;
}
