// Australia: customs value FOB. Up to AUD 1,000 no duty or GST at the border (tobacco and alcohol
// excepted); a registered seller or marketplace charges 10 % GST at the sale on the price including
// delivery and insurance. Above: duty on customs value; GST 10 % on customs value + duty + transport
// and insurance.
import type { CountryPack } from './types.js';

const VALUE = 'Customs Act 1901 s. 159-161H: customs value, transaction value FOB';
const TARIFF = 'Customs Tariff Act 1995 Schedule 3: general and preferential rates';
const LOW_VALUE =
  'Customs Act 1901 s. 68 and 71: self-assessed clearance for goods up to AUD 1,000 (not tobacco or alcohol); Customs Tariff Act 1995 Sch. 4 item 60: no duty';
const LVG =
  'A New Tax System (Goods and Services Tax) Act 1999 Division 84 Subdivision 84-C (Treasury Laws Amendment (GST Low Value Goods) Act 2017): 10 % GST charged at the sale on low value goods';
const GST =
  'A New Tax System (Goods and Services Tax) Act 1999 s. 13-5 and 13-20: GST 10 % on customs value + duty + international transport and insurance';

export const AU: CountryPack = {
  country: 'AU',
  name: 'Australia',
  jurisdiction: 'AU',
  recordKeeping: {
    years: 5,
    legalBasis:
      'Customs Act 1901 (Cth) s 240(1)(b): commercial documents kept 5 years after entry for home consumption',
  },
  currency: 'AUD',
  valuationBasis: 'FOB',
  rounding: { mode: 'HALF_UP', per: 'LINE' },
  layers: ['AU'],
  versions: [
    {
      id: 'AU@2018-07-01',
      layer: 'AU',
      validFrom: '2018-07-01',
      summary: 'GST on low value goods charged at the sale by registered sellers and marketplaces.',
      legalBasis: [VALUE, TARIFF, LOW_VALUE, LVG, GST],
      thresholdBasis: 'CUSTOMS_VALUE',
      regimes: [
        {
          id: 'RETURNED_GOODS',
          description: 'Australian goods returned (transaction type RETURN)',
          when: { transactionTypes: ['RETURN'] },
          lowValue: false,
          duty: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          tax: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
          legalBasis: 'Customs Tariff Act 1995 Sch. 4 item 16: Australian goods returned',
        },
        {
          id: 'LOW_VALUE',
          description:
            'Consignment up to AUD 1,000 without tobacco or alcohol: no duty or GST at the border; GST charged at the sale',
          upTo: '1000',
          when: { noGoods: ['ALCOHOL', 'TOBACCO'] },
          lowValue: true,
          duty: { kind: 'EXEMPT', note: 'DUTY_RELIEF_LOW_VALUE' },
          tax: {
            kind: 'AT_SALE',
            note: 'LOW_VALUE_SALE_COLLECTION',
            base: ['INTRINSIC', 'TRANSPORT_INSURANCE'],
            sales: ['B2C'],
            reverseCharge: ['B2B'],
            exempt: ['C2C'],
            legalBasis: LVG,
          },
          legalBasis: `${LOW_VALUE}; ${LVG}`,
        },
      ],
      declarationTypes: [{ type: 'SAC', regimes: ['LOW_VALUE'] }, { type: 'FID' }],
      generalDutyRate: null,
      dutyLegalBasis: TARIFF,
      taxes: [
        {
          code: 'GST',
          rate: '0.10',
          base: ['CUSTOMS_VALUE', 'DUTY', 'TRANSPORT_INSURANCE'],
          legalBasis: GST,
        },
      ],
      lineReliefs: [
        {
          categories: ['DOCUMENTS'],
          note: 'DOCUMENTS_RELIEF',
          legalBasis: 'Customs Tariff Act 1995 Sch. 4: documents of no commercial value',
        },
      ],
    },
  ],
};
