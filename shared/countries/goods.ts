// Groups of goods the law treats apart, as HS prefixes (2 to 6 digits). A goods line belongs to a class
// when its HS code starts with one of the class's prefixes.
import type { GoodsClass } from './types.js';

export const GOODS_CLASSES: Readonly<Record<GoodsClass, readonly string[]>> = {
  /** Beer, wine, vermouth, other fermented beverages, ethyl alcohol, spirits (HS 2203 to 2208). */
  ALCOHOL: ['2203', '2204', '2205', '2206', '2207', '2208'],
  /** Tobacco and manufactured tobacco substitutes, HS chapter 24. */
  TOBACCO: ['24'],
  /** Perfumes and toilet waters, HS 3303. */
  PERFUME: ['3303'],
  /**
   * JP: goods excluded from the small-value exemption (Customs Tariff Act Enforcement Order Art. 16-3):
   * leather bags, leather gloves and apparel, fur apparel, knitted apparel and gloves, pantyhose,
   * footwear, wooden marquetry, bamboo basketwork.
   */
  JP_SMALL_VALUE_EXCLUDED: [
    '420211',
    '420221',
    '420231',
    '420291',
    '4203',
    '4303',
    '4420',
    '4602',
    '61',
    '64',
  ],
};

/** Excise goods in the EU and GB sense: alcohol and tobacco (perfume is not an excise good). */
export const EXCISE_GOODS: readonly GoodsClass[] = ['ALCOHOL', 'TOBACCO'];

/** Goods the EU low-value duty relief never covered (Regulation (EC) No 1186/2009 Art. 24). */
export const EU_RELIEF_EXCLUDED_GOODS: readonly GoodsClass[] = ['ALCOHOL', 'TOBACCO', 'PERFUME'];
