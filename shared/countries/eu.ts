// The EU layer of every member-state stack: customs (Union Customs Code, relief regulation, Common
// Customs Tariff) and VAT on imports (VAT Directive as amended by the 2021 e-commerce package).
import { EU_RELIEF_EXCLUDED_GOODS, EXCISE_GOODS } from './goods.js';
import type { DatedRate, GoodsRate, Regime, RuleVersion } from './types.js';

const since = (rate: string): DatedRate[] => [{ rate, validFrom: '2021-07-01' }];

/**
 * Standard VAT rates of the 27 member states. IOSS charges the rate of the member state of consumption,
 * so every stack holds them all. Dated entries record the changes since 2021-07-01.
 */
export const EU_STANDARD_VAT_RATES: Readonly<Record<string, readonly DatedRate[]>> = {
  AT: since('0.20'),
  BE: since('0.21'),
  BG: since('0.20'),
  CY: since('0.19'),
  CZ: since('0.21'),
  DE: since('0.19'),
  DK: since('0.25'),
  EE: [
    { rate: '0.20', validFrom: '2021-07-01' },
    { rate: '0.22', validFrom: '2024-01-01' },
    { rate: '0.24', validFrom: '2025-07-01' },
  ],
  ES: since('0.21'),
  FI: [
    { rate: '0.24', validFrom: '2021-07-01' },
    { rate: '0.255', validFrom: '2024-09-01' },
  ],
  FR: since('0.20'),
  GR: since('0.24'),
  HR: since('0.25'),
  HU: since('0.27'),
  IE: since('0.23'),
  IT: since('0.22'),
  LT: since('0.21'),
  LU: [
    { rate: '0.17', validFrom: '2021-07-01' },
    { rate: '0.16', validFrom: '2023-01-01' },
    { rate: '0.17', validFrom: '2024-01-01' },
  ],
  LV: since('0.21'),
  MT: since('0.18'),
  NL: since('0.21'),
  PL: since('0.23'),
  PT: since('0.23'),
  RO: [
    { rate: '0.19', validFrom: '2021-07-01' },
    { rate: '0.21', validFrom: '2025-08-01' },
  ],
  SE: since('0.25'),
  SI: since('0.22'),
  SK: [
    { rate: '0.20', validFrom: '2021-07-01' },
    { rate: '0.23', validFrom: '2025-01-01' },
  ],
};

const UCC =
  'Regulation (EU) No 952/2013 (Union Customs Code) Art. 70-71: transaction value plus transport and insurance to the EU border (CIF)';
const RELIEF =
  'Council Regulation (EC) No 1186/2009 Art. 23-24: relief for consignments of negligible value up to EUR 150, not for alcoholic products, perfumes and toilet waters, tobacco';
const NON_COMMERCIAL_RELIEF =
  'Council Regulation (EC) No 1186/2009 Art. 25-27 and Council Directive 2006/79/EC: non-commercial consignments (gifts between private individuals) up to EUR 45';
const FLAT_RATE_700 =
  'Council Regulation (EEC) No 2658/87 Annex I, Part One, Section II.D.1 (as amended by Regulation (EC) No 275/2008): flat rate of 2.5 % on goods in consignments sent by one private individual to another that are not of a commercial nature (Regulation (EC) No 1186/2009 Art. 25(2): occasional, for personal use, sent free of payment of any kind), intrinsic value up to EUR 700; not for goods whose tariff rate is free nor tobacco';
const VAT_DIRECTIVE =
  'Council Directive 2006/112/EC as amended by Directives (EU) 2017/2455 and 2019/1995: no VAT exemption for small consignments from 2021-07-01; import VAT on customs value plus duty (Art. 85-86)';
const IOSS =
  'Council Directive 2006/112/EC Art. 143(1)(ca) and Art. 369l-369x: Import One-Stop Shop, VAT of the member state of consumption charged at the sale, import exempt';
const SPECIAL_ARRANGEMENTS =
  'Council Directive 2006/112/EC Art. 369y-369zb: special arrangements, VAT collected from the consignee by the person presenting the goods and paid monthly';
const H7 = 'Commission Delegated Regulation (EU) 2015/2446 Annex B: data set H7 for low-value consignments';
const CCT = 'Council Regulation (EEC) No 2658/87 (Common Customs Tariff): conventional duty rates';
const FLAT_DUTY =
  'Council Regulation (EU) 2026/382 of 11 February 2026 (OJ L 2026/382): the relief of Regulation (EC) No 1186/2009 Art. 23 for consignments up to EUR 150 ends on 2026-07-01, and until 2028-06-30 distance sales of goods in consignments of an intrinsic value up to EUR 150 pay a temporary customs duty of EUR 3 per item (each distinct tariff classification), excise goods included, whatever the VAT arrangement; Commission Delegated Regulation (EU) 2026/1022 of 30 June 2026 (applies from 2026-07-01), amending Delegated Regulation (EU) 2015/2446: the declarant owes it (the seller or marketplace making the distance sale, or the carrier or agent declaring for it), not the consumer; it is paid to customs at import, not through the IOSS return';

const EXTINGUISHMENT =
  'Regulation (EU) No 952/2013 Art. 124(1)(d) and (e): the customs debt is extinguished when the customs declaration is invalidated (Art. 174) or the goods are confiscated or seized; amounts paid are repaid (Art. 116)';

const BOOKS_EU =
  'Council Directive 2006/112/EC Art. 98 and Annex III point 6: reduced rate on printed books (HS 4901), at the rate of the member state of consumption';
const book = (rate: string): GoodsRate => ({
  hsPrefix: '4901',
  rate,
  taxCodes: ['VAT'],
  description: 'printed books, brochures and leaflets',
  legalBasis: BOOKS_EU,
  validFrom: '2021-07-01',
});

/** Reduced rates of the member states of the shipped packs, for import VAT and VAT charged under IOSS. */
export const EU_GOODS_RATES: Readonly<Record<string, readonly GoodsRate[]>> = {
  NL: [book('0.09')],
  DE: [book('0.07')],
  FR: [book('0.055')],
  IT: [book('0.04')],
  ES: [book('0.04')],
};

const GIFT: Regime = {
  id: 'GIFT',
  description: 'Gift between private individuals (C2C, every line a gift), no alcohol, tobacco or perfume',
  upTo: '45',
  when: { transactionTypes: ['C2C'], allItemsCategory: 'GIFT', noGoods: EU_RELIEF_EXCLUDED_GOODS },
  lowValue: true,
  duty: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
  tax: { kind: 'EXEMPT', note: 'GIFT_RELIEF' },
  legalBasis: NON_COMMERCIAL_RELIEF,
};

const RETURNED: Regime = {
  id: 'RETURNED_GOODS',
  description: 'Union goods returned (transaction type RETURN)',
  when: { transactionTypes: ['RETURN'] },
  lowValue: false,
  duty: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
  tax: { kind: 'EXEMPT', note: 'RETURNED_GOODS_RELIEF' },
  legalBasis:
    'Regulation (EU) No 952/2013 Art. 203 and Council Directive 2006/112/EC Art. 143(1)(e): returned goods relief',
};

const NON_COMMERCIAL: Regime = {
  id: 'NON_COMMERCIAL_FLAT_RATE',
  description:
    'Non-commercial consignment between private individuals (C2C, every line a gift sent free of payment) up to EUR 700: flat duty rate 2.5 %, goods whose tariff rate is free excepted',
  upTo: '700',
  when: { transactionTypes: ['C2C'], allItemsCategory: 'GIFT' },
  lowValue: false,
  duty: {
    kind: 'FLAT_RATE',
    rate: '0.025',
    code: 'FLAT_RATE_DUTY',
    note: 'NON_COMMERCIAL_FLAT_RATE',
    legalBasis: FLAT_RATE_700,
    exceptGoods: ['TOBACCO'],
  },
  tax: { kind: 'IMPORT' },
  legalBasis: FLAT_RATE_700,
};

const lowValue = (duty: Regime['duty'], legalBasis: string, distanceSalesOnly?: boolean): Regime => ({
  id: 'LOW_VALUE',
  description: distanceSalesOnly
    ? 'Low-value distance sale (B2C): intrinsic value up to EUR 150'
    : 'Low-value consignment: intrinsic value up to EUR 150',
  upTo: '150',
  ...(distanceSalesOnly ? { when: { transactionTypes: ['B2C'] } } : {}),
  lowValue: true,
  duty,
  tax: { kind: 'IMPORT' },
  legalBasis,
});

/**
 * From 2026-07-01 a consignment up to EUR 150 that is no distance sale (B2B, C2C not exempt) has no duty
 * relief and pays the tariff; for VAT it stays a low-value consignment (special arrangements).
 */
const LOW_VALUE_NOT_DISTANCE_SALE: Regime = {
  id: 'LOW_VALUE_NOT_DISTANCE_SALE',
  description: 'Consignment up to EUR 150 that is no distance sale (B2B, C2C): tariff duty, no relief',
  upTo: '150',
  when: { transactionTypes: ['B2B', 'C2C'] },
  lowValue: true,
  duty: { kind: 'TARIFF' },
  tax: { kind: 'IMPORT' },
  legalBasis: `${CCT}; Council Regulation (EU) 2026/382: the relief for consignments up to EUR 150 ends on 2026-07-01`,
};

/** Layer fields shared by every EU version; each version adds its regimes. */
const common = {
  layer: 'EU',
  thresholdBasis: 'INTRINSIC',
  declarationTypes: [
    { type: 'H7', regimes: ['GIFT', 'LOW_VALUE'], noGoods: EU_RELIEF_EXCLUDED_GOODS },
    { type: 'H1' },
  ],
  generalDutyRate: null,
  dutyLegalBasis: CCT,
  taxes: [{ code: 'VAT', rate: 'MEMBER_STATE', base: ['CUSTOMS_VALUE', 'DUTY'], legalBasis: VAT_DIRECTIVE }],
  memberStateVatRates: EU_STANDARD_VAT_RATES,
  checkoutScheme: {
    scheme: 'IOSS',
    regimes: ['LOW_VALUE'],
    excludeGoods: EXCISE_GOODS,
    taxCode: 'VAT',
    base: ['INTRINSIC', 'TRANSPORT_INSURANCE'],
    note: 'VAT_EXEMPT_IOSS',
    invalidNote: 'IOSS_NUMBER_NOT_VALID',
    legalBasis: IOSS,
  },
  onDelivery: {
    regimes: ['LOW_VALUE', 'LOW_VALUE_NOT_DISTANCE_SALE'],
    excludeGoods: EXCISE_GOODS,
    note: 'SPECIAL_ARRANGEMENTS',
    unavailableNote: 'SPECIAL_ARRANGEMENTS_NOT_AVAILABLE',
    legalBasis: SPECIAL_ARRANGEMENTS,
  },
  lineReliefs: [
    {
      categories: ['DOCUMENTS'],
      note: 'DOCUMENTS_RELIEF',
      legalBasis: 'Council Regulation (EC) No 1186/2009 Art. 102: documents of no commercial value',
    },
  ],
  debtExtinguishment: EXTINGUISHMENT,
  goodsRates: EU_GOODS_RATES,
} as const satisfies Partial<RuleVersion>;

export const EU_VERSIONS: readonly RuleVersion[] = [
  {
    ...common,
    id: 'EU@2021-07-01',
    validFrom: '2021-07-01',
    validTo: '2026-06-30',
    summary:
      'E-commerce VAT package: no VAT exemption for small consignments, IOSS and special arrangements; customs duty relief up to EUR 150 (not alcohol, tobacco, perfume).',
    legalBasis: [
      UCC,
      RELIEF,
      NON_COMMERCIAL_RELIEF,
      FLAT_RATE_700,
      VAT_DIRECTIVE,
      IOSS,
      SPECIAL_ARRANGEMENTS,
      H7,
    ],
    regimes: [
      RETURNED,
      GIFT,
      lowValue(
        { kind: 'EXEMPT', note: 'DUTY_RELIEF_LOW_VALUE', exceptGoods: EU_RELIEF_EXCLUDED_GOODS },
        RELIEF,
      ),
      NON_COMMERCIAL,
    ],
  },
  {
    ...common,
    id: 'EU@2026-07-01',
    validFrom: '2026-07-01',
    validTo: '2028-06-30',
    summary:
      'Duty relief up to EUR 150 ends; distance sales (B2C) up to EUR 150 pay a flat customs duty of EUR 3 per distinct HS subheading, excise goods included, until 2028-06-30; other consignments pay the tariff.',
    legalBasis: [
      UCC,
      FLAT_DUTY,
      NON_COMMERCIAL_RELIEF,
      FLAT_RATE_700,
      VAT_DIRECTIVE,
      IOSS,
      SPECIAL_ARRANGEMENTS,
      H7,
    ],
    regimes: [
      RETURNED,
      GIFT,
      lowValue(
        {
          kind: 'FLAT_PER_HS6',
          amount: '3.00',
          code: 'EU_FLAT_DUTY',
          note: 'EU_FLAT_DUTY_LOW_VALUE',
          legalBasis: FLAT_DUTY,
          debtor: 'DECLARANT',
        },
        FLAT_DUTY,
        // Other consignments up to EUR 150 (B2B, C2C not exempt) lost the relief and pay the tariff.
        true,
      ),
      NON_COMMERCIAL,
      LOW_VALUE_NOT_DISTANCE_SALE,
    ],
  },
  {
    ...common,
    id: 'EU@2028-07-01',
    validFrom: '2028-07-01',
    summary:
      'The temporary flat duty ends: consignments up to EUR 150 pay customs duty at the tariff rate; the VAT low-value rules (IOSS, special arrangements, H7) remain.',
    legalBasis: [UCC, NON_COMMERCIAL_RELIEF, FLAT_RATE_700, VAT_DIRECTIVE, IOSS, SPECIAL_ARRANGEMENTS, H7],
    regimes: [RETURNED, GIFT, lowValue({ kind: 'TARIFF' }, `${CCT}; ${H7}`), NON_COMMERCIAL],
  },
];

/** The national layer of a member state: its legal basis and whatever it adds (fees, minimum amounts). */
export type NationalVersion = Omit<RuleVersion, 'layer'>;
