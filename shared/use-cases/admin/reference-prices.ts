// Reference prices (/v1/admin/reference-prices/{hsPrefix}): the unit price per HS prefix that declared
// unit values are compared with (undervaluation).
import type { ReferencePriceRequest, ReferencePriceVersion } from '../../domain/reference/admin.js';
import { type KindSpec, withPeriod } from './versioned-reference.js';

export const REFERENCE_PRICES: KindSpec<ReferencePriceVersion, ReferencePriceRequest> = {
  kind: 'REFPRICE',
  noun: 'reference price',
  keyName: 'hsPrefix',
  toVersion: (parsed, hsPrefix) => {
    return { hsPrefix, price: parsed.price, currency: parsed.currency, ...withPeriod(parsed) };
  },
  periods: true,
  protectStarted: false,
};
