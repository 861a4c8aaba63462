// Japan: customs value CIF. Goods whose total customs value is at most JPY 10,000 are exempt from duty and
// consumption tax, except listed goods (leather bags, knitwear, footwear and others). Consumption tax
// 10 % (7.8 % national + 2.2 % local) on customs value + duty. Bases are truncated to JPY 1,000 and
// amounts to JPY 100 (Act on General Rules for National Taxes Art. 118-119).
import type { CountryPack } from './types.js';

const VALUE = 'Customs Tariff Act (Act No. 54 of 1910) Art. 4: customs value, transaction value CIF';
const TARIFF = 'Customs Tariff Act and Act on Temporary Measures concerning Customs: statutory and WTO rates';
const SMALL_VALUE =
  'Customs Tariff Act Art. 14(xviii) and Enforcement Order Art. 16-3: goods with a total customs value up to JPY 10,000 exempt, except listed goods; Act on the Collection of Internal Consumption Taxes on Imported Goods Art. 13';
const CONSUMPTION_TAX =
  'Consumption Tax Act (Act No. 108 of 1988) Art. 28(4) and 29, Local Tax Act Art. 72-83: consumption tax 10 % on customs value + duty from 2019-10-01';
const TRUNCATION =
  'Act on General Rules for National Taxes Art. 118-119: base below JPY 1,000 and tax below JPY 100 truncated';

export const JP: CountryPack = {
  country: 'JP',
  name: 'Japan',
  jurisdiction: 'JP',
  recordKeeping: {
    years: 5,
    legalBasis:
      'Customs Act (Act No. 61 of 1954) art. 94 and its Order: import documents kept 5 years from the day after permission (books 7 years)',
  },
  currency: 'JPY',
  valuationBasis: 'CIF',
  rounding: { mode: 'DOWN', per: 'LINE', baseStep: '1000', amountStep: '100' },
  layers: ['JP'],
  versions: [
    {
      id: 'JP@2019-10-01',
      layer: 'JP',
      validFrom: '2019-10-01',
      summary: 'Consumption tax 10 %; small-value exemption up to JPY 10,000 of total customs value.',
      legalBasis: [VALUE, TARIFF, SMALL_VALUE, CONSUMPTION_TAX, TRUNCATION],
      thresholdBasis: 'CUSTOMS_VALUE',
      regimes: [
        {
          id: 'RETURNED_GOODS',
          description: 'Japanese goods returned (transaction type RETURN)',
          when: { transactionTypes: ['RETURN'] },
          lowValue: false,
          duty: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          tax: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          legalBasis: 'Customs Tariff Act Art. 14(x): re-imported goods',
        },
        {
          id: 'LOW_VALUE',
          description:
            'Total customs value up to JPY 10,000: no duty or consumption tax, except on listed goods (leather bags, knitwear, footwear, ...)',
          upTo: '10000',
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'DUTY_RELIEF_LOW_VALUE', exceptGoods: ['JP_SMALL_VALUE_EXCLUDED'] },
          tax: { kind: 'EXEMPT', note: 'TAX_RELIEF_LOW_VALUE', exceptGoods: ['JP_SMALL_VALUE_EXCLUDED'] },
          legalBasis: SMALL_VALUE,
        },
      ],
      declarationTypes: [
        { type: 'MIC', channels: ['EXPRESS'], upTo: '200000' },
        { type: 'POSTAL', channels: ['POST'], upTo: '200000' },
        { type: 'IDA' },
      ],
      generalDutyRate: null,
      dutyLegalBasis: TARIFF,
      taxes: [
        {
          code: 'CONSUMPTION_TAX',
          rate: '0.10',
          base: ['CUSTOMS_VALUE', 'DUTY'],
          legalBasis: CONSUMPTION_TAX,
        },
      ],
      // Food and non-alcoholic beverages (HS chapters 02-04, 07-11, 16-21 and headings 2201, 2202): 8 %.
      goodsRates: {
        JP: [
          '02',
          '03',
          '04',
          '07',
          '08',
          '09',
          '10',
          '11',
          '16',
          '17',
          '18',
          '19',
          '20',
          '21',
          '2201',
          '2202',
        ].map((hsPrefix) => ({
          hsPrefix,
          rate: '0.08',
          taxCodes: ['CONSUMPTION_TAX' as const],
          description: 'food and non-alcoholic beverages (reduced rate)',
          legalBasis:
            'Consumption Tax Act as amended by Act No. 15 of 2016, Supplementary Provisions Art. 34: reduced rate of 8 % (6.24 % national and 1.76 % local) on food and beverages other than alcohol from 2019-10-01',
          validFrom: '2019-10-01',
        })),
      },
      lineReliefs: [
        {
          categories: ['DOCUMENTS'],
          note: 'DOCUMENTS_RELIEF',
          legalBasis: 'Customs Tariff Act Art. 14: documents of no commercial value',
        },
      ],
    },
  ],
};
