// UPU S10 item identifiers: two letters (service indicator), an eight-digit serial number, a check digit
// and the ISO 3166-1 alpha-2 code of the issuing postal operator's country, e.g. "RR123456785NL".
import { isCountryCode } from '../declaration/country-codes.js';

const S10_FORMAT = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/;
const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** The check digit S10 prescribes for an eight-digit serial number. */
export const s10CheckDigit = (serial: string): number => {
  if (!/^\d{8}$/.test(serial)) throw new RangeError('An S10 serial number has eight digits');
  let sum = 0;
  for (const [position, weight] of WEIGHTS.entries()) sum += Number(serial[position]) * weight;
  const check = 11 - (sum % 11);
  if (check === 10) return 0;
  if (check === 11) return 5;
  return check;
};

/** Why an identifier is not a valid S10 item id, or undefined when it is one. */
export const s10Problem = (id: string): string | undefined => {
  const match = S10_FORMAT.exec(id);
  if (!match) {
    return 'must be a UPU S10 item id: 2 capital letters, 8 digits, a check digit and a country code, e.g. "RR123456785NL"';
  }
  const [, , serial = '', check = '', country = ''] = match;
  const expected = s10CheckDigit(serial);
  if (Number(check) !== expected)
    return `has check digit ${check}; for serial ${serial} it must be ${expected}`;
  if (!isCountryCode(country)) return `ends in ${country}, which is not an ISO 3166-1 alpha-2 country code`;
  return undefined;
};

export const isS10 = (id: string): boolean => s10Problem(id) === undefined;
