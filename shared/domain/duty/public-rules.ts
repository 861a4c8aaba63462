// What the rules in force say, for people and for statistics: the published rules of a date
// (GET /v1/public/rules), the version ids in force, the value band of a consignment and the low-value
// threshold.
import type {
  AnnualAllowance,
  CountryPack,
  DeclarationTypeRule,
  FeeRule,
  GoodsRate,
  IsoDate,
  MinimumCollectionRule,
  OriginSurchargeRule,
  Regime,
  TaxRule,
  Territory,
} from '../../countries/types.js';
import type { CollectionModel } from '../declaration/declaration.js';
import { type Decimal, ExactDecimal } from '../money.js';
import { dayAfter, isInForce } from '../reference/versions.js';
import type { Payer } from './assessment.js';
import { type AdminSurcharge, type AdminTaxRate, surchargesWith } from './reference-data.js';
import { type CompiledRules, compiledSpans, rulesOn } from './rules.js';

export interface RulesVersion {
  /** The composed id, e.g. "EU@2026-07-01+NL@2026-01-01". */
  id: string;
  ruleSet: string[];
  validFrom: IsoDate;
  validTo?: IsoDate;
}

export interface PublicRules {
  country: string;
  name: string;
  jurisdiction: string;
  date: IsoDate;
  currency: string;
  valuationBasis: 'CIF' | 'FOB';
  /** How long a declaration's record is kept, and the law that says so. */
  recordKeeping: { years: number; legalBasis: string };
  ruleSet: string[];
  validFrom: IsoDate;
  validTo?: IsoDate;
  legalBasis: string[];
  thresholds: { id: string; amount: string; appliesTo: string; description: string }[];
  regimes: Pick<
    Regime,
    'id' | 'description' | 'upTo' | 'when' | 'lowValue' | 'duty' | 'tax' | 'taxFactor' | 'legalBasis'
  >[];
  declarationTypes: DeclarationTypeRule[];
  duty: { generalRate: string | null; legalBasis: string; originSurcharges: OriginSurchargeRule[] };
  taxes: TaxRule[];
  /** The pack's reduced, super-reduced and zero rates for goods in force, by the country whose tax it is. */
  goodsRates: Record<string, GoodsRate[]>;
  /** The administration's rates of the stack's own tax by HS prefix in force (they win over goodsRates). */
  adminTaxRates: AdminTaxRate[];
  memberStateVatRates?: Record<string, string>;
  collectionModels: { model: CollectionModel; payer: Payer; description: string }[];
  fees: FeeRule[];
  minimumCollection: MinimumCollectionRule[];
  annualAllowance?: AnnualAllowance;
  /** Parts of the country outside its VAT area, where no import VAT is charged. */
  outsideVatTerritory?: Territory[];
  upcoming: { date: IsoDate; ruleSet: string[]; changes: string[] }[];
}

const versionOf = (rules: CompiledRules): RulesVersion => ({
  id: rules.ruleSet.join('+'),
  ruleSet: [...rules.ruleSet],
  validFrom: rules.validFrom,
  ...(rules.validTo ? { validTo: rules.validTo } : {}),
});

/** The rule versions in force on a date, and the span of dates on which exactly these apply. */
export const rulesVersionOn = (pack: CountryPack, date: IsoDate): RulesVersion =>
  versionOf(rulesOn(pack, date));

interface BandLimit {
  value: Decimal;
  /** Shortest decimal string: "150". */
  text: string;
}

const bandLimitsBySpan = new WeakMap<CompiledRules, readonly BandLimit[]>();

/** Consignment-value thresholds of the rules, ascending and distinct (computed once per span). */
const bandLimits = (rules: CompiledRules): readonly BandLimit[] => {
  const cached = bandLimitsBySpan.get(rules);
  if (cached) return cached;
  const limits = new Map<string, BandLimit>();
  const add = (value: Decimal | undefined) => {
    if (!value) return;
    const text = value.toFixed();
    limits.set(text, { value, text });
  };
  for (const regime of rules.regimes) add(regime.upTo);
  for (const rule of rules.declarationTypes) add(rule.upTo);
  const sorted = [...limits.values()].sort((a, b) => a.value.comparedTo(b.value));
  bandLimitsBySpan.set(rules, sorted);
  return sorted;
};

/**
 * The value band of a consignment for statistics, from the thresholds in force: "0-45", "45-150", ...,
 * "700+". A band includes its upper limit, as thresholds do.
 */
export const valueBand = (pack: CountryPack, date: IsoDate, intrinsicValue: string): string => {
  const value = new ExactDecimal(intrinsicValue);
  let lower = '0';
  for (const limit of bandLimits(rulesOn(pack, date))) {
    if (value.lessThanOrEqualTo(limit.value)) return `${lower}-${limit.text}`;
    lower = limit.text;
  }
  return `${lower}+`;
};

/** The highest threshold of a low-value regime in force (what consignment splitting is measured against). */
export const lowValueThreshold = (pack: CountryPack, date: IsoDate): string | undefined => {
  let highest: Decimal | undefined;
  for (const regime of rulesOn(pack, date).regimes) {
    if (regime.source.lowValue && regime.upTo && (highest === undefined || regime.upTo.greaterThan(highest)))
      highest = regime.upTo;
  }
  return highest?.toFixed();
};

const describeCollection = (rules: CompiledRules): PublicRules['collectionModels'] => {
  const currency = rules.pack.currency;
  const atSale = rules.regimes.find((regime) => regime.source.tax.kind === 'AT_SALE');
  const checkout = rules.checkoutScheme?.source;
  const declarantDuty = rules.regimes.find(
    (regime) => regime.source.duty.kind === 'FLAT_PER_HS6' && regime.source.duty.debtor === 'DECLARANT',
  )?.source.duty;
  const declarantOwes =
    declarantDuty?.kind === 'FLAT_PER_HS6'
      ? `the ${declarantDuty.code} of ${currency} ${declarantDuty.amount} per tariff subheading`
      : undefined;
  const limit = (ids: readonly string[]) =>
    rules.regimes
      .filter((regime) => ids.includes(regime.id) && regime.upTo)
      .map((regime) => `${currency} ${regime.source.upTo}`)
      .join(', ');
  const sellerCollects = checkout
    ? `With a ${checkout.scheme} number valid in the registry, consignments up to ${limit(checkout.regimes)} without excise goods: ${checkout.taxCode} of the member state of consumption charged at checkout, import ${checkout.taxCode} exempt; duty is due at import.`
    : atSale
      ? `Consignments up to ${currency} ${atSale.source.upTo}: tax charged at the sale by the seller or marketplace; nothing at the border.`
      : 'Duty and tax due at import, on the seller account.';
  const onDelivery = rules.onDelivery?.source;
  return [
    { model: 'SELLER_AT_CHECKOUT', payer: 'SELLER', description: sellerCollects },
    {
      model: 'INTERMEDIARY_ON_DELIVERY',
      payer: 'INTERMEDIARY',
      description: onDelivery
        ? `Special arrangements for consignments up to ${limit(onDelivery.regimes)} consumed in this member state: import VAT at the standard rate collected by the carrier on delivery and paid monthly; otherwise ordinary import charges on the carrier account.`
        : 'Import charges paid by the carrier on its guaranteed account and collected on delivery.',
    },
    {
      model: 'CONSUMER_AT_IMPORT',
      payer: 'CONSUMER',
      description: declarantOwes
        ? `Duty and tax paid by the consignee before release, except ${declarantOwes}, which the declarant owes on its account.`
        : 'Duty and tax paid by the consignee before release.',
    },
    {
      model: 'DEFERRED_ACCOUNT',
      payer: 'PLATFORM',
      description: "Duty and tax charged to the platform's deferred account and settled monthly.",
    },
  ];
};

const describeThresholds = (rules: CompiledRules): PublicRules['thresholds'] => {
  const basis =
    rules.thresholdBasis === 'CUSTOMS_VALUE' ? 'total customs value' : 'intrinsic value of the consignment';
  const thresholds: PublicRules['thresholds'] = rules.regimes
    .filter((regime) => regime.upTo)
    .map((regime) => ({
      id: regime.id,
      amount: regime.source.upTo ?? '',
      appliesTo: basis,
      description: regime.source.description,
    }));
  for (const rule of rules.declarationTypes) {
    if (rule.upTo) {
      thresholds.push({
        id: `DECLARATION_${rule.source.type}`,
        amount: rule.source.upTo ?? '',
        appliesTo: basis,
        description: `Declaration type ${rule.source.type} up to ${rules.pack.currency} ${rule.source.upTo}`,
      });
    }
  }
  if (rules.annualAllowance) {
    thresholds.push({
      id: 'ANNUAL_ALLOWANCE',
      amount: rules.annualAllowance.source.amount,
      appliesTo: 'purchases per person per calendar year',
      description: rules.annualAllowance.source.exceeded.reason,
    });
  }
  return thresholds;
};

/** What the administration maintains that the published rules include. */
export interface PublishedReference {
  taxRates?: readonly AdminTaxRate[];
  surcharges?: readonly AdminSurcharge[];
}

const upcomingChanges = (
  pack: CountryPack,
  date: IsoDate,
  admin: PublishedReference,
): PublicRules['upcoming'] => {
  const spans = compiledSpans(pack);
  const upcoming: PublicRules['upcoming'] = [];
  spans.forEach((span, index) => {
    if (span.validFrom <= date) return;
    const changes = span.versions
      .filter((version) => version.validFrom === span.validFrom)
      .map((version) => `${version.id}: ${version.summary}`);
    const before = spans[index - 1];
    for (const [country, rate] of span.memberStateRates ?? []) {
      const previous = before?.memberStateRates?.get(country);
      if (previous && previous.text !== rate.text) {
        changes.push(`VAT rate of ${country} changes from ${previous.text} to ${rate.text}`);
      }
    }
    if (changes.length > 0) upcoming.push({ date: span.validFrom, ruleSet: [...span.ruleSet], changes });
  });
  // Dated surcharges start and end inside spans too.
  const announce = (day: IsoDate, change: string) => {
    const existing = upcoming.find((entry) => entry.date === day);
    if (existing) existing.changes.push(change);
    else upcoming.push({ date: day, ruleSet: [...rulesOn(pack, day).ruleSet], changes: [change] });
  };
  for (const surcharge of surchargesWith(rulesOn(pack, date).originSurcharges, admin.surcharges)) {
    const origins =
      surcharge.originCountries.length > 10
        ? `${surcharge.originCountries.length} origins`
        : surcharge.originCountries.join(', ');
    const charge = [
      surcharge.rate,
      surcharge.specific ? `${pack.currency} ${surcharge.specific.amount} per item` : undefined,
    ]
      .filter(Boolean)
      .join(' + ');
    if (surcharge.validFrom > date)
      announce(surcharge.validFrom, `${surcharge.code} on goods of ${origins}: ${charge}`);
    if (surcharge.validTo && surcharge.validTo >= date) {
      announce(dayAfter(surcharge.validTo), `${surcharge.code} on goods of ${origins} ends`);
    }
  }
  for (const rate of admin.taxRates ?? []) {
    if (rate.validFrom > date) announce(rate.validFrom, `Tax rate for HS ${rate.hsPrefix}: ${rate.rate}`);
    if (rate.validTo && rate.validTo >= date) {
      announce(dayAfter(rate.validTo), `Tax rate for HS ${rate.hsPrefix} ends`);
    }
  }
  return upcoming.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
};

/** The rules in force on a date and the dated changes to come, as published data. */
export const publicRules = (
  pack: CountryPack,
  date: IsoDate,
  admin: PublishedReference = {},
): PublicRules => {
  const rules = rulesOn(pack, date);
  const composedTaxes = rules.taxes.map((tax) => ({
    ...tax.source,
    ...(tax.rate ? { rate: tax.rate.text } : {}),
  }));
  return {
    country: pack.country,
    name: pack.name,
    jurisdiction: pack.jurisdiction,
    date,
    currency: pack.currency,
    valuationBasis: pack.valuationBasis,
    recordKeeping: { ...pack.recordKeeping },
    ruleSet: [...rules.ruleSet],
    validFrom: rules.validFrom,
    ...(rules.validTo ? { validTo: rules.validTo } : {}),
    legalBasis: [...rules.legalBasis],
    thresholds: describeThresholds(rules),
    regimes: rules.regimes.map(({ source }) => ({
      id: source.id,
      description: source.description,
      ...(source.upTo ? { upTo: source.upTo } : {}),
      ...(source.when ? { when: source.when } : {}),
      lowValue: source.lowValue,
      duty: source.duty,
      tax: source.tax,
      ...(source.taxFactor ? { taxFactor: source.taxFactor } : {}),
      legalBasis: source.legalBasis,
    })),
    declarationTypes: rules.declarationTypes.map((rule) => rule.source),
    duty: {
      generalRate: rules.generalDutyRate?.text ?? null,
      legalBasis: rules.dutyLegalBasis,
      originSurcharges: surchargesWith(rules.originSurcharges, admin.surcharges).filter((surcharge) =>
        isInForce(surcharge, date),
      ),
    },
    taxes: composedTaxes,
    goodsRates: Object.fromEntries(
      Object.entries(
        Object.assign({}, ...rules.versions.map((version) => version.goodsRates ?? {})) as Record<
          string,
          readonly GoodsRate[]
        >,
      ).map(([country, rates]) => [country, rates.filter((rate) => isInForce(rate, date))]),
    ),
    adminTaxRates: (admin.taxRates ?? [])
      .filter((rate) => isInForce(rate, date))
      .sort((a, b) => (a.hsPrefix < b.hsPrefix ? -1 : a.hsPrefix > b.hsPrefix ? 1 : 0)),
    ...(rules.memberStateRates
      ? {
          memberStateVatRates: Object.fromEntries(
            [...rules.memberStateRates].map(([country, rate]) => [country, rate.text]),
          ),
        }
      : {}),
    collectionModels: describeCollection(rules),
    fees: rules.fees.map((fee) => fee.source),
    minimumCollection: rules.minimumCollection.map((rule) => rule.source),
    ...(rules.annualAllowance ? { annualAllowance: rules.annualAllowance.source } : {}),
    ...(rules.outsideVatTerritory.length > 0 ? { outsideVatTerritory: [...rules.outsideVatTerritory] } : {}),
    upcoming: upcomingChanges(pack, date, admin),
  };
};
