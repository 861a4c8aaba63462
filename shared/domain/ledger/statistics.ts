// Statistics cells (DESIGN.md section 6): what an assessed consignment adds to the item-level statistics,
// by origin, HS chapter, channel, lane, collection model and value band.
import type { CountryPack } from '../../countries/types.js';
import type { DeclarationRecord } from '../clearance/record.js';
import type { Declaration } from '../declaration/declaration.js';
import type { Assessment } from '../duty/assessment.js';
import { valueBand } from '../duty/public-rules.js';
import { rulesOn } from '../duty/rules.js';
import { allocate, Decimal, unitDigits } from '../money.js';
import { type AggregateDelta, mergeDeltas } from './aggregates.js';
import { assessedAt, dayOf } from './entries.js';
import {
  AGGREGATE_SHARDS,
  FILER_CONSIGNMENTS_PREFIX,
  FILER_VALUE_PREFIX,
  STAT,
  shardOf,
  statisticsPartition,
  statisticsSortKey,
} from './keys.js';
import { histogramAttribute, laneOf, releaseBucket, releaseTimeMs } from './release-time.js';

const ZERO = new Decimal(0);

/** What the declaration needs to carry for statistics: the lodged body's relevant fields. */
export type StatisticsDeclaration = Pick<Declaration, 'collectionModel' | 'channel' | 'items'>;

/** The value band of an assessed consignment, on the basis its thresholds use. */
export const valueBandOf = (assessment: Assessment, pack: CountryPack): string => {
  const basis = rulesOn(pack, assessment.importDate).thresholdBasis;
  return valueBand(
    pack,
    assessment.importDate,
    basis === 'CUSTOMS_VALUE' ? assessment.customsValue : assessment.intrinsicValue,
  );
};

/**
 * The statistics cells an assessment changes: day x origin x HS chapter x channel x lane x collection
 * model x value band, with goods lines, units, value, duty and tax (stack currency). Value is the
 * assessment's intrinsic value, duty lines are attributed to the goods lines of their HS code and tax
 * to all lines, each in proportion to declared value and exactly to the minor unit, so every cell sum
 * equals the assessment's totals. Consignment counts are kept at four levels (see STAT) so any grouping
 * counts a consignment once. A record released in the same step adds its release time to its first cell.
 */
export const statisticsDeltaFor = (
  record: DeclarationRecord,
  declaration: StatisticsDeclaration,
  pack: CountryPack,
  shards: number = AGGREGATE_SHARDS,
): AggregateDelta[] => {
  const assessment = record.assessment;
  if (!assessment || record.status === 'REJECTED' || declaration.items.length === 0) return [];
  const { items } = declaration;
  const currency = assessment.currency;
  const weights = items.map((item) => new Decimal(item.value));
  const values = allocate(
    new Decimal(assessment.intrinsicValue),
    weights,
    unitDigits(currency, assessment.intrinsicValue),
  );
  const taxes = allocate(
    new Decimal(assessment.totals.tax),
    weights,
    unitDigits(currency, assessment.totals.tax),
  );
  const duties = items.map(() => ZERO);
  for (const line of assessment.duties) {
    const matching = items.map((item) => line.hsCode === undefined || item.hsCode.startsWith(line.hsCode));
    const anyMatch = matching.some(Boolean);
    const lineWeights = weights.map((weight, index) => (!anyMatch || matching[index] ? weight : ZERO));
    const parts = allocate(new Decimal(line.amount), lineWeights, unitDigits(currency, line.amount));
    parts.forEach((part, index) => {
      duties[index] = (duties[index] ?? ZERO).plus(part);
    });
  }

  const day = dayOf(assessedAt(record));
  const pk = statisticsPartition(day, shardOf(record.id, shards));
  const common = {
    channel: declaration.channel,
    lane: laneOf(record),
    collectionModel: declaration.collectionModel,
    valueBand: valueBandOf(assessment, pack),
  };
  const cells = new Map<string, AggregateDelta>();
  const origins = new Set<string>();
  const chapters = new Set<string>();
  items.forEach((item, index) => {
    const hsChapter = item.hsCode.slice(0, 2);
    const sk = statisticsSortKey({ ...common, originCountry: item.originCountry, hsChapter });
    let cell = cells.get(sk);
    if (!cell) {
      cell = {
        pk,
        sk,
        add: {
          [STAT.consignmentsPair]: new Decimal(1),
          [`${FILER_CONSIGNMENTS_PREFIX}${record.platformId}`]: new Decimal(1),
        },
      };
      if (cells.size === 0) cell.add[STAT.consignmentsAll] = new Decimal(1);
      if (!origins.has(item.originCountry)) cell.add[STAT.consignmentsOrigin] = new Decimal(1);
      if (!chapters.has(hsChapter)) cell.add[STAT.consignmentsChapter] = new Decimal(1);
      origins.add(item.originCountry);
      chapters.add(hsChapter);
      cells.set(sk, cell);
    }
    const add = cell.add;
    add[STAT.items] = (add[STAT.items] ?? ZERO).plus(1);
    add[STAT.quantity] = (add[STAT.quantity] ?? ZERO).plus(item.quantity);
    add[STAT.value] = (add[STAT.value] ?? ZERO).plus(values[index] ?? ZERO);
    const filerValue = `${FILER_VALUE_PREFIX}${record.platformId}`;
    add[filerValue] = (add[filerValue] ?? ZERO).plus(values[index] ?? ZERO);
    add[STAT.duty] = (add[STAT.duty] ?? ZERO).plus(duties[index] ?? ZERO);
    add[STAT.tax] = (add[STAT.tax] ?? ZERO).plus(taxes[index] ?? ZERO);
  });
  const deltas = [...cells.values()];
  const ms = releaseTimeMs(record);
  const first = deltas[0];
  if (ms !== undefined && first) first.add[histogramAttribute(releaseBucket(ms))] = new Decimal(1);
  return mergeDeltas(deltas);
};
