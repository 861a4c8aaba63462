// Canada: value for duty FOB. Courier shipments from the US or Mexico: no duty or tax up to CAD 40, no
// duty up to CAD 150 on goods originating there (CUSMA); every other courier or postal shipment: nothing
// up to CAD 20, then all charges. GST 5 % on value for duty plus duty.
import { EXCISE_GOODS } from './goods.js';
import type { CountryPack } from './types.js';

const VALUE = 'Customs Act (R.S.C. 1985, c. 1 (2nd Supp.)) s. 48: value for duty, transaction value FOB';
const TARIFF = 'Customs Tariff (S.C. 1997, c. 36): most-favoured-nation and preferential rates';
const COURIER =
  'Courier Imports Remission Order (SOR/85-182) as amended for CUSMA on 2020-07-01: courier shipments from the US or Mexico, no duty or tax up to CAD 40 and no duty up to CAD 150 on CUSMA-originating goods';
const POSTAL =
  'Postal Imports Remission Order (SOR/85-181) and Courier Imports Remission Order: no duty or tax up to CAD 20';
const GIFTS = 'Customs Tariff tariff item 9816.00.00: gifts up to CAD 60 (not alcohol or tobacco)';
const GST = 'Excise Tax Act Part IX s. 212 and 215: GST 5 % on the value for duty plus duty';
const HST =
  'Excise Tax Act Part IX s. 212.1 and Schedule VIII: HST in place of GST on goods imported by a resident of a participating province (ON 13 %, NB, NL and PE 15 %, NS 15 % and 14 % from 2025-04-01)';
const RELIEF_EXCLUSIONS =
  'Courier Imports Remission Order and Postal Imports Remission Order s. 2: "goods" does not include alcoholic beverages, cigars, cigarettes and manufactured tobacco';

/** HST of a participating province: the federal 5 % and the provincial part together, dated. */
const hst = (rates: { rate: string; validFrom: string }[]) => ({
  code: 'HST' as const,
  rates,
  legalBasis: HST,
});
const CUSMA = ['US', 'MX'];

export const CA: CountryPack = {
  country: 'CA',
  name: 'Canada',
  jurisdiction: 'CA',
  recordKeeping: {
    years: 6,
    legalBasis:
      'Customs Act s 40(1); Imported Goods Records Regulations (SOR/86-1011) s 2: records kept 6 years after importation',
  },
  currency: 'CAD',
  valuationBasis: 'FOB',
  rounding: { mode: 'HALF_UP', per: 'LINE' },
  layers: ['CA'],
  versions: [
    {
      id: 'CA@2020-07-01',
      layer: 'CA',
      validFrom: '2020-07-01',
      summary:
        'CUSMA low-value thresholds for courier shipments from the US or Mexico (CAD 40 tax, CAD 150 duty); CAD 20 for all others.',
      legalBasis: [VALUE, TARIFF, COURIER, POSTAL, RELIEF_EXCLUSIONS, GIFTS, GST, HST],
      thresholdBasis: 'INTRINSIC',
      regimes: [
        {
          id: 'RETURNED_GOODS',
          description: 'Canadian goods returned (transaction type RETURN)',
          when: { transactionTypes: ['RETURN'] },
          lowValue: false,
          duty: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          tax: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          legalBasis: 'Customs Tariff tariff item 9813.00.00: Canadian goods returned',
        },
        {
          id: 'GIFT',
          description: 'Gift between private individuals up to CAD 60, no alcohol or tobacco',
          upTo: '60',
          when: { transactionTypes: ['C2C'], allItemsCategory: 'GIFT', noGoods: EXCISE_GOODS },
          lowValue: false,
          duty: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
          tax: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
          legalBasis: GIFTS,
        },
        {
          id: 'CUSMA_COURIER_TAX_FREE',
          description: 'Courier shipment from the US or Mexico up to CAD 40: no duty or tax',
          upTo: '40',
          when: { channels: ['EXPRESS'], dispatchCountries: CUSMA },
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'DUTY_RELIEF_LOW_VALUE', exceptGoods: EXCISE_GOODS },
          tax: { kind: 'EXEMPT', note: 'TAX_RELIEF_LOW_VALUE', exceptGoods: EXCISE_GOODS },
          legalBasis: `${COURIER}; ${RELIEF_EXCLUSIONS}`,
        },
        {
          id: 'CUSMA_COURIER_DUTY_FREE',
          description:
            'Courier shipment from the US or Mexico up to CAD 150: no duty on goods originating in the US or Mexico; GST due',
          upTo: '150',
          when: { channels: ['EXPRESS'], dispatchCountries: CUSMA },
          lowValue: true,
          duty: {
            kind: 'EXEMPT',
            note: 'DUTY_RELIEF_LOW_VALUE',
            onlyOrigins: CUSMA,
            exceptGoods: EXCISE_GOODS,
          },
          tax: { kind: 'IMPORT' },
          legalBasis: `${COURIER}; ${RELIEF_EXCLUSIONS}`,
        },
        {
          id: 'LOW_VALUE',
          description: 'Any other courier or postal shipment up to CAD 20: no duty or tax',
          upTo: '20',
          when: { channels: ['POST', 'EXPRESS'] },
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'DUTY_RELIEF_LOW_VALUE', exceptGoods: EXCISE_GOODS },
          tax: { kind: 'EXEMPT', note: 'TAX_RELIEF_LOW_VALUE', exceptGoods: EXCISE_GOODS },
          legalBasis: `${POSTAL}; ${RELIEF_EXCLUSIONS}`,
        },
      ],
      declarationTypes: [
        { type: 'CLVS', channels: ['EXPRESS'], upTo: '3300' },
        { type: 'POSTAL', channels: ['POST'], upTo: '3300' },
        { type: 'B3' },
      ],
      generalDutyRate: null,
      dutyLegalBasis: TARIFF,
      taxes: [
        {
          code: 'GST',
          rate: '0.05',
          byRegion: {
            'CA-ON': hst([{ rate: '0.13', validFrom: '2020-07-01' }]),
            'CA-NB': hst([{ rate: '0.15', validFrom: '2020-07-01' }]),
            'CA-NL': hst([{ rate: '0.15', validFrom: '2020-07-01' }]),
            'CA-PE': hst([{ rate: '0.15', validFrom: '2020-07-01' }]),
            'CA-NS': hst([
              { rate: '0.15', validFrom: '2020-07-01' },
              { rate: '0.14', validFrom: '2025-04-01' },
            ]),
          },
          base: ['CUSTOMS_VALUE', 'DUTY'],
          legalBasis: GST,
        },
      ],
      // Zero-rated basic groceries (Excise Tax Act Sch. VI Part III): no GST or HST at import either.
      goodsRates: {
        CA: [
          ['0401', 'milk and cream'],
          ['07', 'vegetables'],
          ['08', 'fruit and nuts'],
          ['10', 'cereals'],
        ].map(([hsPrefix = '', description = '']) => ({
          hsPrefix,
          rate: '0',
          taxCodes: ['GST' as const, 'HST' as const],
          description: `${description} (basic groceries)`,
          legalBasis:
            'Excise Tax Act Sch. VI Part III (basic groceries zero-rated) and Sch. VII s. 1: importation of zero-rated goods is non-taxable',
          validFrom: '2020-07-01',
        })),
      },
      lineReliefs: [
        {
          categories: ['DOCUMENTS'],
          note: 'DOCUMENTS_RELIEF',
          legalBasis: 'Customs Tariff tariff item 9801.00.00 ff.: documents of no commercial value',
        },
      ],
    },
  ],
};
