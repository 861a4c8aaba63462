// What the risk step needs to know of the stack's rule pack.
import type { CountryPack } from '../countries/index.js';
import { lowValueThreshold } from '../domain/duty/assess.js';
import type { StackRules } from './evaluate-risk.js';

export const stackRules = (pack: CountryPack): StackRules => ({
  currency: pack.currency,
  // A pack without a low-value regime on the date has no threshold to split a consignment around.
  lowValueThreshold: (date) => lowValueThreshold(pack, date) ?? '0',
});
