// China, cross-border e-commerce (CBEC) retail import. Per transaction up to CNY 5,000 and per person
// (consignee taxId) up to CNY 26,000 a year: duty 0, VAT and consumption tax at 70 % of the normal
// amount. A single indivisible item over CNY 5,000 with room left in the year: allowed at full rates,
// counting toward the year. Beyond: rejected from this channel (general trade).
import type { CountryPack } from './types.js';

const CBEC =
  'Cai Guan Shui [2016] No. 18: tax policy for cross-border e-commerce retail imports (duty 0 within the limits, VAT and consumption tax at 70 %)';
const LIMITS =
  'Cai Guan Shui [2018] No. 49: limits of CNY 5,000 per transaction and CNY 26,000 per person per year from 2019-01-01; a single item above CNY 5,000 at full rates, counting toward the year';
const VAT = 'MOF, STA and GACC Announcement [2019] No. 39: VAT 13 % from 2019-04-01';
const CONSUMPTION_TAX =
  'Provisional Regulations of the PRC on Consumption Tax: ad valorem rates on high-end cosmetics, jewellery, high-end watches, wine and spirits; composite base (customs value + duty) / (1 - rate); Cai Shui [2016] No. 103: high-end cosmetics are those priced at CNY 10 or more per ml (g) or CNY 15 per piece, at 15 %; Cai Shui [2006] No. 33: high-end watches are those priced at CNY 10,000 or more each, at 20 %';
// Net mass stands for volume (1 ml taken as 1 g): declarations carry mass, not volume.
const HIGH_END_COSMETICS = { amount: '10', per: 'GRAM' } as const;
const HIGH_END_WATCHES = { amount: '10000', per: 'ITEM' } as const;
const TARIFF = 'Customs Import and Export Tariff of the PRC (Tariff Law of the PRC, 2024): MFN rates';
const VALUE =
  'GACC Announcement [2016] No. 26: customs value is the actual transaction price including freight and insurance';

export const CN: CountryPack = {
  country: 'CN',
  name: 'China',
  jurisdiction: 'CN',
  recordKeeping: {
    years: 3,
    legalBasis:
      'Customs Law of the PRC art. 45 (post-clearance audit within 3 years of release); primary source for the retention period not verified',
  },
  currency: 'CNY',
  valuationBasis: 'CIF',
  rounding: { mode: 'HALF_UP', per: 'LINE' },
  layers: ['CN'],
  versions: [
    {
      id: 'CN@2019-04-01',
      layer: 'CN',
      validFrom: '2019-04-01',
      summary: 'CBEC retail import limits CNY 5,000 per transaction and CNY 26,000 per year; VAT 13 %.',
      legalBasis: [CBEC, LIMITS, VAT, CONSUMPTION_TAX, TARIFF, VALUE],
      // The limits are tested on the dutiable price: goods plus freight and insurance (GACC 2016 No. 26).
      thresholdBasis: 'CUSTOMS_VALUE',
      regimes: [
        {
          id: 'CBEC_REDUCED',
          description:
            'Transaction up to CNY 5,000 within the annual limit: duty 0, VAT and consumption tax at 70 %',
          upTo: '5000',
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'CBEC_REDUCED_RATE' },
          tax: { kind: 'IMPORT' },
          taxFactor: '0.7',
          notes: ['CBEC_REDUCED_RATE'],
          legalBasis: `${CBEC}; ${LIMITS}`,
        },
        {
          id: 'CBEC_SINGLE_ITEM',
          description:
            'A single indivisible item above CNY 5,000 within the annual limit: full duty, VAT and consumption tax',
          when: { singleItem: true },
          lowValue: false,
          duty: { kind: 'TARIFF' },
          tax: { kind: 'IMPORT' },
          notes: ['CBEC_SINGLE_ITEM_FULL_RATE'],
          legalBasis: LIMITS,
        },
      ],
      unmatched: {
        reject: {
          code: 'CBEC_TRANSACTION_LIMIT_EXCEEDED',
          reason:
            'The transaction exceeds CNY 5,000 and is not a single indivisible item: it cannot be imported as cross-border e-commerce retail (general trade applies)',
          declarationType: 'GENERAL_TRADE',
        },
      },
      annualAllowance: {
        amount: '26000',
        regimes: ['CBEC_REDUCED', 'CBEC_SINGLE_ITEM'],
        identityRequired: {
          code: 'CBEC_IDENTITY_REQUIRED',
          reason:
            "Cross-border e-commerce retail import needs the consignee's identity number (consignee.taxId)",
        },
        exceeded: {
          code: 'CBEC_ANNUAL_LIMIT_EXCEEDED',
          reason:
            "The consignee's cross-border e-commerce purchases this year would exceed CNY 26,000: the consignment cannot be imported through this channel (general trade applies)",
        },
      },
      declarationTypes: [
        { type: '9610', regimes: ['CBEC_REDUCED', 'CBEC_SINGLE_ITEM'] },
        { type: 'GENERAL_TRADE' },
      ],
      generalDutyRate: null,
      dutyLegalBasis: TARIFF,
      taxes: [
        {
          code: 'CONSUMPTION_TAX',
          composite: true,
          ratesByHs: [
            {
              hsPrefix: '3303',
              rate: '0.15',
              description:
                'perfumes and toilet waters priced at CNY 10 or more per millilitre (gram): high-end cosmetics',
              minUnitPrice: HIGH_END_COSMETICS,
            },
            {
              hsPrefix: '3304',
              rate: '0.15',
              description:
                'beauty, make-up and skin-care preparations priced at CNY 10 or more per millilitre (gram): high-end cosmetics',
              minUnitPrice: HIGH_END_COSMETICS,
            },
            { hsPrefix: '7113', rate: '0.10', description: 'jewellery of precious metal' },
            { hsPrefix: '7116', rate: '0.10', description: 'articles of pearls and precious stones' },
            {
              hsPrefix: '9101',
              rate: '0.20',
              description: 'wrist and pocket watches priced at CNY 10,000 or more each: high-end watches',
              minUnitPrice: HIGH_END_WATCHES,
            },
            {
              hsPrefix: '9102',
              rate: '0.20',
              description: 'wrist and pocket watches priced at CNY 10,000 or more each: high-end watches',
              minUnitPrice: HIGH_END_WATCHES,
            },
            { hsPrefix: '2204', rate: '0.10', description: 'wine' },
            { hsPrefix: '2208', rate: '0.20', description: 'spirits (ad valorem part)' },
          ],
          base: ['CUSTOMS_VALUE', 'DUTY'],
          legalBasis: CONSUMPTION_TAX,
        },
        {
          code: 'VAT',
          rate: '0.13',
          base: ['CUSTOMS_VALUE', 'DUTY', 'CONSUMPTION_TAX'],
          legalBasis: VAT,
        },
      ],
      // VAT 9 %: books and newspapers, cereals, edible vegetable oils (Announcement [2019] No. 39 with the
      // VAT Law's list of 9 % goods).
      goodsRates: {
        CN: [
          ['4901', 'printed books'],
          ['4902', 'newspapers and periodicals'],
          ['10', 'cereals'],
          ...['1507', '1508', '1509', '1510', '1511', '1512', '1513', '1514', '1515'].map((prefix) => [
            prefix,
            'edible vegetable oils',
          ]),
        ].map(([hsPrefix = '', description = '']) => ({
          hsPrefix,
          rate: '0.09',
          taxCodes: ['VAT' as const],
          description,
          legalBasis:
            'MOF, STA and GACC Announcement [2019] No. 39: the 10 % VAT rate becomes 9 % from 2019-04-01 (books, newspapers, grain, edible vegetable oils and other listed goods)',
          validFrom: '2019-04-01',
        })),
      },
    },
  ],
};
