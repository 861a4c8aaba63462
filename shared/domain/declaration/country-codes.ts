// ISO 3166-1 alpha-2 codes, from the maintained i18n-iso-countries data. Only the code table is
// imported: the package's entry point carries every language's country names, which a function never needs.
import codes from 'i18n-iso-countries/codes.json' with { type: 'json' };

const ALPHA2: ReadonlySet<string> = new Set(codes.flatMap(([alpha2]) => (alpha2 ? [alpha2] : [])));

/** Every ISO 3166-1 alpha-2 code. */
export const COUNTRY_CODES: readonly string[] = [...ALPHA2];

export const isCountryCode = (code: string): boolean => /^[A-Z]{2}$/.test(code) && ALPHA2.has(code);
