// The domain engines' cost per declaration, as a ratio to parsing and validating the same declaration:
// ratios survive a noisy shared machine better than absolute times.
import { packFor } from '../shared/countries/index.js';
import { type Declaration, parseDeclaration } from '../shared/domain/declaration/declaration.js';
import { assess, assessmentContext } from '../shared/domain/duty/assess.js';
import { BUILTIN_PROFILES } from '../shared/domain/risk/builtin-profiles.js';
import { enrich } from '../shared/domain/risk/enrich.js';
import { compileProfiles, evaluate } from '../shared/domain/risk/evaluate.js';
import type { RiskProfile } from '../shared/domain/risk/profile.js';
import { aDeclaration, anItem } from '../test/fixtures/declarations.js';
import { median } from './bundles.js';

export interface EngineFigures {
  items: number;
  parseMicros: number;
  dutyMicros: number;
  riskMicros: number;
  dutyRatio: number;
  riskRatio: number;
}

const timePerCall = (iterations: number, work: () => void): number => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) work();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
};

/** Rounds each piece of work is timed in, interleaved, so a burst of load on a shared machine hits one round. */
const ROUNDS = 9;

/**
 * Microseconds per call of each piece of work: every piece is first run until the JIT has settled
 * (`iterations` calls), then timed in interleaved rounds of `iterations / ROUNDS` calls; the median round
 * counts.
 */
const timeInterleaved = <Name extends string>(
  iterations: number,
  work: Record<Name, () => void>,
): Record<Name, number> => {
  const pieces = Object.entries(work) as [Name, () => void][];
  for (const [, piece] of pieces) for (let i = 0; i < iterations; i += 1) piece();
  const rounds = new Map<Name, number[]>(pieces.map(([name]) => [name, []]));
  const perRound = Math.max(1, Math.round(iterations / ROUNDS));
  for (let round = 0; round < ROUNDS; round += 1)
    for (const [name, piece] of pieces) rounds.get(name)?.push(timePerCall(perRound, piece));
  return Object.fromEntries(pieces.map(([name]) => [name, median(rounds.get(name) ?? [])])) as Record<
    Name,
    number
  >;
};

/** 200 active profiles: the built-in ones plus admin-style profiles over many fields. */
export const benchmarkProfiles = (count = 200): RiskProfile[] => {
  const profiles: RiskProfile[] = [...(BUILTIN_PROFILES as unknown as RiskProfile[])];
  for (let index = profiles.length; index < count; index += 1) {
    const kind = index % 4;
    const when =
      kind === 0
        ? { item: { hsHeading: [String(1000 + index * 37).slice(0, 4)] } }
        : kind === 1
          ? { item: { originCountry: ['KP', 'IR'], unitValue: [{ numeric: ['<', index / 10] }] } }
          : kind === 2
            ? { consignee: { consignmentsLast72h: [{ numeric: ['>=', 5 + index] }] } }
            : {
                seller: { country: [{ 'anything-but': ['CN', 'NL', 'DE'] }] },
                item: { hsChapter: [String(index % 97).padStart(2, '0')] },
              };
    profiles.push({
      id: `BENCH-${index}`,
      description: `Benchmark profile ${index}`,
      validFrom: '2020-01-01',
      when,
      score: 5,
    } as RiskProfile);
  }
  return profiles;
};

export const measureEngines = (itemCounts = [1, 5, 50], iterations = 2000): EngineFigures[] => {
  const pack = packFor('NL');
  const compiled = compileProfiles(benchmarkProfiles());
  return itemCounts.map((items) => {
    const declaration: Declaration = aDeclaration({
      items: Array.from({ length: items }, (_, index) =>
        anItem({ hsCode: index % 2 ? '610910' : '640299', value: `${10 + index}.50` }),
      ),
    });
    const body = JSON.parse(JSON.stringify(declaration)) as unknown;
    const context = assessmentContext(pack, '2026-11-30', {
      tariffRates: [
        { hsCode: '61', dutyRate: '0.12', validFrom: '2020-01-01' },
        { hsCode: '6402', dutyRate: '0.17', validFrom: '2020-01-01' },
      ],
    });
    const facts = {
      platformId: 'bench',
      referencePrices: [],
      consignee72h: { count: 1, value: '20.00' },
      sellerTrusted: false,
      platformTrusted: false,
      lowValueThreshold: '150',
      date: '2026-11-30',
    };
    const {
      parse: parseMicros,
      duty: dutyMicros,
      risk: riskMicros,
    } = timeInterleaved(iterations, {
      parse: () => parseDeclaration(body),
      duty: () => assess(declaration, context),
      risk: () => evaluate(compiled, enrich(declaration, facts), { trusted: false }),
    });
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      items,
      parseMicros: round(parseMicros),
      dutyMicros: round(dutyMicros),
      riskMicros: round(riskMicros),
      dutyRatio: round(dutyMicros / parseMicros),
      riskRatio: round(riskMicros / parseMicros),
    };
  });
};
