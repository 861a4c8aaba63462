// GET /v1/public/rules?date=: the rules in force on a date (thresholds, rates, collection models), the
// restricted goods and the dated changes to come, as the stack applies them.
import type { ReferenceStore } from '../adapters/reference-store.js';
import type { CountryPack } from '../countries/index.js';
import { type PublicRules, publicRules } from '../domain/duty/assess.js';
import { BUILTIN_PROFILES } from '../domain/risk/builtin-profiles.js';
import type { RiskProfile } from '../domain/risk/profile.js';
import { type RestrictedGoods, restrictedGoodsOn } from '../domain/risk/restricted-goods.js';

export interface PublicRulesDeps {
  pack: CountryPack;
  reference: Pick<ReferenceStore, 'listAll'>;
  now: () => Date;
}

export type PublishedRules = PublicRules & { restrictedGoods: RestrictedGoods[] };

export const getPublicRules = async (
  command: { date?: string | undefined },
  deps: PublicRulesDeps,
): Promise<PublishedRules> => {
  const date = command.date ?? deps.now().toISOString().slice(0, 10);
  const rules = publicRules(deps.pack, date);
  // Stored profiles replace built-in ones with the same id from their validFrom on, as in the risk step.
  const stored = await deps.reference.listAll<RiskProfile>('PROFILE');
  const profiles = [
    ...(BUILTIN_PROFILES as readonly RiskProfile[]),
    ...stored.flatMap((record) => record.versions),
  ];
  return { ...rules, restrictedGoods: restrictedGoodsOn(profiles, date) };
};
