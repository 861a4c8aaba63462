// Restricted goods as published in the public rules: the RESTRICTED risk profiles in force on a date,
// described by their HS codes where the pattern names them. Only what the profile says in public terms is
// published (its description and HS codes), never the rest of a pattern.
import { profilesInForce, type RiskProfile } from './profile.js';

export interface RestrictedGoods {
  profileId: string;
  description: string;
  /** HS prefixes (chapters, headings, subheadings or codes) the profile names; empty when it names none. */
  hsCodes: string[];
}

const HS_FIELDS = ['hsChapter', 'hsHeading', 'hsSubheading', 'hsCode'] as const;

const hsCodesOf = (when: Record<string, unknown>): string[] => {
  const codes = new Set<string>();
  const collect = (pattern: Record<string, unknown>) => {
    const branches = pattern.$or;
    if (Array.isArray(branches)) {
      for (const branch of branches)
        if (branch && typeof branch === 'object') collect(branch as Record<string, unknown>);
    }
    const item = pattern.item;
    if (!item || typeof item !== 'object' || Array.isArray(item)) return;
    for (const field of HS_FIELDS) {
      const values = (item as Record<string, unknown>)[field];
      if (!Array.isArray(values)) continue;
      for (const value of values) {
        if (typeof value === 'string') codes.add(value);
        else if (
          value &&
          typeof value === 'object' &&
          typeof (value as { prefix?: unknown }).prefix === 'string'
        ) {
          codes.add((value as { prefix: string }).prefix);
        }
      }
    }
  };
  collect(when);
  return [...codes].sort();
};

/** The restricted-goods profiles in force on a date, for publication. */
export const restrictedGoodsOn = (profiles: readonly RiskProfile[], date: string): RestrictedGoods[] =>
  profilesInForce(profiles, date)
    .filter((profile) => profile.category === 'RESTRICTED')
    .map((profile) => ({
      profileId: profile.id,
      description: profile.description,
      hsCodes: hsCodesOf(profile.when),
    }));
