// The shape of a country rule pack (DESIGN.md section 4). A pack is data: effective-dated versions of
// thresholds, regimes, rates, fees and collection rules, read by the one generic duty engine in
// shared/domain/duty. Changing a rate, a threshold or a date is a change to these records only.
import type * as z from 'zod';
import type { Channel, ItemCategory, TransactionType } from '../domain/declaration/declaration.js';
import type { TaxCode } from '../domain/duty/assessment.js';
import type { RoundingMode } from '../domain/money.js';

export const SUPPORTED_COUNTRIES = [
  'NL',
  'DE',
  'FR',
  'IT',
  'ES',
  'GB',
  'US',
  'CA',
  'AU',
  'JP',
  'CN',
] as const;
export type SupportedCountry = (typeof SUPPORTED_COUNTRIES)[number];

/** A calendar date, YYYY-MM-DD. Dates compare as strings. */
export type IsoDate = string;
/** A decimal amount in the pack's currency, as a string ("150", "3.00"). */
export type Amount = string;
/** A decimal fraction as a string: "0.21" is 21 %. */
export type Rate = string;

/** Named groups of goods the law treats apart, each a list of HS prefixes (see goods.ts). */
export type GoodsClass = 'ALCOHOL' | 'TOBACCO' | 'PERFUME' | 'JP_SMALL_VALUE_EXCLUDED';

/**
 * What a tax base or a threshold is made of. CUSTOMS_VALUE is per the pack's valuation basis;
 * TRANSPORT_INSURANCE is the declared carriage and insurance to the destination; CONSUMPTION_TAX is
 * the (unreduced) consumption tax computed before the tax that names it.
 */
export type BaseComponent =
  | 'INTRINSIC'
  | 'CUSTOMS_VALUE'
  | 'DUTY'
  | 'TRANSPORT_INSURANCE'
  | 'CONSUMPTION_TAX';

/** The consignment value thresholds compare with: goods only, or the customs value (JP). */
export type ValueBasis = 'INTRINSIC' | 'CUSTOMS_VALUE';

/** Facts about a consignment a regime, fee or declaration type may require. Every field present must hold. */
export interface ConsignmentCondition {
  channels?: readonly z.infer<typeof Channel>[];
  transactionTypes?: readonly z.infer<typeof TransactionType>[];
  dispatchCountries?: readonly string[];
  /** Every goods line carries this category (a line without one is SALE). */
  allItemsCategory?: z.infer<typeof ItemCategory>;
  /** No goods line belongs to any of these classes. */
  noGoods?: readonly GoodsClass[];
  /** No goods line originates in any of these countries. */
  noOrigins?: readonly string[];
  /** One goods line of quantity 1: a single indivisible item. */
  singleItem?: boolean;
}

export type DutyTreatment =
  /** The tariff rate (admin table, else the pack's general rate) on each line's customs value. */
  | { kind: 'TARIFF' }
  /**
   * No duty. Lines in `exceptGoods`, and lines not originating in `onlyOrigins` when given, pay the
   * tariff rate instead.
   */
  | {
      kind: 'EXEMPT';
      note: string;
      exceptGoods?: readonly GoodsClass[];
      onlyOrigins?: readonly string[];
    }
  /** A fixed amount per distinct 6-digit HS subheading in the consignment (EU from 2026-07-01). */
  | {
      kind: 'FLAT_PER_HS6';
      amount: Amount;
      code: string;
      note: string;
      legalBasis: string;
      /**
       * Who owes the duty when the law names someone other than the consignee: DECLARANT (EU flat duty:
       * the seller, marketplace or the carrier declaring for them, never the consumer).
       */
      debtor?: 'DECLARANT';
    }
  /** One rate for every line instead of the tariff (non-commercial flat rate); `exceptGoods` pay the tariff. */
  | {
      kind: 'FLAT_RATE';
      rate: Rate;
      code: string;
      note: string;
      legalBasis: string;
      exceptGoods?: readonly GoodsClass[];
    };

export type TaxTreatment =
  /** The version's taxes at import, on their bases. */
  | { kind: 'IMPORT' }
  /** No tax; lines in `exceptGoods` are taxed at import. */
  | { kind: 'EXEMPT'; note: string; exceptGoods?: readonly GoodsClass[] }
  /**
   * Charged by the seller or marketplace at the sale, on `base`, for the transaction types in `sales`;
   * business buyers in `reverseCharge` account for it themselves; `exempt` transaction types pay no tax
   * (TAX_RELIEF_LOW_VALUE); any other transaction is taxed at import.
   */
  | {
      kind: 'AT_SALE';
      note: string;
      base: readonly BaseComponent[];
      sales: readonly z.infer<typeof TransactionType>[];
      reverseCharge?: readonly z.infer<typeof TransactionType>[];
      exempt?: readonly z.infer<typeof TransactionType>[];
      legalBasis: string;
    };

/**
 * A special rule for consignments up to a value. The first regime whose threshold and condition hold
 * applies; when none does, the standard treatment (tariff duty, taxes at import) applies.
 */
export interface Regime {
  id: string;
  description: string;
  /** Inclusive threshold on the version's value basis; absent when the regime has no value limit. */
  upTo?: Amount;
  when?: ConsignmentCondition;
  /** The consignment is under the country's low-value regime while this regime applies. */
  lowValue: boolean;
  duty: DutyTreatment;
  tax: TaxTreatment;
  /** A multiplier on every import tax (CN cross-border retail: 0.7). */
  taxFactor?: Rate;
  /** Note codes recorded whenever the regime applies. */
  notes?: readonly string[];
  legalBasis: string;
}

/** The declaration type named by the law: the first rule whose conditions hold. */
export interface DeclarationTypeRule {
  type: string;
  regimes?: readonly string[];
  upTo?: Amount;
  channels?: readonly z.infer<typeof Channel>[];
  noGoods?: readonly GoodsClass[];
}

export interface DatedRate {
  rate: Rate;
  validFrom: IsoDate;
}

/** A tax levied at import (and, under AT_SALE or a checkout scheme, at the sale). */
export interface TaxRule {
  code: z.infer<typeof TaxCode>;
  /** A fixed rate, or MEMBER_STATE: the stack member state's rate from `memberStateVatRates`. */
  rate?: Rate | 'MEMBER_STATE';
  /**
   * Only lines whose HS code starts with a listed prefix are taxed, at that entry's rate (CN consumption
   * tax); an entry with `minUnitPrice` taxes only goods priced at or above it, per item or per gram of net
   * mass, on the line's customs value (the law's scope is a price class, not a whole heading).
   */
  ratesByHs?: readonly {
    hsPrefix: string;
    rate: Rate;
    description: string;
    minUnitPrice?: { amount: Amount; per: 'ITEM' | 'GRAM' };
  }[];
  /**
   * The tax of the consignee's region instead of this one, by ISO 3166-2 code (CA: HST in the
   * participating provinces, which replaces GST), at the rate in force on the import date.
   */
  byRegion?: Readonly<
    Record<string, { code: z.infer<typeof TaxCode>; rates: readonly DatedRate[]; legalBasis: string }>
  >;
  /** The base is grossed up by the rate, base / (1 - rate), as for an ad valorem consumption tax. */
  composite?: boolean;
  base: readonly BaseComponent[];
  legalBasis: string;
}

/** A seller-collected scheme that exempts import VAT (the EU IOSS). */
export interface CheckoutScheme {
  scheme: 'IOSS';
  /** Regimes under which the scheme may be used (the low-value regime). */
  regimes: readonly string[];
  excludeGoods: readonly GoodsClass[];
  taxCode: z.infer<typeof TaxCode>;
  /** VAT at the rate of the member state of consumption (the declaration's destinationCountry). */
  base: readonly BaseComponent[];
  note: string;
  invalidNote: string;
  legalBasis: string;
}

/** Collection by the carrier on delivery (EU special arrangements). */
export interface OnDeliveryScheme {
  regimes: readonly string[];
  excludeGoods: readonly GoodsClass[];
  note: string;
  /** Recorded when the arrangements cannot be used (consumption in another member state, excise goods, value). */
  unavailableNote: string;
  legalBasis: string;
}

export interface FeeRule {
  code: string;
  /** A fixed amount per unit of `per`; absent for an ad valorem fee. */
  amount?: Amount;
  /**
   * A share of the consignment's customs value, kept between a minimum and a maximum (US: the merchandise
   * processing fee on formal entries).
   */
  adValorem?: { rate: Rate; minimum: Amount; maximum: Amount };
  /** Per consignment, per goods line (item), or per distinct 6-digit subheading. */
  per: 'CONSIGNMENT' | 'ITEM' | 'HS6';
  /** Charged only when the consignment value is above this. */
  minValue?: Amount;
  /** Charged only when the consignment value is at most this (inclusive). */
  maxValue?: Amount;
  when?: ConsignmentCondition;
  /** What `minValue` and `maxValue` are compared with; default the version's threshold basis (IT: the customs value). */
  valueBasis?: ValueBasis;
  /** Not charged when one of these regimes applies (US: gifts and American goods returned, HTSUS chapter 98). */
  exceptRegimes?: readonly string[];
  /** Not charged to consignees in these parts of the country (FR: French Guiana, Mayotte, Saint-Martin). */
  exceptTerritories?: readonly Pick<Territory, 'name' | 'postcodePrefixes' | 'regions'>[];
  legalBasis: string;
}

/** An import tax below this amount is not levied (DE: import VAT under EUR 1). */
export interface MinimumCollectionRule {
  taxCode: z.infer<typeof TaxCode>;
  below: Amount;
  note: string;
  legalBasis: string;
}

/** Lines of these categories pay neither duty nor tax (documents, returned goods). */
export interface LineRelief {
  categories: readonly z.infer<typeof ItemCategory>[];
  note: string;
  legalBasis: string;
}

/**
 * An extra duty on goods of an origin (US executive orders), dated: ad valorem on the customs value, a
 * fixed amount per item, or both. The administration's surcharges (/v1/admin/surcharges) have this shape
 * too, their id as `code`.
 */
export interface OriginSurchargeRule {
  code: string;
  description?: string;
  originCountries: readonly string[];
  /** HS prefixes the surcharge is limited to; absent for every good. */
  hsPrefixes?: readonly string[];
  rate?: Rate;
  /** In the stack currency, per item (unit of quantity). */
  specific?: { amount: Amount; per: 'ITEM' };
  validFrom: IsoDate;
  validTo?: IsoDate;
  legalBasis: string;
}

/** A per-person yearly allowance with a per-transaction limit (CN cross-border retail import). */
export interface AnnualAllowance {
  amount: Amount;
  /** Regimes whose consignments count toward the allowance. */
  regimes: readonly string[];
  identityRequired: { code: string; reason: string };
  exceeded: { code: string; reason: string };
}

/**
 * One version of one layer of rules. A stack composes one version per layer (EU + member state);
 * fields a later layer sets replace the earlier layer's, except `legalBasis`, `fees` and
 * `minimumCollection`, which add up.
 */
export interface RuleVersion {
  /** `<layer>@<validFrom>`, e.g. "EU@2026-07-01". */
  id: string;
  layer: string;
  validFrom: IsoDate;
  /** Last day in force (inclusive); absent while in force indefinitely. */
  validTo?: IsoDate;
  /** What this version changes, in a sentence (published in the rules' upcoming changes). */
  summary: string;
  legalBasis: readonly string[];
  thresholdBasis?: ValueBasis;
  regimes?: readonly Regime[];
  /** When no regime applies: the standard treatment, or a rejection from this channel (CN). */
  unmatched?: { reject: { code: string; reason: string; declarationType: string } };
  annualAllowance?: AnnualAllowance;
  declarationTypes?: readonly DeclarationTypeRule[];
  /** The law's general duty rate for goods the admin tariff table does not list; null when there is none. */
  generalDutyRate?: Rate | null;
  dutyLegalBasis?: string;
  taxes?: readonly TaxRule[];
  /** The standard VAT rate of every member state (dated), for import VAT and for IOSS at the rate of consumption. */
  memberStateVatRates?: Readonly<Record<string, readonly DatedRate[]>>;
  checkoutScheme?: CheckoutScheme;
  onDelivery?: OnDeliveryScheme;
  fees?: readonly FeeRule[];
  minimumCollection?: readonly MinimumCollectionRule[];
  lineReliefs?: readonly LineRelief[];
  originSurcharges?: readonly OriginSurchargeRule[];
  /**
   * The law under which a debt assessed at import ends when the declaration is withdrawn (invalidated),
   * refused or the goods are seized, and what was paid is repaid.
   */
  debtExtinguishment?: string;
  /**
   * Parts of the stack's country outside its VAT area (EU: VAT Directive Art. 6), found by the consignee's
   * postcode or ISO 3166-2 region: no import VAT there, and no duty where they are also outside the
   * customs territory.
   */
  outsideVatTerritory?: readonly Territory[];
  /**
   * Reduced, super-reduced and zero rates for goods the law names, by the country whose tax it is (the
   * stack's own for import tax; for the EU, every member state of consumption, as IOSS charges its rate).
   */
  goodsRates?: Readonly<Record<string, readonly GoodsRate[]>>;
}

/** A rate for goods the law treats apart, by HS prefix (longest wins), dated. */
export interface GoodsRate {
  hsPrefix: string;
  rate: Rate;
  /** The taxes whose rate it replaces (CA: zero-rated for GST and HST alike). */
  taxCodes: readonly z.infer<typeof TaxCode>[];
  description: string;
  legalBasis: string;
  validFrom: IsoDate;
  validTo?: IsoDate;
}

export interface Territory {
  name: string;
  postcodePrefixes: readonly string[];
  regions?: readonly string[];
  /** Within the customs territory (duty is due) or outside it (no duty either). */
  customsTerritory: boolean;
  legalBasis: string;
}

export interface Rounding {
  mode: RoundingMode;
  /** LINE: each duty line (per goods line) and each tax line rounds alone; CONSIGNMENT: duty lines of one code and rate are summed first. */
  per: 'LINE' | 'CONSIGNMENT';
  /** Bases are rounded to a multiple of this (JP: JPY 1,000) before the rate applies. */
  baseStep?: Amount;
  /** Duty and tax amounts are rounded to a multiple of this (JP: JPY 100). */
  amountStep?: Amount;
}

export interface CountryPack {
  country: SupportedCountry;
  name: string;
  /** Who makes the law: "EU/NL", "GB", ... */
  jurisdiction: string;
  /**
   * How long the customs record of a declaration is kept after release, and the law that says so: the
   * retention of the stack's declarations (DESIGN 14), after which the consignee's personal data go.
   */
  recordKeeping: { years: number; legalBasis: string };
  currency: string;
  valuationBasis: 'CIF' | 'FOB';
  rounding: Rounding;
  /** The layers composed for this stack, in order (later overrides earlier). */
  layers: readonly string[];
  versions: readonly RuleVersion[];
}
