// Germany: EU rules; import VAT below EUR 1 is not levied.
import { memberStatePack } from './member-state.js';

export const DE = memberStatePack('DE', 'Germany', [
  {
    id: 'DE@2021-07-01',
    validFrom: '2021-07-01',
    summary: 'National data for the EU e-commerce VAT package; import VAT below EUR 1 is not levied.',
    legalBasis: [
      'Umsatzsteuergesetz (UStG) § 1 Abs. 1 Nr. 4 and § 21: Einfuhrumsatzsteuer (import VAT)',
      'Kleinbetragsregelung of the customs administration: import VAT below EUR 1 is not levied',
    ],
    minimumCollection: [
      {
        taxCode: 'VAT',
        below: '1.00',
        note: 'BELOW_MINIMUM_COLLECTION',
        legalBasis: 'Kleinbetragsregelung: Einfuhrumsatzsteuer unter EUR 1 wird nicht erhoben',
      },
    ],
  },
]);
