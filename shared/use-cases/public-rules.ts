// GET /v1/public/rules?date=: the rules in force on a date (thresholds, rates, collection models), the
// restricted goods and the dated changes to come, as the stack applies them.
import type { CountryPack } from '../countries/index.js';
import { type PublicRules, publicRules } from '../domain/duty/assess.js';
import type { AdminSurcharge, AdminTaxRate } from '../domain/duty/reference-data.js';
import { BUILTIN_PROFILES } from '../domain/risk/builtin-profiles.js';
import type { RiskProfile } from '../domain/risk/profile.js';
import { type RestrictedGoods, restrictedGoodsOn } from '../domain/risk/restricted-goods.js';
import type { ReferenceStore } from './ports/reference.js';

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
  const [stored, taxRates, surcharges] = await Promise.all([
    deps.reference.listAll<RiskProfile>('PROFILE'),
    deps.reference.listAll<Omit<AdminTaxRate, 'hsPrefix'>>('TAXRATE'),
    deps.reference.listAll<Omit<AdminSurcharge, 'code'>>('SURCHARGE'),
  ]);
  // The administration's tax rates and surcharges, as the duty step applies them.
  const rules = publicRules(deps.pack, date, {
    taxRates: taxRates.flatMap((record) =>
      record.versions.map((version) => ({ ...version, hsPrefix: record.key })),
    ),
    surcharges: surcharges.flatMap((record) =>
      record.versions.map((version) => ({ ...version, code: record.key })),
    ),
  });
  // Stored profiles replace built-in ones with the same id from their validFrom on, as in the risk step.
  const profiles = [
    ...(BUILTIN_PROFILES as readonly RiskProfile[]),
    ...stored.flatMap((record) => record.versions),
  ];
  return { ...rules, restrictedGoods: restrictedGoodsOn(profiles, date) };
};
