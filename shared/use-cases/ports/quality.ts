// The data-quality cells a report sums: one per filer and day shard, from both places counts are kept.
import type { QualityCell } from '../../domain/quality/data-quality.js';

/** The cells of the days, of one filer or (without `filer`) of all. */
export type ReadQualityCells = (days: readonly string[], filer?: string) => Promise<QualityCell[]>;
