// A member-state stack: the EU layer composed with the member state's national layer.
import { EU_VERSIONS, type NationalVersion } from './eu.js';
import type { CountryPack, SupportedCountry } from './types.js';

export const memberStatePack = (
  country: SupportedCountry,
  name: string,
  national: readonly NationalVersion[],
): CountryPack => ({
  country,
  name,
  jurisdiction: `EU/${country}`,
  recordKeeping: {
    years: 3,
    legalBasis: 'Regulation (EU) No 952/2013 (Union Customs Code) art. 51: documents kept at least 3 years',
  },
  currency: 'EUR',
  valuationBasis: 'CIF',
  rounding: { mode: 'HALF_UP', per: 'LINE' },
  layers: ['EU', country],
  versions: [...EU_VERSIONS, ...national.map((version) => ({ ...version, layer: country }))],
});
