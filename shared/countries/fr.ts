// France: EU rules; from 2026-03-01 a small-parcel tax of EUR 2 per item in low-value consignments.
// The fee is data: correcting its amount, unit or date is a change to this record only.
import { memberStatePack } from './member-state.js';

const LAW = [
  "Code général des impôts art. 291 et 292: taxe sur la valeur ajoutée à l'importation",
  'Code des douanes: national implementation of the Union Customs Code',
];

const FEE_LAW =
  'Loi de finances pour 2026: taxe sur les petits colis of EUR 2 per item in consignments from third countries of a value up to EUR 150, owed by the seller or platform, from 2026-03-01';

export const FR = memberStatePack('FR', 'France', [
  {
    id: 'FR@2021-07-01',
    validFrom: '2021-07-01',
    validTo: '2026-02-28',
    summary: 'National data for the EU e-commerce VAT package.',
    legalBasis: LAW,
  },
  {
    id: 'FR@2026-03-01',
    validFrom: '2026-03-01',
    summary: 'Small-parcel tax of EUR 2 per item in commercial consignments up to EUR 150.',
    legalBasis: [...LAW, FEE_LAW],
    fees: [
      {
        code: 'FR_SMALL_PARCEL_TAX',
        amount: '2.00',
        per: 'ITEM',
        maxValue: '150',
        when: { transactionTypes: ['B2C', 'B2B'] },
        legalBasis: FEE_LAW,
      },
    ],
  },
]);
