// Composition and compilation of a country pack: for every span of dates on which the same layer versions
// (and the same dated VAT rates) are in force, the versions are merged once, their amounts and rates read
// into Decimals and the pack's rounding rule turned into functions, so assessing a declaration only looks
// the span up.
import { GOODS_CLASSES } from '../../countries/goods.js';
import type {
  AnnualAllowance,
  BaseComponent,
  CheckoutScheme,
  ConsignmentCondition,
  CountryPack,
  DeclarationTypeRule,
  FeeRule,
  GoodsClass,
  IsoDate,
  LineRelief,
  MinimumCollectionRule,
  OnDeliveryScheme,
  OriginSurchargeRule,
  Regime,
  RuleVersion,
  TaxRule,
  Territory,
  ValueBasis,
} from '../../countries/types.js';
import {
  type Decimal,
  ExactDecimal,
  minorUnitDigits,
  type RoundingMode,
  roundTo,
  roundToStep,
} from '../money.js';
import { dayAfter, dayBefore, isInForce, versionOn } from '../reference/versions.js';
import { RulesNotInForceError } from './errors.js';

/** A rate as a Decimal and as written in assessments: its shortest decimal string ("0.120" -> "0.12"). */
export interface Rate {
  value: Decimal;
  text: string;
}

const rates = new Map<string, Rate>();

/** A rate read from data, memoised: the same few rates recur. */
export const rateOf = (text: string): Rate => {
  let rate = rates.get(text);
  if (!rate) {
    const value = new ExactDecimal(text);
    rate = { value, text: value.toFixed() };
    if (rates.size < 10_000) rates.set(text, rate);
  }
  return rate;
};

const amounts = new Map<string, Decimal>();

/** An amount read from data (a threshold, a fee, a specific duty), memoised like rates. */
export const amountOf = (text: string): Decimal => {
  let amount = amounts.get(text);
  if (!amount) {
    amount = new ExactDecimal(text);
    if (amounts.size < 10_000) amounts.set(text, amount);
  }
  return amount;
};

/** Bit per goods class, so a line's classes and a rule's exclusions compare with one AND. */
const CLASS_BITS: Readonly<Record<GoodsClass, number>> = {
  ALCOHOL: 1,
  TOBACCO: 2,
  PERFUME: 4,
  JP_SMALL_VALUE_EXCLUDED: 8,
};

const CLASS_PREFIXES: ReadonlyMap<string, number> = (() => {
  const prefixes = new Map<string, number>();
  for (const [goodsClass, list] of Object.entries(GOODS_CLASSES) as [GoodsClass, readonly string[]][]) {
    for (const prefix of list) prefixes.set(prefix, (prefixes.get(prefix) ?? 0) | CLASS_BITS[goodsClass]);
  }
  return prefixes;
})();

const masks = new Map<string, number>();

/** The goods classes of an HS code as a bit mask (prefixes of 2 to 6 digits), memoised per subheading. */
export const goodsMask = (hsCode: string): number => {
  const hs6 = hsCode.slice(0, 6);
  let mask = masks.get(hs6);
  if (mask === undefined) {
    mask = 0;
    for (let length = 2; length <= hs6.length; length += 1)
      mask |= CLASS_PREFIXES.get(hs6.slice(0, length)) ?? 0;
    if (masks.size < 10_000) masks.set(hs6, mask);
  }
  return mask;
};

export const maskOf = (classes: readonly GoodsClass[] | undefined): number =>
  (classes ?? []).reduce((mask, goodsClass) => mask | CLASS_BITS[goodsClass], 0);

export interface CompiledCondition {
  source: ConsignmentCondition;
  noGoodsMask: number;
}

export interface CompiledRegime {
  source: Regime;
  id: string;
  upTo?: Decimal;
  when?: CompiledCondition;
  dutyExceptMask: number;
  taxExceptMask: number;
  /** With a tax factor (CN: 70 %), the rate charged for each tax rate of the span. */
  factoredRates?: ReadonlyMap<Rate, Rate>;
  /** Base of tax charged at the sale (AT_SALE regimes). */
  saleComponents?: ReadonlySet<BaseComponent>;
  flatAmount?: Decimal;
  flatRate?: Rate;
}

export interface CompiledTax {
  source: TaxRule;
  rate?: Rate;
  /** Longest prefix first. */
  ratesByHs: readonly {
    hsPrefix: string;
    rate: Rate;
    minUnitPrice?: { amount: Decimal; per: 'ITEM' | 'GRAM' };
  }[];
  /** The regional tax replacing this one, by region, at the rate in force on this span. */
  regionRates?: ReadonlyMap<string, { code: TaxRule['code']; rate: Rate }>;
  components: ReadonlySet<BaseComponent>;
}

export interface CompiledFee {
  source: FeeRule;
  amount: Decimal;
  adValorem?: { rate: Decimal; minimum: Decimal; maximum: Decimal };
  minValue?: Decimal;
  maxValue?: Decimal;
  when?: CompiledCondition;
}

export interface CompiledDeclarationType {
  source: DeclarationTypeRule;
  upTo?: Decimal;
  noGoodsMask: number;
}

/** The pack's rounding rule as functions on Decimals. */
export interface CompiledRounding {
  mode: RoundingMode;
  per: 'LINE' | 'CONSIGNMENT';
  /** A base step coarser than the minor unit (JP: JPY 1,000); bases are otherwise sums of minor units. */
  baseStep?: Decimal;
  /** To the base step, or the minor unit, by the pack's mode. */
  toBaseStep: (value: Decimal) => Decimal;
  /** To the amount step (JP: JPY 100), or the minor unit, by the pack's mode: duty and tax amounts. */
  toAmountStep: (value: Decimal) => Decimal;
  /** Half-up to the minor unit: amounts converted to the stack currency. */
  toMinorUnit: (value: Decimal) => Decimal;
}

export interface CompiledRules {
  pack: CountryPack;
  /** The layer versions in force, in layer order. */
  versions: readonly RuleVersion[];
  ruleSet: readonly string[];
  validFrom: IsoDate;
  validTo?: IsoDate;
  legalBasis: readonly string[];
  /** Decimals of the currency's minor unit (2 for EUR, 0 for JPY). */
  digits: number;
  rounding: CompiledRounding;
  thresholdBasis: ValueBasis;
  regimes: readonly CompiledRegime[];
  unmatched?: { reject: { code: string; reason: string; declarationType: string } };
  annualAllowance?: { source: AnnualAllowance; amount: Decimal };
  declarationTypes: readonly CompiledDeclarationType[];
  generalDutyRate: Rate | null;
  dutyLegalBasis: string;
  taxes: readonly CompiledTax[];
  /** Standard VAT rate per member state on this span (EU stacks). */
  memberStateRates?: ReadonlyMap<string, Rate>;
  /** Countries a declaration may name as destination. */
  destinations: ReadonlySet<string>;
  checkoutScheme?: { source: CheckoutScheme; excludeMask: number; components: ReadonlySet<BaseComponent> };
  onDelivery?: { source: OnDeliveryScheme; excludeMask: number };
  fees: readonly CompiledFee[];
  minimumCollection: readonly { source: MinimumCollectionRule; below: Decimal }[];
  lineReliefs: readonly LineRelief[];
  /** The first relief naming each item category, so a line finds its relief with one lookup. */
  lineReliefByCategory: ReadonlyMap<string, LineRelief>;
  originSurcharges: readonly OriginSurchargeRule[];
  debtExtinguishment?: string;
  outsideVatTerritory: readonly Territory[];
  /** Goods rates in force on this span, by the country whose tax it is; longest prefix first. */
  goodsRates: ReadonlyMap<string, readonly { hsPrefix: string; rate: Rate; taxCodes: readonly string[] }[]>;
}

/** Fields that add up across layers; every other field of a later layer replaces the earlier one. */
type Composed = Omit<RuleVersion, 'id' | 'layer' | 'validFrom' | 'validTo' | 'summary'>;

const compose = (versions: readonly RuleVersion[]): Composed => {
  const composed: Composed = { legalBasis: [] };
  for (const {
    id: _id,
    layer: _layer,
    validFrom: _from,
    validTo: _to,
    summary: _summary,
    ...fields
  } of versions) {
    const { legalBasis, fees, minimumCollection, ...replacing } = fields;
    Object.assign(
      composed,
      Object.fromEntries(Object.entries(replacing).filter(([, value]) => value !== undefined)),
    );
    composed.legalBasis = [...composed.legalBasis, ...legalBasis];
    if (fees) composed.fees = [...(composed.fees ?? []), ...fees];
    if (minimumCollection)
      composed.minimumCollection = [...(composed.minimumCollection ?? []), ...minimumCollection];
  }
  return composed;
};

const condition = (source: ConsignmentCondition | undefined): CompiledCondition | undefined =>
  source && { source, noGoodsMask: maskOf(source.noGoods) };

const reliefsByCategory = (reliefs: readonly LineRelief[]): Map<string, LineRelief> => {
  const byCategory = new Map<string, LineRelief>();
  for (const relief of reliefs) {
    for (const category of relief.categories) if (!byCategory.has(category)) byCategory.set(category, relief);
  }
  return byCategory;
};

const compile = (
  pack: CountryPack,
  versions: readonly RuleVersion[],
  validFrom: IsoDate,
  validTo: IsoDate | undefined,
): CompiledRules => {
  const rules = compose(versions);
  const where = `${pack.country} ${versions.map((version) => version.id).join(' + ')}`;
  if (!rules.declarationTypes?.length) throw new Error(`${where}: no declaration types`);
  if (rules.dutyLegalBasis === undefined) throw new Error(`${where}: no duty legal basis`);

  let memberStateRates: Map<string, Rate> | undefined;
  if (rules.memberStateVatRates) {
    memberStateRates = new Map();
    for (const [country, dated] of Object.entries(rules.memberStateVatRates)) {
      const entry = versionOn(dated, validFrom);
      if (entry) memberStateRates.set(country, rateOf(entry.rate));
    }
  }
  const taxes = (rules.taxes ?? []).map((tax): CompiledTax => {
    let single: Rate | undefined;
    if (tax.rate === 'MEMBER_STATE') {
      single = memberStateRates?.get(pack.country);
      if (!single) throw new Error(`${where}: no member-state VAT rate for ${pack.country}`);
    } else if (tax.rate !== undefined) {
      single = rateOf(tax.rate);
    }
    if (!single && !tax.ratesByHs) throw new Error(`${where}: tax ${tax.code} has no rate`);
    let regionRates: Map<string, { code: TaxRule['code']; rate: Rate }> | undefined;
    if (tax.byRegion) {
      regionRates = new Map();
      for (const [region, regional] of Object.entries(tax.byRegion)) {
        const entry = versionOn(regional.rates, validFrom);
        if (entry) regionRates.set(region, { code: regional.code, rate: rateOf(entry.rate) });
      }
    }
    return {
      source: tax,
      ...(single ? { rate: single } : {}),
      ...(regionRates ? { regionRates } : {}),
      ratesByHs: (tax.ratesByHs ?? [])
        .map((entry) => ({
          hsPrefix: entry.hsPrefix,
          rate: rateOf(entry.rate),
          ...(entry.minUnitPrice
            ? { minUnitPrice: { amount: amountOf(entry.minUnitPrice.amount), per: entry.minUnitPrice.per } }
            : {}),
        }))
        .sort((a, b) => b.hsPrefix.length - a.hsPrefix.length),
      components: new Set(tax.base),
    };
  });
  const factored = (factor: Decimal): Map<Rate, Rate> => {
    const charged = new Map<Rate, Rate>();
    for (const tax of taxes) {
      for (const rate of [...(tax.rate ? [tax.rate] : []), ...tax.ratesByHs.map((entry) => entry.rate)]) {
        const value = rate.value.times(factor);
        charged.set(rate, { value, text: value.toFixed() });
      }
    }
    return charged;
  };

  const digits = minorUnitDigits(pack.currency);
  const { mode, per } = pack.rounding;
  const baseStep = pack.rounding.baseStep ? amountOf(pack.rounding.baseStep) : undefined;
  const amountStep = pack.rounding.amountStep ? amountOf(pack.rounding.amountStep) : undefined;
  // A value with no more decimals than the minor unit is a multiple of it: nothing to round.
  const toUnit =
    (by: RoundingMode) =>
    (value: Decimal): Decimal =>
      value.decimalPlaces() <= digits ? value : roundTo(value, digits, by);
  const toStep = (step: Decimal | undefined) =>
    step ? (value: Decimal) => roundToStep(value, step, mode) : toUnit(mode);
  return {
    pack,
    versions,
    ruleSet: versions.map((version) => version.id),
    validFrom,
    ...(validTo ? { validTo } : {}),
    legalBasis: [...new Set(rules.legalBasis)],
    digits,
    rounding: {
      mode,
      per,
      ...(baseStep ? { baseStep } : {}),
      toBaseStep: toStep(baseStep),
      toAmountStep: toStep(amountStep),
      toMinorUnit: toUnit('HALF_UP'),
    },
    thresholdBasis: rules.thresholdBasis ?? 'INTRINSIC',
    regimes: (rules.regimes ?? []).map((regime): CompiledRegime => {
      const when = condition(regime.when);
      return {
        source: regime,
        id: regime.id,
        ...(regime.upTo ? { upTo: amountOf(regime.upTo) } : {}),
        ...(when ? { when } : {}),
        dutyExceptMask:
          regime.duty.kind === 'EXEMPT' || regime.duty.kind === 'FLAT_RATE'
            ? maskOf(regime.duty.exceptGoods)
            : 0,
        taxExceptMask: regime.tax.kind === 'EXEMPT' ? maskOf(regime.tax.exceptGoods) : 0,
        ...(regime.taxFactor ? { factoredRates: factored(amountOf(regime.taxFactor)) } : {}),
        ...(regime.tax.kind === 'AT_SALE' ? { saleComponents: new Set(regime.tax.base) } : {}),
        ...(regime.duty.kind === 'FLAT_PER_HS6' ? { flatAmount: amountOf(regime.duty.amount) } : {}),
        ...(regime.duty.kind === 'FLAT_RATE' ? { flatRate: rateOf(regime.duty.rate) } : {}),
      };
    }),
    ...(rules.unmatched ? { unmatched: rules.unmatched } : {}),
    ...(rules.annualAllowance
      ? {
          annualAllowance: {
            source: rules.annualAllowance,
            amount: amountOf(rules.annualAllowance.amount),
          },
        }
      : {}),
    declarationTypes: rules.declarationTypes.map((rule) => ({
      source: rule,
      ...(rule.upTo ? { upTo: amountOf(rule.upTo) } : {}),
      noGoodsMask: maskOf(rule.noGoods),
    })),
    generalDutyRate: rules.generalDutyRate ? rateOf(rules.generalDutyRate) : null,
    dutyLegalBasis: rules.dutyLegalBasis,
    taxes,
    ...(memberStateRates ? { memberStateRates } : {}),
    destinations: new Set(memberStateRates ? memberStateRates.keys() : [pack.country]),
    ...(rules.checkoutScheme
      ? {
          checkoutScheme: {
            source: rules.checkoutScheme,
            excludeMask: maskOf(rules.checkoutScheme.excludeGoods),
            components: new Set(rules.checkoutScheme.base),
          },
        }
      : {}),
    ...(rules.onDelivery
      ? { onDelivery: { source: rules.onDelivery, excludeMask: maskOf(rules.onDelivery.excludeGoods) } }
      : {}),
    fees: (rules.fees ?? []).map((fee) => {
      const when = condition(fee.when);
      return {
        source: fee,
        amount: amountOf(fee.amount ?? '0'),
        ...(fee.adValorem
          ? {
              adValorem: {
                rate: amountOf(fee.adValorem.rate),
                minimum: amountOf(fee.adValorem.minimum),
                maximum: amountOf(fee.adValorem.maximum),
              },
            }
          : {}),
        ...(fee.minValue ? { minValue: amountOf(fee.minValue) } : {}),
        ...(fee.maxValue ? { maxValue: amountOf(fee.maxValue) } : {}),
        ...(when ? { when } : {}),
      };
    }),
    minimumCollection: (rules.minimumCollection ?? []).map((rule) => ({
      source: rule,
      below: amountOf(rule.below),
    })),
    lineReliefs: rules.lineReliefs ?? [],
    lineReliefByCategory: reliefsByCategory(rules.lineReliefs ?? []),
    originSurcharges: rules.originSurcharges ?? [],
    ...(rules.debtExtinguishment ? { debtExtinguishment: rules.debtExtinguishment } : {}),
    outsideVatTerritory: rules.outsideVatTerritory ?? [],
    goodsRates: new Map(
      Object.entries(rules.goodsRates ?? {}).map(([country, rates]) => [
        country,
        rates
          .filter((entry) => isInForce(entry, validFrom))
          .map((entry) => ({ hsPrefix: entry.hsPrefix, rate: rateOf(entry.rate), taxCodes: entry.taxCodes }))
          .sort((a, b) => b.hsPrefix.length - a.hsPrefix.length),
      ]),
    ),
  };
};

/** Every date on which something in the pack changes: version starts, the day after version ends, rate changes. */
const changeDates = (pack: CountryPack): IsoDate[] => {
  const dates = new Set<IsoDate>();
  for (const version of pack.versions) {
    dates.add(version.validFrom);
    if (version.validTo) dates.add(dayAfter(version.validTo));
    const dated = [
      ...Object.values(version.memberStateVatRates ?? {}),
      ...(version.taxes ?? []).flatMap((tax) =>
        Object.values(tax.byRegion ?? {}).map((region) => region.rates),
      ),
    ];
    for (const rates of dated) {
      for (const entry of rates) if (isInForce(version, entry.validFrom)) dates.add(entry.validFrom);
    }
    for (const rates of Object.values(version.goodsRates ?? {})) {
      for (const entry of rates) {
        if (isInForce(version, entry.validFrom)) dates.add(entry.validFrom);
        if (entry.validTo && isInForce(version, dayAfter(entry.validTo))) dates.add(dayAfter(entry.validTo));
      }
    }
  }
  return [...dates].sort();
};

const compiledPacks = new WeakMap<CountryPack, readonly CompiledRules[]>();

/** The compiled spans of a pack, oldest first (computed once per pack). */
export const compiledSpans = (pack: CountryPack): readonly CompiledRules[] => {
  const cached = compiledPacks.get(pack);
  if (cached) return cached;
  const dates = changeDates(pack);
  const spans: CompiledRules[] = [];
  dates.forEach((from, index) => {
    const next = dates[index + 1];
    const versions = pack.layers.map((layer) =>
      pack.versions.find((version) => version.layer === layer && isInForce(version, from)),
    );
    if (versions.some((version) => version === undefined)) return;
    spans.push(compile(pack, versions as RuleVersion[], from, next ? dayBefore(next) : undefined));
  });
  compiledPacks.set(pack, spans);
  return spans;
};

/** The compiled rules in force on a date. */
export const rulesOn = (pack: CountryPack, date: IsoDate): CompiledRules => {
  const spans = compiledSpans(pack);
  for (let index = spans.length - 1; index >= 0; index -= 1) {
    const span = spans[index];
    if (span && span.validFrom <= date) {
      if (span.validTo !== undefined && date > span.validTo) break;
      return span;
    }
  }
  throw new RulesNotInForceError(pack.country, date);
};

/**
 * The destinations the pack clears on a date. A date no rule version covers is the duty step's to refuse
 * (with its own reason); intake then checks against every version's destinations.
 */
export const destinationsOn =
  (pack: CountryPack) =>
  (date: IsoDate): ReadonlySet<string> => {
    try {
      return rulesOn(pack, date).destinations;
    } catch (error) {
      if (!(error instanceof RulesNotInForceError)) throw error;
      return new Set(compiledSpans(pack).flatMap((span) => [...span.destinations]));
    }
  };
