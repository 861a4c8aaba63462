// Goods tax rates (/v1/admin/tax-rates/{hsPrefix}): the rate of the stack's own tax for goods under an HS
// prefix, with its legal basis.
import type { TaxRateRequest, TaxRateVersion } from '../../domain/reference/admin.js';
import { type KindSpec, withPeriod } from './versioned-reference.js';

export const TAX_RATES: KindSpec<TaxRateVersion, TaxRateRequest> = {
  kind: 'TAXRATE',
  noun: 'tax rate',
  keyName: 'hsPrefix',
  toVersion: (parsed) => {
    return { rate: parsed.rate, legalBasis: parsed.legalBasis, ...withPeriod(parsed) };
  },
  periods: true,
  protectStarted: false,
};
