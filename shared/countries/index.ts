// The country rule packs shipped with Clearway, one per stack country.
import { AU } from './au.js';
import { CA } from './ca.js';
import { CN } from './cn.js';
import { DE } from './de.js';
import { ES } from './es.js';
import { FR } from './fr.js';
import { GB } from './gb.js';
import { IT } from './it.js';
import { JP } from './jp.js';
import { NL } from './nl.js';
import { type CountryPack, SUPPORTED_COUNTRIES, type SupportedCountry } from './types.js';
import { US } from './us.js';

export { EU_STANDARD_VAT_RATES } from './eu.js';
export { EU_RELIEF_EXCLUDED_GOODS, EXCISE_GOODS, GOODS_CLASSES } from './goods.js';
export * from './types.js';

const PACKS: Readonly<Record<SupportedCountry, CountryPack>> = { NL, DE, FR, IT, ES, GB, US, CA, AU, JP, CN };

export const isSupportedCountry = (country: string): country is SupportedCountry =>
  (SUPPORTED_COUNTRIES as readonly string[]).includes(country);

export class UnsupportedCountryError extends Error {
  constructor(readonly country: string) {
    super(`No rule pack for country ${country}; supported: ${SUPPORTED_COUNTRIES.join(', ')}`);
  }
}

/** The rule pack of a stack country. */
export const packFor = (country: string): CountryPack => {
  if (!isSupportedCountry(country)) throw new UnsupportedCountryError(country);
  return PACKS[country];
};
