// Data quality per filer (WCO 2022 data quality guidance): what each platform or post sends, counted per
// day. Declarations that reach assessment are counted in the duty step's transaction, beside the
// statistics cells; declarations refused at intake (never stored) are counted by intake with an atomic
// counter update. Pure: the cells, the counts a refusal adds, the score.
//
// Storage (pk/sk), summed over shards by readers:
//   DQ#<day>#<shard> / F#<filer>   ledger table: measures of assessed declarations (QUALITY below)
//   DQ#<day>#<shard> / F#<filer>   declarations table: refusals at intake (`refused`, `missing`,
//                                   `unknownHs`, and `field:<path>` per refused field)
import type { DeclarationRecord } from '../clearance/record.js';
import type { Declaration } from '../declaration/declaration.js';
import { isHsSubheading } from '../declaration/hs-codes.js';
import { Decimal } from '../money.js';
import { isVagueDescription } from '../risk/enrich.js';

/** Decimal counters to add to one cell, as the aggregate writers take them. */
export interface QualityDelta {
  pk: string;
  sk: string;
  add: Record<string, Decimal>;
}

export const qualityPartition = (day: string, shard: number): string => `DQ#${day}#${shard}`;
export const FILER_PREFIX = 'F#';
export const qualitySortKey = (filer: string): string => `${FILER_PREFIX}${filer}`;

/** Measures of assessed declarations. */
export const QUALITY = {
  declarations: 'declarations',
  vague: 'vague',
  unknownHs: 'unknownHs',
  riskFlagged: 'riskFlagged',
  /** Declarations with no defect: no vague description and every HS code known in HS 2022. */
  clean: 'clean',
} as const;

/** Measures of refusals at intake. */
export const REFUSAL = {
  refused: 'refused',
  missing: 'missing',
  unknownHs: 'refusedUnknownHs',
  fieldPrefix: 'field:',
} as const;

const ONE = new Decimal(1);
const ZERO = new Decimal(0);

/**
 * What a declaration that reached assessment adds to its filer's cell on the day it was assessed. Vague:
 * a line whose description only says "gift", "goods", "parts"...; unknown HS: a line whose first six
 * digits are not an HS 2022 subheading (a postal gift sent without a code); risk-flagged: any risk
 * profile hit it.
 */
export const assessedQualityDelta = (
  record: { platformId: DeclarationRecord['platformId']; risk?: { hits: readonly unknown[] } | undefined },
  declaration: Pick<Declaration, 'items'>,
  day: string,
  shard: number,
): QualityDelta => {
  const vague = declaration.items.some((item) => isVagueDescription(item.description));
  const unknownHs = declaration.items.some((item) => !isHsSubheading(item.hsCode));
  const flagged = (record.risk?.hits.length ?? 0) > 0;
  return {
    pk: qualityPartition(day, shard),
    sk: qualitySortKey(record.platformId),
    add: {
      [QUALITY.declarations]: ONE,
      [QUALITY.vague]: vague ? ONE : ZERO,
      [QUALITY.unknownHs]: unknownHs ? ONE : ZERO,
      [QUALITY.riskFlagged]: flagged ? ONE : ZERO,
      [QUALITY.clean]: vague || unknownHs ? ZERO : ONE,
    },
  };
};

/** A refused field's path with item and line numbers taken out: `items.3.hsCode` -> `items.*.hsCode`. */
export const fieldOf = (path: string): string =>
  path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? '*' : part))
    .join('.');

/** Fields a filer may not send are counted together: their names come from the request, unbounded. */
export const UNKNOWN_FIELD = '(unknown field)';
const MAX_FIELD_LENGTH = 128;

const countedField = (error: { path: string; message: string }): string => {
  if (error.message.startsWith('is not a known field')) return UNKNOWN_FIELD;
  const field = fieldOf(error.path);
  return field.length > MAX_FIELD_LENGTH ? UNKNOWN_FIELD : field;
};

const MISSING = /^is required\b/;
const UNKNOWN_HS = /not an HS 2022 subheading/;

/** What one refused declaration (or postal item) adds: once per declaration, once per refused field. */
export const refusalCounts = (
  errors: readonly { path: string; message: string }[],
): Record<string, Decimal> => {
  const add: Record<string, Decimal> = { [REFUSAL.refused]: ONE };
  if (errors.some((error) => MISSING.test(error.message))) add[REFUSAL.missing] = ONE;
  if (errors.some((error) => /(^|\.)hsCode$/.test(error.path) && UNKNOWN_HS.test(error.message)))
    add[REFUSAL.unknownHs] = ONE;
  for (const field of new Set(errors.map(countedField))) add[`${REFUSAL.fieldPrefix}${field}`] = ONE;
  return add;
};

export interface QualityRow {
  filer: string;
  declarations: number;
  refusedAtIntake: number;
  refusedByField: Record<string, number>;
  vagueDescriptions: number;
  unknownHsCodes: number;
  missingMandatory: number;
  riskFlagged: number;
  /** 0..100, one decimal; null when the filer sent nothing in the range. */
  score: number | null;
}

/**
 * The score: the share of everything the filer sent that arrived complete and clear, in percent, one
 * decimal: 100 x clean / (declarations + refusedAtIntake), where clean counts the assessed declarations
 * with no vague description and no HS code unknown in HS 2022. Refusals at intake count against it in
 * full; risk flags do not (a flag is about the goods, not the data).
 */
export const qualityScore = (row: { declarations: number; refusedAtIntake: number; clean: number }) => {
  const sent = row.declarations + row.refusedAtIntake;
  if (sent === 0) return null;
  return new Decimal(row.clean).times(100).dividedBy(sent).toDecimalPlaces(1).toNumber();
};

/** One stored cell of either table, its numbers as decimal strings. */
export interface QualityCell {
  sk: string;
  numbers: Record<string, string>;
}

/** Sums the cells (every day and shard of the range, both tables) into one row per filer. */
export const summarizeQuality = (cells: readonly QualityCell[]): QualityRow[] => {
  const sums = new Map<string, Map<string, Decimal>>();
  for (const cell of cells) {
    if (!cell.sk.startsWith(FILER_PREFIX)) continue;
    const filer = cell.sk.slice(FILER_PREFIX.length);
    let sum = sums.get(filer);
    if (!sum) {
      sum = new Map();
      sums.set(filer, sum);
    }
    for (const [name, value] of Object.entries(cell.numbers))
      sum.set(name, (sum.get(name) ?? ZERO).plus(value));
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([filer, sum]) => {
      const count = (name: string) => (sum.get(name) ?? ZERO).toNumber();
      const refusedByField: Record<string, number> = {};
      for (const [name, value] of [...sum.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
        if (name.startsWith(REFUSAL.fieldPrefix) && !value.isZero())
          refusedByField[name.slice(REFUSAL.fieldPrefix.length)] = value.toNumber();
      const declarations = count(QUALITY.declarations);
      const refusedAtIntake = count(REFUSAL.refused);
      return {
        filer,
        declarations,
        refusedAtIntake,
        refusedByField,
        vagueDescriptions: count(QUALITY.vague),
        unknownHsCodes: count(QUALITY.unknownHs) + count(REFUSAL.unknownHs),
        missingMandatory: count(REFUSAL.missing),
        riskFlagged: count(QUALITY.riskFlagged),
        score: qualityScore({ declarations, refusedAtIntake, clean: count(QUALITY.clean) }),
      };
    });
};
