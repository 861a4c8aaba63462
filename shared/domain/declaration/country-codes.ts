// ISO 3166-1 alpha-2 codes, from the maintained i18n-iso-countries data. Only the code table is
// imported: the package's entry point carries every language's country names, which a function never needs.
import codes from 'i18n-iso-countries/codes.json' with { type: 'json' };

const ALPHA2 = new Set(codes.map(([alpha2]) => alpha2));

export const isCountryCode = (code: string): boolean => /^[A-Z]{2}$/.test(code) && ALPHA2.has(code);
