// Spain: EU rules with the national VAT act; no national additions on imports.
import { memberStatePack } from './member-state.js';

export const ES = memberStatePack('ES', 'Spain', [
  {
    id: 'ES@2021-07-01',
    validFrom: '2021-07-01',
    summary: 'National data for the EU e-commerce VAT package.',
    legalBasis: [
      'Ley 37/1992 del Impuesto sobre el Valor Añadido art. 17-18 y 83: IVA a la importación',
      'Real Decreto-ley 7/2021: transposition of the EU e-commerce VAT package',
    ],
  },
]);
