// The HS 2022 nomenclature: which 6-digit subheadings exist.
import hs from '../../data/hs2022.json' with { type: 'json' };

const subheadings = new Set(hs.subheadings.split(','));
// The source data closes with a statistical total row, 999999 "Commodities not specified according to
// kind": no goods can be classified there.
subheadings.delete('999999');

export const isHsSubheading = (code: string): boolean => subheadings.has(code.slice(0, 6));
