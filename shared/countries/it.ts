// Italy: EU rules; from 2026-01-01 a handling fee of EUR 2 per low-value consignment.
// The fee is data: correcting its amount, unit or date is a change to this record only.
import { memberStatePack } from './member-state.js';

const LAW = [
  "D.P.R. 26 ottobre 1972 n. 633 art. 67-70: IVA all'importazione",
  'D.Lgs. 26 settembre 2024 n. 141: national customs provisions',
];

const FEE_LAW =
  'Legge 30 dicembre 2025 n. 199 (legge di bilancio 2026) art. 1 commi 126-128: contributo of EUR 2 per consignment from a third country of a declared customs value (UCC Art. 69-76) up to EUR 150, whatever the transaction (B2C, B2B, between private individuals), collected at import from the declarant (and, under indirect representation, the person represented); ADM circolare n. 37/2025: not due on re-imports after temporary export; ADM circolare n. 4/2026: not part of the VAT base';

export const IT = memberStatePack('IT', 'Italy', [
  {
    id: 'IT@2021-07-01',
    validFrom: '2021-07-01',
    validTo: '2025-12-31',
    summary: 'National data for the EU e-commerce VAT package.',
    legalBasis: LAW,
  },
  {
    id: 'IT@2026-01-01',
    validFrom: '2026-01-01',
    summary: 'Contribution of EUR 2 per consignment up to EUR 150 towards customs handling costs.',
    legalBasis: [...LAW, FEE_LAW],
    fees: [
      {
        code: 'IT_HANDLING_FEE',
        amount: '2.00',
        per: 'CONSIGNMENT',
        maxValue: '150',
        // The declared customs value, transport and insurance included (ADM circolare n. 37/2025).
        valueBasis: 'CUSTOMS_VALUE',
        exceptRegimes: ['RETURNED_GOODS'],
        legalBasis: FEE_LAW,
      },
    ],
  },
]);
