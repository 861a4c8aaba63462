// Shared set-up for the risk engine tests: facts about a first-time consignee with nothing trusted,
// and shortcuts that run the built-in profiles over a declaration.
import { type Declaration, DeclarationSchema } from '../../../shared/domain/declaration/declaration.js';
import { BUILTIN_PROFILES } from '../../../shared/domain/risk/builtin-profiles.js';
import { type EnrichedDeclaration, enrich, type RiskFacts } from '../../../shared/domain/risk/enrich.js';
import { compileProfiles, evaluate, type RiskResult } from '../../../shared/domain/risk/evaluate.js';
import type { RiskProfile } from '../../../shared/domain/risk/profile.js';
import { aDeclaration } from '../../fixtures/declarations.js';

export const IMPORT_DATE = '2026-07-01';

/** Platform acme, nobody trusted, no history for the consignee, EUR 150 low-value threshold. */
export const someFacts = (overrides: Partial<RiskFacts> = {}): RiskFacts => ({
  platformId: 'acme',
  referencePrices: [],
  consignee72h: { count: 0, value: '0.00' },
  sellerTrusted: false,
  platformTrusted: false,
  lowValueThreshold: '150.00',
  date: IMPORT_DATE,
  ...overrides,
});

/** A declaration built from the shared fixture, checked against the contract so tests use valid input. */
export const aValidDeclaration = (overrides: Partial<Declaration> = {}): Declaration =>
  DeclarationSchema.parse(aDeclaration(overrides));

export const anEnrichedDeclaration = (
  overrides: Partial<Declaration> = {},
  facts: Partial<RiskFacts> = {},
): EnrichedDeclaration => enrich(aValidDeclaration(overrides), someFacts(facts));

const builtins = compileProfiles(BUILTIN_PROFILES);

/** The built-in profiles' verdict on a declaration, trusted when the facts say so. */
export const assessWithBuiltins = (
  overrides: Partial<Declaration> = {},
  facts: Partial<RiskFacts> = {},
): RiskResult => {
  const view = anEnrichedDeclaration(overrides, facts);
  return evaluate(builtins, view, { trusted: view.seller.trusted || view.platform.trusted });
};

export const hitIds = (result: RiskResult): string[] => result.hits.map((hit) => hit.profileId);

/** A profile version with only what a test needs to say. */
export const aProfile = (overrides: Partial<RiskProfile> & Pick<RiskProfile, 'id'>): RiskProfile => ({
  description: `Profile ${overrides.id}`,
  validFrom: '2026-01-01',
  when: { item: { hsChapter: ['61'] } },
  score: 10,
  ...overrides,
});
