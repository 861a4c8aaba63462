// Netherlands: EU rules with the national VAT and customs acts; no national additions on imports.
import { memberStatePack } from './member-state.js';

const LAW = [
  'Wet op de omzetbelasting 1968 art. 1, 18-22: omzetbelasting bij invoer (import VAT)',
  'Algemene douanewet: national implementation of the Union Customs Code',
];

export const NL = memberStatePack('NL', 'Netherlands', [
  {
    id: 'NL@2021-07-01',
    validFrom: '2021-07-01',
    validTo: '2025-12-31',
    summary: 'National data for the EU e-commerce VAT package.',
    legalBasis: LAW,
  },
  {
    id: 'NL@2026-01-01',
    validFrom: '2026-01-01',
    summary: 'National data reviewed for 2026; import charges on goods unchanged.',
    legalBasis: LAW,
  },
]);
