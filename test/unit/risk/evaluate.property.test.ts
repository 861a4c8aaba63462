// Properties of the risk engine over random declarations, facts and profile sets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Declaration, DeclarationItem } from '../../../shared/domain/declaration/declaration.js';
import { type EnrichedDeclaration, enrich, type RiskFacts } from '../../../shared/domain/risk/enrich.js';
import {
  compileProfiles,
  evaluate,
  LANE_THRESHOLDS,
  type RiskLane,
  type RiskResult,
} from '../../../shared/domain/risk/evaluate.js';
import type { RiskProfile } from '../../../shared/domain/risk/profile.js';
import { type EventPattern, matchesPattern } from '../../../shared/lib/event-pattern.js';
import { aDeclaration } from '../../fixtures/declarations.js';
import { someFacts } from './support.js';

const RUNS = { numRuns: 200 };
const LANE_RANK: Record<RiskLane, number> = { GREEN: 0, AMBER: 1, RED: 2 };

// ---------------------------------------------------------------------------------------------
// Declarations and facts
// ---------------------------------------------------------------------------------------------

const HS_CODES = [
  '610910',
  '620342',
  '930200',
  '360410',
  '360500',
  '040690',
  '010121',
  '240120',
  '950300',
  '300490',
  '851713',
  '420221',
];
const amount = fc.integer({ min: 1, max: 40_000 }).map((cents) => (cents / 100).toFixed(2));

const itemArb: fc.Arbitrary<DeclarationItem> = fc.record({
  description: fc.constantFrom("men's cotton T-shirt", 'Gift', 'misc items', 'leather handbag', 'aged gouda'),
  hsCode: fc.constantFrom(...HS_CODES),
  originCountry: fc.constantFrom('CN', 'VN', 'US'),
  quantity: fc.integer({ min: 1, max: 5 }),
  value: amount,
  netMassKg: fc.constant('0.50'),
  category: fc.constantFrom('SALE', 'GIFT', 'SAMPLE'),
});

const declarationArb: fc.Arbitrary<Declaration> = fc
  .record({
    items: fc.array(itemArb, { minLength: 1, maxLength: 4 }),
    transactionType: fc.constantFrom('B2C', 'C2C'),
    withRegistration: fc.boolean(),
  })
  .map(({ withRegistration, ...overrides }) =>
    aDeclaration(
      withRegistration
        ? { ...overrides, taxRegistration: { scheme: 'IOSS', number: 'IM5280000001' } }
        : overrides,
    ),
  );

const factsArb: fc.Arbitrary<RiskFacts> = fc
  .record({
    consignee72h: fc.record({ count: fc.integer({ min: 0, max: 5 }), value: amount }),
    sellerTrusted: fc.boolean(),
    platformTrusted: fc.boolean(),
    referencePrices: fc.subarray([
      { hsPrefix: '6109', price: '10.00', currency: 'EUR' },
      { hsPrefix: '93', price: '200.00', currency: 'EUR' },
      { hsPrefix: '0406', price: '5.00', currency: 'EUR' },
    ]),
    holder: fc.option(fc.constantFrom('SELLER-1', 'OTHER', 'acme'), { nil: undefined }),
    validFrom: fc.constantFrom('2021-07-01', '2026-07-02'),
  })
  .map(({ holder, validFrom, ...facts }) =>
    someFacts(
      holder === undefined
        ? facts
        : { ...facts, registration: { number: 'IM5280000001', scheme: 'IOSS', holder, validFrom } },
    ),
  );

const viewArb: fc.Arbitrary<EnrichedDeclaration> = fc
  .tuple(declarationArb, factsArb)
  .map(([declaration, facts]) => enrich(declaration, facts));

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

const itemLeafArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .subarray(['01', '04', '24', '30', '36', '61', '93', '95'], { minLength: 1 })
    .map((hsChapter) => ({ hsChapter })),
  fc
    .constantFrom('6', '61', '93', '36', '0406', '9503', '610910')
    .map((prefix) => ({ hsCode: [{ prefix }] })),
  fc.subarray(['0406', '6109', '9302', '9503'], { minLength: 1 }).map((hsHeading) => ({ hsHeading })),
  fc.integer({ min: 0, max: 100 }).map((n) => ({ unitValue: [{ numeric: ['>', n] }] })),
  fc
    .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }))
    .map(([low, width]) => ({ unitValue: [{ numeric: ['>=', low, '<', low + width] }] })),
  fc.boolean().map((vague) => ({ descriptionVague: [vague] })),
  fc.constant({ category: [{ 'anything-but': 'SALE' }] }),
  fc.constant({ referencePriceRatio: [{ numeric: ['<', 0.5] }] }),
  fc.constant({ referencePriceRatio: [{ exists: false }] }),
  fc.constantFrom('CN', 'VN').map((country) => ({ originCountry: [country] })),
  fc.integer({ min: 1, max: 3 }).map((quantity) => ({ quantity: [quantity, 5] })),
);

const leafArb: fc.Arbitrary<EventPattern> = fc.oneof(
  itemLeafArb.map((item) => ({ item })),
  fc
    .integer({ min: 0, max: 5 })
    .map((k) => ({ consignee: { consignmentsLast72h: [{ numeric: ['>=', k] }] } })),
  fc.boolean().map((trusted) => ({ seller: { trusted: [trusted] } })),
  fc.constantFrom('B2C', 'C2C').map((type) => ({ transactionType: [type] })),
  fc
    .integer({ min: 1, max: 400 })
    .map((n) => ({ consignment: { intrinsicValue: [{ numeric: ['<=', n] }] } })),
  fc.boolean().map((registered) => ({ taxRegistration: { registered: [registered] } })),
  fc.constant({ consignment: { exceedsLowValueWith72h: [true] } }),
  fc.constant({ gift: { claimedOnPlatformSale: [true] } }),
);

const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const merged = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = merged[key];
    const bothObjects =
      typeof existing === 'object' &&
      !Array.isArray(existing) &&
      typeof value === 'object' &&
      !Array.isArray(value);
    merged[key] = bothObjects
      ? merge(existing as Record<string, unknown>, value as Record<string, unknown>)
      : value;
  }
  return merged;
};

const patternArb: fc.Arbitrary<EventPattern> = fc.oneof(
  leafArb,
  fc.tuple(leafArb, leafArb).map(([a, b]) => merge(a, b)),
  fc.array(leafArb, { minLength: 2, maxLength: 3 }).map((branches) => ({ $or: branches })),
  fc.tuple(leafArb, leafArb, leafArb).map(([a, b, c]) => ({ ...a, $or: [b, c] })),
  fc.tuple(itemLeafArb, itemLeafArb).map(([a, b]) => ({ item: { $or: [a, b] } })),
);

interface ProfileFields {
  when: EventPattern;
  score: number;
  lane: RiskProfile['lane'];
  category: RiskProfile['category'];
  action: RiskProfile['action'];
}

const profileFieldsArb: fc.Arbitrary<ProfileFields> = fc.record({
  when: patternArb,
  score: fc.integer({ min: 0, max: 60 }),
  lane: fc.option(fc.constantFrom('AMBER' as const, 'RED' as const), { nil: undefined }),
  category: fc.option(fc.constantFrom('RESTRICTED' as const, 'VALUATION' as const, 'OTHER' as const), {
    nil: undefined,
  }),
  action: fc.option(fc.constantFrom('HOLD' as const, 'REJECT' as const), { nil: undefined }),
});

const toProfile = (id: string, fields: ProfileFields): RiskProfile => {
  const profile: RiskProfile = {
    id,
    description: `Profile ${id}`,
    validFrom: '2026-01-01',
    when: fields.when,
    score: fields.score,
  };
  if (fields.lane !== undefined) profile.lane = fields.lane;
  if (fields.category !== undefined) profile.category = fields.category;
  if (fields.action !== undefined) profile.action = fields.action;
  if (fields.action === 'HOLD' && fields.score % 2 === 0) profile.agency = 'FOOD_SAFETY';
  return profile;
};

const profilesArb: fc.Arbitrary<RiskProfile[]> = fc
  .array(profileFieldsArb, { maxLength: 12 })
  .map((list) => list.map((fields, index) => toProfile(`P${index}`, fields)));

const rank = (result: RiskResult): number => LANE_RANK[result.lane];

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('evaluate properties', () => {
  it('hits exactly the profiles whose pattern matches the view, in order, whatever the index skips', () => {
    fc.assert(
      fc.property(viewArb, profilesArb, fc.boolean(), (view, profiles, trusted) => {
        const result = evaluate(compileProfiles(profiles), view, { trusted });

        const expected = profiles.filter((profile) => matchesPattern(profile.when, view)).map((p) => p.id);
        expect(result.hits.map((hit) => hit.profileId)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('never lowers the score or the lane when a profile is added, and adds a matching one’s score', () => {
    fc.assert(
      fc.property(
        viewArb,
        profilesArb,
        profileFieldsArb,
        fc.nat(),
        fc.boolean(),
        (view, profiles, fields, at, trusted) => {
          const added = toProfile('ADDED', fields);
          const position = at % (profiles.length + 1);
          const more = [...profiles.slice(0, position), added, ...profiles.slice(position)];

          const before = evaluate(compileProfiles(profiles), view, { trusted });
          const after = evaluate(compileProfiles(more), view, { trusted });

          expect(after.score).toBeGreaterThanOrEqual(before.score);
          expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
          const hit = after.hits.find((candidate) => candidate.profileId === 'ADDED');
          expect(after.score).toBe(before.score + (hit?.score ?? 0));
          expect(hit !== undefined).toBe(matchesPattern(added.when, view));
        },
      ),
      RUNS,
    );
  });

  it('is GREEN exactly when no hit carries a lane and the score is below the AMBER threshold', () => {
    fc.assert(
      fc.property(viewArb, profilesArb, fc.boolean(), (view, profiles, trusted) => {
        const result = evaluate(compileProfiles(profiles), view, { trusted });

        const noLane = result.hits.every((hit) => hit.lane === undefined);
        expect(result.lane === 'GREEN').toBe(noLane && result.score < LANE_THRESHOLDS.amber);
        expect(result.score).toBe(result.hits.reduce((sum, hit) => sum + hit.score, 0));
        expect(result.holds.map((hold) => hold.profileId)).toEqual(
          result.hits.filter((hit) => hit.action === 'HOLD').map((hit) => hit.profileId),
        );
      }),
      RUNS,
    );
  });

  it('gives a trusted trader no higher a score or lane, and a restricted hit RED all the same', () => {
    fc.assert(
      fc.property(viewArb, profilesArb, (view, profiles) => {
        const compiled = compileProfiles(profiles);

        const asTrusted = evaluate(compiled, view, { trusted: true });
        const asUntrusted = evaluate(compiled, view, { trusted: false });

        expect(asTrusted.score).toBeLessThanOrEqual(asUntrusted.score);
        expect(rank(asTrusted)).toBeLessThanOrEqual(rank(asUntrusted));
        expect(asTrusted.holds).toEqual(asUntrusted.holds);
        const restricted = profiles.find(
          (profile) =>
            profile.category === 'RESTRICTED' && profile.lane === 'RED' && matchesPattern(profile.when, view),
        );
        if (restricted !== undefined) expect(asTrusted.lane).toBe('RED');
        for (const hit of asTrusted.hits.filter((candidate) => candidate.category === 'RESTRICTED')) {
          const original = profiles.find((profile) => profile.id === hit.profileId);
          expect(hit.score).toBe(original?.score);
          expect(hit.lane).toBe(original?.lane);
        }
      }),
      RUNS,
    );
  });
});
