// France: EU rules; from 2026-03-01 a small-parcel tax of EUR 2 per item in low-value consignments.
// The fee is data: correcting its amount, unit or date is a change to this record only.
import { memberStatePack } from './member-state.js';
import type { Territory } from './types.js';

/**
 * The outermost regions (Guadeloupe 971 with Saint-Martin 97150, Martinique 972, French Guiana 973,
 * Réunion 974, Mayotte 976): in the customs territory, outside the VAT area (octroi de mer applies locally).
 */
export const FR_OUTSIDE_VAT: readonly Territory[] = [
  {
    name: 'French outermost regions (Guadeloupe, Saint-Martin, Martinique, French Guiana, Réunion, Mayotte)',
    postcodePrefixes: ['971', '972', '973', '974', '976'],
    regions: [
      'FR-971',
      'FR-972',
      'FR-973',
      'FR-974',
      'FR-976',
      'FR-GP',
      'FR-MQ',
      'FR-GF',
      'FR-RE',
      'FR-YT',
      'FR-MF',
    ],
    customsTerritory: true,
    legalBasis:
      'Council Directive 2006/112/EC Art. 6(1)(c): the French territories referred to in Art. 349 and 355(1) TFEU are outside the VAT area',
  },
];

const LAW = [
  "Code général des impôts art. 291 et 292: taxe sur la valeur ajoutée à l'importation",
  'Code des douanes: national implementation of the Union Customs Code',
  ...FR_OUTSIDE_VAT.map((territory) => territory.legalBasis),
];

const FEE_LAW =
  'Loi de finances pour 2026: taxe sur les petits colis of EUR 2 per article (goods item of the customs declaration) in consignments from third countries of a value up to EUR 150, from 2026-03-01, owed by the person liable for the import VAT (the seller or platform, who may not invoice it to the consumer as such), in metropolitan France, Guadeloupe, Martinique, La Réunion and Monaco, not in French Guiana, Mayotte or Saint-Martin';

/** Where the small-parcel tax is not levied although the consignee is in France. */
const FR_SMALL_PARCEL_TAX_EXCLUDED = [
  {
    name: 'French Guiana, Mayotte and Saint-Martin',
    postcodePrefixes: ['973', '976', '97150'],
    regions: ['FR-973', 'FR-976', 'FR-GF', 'FR-YT', 'FR-MF'],
  },
];

export const FR = memberStatePack('FR', 'France', [
  {
    id: 'FR@2021-07-01',
    validFrom: '2021-07-01',
    validTo: '2026-02-28',
    summary: 'National data for the EU e-commerce VAT package.',
    legalBasis: LAW,
    outsideVatTerritory: FR_OUTSIDE_VAT,
  },
  {
    id: 'FR@2026-03-01',
    validFrom: '2026-03-01',
    summary: 'Small-parcel tax of EUR 2 per item in commercial consignments up to EUR 150.',
    legalBasis: [...LAW, FEE_LAW],
    outsideVatTerritory: FR_OUTSIDE_VAT,
    fees: [
      {
        code: 'FR_SMALL_PARCEL_TAX',
        amount: '2.00',
        per: 'ITEM',
        maxValue: '150',
        when: { transactionTypes: ['B2C', 'B2B'] },
        exceptTerritories: FR_SMALL_PARCEL_TAX_EXCLUDED,
        legalBasis: FEE_LAW,
      },
    ],
  },
]);
