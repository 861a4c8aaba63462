// Surcharges (/v1/admin/surcharges/{id}): an extra duty on goods of given origins (and HS prefixes), ad
// valorem, per item or both, with its legal basis.
import type { SurchargeRequest, SurchargeVersion } from '../../domain/reference/admin.js';
import { type KindSpec, withPeriod } from './versioned-reference.js';

export const SURCHARGES: KindSpec<SurchargeVersion, SurchargeRequest> = {
  kind: 'SURCHARGE',
  noun: 'surcharge',
  keyName: 'id',
  toVersion: (parsed) => {
    return {
      description: parsed.description,
      originCountries: parsed.originCountries,
      ...(parsed.hsPrefixes !== undefined ? { hsPrefixes: parsed.hsPrefixes } : {}),
      ...(parsed.rate !== undefined ? { rate: parsed.rate } : {}),
      ...(parsed.specific !== undefined ? { specific: parsed.specific } : {}),
      legalBasis: parsed.legalBasis,
      ...withPeriod(parsed),
    };
  },
  periods: true,
  protectStarted: false,
};
