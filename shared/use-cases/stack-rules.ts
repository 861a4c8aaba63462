// What the risk step needs to know of the stack's rule pack.
import type { CountryPack } from '../countries/index.js';
import { rulesOn } from '../domain/duty/rules.js';
import { Decimal } from '../domain/money.js';
import type { StackRules } from './evaluate-risk.js';

/** The highest value limit of the pack's low-value regimes in force on a date ("0" when it has none). */
export const lowValueThresholdOn = (pack: CountryPack, date: string): string => {
  let highest = new Decimal(0);
  for (const regime of rulesOn(pack, date).regimes) {
    const limit = regime.source.upTo;
    if (regime.source.lowValue && limit !== undefined && highest.lessThan(limit))
      highest = new Decimal(limit);
  }
  return highest.toString();
};

export const stackRules = (pack: CountryPack): StackRules => ({
  currency: pack.currency,
  lowValueThreshold: (date) => lowValueThresholdOn(pack, date),
});
