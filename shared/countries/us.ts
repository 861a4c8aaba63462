// United States: customs value FOB, no federal VAT. Section 321 de minimis (USD 800) until 2025-08-28,
// withdrawn for goods of China and Hong Kong from 2025-05-02 and suspended for every country from
// 2025-08-29; bona fide gifts up to USD 100 stay exempt. Extra duties by origin are dated data.
import { COUNTRY_CODES } from '../domain/declaration/country-codes.js';
import type { CountryPack, FeeRule, OriginSurchargeRule, Regime, RuleVersion } from './types.js';

const VALUE = '19 U.S.C. 1401a: transaction value, excluding international freight and insurance (FOB)';
const HTSUS = '19 U.S.C. 1202: Harmonized Tariff Schedule of the United States, column 1 rates';
const DE_MINIMIS =
  '19 U.S.C. 1321(a)(2)(C) as amended by the Trade Facilitation and Trade Enforcement Act of 2015 s. 901: de minimis USD 800 per person per day';
const GIFTS = '19 U.S.C. 1321(a)(2)(A) and 19 CFR 10.121: bona fide gifts up to USD 100';
const ENTRIES = '19 CFR 143.21-143.28: informal entry up to USD 2,500; formal entry above';
const EO_14256 =
  'Executive Order 14256: duty-free de minimis treatment ended for goods of the PRC and Hong Kong from 2025-05-02';
const EO_14324 =
  'Executive Order 14324: duty-free de minimis treatment suspended for all countries from 2025-08-29';
const OPIOID_CN =
  'Executive Order 14195 as amended by Executive Orders 14228 and 14357: additional ad valorem duty on goods of the PRC and Hong Kong (IEEPA); held unlawful in Learning Resources, Inc. v. Trump (U.S. Supreme Court, 2026-02-20) and ended by the executive order "Ending Certain Tariff Actions": not collected on goods entered from 2026-02-24';
const SECTION_122 =
  'Trade Act of 1974 s. 122 (19 U.S.C. 2132) and the proclamation "Imposing a Temporary Import Surcharge to Address Fundamental International Payments Problems" (2026-02-20): temporary import surcharge of 10 % on goods of all countries for 150 days from 2026-02-24; goods of Canada and Mexico are taken as USMCA-qualifying and left out';

// Merchandise processing fee for an informal entry filed electronically (ABI), not prepared by CBP
// personnel: USD 2 in FY2014, adjusted each fiscal year (from October 1) by a CBP notice under the FAST Act.
const MPF_INFORMAL_BASIS =
  '19 U.S.C. 58c(a)(10)(C)(i) and 19 CFR 24.23(b)(2)(i), Appendix B to part 24: merchandise processing fee for an informal entry or release, automated and not prepared by CBP personnel (class code 311), adjusted for inflation each fiscal year; not charged on articles of HTSUS chapter 98 (19 U.S.C. 58c(b)(8)(B)), nor on originating goods of Canada and Mexico';
const mpfInformal = (amount: string, notice: string): FeeRule => ({
  code: 'MPF_INFORMAL',
  amount,
  per: 'CONSIGNMENT',
  // Informal entries only; mail pays the dutiable mail fee instead (not modelled).
  maxValue: '2500',
  when: { channels: ['EXPRESS', 'FREIGHT'], noOrigins: ['CA', 'MX'] },
  // Bona fide gifts (HTSUS 9816.00.20) and American goods returned (9801.00.10) are chapter 98 articles.
  exceptRegimes: ['GIFT', 'RETURNED_GOODS'],
  legalBasis: `${MPF_INFORMAL_BASIS}; ${notice}`,
});
const MPF_FY2025 = mpfInformal(
  '2.62',
  'USD 2.62 for fiscal year 2025 (from 2024-10-01), CBP CSMS 61620300 (CATAIR update for the FY2025 user fees)',
);
const MPF_FY2026 = mpfInformal(
  '2.69',
  'USD 2.69 for fiscal year 2026 (from 2025-10-01), CBP Dec. 25-10, 90 FR 34665 (2025-07-23); the fiscal year 2027 amount (from 2026-10-01) is to be confirmed against the FY2027 notice',
);

// Merchandise processing fee for a formal entry (above USD 2,500): 0.3464 % of the value, between a
// minimum and a maximum adjusted each fiscal year with the informal-entry fee.
const MPF_FORMAL_BASIS =
  '19 U.S.C. 58c(a)(9)(A) and (b)(8)(A)(i), 19 CFR 24.23(b)(1)(i)(A) and (B)(1), Appendix B to part 24: merchandise processing fee of 0.3464 % ad valorem on a formal entry, between a minimum and a maximum adjusted for inflation each fiscal year (class code 499); not charged on articles of HTSUS chapter 98, nor on originating goods of Canada and Mexico';
const mpfFormal = (minimum: string, maximum: string, notice: string): FeeRule => ({
  code: 'MPF_FORMAL',
  adValorem: { rate: '0.003464', minimum, maximum },
  per: 'CONSIGNMENT',
  minValue: '2500',
  when: { noOrigins: ['CA', 'MX'] },
  exceptRegimes: ['GIFT', 'RETURNED_GOODS'],
  legalBasis: `${MPF_FORMAL_BASIS}; ${notice}`,
});
const MPF_FORMAL_FY2025 = mpfFormal(
  '32.71',
  '634.62',
  'minimum USD 32.71, maximum USD 634.62 for fiscal year 2025 (from 2024-10-01), CBP CSMS 61620300',
);
const MPF_FORMAL_FY2026 = mpfFormal(
  '33.58',
  '651.50',
  'minimum USD 33.58, maximum USD 651.50 for fiscal year 2026 (from 2025-10-01), CBP Dec. 25-10, 90 FR 34665; the fiscal year 2027 limits (from 2026-10-01) are to be confirmed against the FY2027 notice',
);

/** Every origin but the United States and its USMCA partners (the Section 122 surcharge's reach, as approximated here). */
const ALL_BUT_USMCA = COUNTRY_CODES.filter((code) => !['US', 'CA', 'MX'].includes(code));

const RETURNED: Regime = {
  id: 'RETURNED_GOODS',
  description: 'American goods returned (transaction type RETURN)',
  when: { transactionTypes: ['RETURN'] },
  lowValue: false,
  duty: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
  tax: { kind: 'IMPORT' },
  legalBasis: 'HTSUS heading 9801.00.10: American goods returned',
};

/** Gifts are low value while a de minimis regime exists; after its suspension there is no low-value regime. */
const gift = (lowValue: boolean): Regime => ({
  id: 'GIFT',
  description: 'Bona fide gift between private individuals up to USD 100',
  upTo: '100',
  when: { transactionTypes: ['C2C'], allItemsCategory: 'GIFT' },
  lowValue,
  duty: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
  tax: { kind: 'IMPORT' },
  legalBasis: GIFTS,
});

const deMinimis = (noOrigins?: readonly string[]): Regime => ({
  id: 'DE_MINIMIS',
  description: noOrigins
    ? `Section 321 de minimis up to USD 800, not for goods originating in ${noOrigins.join(', ')}`
    : 'Section 321 de minimis up to USD 800',
  upTo: '800',
  ...(noOrigins ? { when: { noOrigins } } : {}),
  lowValue: true,
  duty: { kind: 'EXEMPT', note: 'SECTION_321_DE_MINIMIS' },
  tax: { kind: 'IMPORT' },
  legalBasis: noOrigins ? `${DE_MINIMIS}; ${EO_14256}` : DE_MINIMIS,
});

/** Additional duties by origin. An admin's surcharge table, when supplied, replaces this list. */
export const US_ORIGIN_SURCHARGES: readonly OriginSurchargeRule[] = [
  {
    code: 'IEEPA_CN_OPIOID',
    originCountries: ['CN', 'HK'],
    rate: '0.10',
    validFrom: '2025-02-04',
    validTo: '2025-03-03',
    legalBasis: OPIOID_CN,
  },
  {
    code: 'IEEPA_CN_OPIOID',
    originCountries: ['CN', 'HK'],
    rate: '0.20',
    validFrom: '2025-03-04',
    validTo: '2025-11-09',
    legalBasis: OPIOID_CN,
  },
  {
    code: 'IEEPA_CN_OPIOID',
    originCountries: ['CN', 'HK'],
    rate: '0.10',
    validFrom: '2025-11-10',
    validTo: '2026-02-23',
    legalBasis: OPIOID_CN,
  },
  {
    code: 'SECTION_122_SURCHARGE',
    originCountries: ALL_BUT_USMCA,
    rate: '0.10',
    validFrom: '2026-02-24',
    validTo: '2026-07-23',
    legalBasis: SECTION_122,
  },
];

const common = {
  layer: 'US',
  thresholdBasis: 'INTRINSIC',
  generalDutyRate: null,
  dutyLegalBasis: HTSUS,
  taxes: [],
  originSurcharges: US_ORIGIN_SURCHARGES,
  lineReliefs: [
    {
      categories: ['DOCUMENTS'],
      note: 'DOCUMENTS_RELIEF',
      legalBasis: 'HTSUS heading 4907 and 19 CFR 10.121: documents of no commercial value',
    },
  ],
} as const satisfies Partial<RuleVersion>;

const DE_MINIMIS_TYPES = [
  { type: 'TYPE86', regimes: ['GIFT', 'DE_MINIMIS'] },
  { type: 'INFORMAL', upTo: '2500' },
  { type: 'FORMAL' },
] as const;

export const US: CountryPack = {
  country: 'US',
  name: 'United States',
  jurisdiction: 'US',
  recordKeeping: {
    years: 5,
    legalBasis: '19 U.S.C. 1508; 19 CFR 163.4(a): entry records kept 5 years from the date of entry',
  },
  currency: 'USD',
  valuationBasis: 'FOB',
  rounding: { mode: 'HALF_UP', per: 'LINE' },
  layers: ['US'],
  versions: [
    {
      ...common,
      id: 'US@2016-03-10',
      validFrom: '2016-03-10',
      validTo: '2025-05-01',
      summary: 'Section 321 de minimis of USD 800 per consignment; bona fide gifts up to USD 100.',
      legalBasis: [VALUE, HTSUS, DE_MINIMIS, GIFTS, ENTRIES],
      regimes: [RETURNED, gift(true), deMinimis()],
      declarationTypes: DE_MINIMIS_TYPES,
    },
    {
      ...common,
      id: 'US@2025-05-02',
      validFrom: '2025-05-02',
      validTo: '2025-08-28',
      summary: 'De minimis no longer applies to goods originating in China or Hong Kong.',
      legalBasis: [VALUE, HTSUS, DE_MINIMIS, EO_14256, GIFTS, ENTRIES],
      regimes: [RETURNED, gift(true), deMinimis(['CN', 'HK'])],
      declarationTypes: DE_MINIMIS_TYPES,
    },
    {
      ...common,
      id: 'US@2025-08-29',
      validFrom: '2025-08-29',
      validTo: '2025-09-30',
      summary:
        'De minimis suspended for all countries: every commercial consignment pays duty; bona fide gifts up to USD 100 stay exempt.',
      legalBasis: [VALUE, HTSUS, EO_14324, GIFTS, ENTRIES, MPF_INFORMAL_BASIS, MPF_FORMAL_BASIS],
      regimes: [RETURNED, gift(false)],
      declarationTypes: [{ type: 'INFORMAL', upTo: '2500' }, { type: 'FORMAL' }],
      fees: [MPF_FY2025, MPF_FORMAL_FY2025],
    },
    {
      ...common,
      id: 'US@2025-10-01',
      validFrom: '2025-10-01',
      summary:
        'Fiscal year 2026 customs user fees: merchandise processing fee USD 2.69 for an informal entry, 0.3464 % between USD 33.58 and 651.50 for a formal entry.',
      legalBasis: [VALUE, HTSUS, EO_14324, GIFTS, ENTRIES, MPF_INFORMAL_BASIS, MPF_FORMAL_BASIS],
      regimes: [RETURNED, gift(false)],
      declarationTypes: [{ type: 'INFORMAL', upTo: '2500' }, { type: 'FORMAL' }],
      fees: [MPF_FY2026, MPF_FORMAL_FY2026],
    },
  ],
};
