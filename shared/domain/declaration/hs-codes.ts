// The HS 2022 nomenclature: which 6-digit subheadings exist and what each chapter is called.
import hs from '../../data/hs2022.json' with { type: 'json' };

const subheadings = new Set(hs.subheadings.split(','));
// The source data closes with a statistical total row, 999999 "Commodities not specified according to
// kind": no goods can be classified there.
subheadings.delete('999999');
const chapterNames: Record<string, string> = hs.chapters;

export const isHsSubheading = (code: string): boolean => subheadings.has(code.slice(0, 6));

export const hsChapter = (hsCode: string): string => hsCode.slice(0, 2);

export const hsChapterName = (chapter: string): string | undefined => chapterNames[chapter];
