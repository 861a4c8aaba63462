// Spain: EU rules with the national VAT act; no national additions on imports.
import { memberStatePack } from './member-state.js';
import type { Territory } from './types.js';

const ART_6 = 'Council Directive 2006/112/EC Art. 6';

/** Spanish territories outside the EU VAT area, by postcode province (35, 38 Canarias; 51 Ceuta; 52 Melilla). */
export const ES_OUTSIDE_VAT: readonly Territory[] = [
  {
    name: 'Canary Islands',
    postcodePrefixes: ['35', '38'],
    regions: ['ES-CN', 'ES-GC', 'ES-TF'],
    customsTerritory: true,
    legalBasis: `${ART_6}(1)(b): the Canary Islands are in the customs territory but outside the VAT area (IGIC applies locally)`,
  },
  {
    name: 'Ceuta',
    postcodePrefixes: ['51'],
    regions: ['ES-CE'],
    customsTerritory: false,
    legalBasis: `${ART_6}(2)(c): Ceuta is outside the customs territory and the VAT area (IPSI applies locally)`,
  },
  {
    name: 'Melilla',
    postcodePrefixes: ['52'],
    regions: ['ES-ML'],
    customsTerritory: false,
    legalBasis: `${ART_6}(2)(d): Melilla is outside the customs territory and the VAT area (IPSI applies locally)`,
  },
];

export const ES = memberStatePack('ES', 'Spain', [
  {
    id: 'ES@2021-07-01',
    validFrom: '2021-07-01',
    summary: 'National data for the EU e-commerce VAT package.',
    legalBasis: [
      'Ley 37/1992 del Impuesto sobre el Valor Añadido art. 17-18 y 83: IVA a la importación',
      'Real Decreto-ley 7/2021: transposition of the EU e-commerce VAT package',
      ...ES_OUTSIDE_VAT.map((territory) => territory.legalBasis),
    ],
    outsideVatTerritory: ES_OUTSIDE_VAT,
  },
]);
