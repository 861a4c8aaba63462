// Composition and compilation of a country pack: for every span of dates on which the same layer versions
// (and the same dated VAT rates) are in force, the versions are merged once and their amounts and rates
// turned into exact fixed-point values, so assessing a declaration only looks the span up.
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
  ValueBasis,
} from '../../countries/types.js';
import { minorUnitDigits, type RoundingMode } from '../money.js';
import { RulesNotInForceError } from './errors.js';
import { type Fixed, fixed, minorUnit, plainFixed } from './fixed.js';

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
  upTo?: Fixed;
  when?: CompiledCondition;
  dutyExceptMask: number;
  taxExceptMask: number;
  taxFactor?: Fixed;
  /** Base of tax charged at the sale (AT_SALE regimes). */
  saleComponents?: ReadonlySet<BaseComponent>;
  flatAmount?: Fixed;
  flatRate?: Fixed;
}

export interface CompiledTax {
  source: TaxRule;
  rate?: { value: Fixed; text: string };
  ratesByHs: readonly { hsPrefix: string; value: Fixed; text: string }[];
  components: ReadonlySet<BaseComponent>;
}

export interface CompiledFee {
  source: FeeRule;
  amount: Fixed;
  maxValue?: Fixed;
  when?: CompiledCondition;
}

export interface CompiledDeclarationType {
  source: DeclarationTypeRule;
  upTo?: Fixed;
  noGoodsMask: number;
}

export interface CompiledRules {
  pack: CountryPack;
  /** The layer versions in force, in layer order. */
  versions: readonly RuleVersion[];
  ruleSet: readonly string[];
  validFrom: IsoDate;
  validTo?: IsoDate;
  legalBasis: readonly string[];
  digits: number;
  /** The currency's minor unit as a Fixed step. */
  unit: Fixed;
  rounding: { mode: RoundingMode; per: 'LINE' | 'CONSIGNMENT'; baseStep?: Fixed; amountStep?: Fixed };
  thresholdBasis: ValueBasis;
  regimes: readonly CompiledRegime[];
  unmatched?: { reject: { code: string; reason: string; declarationType: string } };
  annualAllowance?: { source: AnnualAllowance; amount: Fixed };
  declarationTypes: readonly CompiledDeclarationType[];
  generalDutyRate: { value: Fixed; text: string } | null;
  dutyLegalBasis: string;
  taxes: readonly CompiledTax[];
  /** Standard VAT rate per member state on this span (EU stacks). */
  memberStateRates?: ReadonlyMap<string, { value: Fixed; text: string }>;
  /** Countries a declaration may name as destination. */
  destinations: ReadonlySet<string>;
  checkoutScheme?: { source: CheckoutScheme; excludeMask: number; components: ReadonlySet<BaseComponent> };
  onDelivery?: { source: OnDeliveryScheme; excludeMask: number };
  fees: readonly CompiledFee[];
  minimumCollection: readonly { source: MinimumCollectionRule; below: Fixed }[];
  lineReliefs: readonly LineRelief[];
  originSurcharges: readonly OriginSurchargeRule[];
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

const rate = (text: string) => {
  const value = fixed(text);
  return { value, text: plainFixed(value) };
};

const condition = (source: ConsignmentCondition | undefined): CompiledCondition | undefined =>
  source && { source, noGoodsMask: maskOf(source.noGoods) };

const inForce = (version: { validFrom: IsoDate; validTo?: IsoDate }, date: IsoDate) =>
  version.validFrom <= date && (version.validTo === undefined || date <= version.validTo);

const shiftDay = (date: IsoDate, days: number): IsoDate => {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
};

/** The rate of a dated list in force on a date (the latest validFrom on or before it). */
const datedRateOn = (rates: readonly { rate: string; validFrom: IsoDate }[], date: IsoDate) => {
  let chosen: { rate: string; validFrom: IsoDate } | undefined;
  for (const entry of rates)
    if (entry.validFrom <= date && (!chosen || entry.validFrom > chosen.validFrom)) chosen = entry;
  return chosen;
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

  let memberStateRates: Map<string, { value: Fixed; text: string }> | undefined;
  if (rules.memberStateVatRates) {
    memberStateRates = new Map();
    for (const [country, dated] of Object.entries(rules.memberStateVatRates)) {
      const entry = datedRateOn(dated, validFrom);
      if (entry) memberStateRates.set(country, rate(entry.rate));
    }
  }
  const taxes = (rules.taxes ?? []).map((tax): CompiledTax => {
    let single: { value: Fixed; text: string } | undefined;
    if (tax.rate === 'MEMBER_STATE') {
      single = memberStateRates?.get(pack.country);
      if (!single) throw new Error(`${where}: no member-state VAT rate for ${pack.country}`);
    } else if (tax.rate !== undefined) {
      single = rate(tax.rate);
    }
    if (!single && !tax.ratesByHs) throw new Error(`${where}: tax ${tax.code} has no rate`);
    return {
      source: tax,
      ...(single ? { rate: single } : {}),
      ratesByHs: (tax.ratesByHs ?? [])
        .map((entry) => ({ hsPrefix: entry.hsPrefix, ...rate(entry.rate) }))
        .sort((a, b) => b.hsPrefix.length - a.hsPrefix.length),
      components: new Set(tax.base),
    };
  });

  const digits = minorUnitDigits(pack.currency);
  const { baseStep, amountStep } = pack.rounding;
  return {
    pack,
    versions,
    ruleSet: versions.map((version) => version.id),
    validFrom,
    ...(validTo ? { validTo } : {}),
    legalBasis: [...new Set(rules.legalBasis)],
    digits,
    unit: minorUnit(digits),
    rounding: {
      mode: pack.rounding.mode,
      per: pack.rounding.per,
      ...(baseStep ? { baseStep: fixed(baseStep) } : {}),
      ...(amountStep ? { amountStep: fixed(amountStep) } : {}),
    },
    thresholdBasis: rules.thresholdBasis ?? 'INTRINSIC',
    regimes: (rules.regimes ?? []).map((regime): CompiledRegime => {
      const when = condition(regime.when);
      return {
        source: regime,
        id: regime.id,
        ...(regime.upTo ? { upTo: fixed(regime.upTo) } : {}),
        ...(when ? { when } : {}),
        dutyExceptMask:
          regime.duty.kind === 'EXEMPT' || regime.duty.kind === 'FLAT_RATE'
            ? maskOf(regime.duty.exceptGoods)
            : 0,
        taxExceptMask: regime.tax.kind === 'EXEMPT' ? maskOf(regime.tax.exceptGoods) : 0,
        ...(regime.taxFactor ? { taxFactor: fixed(regime.taxFactor) } : {}),
        ...(regime.tax.kind === 'AT_SALE' ? { saleComponents: new Set(regime.tax.base) } : {}),
        ...(regime.duty.kind === 'FLAT_PER_HS6' ? { flatAmount: fixed(regime.duty.amount) } : {}),
        ...(regime.duty.kind === 'FLAT_RATE' ? { flatRate: fixed(regime.duty.rate) } : {}),
      };
    }),
    ...(rules.unmatched ? { unmatched: rules.unmatched } : {}),
    ...(rules.annualAllowance
      ? {
          annualAllowance: {
            source: rules.annualAllowance,
            amount: fixed(rules.annualAllowance.amount),
          },
        }
      : {}),
    declarationTypes: rules.declarationTypes.map((rule) => ({
      source: rule,
      ...(rule.upTo ? { upTo: fixed(rule.upTo) } : {}),
      noGoodsMask: maskOf(rule.noGoods),
    })),
    generalDutyRate: rules.generalDutyRate ? rate(rules.generalDutyRate) : null,
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
        amount: fixed(fee.amount),
        ...(fee.maxValue ? { maxValue: fixed(fee.maxValue) } : {}),
        ...(when ? { when } : {}),
      };
    }),
    minimumCollection: (rules.minimumCollection ?? []).map((rule) => ({
      source: rule,
      below: fixed(rule.below),
    })),
    lineReliefs: rules.lineReliefs ?? [],
    originSurcharges: rules.originSurcharges ?? [],
  };
};

/** Every date on which something in the pack changes: version starts, the day after version ends, rate changes. */
const changeDates = (pack: CountryPack): IsoDate[] => {
  const dates = new Set<IsoDate>();
  for (const version of pack.versions) {
    dates.add(version.validFrom);
    if (version.validTo) dates.add(shiftDay(version.validTo, 1));
    for (const dated of Object.values(version.memberStateVatRates ?? {})) {
      for (const entry of dated) if (inForce(version, entry.validFrom)) dates.add(entry.validFrom);
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
      pack.versions.find((version) => version.layer === layer && inForce(version, from)),
    );
    if (versions.some((version) => version === undefined)) return;
    spans.push(compile(pack, versions as RuleVersion[], from, next ? shiftDay(next, -1) : undefined));
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
