// United Kingdom (Great Britain): low-value goods up to GBP 135 pay no duty and carry VAT charged at the
// sale by the seller or the marketplace; above, duty on CIF and import VAT on customs value plus duty.
import { EXCISE_GOODS } from './goods.js';
import type { CountryPack } from './types.js';

const CUSTOMS = 'Taxation (Cross-border Trade) Act 2018 and the UK Global Tariff: customs duty on CIF value';
const LOW_VALUE_DUTY =
  'The Customs (Relief from a Liability to Import Duty and Miscellaneous Amendments) (EU Exit) Regulations 2020: no duty on consignments up to GBP 135 (excise goods excluded)';
const LOW_VALUE_VAT =
  'Value Added Tax Act 1994 s. 5A and Sch. 9B (Finance Act 2020; VAT (Amendment) (EU Exit) Regulations 2020): VAT charged at the point of sale on consignments up to GBP 135, by the marketplace where one facilitates the sale';
const GIFTS =
  'Value Added Tax (Small Non-Commercial Consignments) Relief Order 1986: gifts between private individuals up to GBP 39';
const GIFTS_FLAT =
  'UK Global Tariff: flat rate of 2.5 % on gifts between private individuals above GBP 135 and up to GBP 630';
const IMPORT_VAT = 'Value Added Tax Act 1994 s. 1(4), 15-21: import VAT at 20 % on customs value plus duty';
const SRDS =
  'CDS Volume 3: declaration category H7 (super reduced data set) for low-value consignments up to GBP 135';

export const GB: CountryPack = {
  country: 'GB',
  name: 'United Kingdom',
  jurisdiction: 'GB',
  recordKeeping: {
    years: 4,
    legalBasis:
      'Customs (Records) (EU Exit) Regulations 2019 reg 3 and the HMRC notice made under it: records of declared goods kept 4 years',
  },
  currency: 'GBP',
  valuationBasis: 'CIF',
  rounding: { mode: 'HALF_UP', per: 'LINE' },
  layers: ['GB'],
  versions: [
    {
      id: 'GB@2021-01-01',
      layer: 'GB',
      validFrom: '2021-01-01',
      summary:
        'Post-exit rules: no duty and VAT at the point of sale up to GBP 135; gifts up to GBP 39 relieved.',
      legalBasis: [CUSTOMS, LOW_VALUE_DUTY, LOW_VALUE_VAT, GIFTS, GIFTS_FLAT, IMPORT_VAT, SRDS],
      thresholdBasis: 'INTRINSIC',
      regimes: [
        {
          id: 'RETURNED_GOODS',
          description: 'Goods returned (transaction type RETURN)',
          when: { transactionTypes: ['RETURN'] },
          lowValue: false,
          duty: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          tax: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          legalBasis:
            'Taxation (Cross-border Trade) Act 2018 Sch. 1 and the Customs (Reliefs) Regulations: returned goods relief',
        },
        {
          id: 'GIFT',
          description: 'Gift between private individuals up to GBP 39, no alcohol or tobacco',
          upTo: '39',
          when: { transactionTypes: ['C2C'], allItemsCategory: 'GIFT', noGoods: EXCISE_GOODS },
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
          tax: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
          legalBasis: GIFTS,
        },
        {
          id: 'LOW_VALUE',
          description: 'Consignment up to GBP 135 without excise goods: no duty; VAT charged at the sale',
          upTo: '135',
          when: { noGoods: EXCISE_GOODS },
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'DUTY_RELIEF_LOW_VALUE' },
          tax: {
            kind: 'AT_SALE',
            note: 'LOW_VALUE_SALE_COLLECTION',
            base: ['INTRINSIC', 'TRANSPORT_INSURANCE'],
            sales: ['B2C'],
            reverseCharge: ['B2B'],
            legalBasis: LOW_VALUE_VAT,
          },
          legalBasis: `${LOW_VALUE_DUTY}; ${LOW_VALUE_VAT}`,
        },
        {
          id: 'GIFT_FLAT_RATE',
          description: 'Gift between private individuals up to GBP 630: flat duty rate 2.5 %',
          upTo: '630',
          when: { transactionTypes: ['C2C'], allItemsCategory: 'GIFT' },
          lowValue: false,
          duty: {
            kind: 'FLAT_RATE',
            rate: '0.025',
            code: 'FLAT_RATE_DUTY',
            note: 'NON_COMMERCIAL_FLAT_RATE',
            legalBasis: GIFTS_FLAT,
            exceptGoods: EXCISE_GOODS,
          },
          tax: { kind: 'IMPORT' },
          legalBasis: GIFTS_FLAT,
        },
      ],
      declarationTypes: [{ type: 'H7', regimes: ['GIFT', 'LOW_VALUE'] }, { type: 'H1' }],
      generalDutyRate: null,
      dutyLegalBasis: CUSTOMS,
      taxes: [{ code: 'VAT', rate: '0.20', base: ['CUSTOMS_VALUE', 'DUTY'], legalBasis: IMPORT_VAT }],
      goodsRates: {
        GB: [
          {
            hsPrefix: '4901',
            rate: '0',
            taxCodes: ['VAT'],
            description: 'printed books, brochures and leaflets',
            legalBasis: 'Value Added Tax Act 1994 Sch. 8 Group 3: books zero-rated',
            validFrom: '2021-01-01',
          },
          {
            hsPrefix: '6111',
            rate: '0',
            taxCodes: ['VAT'],
            description: "babies' garments and clothing accessories",
            legalBasis: "Value Added Tax Act 1994 Sch. 8 Group 16: young children's clothing zero-rated",
            validFrom: '2021-01-01',
          },
        ],
      },
      lineReliefs: [
        {
          categories: ['DOCUMENTS'],
          note: 'DOCUMENTS_RELIEF',
          legalBasis: 'UK Global Tariff chapter 49 reliefs: documents of no commercial value',
        },
      ],
    },
  ],
};
