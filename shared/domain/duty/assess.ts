// The duty engine: one generic evaluator of the country packs. Given a declaration, the stack's pack, the
// date and the reference data the caller loaded, it computes values, the regime that applies, duties,
// taxes, fees, totals, the payer and a note for every special rule. Pure: no I/O, no clock.
//
// Arithmetic is exact, on Decimals (money.ts), and rounds only where a rule says so: each declared amount
// is converted to the stack currency and rounded half-up to its minor unit; transport and insurance are
// spread over the goods lines in whole minor units by value (integer work, on bigint); every base and
// every duty, tax and fee line is rounded by the pack's rule; totals are sums of the rounded lines. The
// pack's amounts, rates and rounding come precompiled (rules.ts).
import type {
  BaseComponent,
  CountryPack,
  DutyTreatment,
  IsoDate,
  TaxTreatment,
  Territory,
} from '../../countries/types.js';
import type { Declaration, DeclarationItem } from '../declaration/declaration.js';
import {
  apportion,
  type Decimal,
  ExactDecimal,
  fromMinorUnits,
  parseMinorUnits,
  toFixedDigits,
  toMinorUnits,
} from '../money.js';
import type { Assessment, DutyLine, FeeLine, Payer, TaxLine } from './assessment.js';
import { type MissingReference, MissingReferenceDataError } from './errors.js';
import {
  adminTaxRateOn,
  exchangeRateOn,
  type ReferenceData,
  registrationOn,
  surchargesOn,
  surchargesWith,
  type TaxRegistration,
  tariffRateOn,
  taxRateVersionId,
} from './reference-data.js';
import {
  amountOf,
  type CompiledCondition,
  type CompiledRegime,
  type CompiledRounding,
  type CompiledRules,
  type CompiledTax,
  goodsMask,
  type Rate,
  rateOf,
  rulesOn,
} from './rules.js';

export { type MissingReference, MissingReferenceDataError, RulesNotInForceError } from './errors.js';
export {
  lowValueThreshold,
  type PublicRules,
  publicRules,
  type RulesVersion,
  rulesVersionOn,
  valueBand,
} from './public-rules.js';
export {
  type AnnualTotal,
  type ExchangeRate,
  type OriginSurcharge,
  type ReferenceData,
  type TariffRate,
  type TaxRegistration,
  tariffPrefixes,
} from './reference-data.js';

export interface AssessmentContext {
  /** The stack's pack; its `country` is the stack country. */
  pack: CountryPack;
  /** The date used when the declaration names no importDate. */
  today: IsoDate;
  reference: ReferenceData;
  /**
   * Who lodged the declaration, as a payer: PLATFORM, or INTERMEDIARY for a post. It owes the lines whose
   * debtor the law names as the declarant (default PLATFORM, e.g. for quotes).
   */
  declarant?: Extract<Payer, 'PLATFORM' | 'INTERMEDIARY'>;
}

export interface AnnualUsage {
  taxId: string;
  year: number;
  /** What to add to the consignee's running total, in the stack currency. */
  amount: string;
}

export interface AssessmentOutcome {
  assessment: Assessment;
  /** CN: the consignment counts toward the consignee's annual allowance. */
  annualUsage?: AnnualUsage;
  /** The declaration cannot be cleared through this channel; the assessment then charges nothing. */
  rejection?: { code: string; reason: string };
}

interface Line {
  /** Position in the declaration, to find the line's share of transport and insurance. */
  index: number;
  item: DeclarationItem;
  hs6: string;
  mask: number;
  /** The intrinsic value in minor units: what transport and insurance are spread by. */
  intrinsicUnits: bigint;
  /** The intrinsic value as an amount, made from the units when first needed (`intrinsicOf`). */
  intrinsic?: Decimal;
  customsValue: Decimal;
  dutyMode: 'NONE' | 'TARIFF' | 'FLAT_HS6' | 'FLAT_RATE';
  taxExempt: boolean;
  /** Duty amounts attributed to the line, for tax bases. */
  duties: Decimal[];
  /** Consumption tax (unreduced) attributed to the line, for the base of a tax that includes it. */
  consumptionTax?: Decimal;
}

interface DutyDraft {
  code: string;
  hsCode?: string;
  base: Decimal;
  rate?: Rate;
  /** Unrounded amount: base x rate, or the specific duty. */
  exact: Decimal;
  legalBasis: string;
  line: Line;
}

/**
 * One assessment in progress: what it reads and the values found so far. The steps are functions of it
 * rather than closures inside `assess`, so a call allocates no functions.
 */
interface Run {
  declaration: Declaration;
  pack: CountryPack;
  rules: CompiledRules;
  importDate: IsoDate;
  exchangeRates: Assessment['exchangeRates'];
  notes: Set<string>;
  lines: Line[];
  consignmentMask: number;
  intrinsicValue: Decimal;
  transportInsurance: Decimal;
  customsValue: Decimal;
  thresholdValue: Decimal;
  /** Transport and insurance allocated to each line, by index: worked out once a tax base needs them. */
  extras: readonly Decimal[] | undefined;
  payer: Payer;
  declarant: Extract<Payer, 'PLATFORM' | 'INTERMEDIARY'>;
  /** The consignee is in a part of the country outside its VAT area: no tax, no scheme. */
  outsideVatTerritory?: boolean;
  reference: ReferenceData;
  /** The administration's versions applied (tax rates, surcharges), named as the ruleSet lists them. */
  applied: Set<string>;
}

const ZERO = new ExactDecimal(0);
const ONE = new ExactDecimal(1);

const isGoodsLine = (line: Line) => line.dutyMode !== 'NONE' || !line.taxExempt;

const sum = (values: readonly Decimal[]): Decimal =>
  values.length === 0 ? ZERO : values.reduce((total, value) => total.plus(value));

/** An amount as written: a multiple of the minor unit; a pack step finer than it leaves decimals, cut. */
const written = (rules: CompiledRules, amount: Decimal): string =>
  toFixedDigits(amount, rules.digits, 'DOWN');

/** Bases are sums of amounts already in minor units: only a coarser base step (JP) rounds them. */
const roundBase = (rounding: CompiledRounding, base: Decimal): Decimal =>
  rounding.baseStep ? rounding.toBaseStep(base) : base;

/** "0", "0.00": nothing to convert (insurance is mostly declared so). */
const ZERO_AMOUNT = /^0+(?:\.0+)?$/;

/** A declared amount in the stack currency: converted at the rate in force, half-up to the minor unit. */
const convert = (rules: CompiledRules, fxRate: Decimal | undefined, amount: string | undefined): Decimal => {
  if (amount === undefined || ZERO_AMOUNT.test(amount)) return ZERO;
  const value = new ExactDecimal(amount);
  return rules.rounding.toMinorUnit(fxRate === undefined ? value : value.times(fxRate));
};

/** `convert` in whole minor units; an amount already in the stack currency and its minor unit is only re-read. */
const convertToUnits = (
  rules: CompiledRules,
  fxRate: Decimal | undefined,
  amount: string | undefined,
): bigint => {
  if (amount === undefined) return 0n;
  const units = fxRate === undefined ? parseMinorUnits(amount, rules.digits) : undefined;
  return units ?? toMinorUnits(convert(rules, fxRate, amount), rules.digits);
};

const intrinsicOf = (rules: CompiledRules, line: Line): Decimal => {
  line.intrinsic ??= fromMinorUnits(line.intrinsicUnits, rules.digits);
  return line.intrinsic;
};

/** `total` (in minor units) split over the lines by their intrinsic values, as amounts. */
const sharesByValue = (run: Pick<Run, 'lines' | 'rules'>, total: Decimal): Decimal[] => {
  const { digits } = run.rules;
  return apportion(
    toMinorUnits(total, digits),
    run.lines.map((line) => line.intrinsicUnits),
  ).map((units) => fromMinorUnits(units, digits));
};

/** Each line's share of transport and insurance, by line index (worked out on first use). */
const extrasOf = (run: Run): readonly Decimal[] => {
  if (run.extras) return run.extras;
  const { lines, transportInsurance } = run;
  let extras: readonly Decimal[];
  if (transportInsurance.isZero()) extras = lines.map(() => ZERO);
  else if (run.pack.valuationBasis === 'CIF') {
    // The customs values hold the shares already.
    extras = lines.map((line) => line.customsValue.minus(intrinsicOf(run.rules, line)));
  } else {
    extras = sharesByValue(run, transportInsurance);
  }
  run.extras = extras;
  return extras;
};

const holds = (run: Run, condition: CompiledCondition | undefined): boolean => {
  if (!condition) return true;
  const { declaration } = run;
  const when = condition.source;
  if (when.channels && !when.channels.includes(declaration.channel)) return false;
  if (when.transactionTypes && !when.transactionTypes.includes(declaration.transactionType)) return false;
  if (when.dispatchCountries && !when.dispatchCountries.includes(declaration.dispatchCountry)) return false;
  if (condition.noGoodsMask & run.consignmentMask) return false;
  const category = when.allItemsCategory;
  if (category && !declaration.items.every((item) => (item.category ?? 'SALE') === category)) return false;
  const noOrigins = when.noOrigins;
  if (noOrigins && declaration.items.some((item) => noOrigins.includes(item.originCountry))) return false;
  if (when.singleItem && !(declaration.items.length === 1 && declaration.items[0]?.quantity === 1))
    return false;
  return true;
};

const declarationTypeOf = (run: Run, regimeId: string | undefined): string => {
  const { rules, declaration } = run;
  for (const rule of rules.declarationTypes) {
    const source = rule.source;
    if (source.regimes && !(regimeId && source.regimes.includes(regimeId))) continue;
    if (rule.upTo !== undefined && run.thresholdValue.greaterThan(rule.upTo)) continue;
    if (source.channels && !source.channels.includes(declaration.channel)) continue;
    if (rule.noGoodsMask & run.consignmentMask) continue;
    return source.type;
  }
  return rules.declarationTypes[rules.declarationTypes.length - 1]?.source.type ?? 'UNKNOWN';
};

const payerOf = (declaration: Declaration, registration: { record?: TaxRegistration } | undefined): Payer => {
  switch (declaration.collectionModel) {
    case 'SELLER_AT_CHECKOUT': {
      // A registration held by someone other than the seller is the marketplace's (deemed supplier). The
      // holder is known by its verified id only; a seller name proves nothing.
      const record = registration?.record;
      if (record === undefined) return 'SELLER';
      return record.holderId === undefined || record.holderId !== declaration.seller.id
        ? 'PLATFORM'
        : 'SELLER';
    }
    case 'DEFERRED_ACCOUNT':
      return 'PLATFORM';
    case 'INTERMEDIARY_ON_DELIVERY':
      return 'INTERMEDIARY';
    case 'CONSUMER_AT_IMPORT':
      return 'CONSUMER';
  }
};

const result = (
  run: Run,
  fields: Pick<Assessment, 'lowValue' | 'declarationType' | 'duties' | 'taxes' | 'fees'> & {
    totals: { duty: Decimal; tax: Decimal; fees: Decimal; checkout: Decimal };
  },
): Assessment => {
  const { rules } = run;
  const { duty, tax, fees, checkout } = fields.totals;
  const declarantOwes = sum(
    fields.duties.filter((line) => line.payer !== undefined).map((line) => amountOf(line.amount)),
  );
  return {
    ruleSet: run.applied.size === 0 ? [...rules.ruleSet] : [...rules.ruleSet, ...[...run.applied].sort()],
    importDate: run.importDate,
    currency: run.pack.currency,
    exchangeRates: run.exchangeRates,
    intrinsicValue: written(rules, run.intrinsicValue),
    customsValue: written(rules, run.customsValue),
    lowValue: fields.lowValue,
    declarationType: fields.declarationType,
    duties: fields.duties,
    taxes: fields.taxes,
    fees: fields.fees,
    totals: {
      duty: written(rules, duty),
      tax: written(rules, tax),
      fees: written(rules, fees),
      collectedAtCheckout: written(rules, checkout),
      dueAtImport: written(rules, duty.plus(tax).minus(checkout).plus(fees)),
      ...(declarantOwes.greaterThan(0) ? { dueFromDeclarant: written(rules, declarantOwes) } : {}),
    },
    payer: run.payer,
    notes: [...run.notes],
  };
};

const reject = (run: Run, code: string, reason: string): AssessmentOutcome => {
  run.notes.add(code);
  return {
    assessment: result(run, {
      lowValue: false,
      declarationType: run.rules.unmatched?.reject.declarationType ?? declarationTypeOf(run, undefined),
      duties: [],
      taxes: [],
      fees: [],
      totals: { duty: ZERO, tax: ZERO, fees: ZERO, checkout: ZERO },
    }),
    rejection: { code, reason },
  };
};

/** Which lines pay duty and tax, and how. */
const settleLineModes = (
  run: Run,
  regime: CompiledRegime | undefined,
  duty: DutyTreatment,
  tax: TaxTreatment,
) => {
  const { notes } = run;
  for (const line of run.lines) {
    const relief = run.rules.lineReliefByCategory.get(line.item.category ?? 'SALE');
    if (relief) {
      line.dutyMode = 'NONE';
      line.taxExempt = true;
      notes.add(relief.note);
      continue;
    }
    switch (duty.kind) {
      case 'TARIFF':
        line.dutyMode = 'TARIFF';
        break;
      case 'EXEMPT': {
        const excepted =
          ((regime?.dutyExceptMask ?? 0) & line.mask) !== 0 ||
          (duty.onlyOrigins !== undefined && !duty.onlyOrigins.includes(line.item.originCountry));
        line.dutyMode = excepted ? 'TARIFF' : 'NONE';
        if (!excepted) notes.add(duty.note);
        break;
      }
      case 'FLAT_PER_HS6':
        line.dutyMode = 'FLAT_HS6';
        notes.add(duty.note);
        break;
      case 'FLAT_RATE':
        line.dutyMode = ((regime?.dutyExceptMask ?? 0) & line.mask) !== 0 ? 'TARIFF' : 'FLAT_RATE';
        if (line.dutyMode === 'FLAT_RATE') notes.add(duty.note);
        break;
    }
    if (tax.kind === 'EXEMPT') {
      line.taxExempt = ((regime?.taxExceptMask ?? 0) & line.mask) === 0;
      if (line.taxExempt) notes.add(tax.note);
    }
  }
};

const dutyLine = (
  rules: CompiledRules,
  draft: { code: string; hsCode?: string; base: Decimal; rate?: Rate; legalBasis: string },
  amount: Decimal,
  payer?: Payer,
): DutyLine => {
  const { code, hsCode, rate, legalBasis } = draft;
  const base = written(rules, draft.base);
  const charged = written(rules, amount);
  if (payer) {
    return {
      code,
      ...(hsCode ? { hsCode } : {}),
      base,
      ...(rate ? { rate: rate.text } : {}),
      amount: charged,
      legalBasis,
      payer,
    };
  }
  // Optional fields spelt out rather than spread, in the order assessments have always listed them.
  if (hsCode) {
    return rate
      ? { code, hsCode, base, rate: rate.text, amount: charged, legalBasis }
      : { code, hsCode, base, amount: charged, legalBasis };
  }
  return rate
    ? { code, base, rate: rate.text, amount: charged, legalBasis }
    : { code, base, amount: charged, legalBasis };
};

/**
 * The tariff rate is "free": an ad valorem rate of zero and no specific duty. The non-commercial flat
 * rate does not apply to such goods (CN Annex I, Part One, Section II.D.1).
 */
const tariffFree = (reference: ReferenceData, hsCode: string, date: IsoDate): boolean => {
  const tariff = tariffRateOn(reference.tariffRates, hsCode, date);
  return (
    tariff !== undefined && tariff.specific === undefined && rateOf(tariff.dutyRate ?? '0').value.isZero()
  );
};

/** Duties: drafts per goods line (tariff, specific, surcharges, flat rate), flat amounts per subheading. */
const assessDuties = (
  run: Run,
  reference: ReferenceData,
  regime: CompiledRegime | undefined,
  duty: DutyTreatment,
): { duties: DutyLine[]; total: Decimal } => {
  const { rules, importDate, notes } = run;
  const { rounding } = rules;
  const missing: MissingReference[] = [];
  const drafts: DutyDraft[] = [];
  const surcharges = surchargesWith(rules.originSurcharges, reference.surcharges);
  const flatGroups = new Map<string, Line[]>();
  for (const line of run.lines) {
    const { item } = line;
    if (line.dutyMode === 'FLAT_HS6') {
      const group = flatGroups.get(line.hs6);
      if (group) group.push(line);
      else flatGroups.set(line.hs6, [line]);
    } else if (
      line.dutyMode === 'FLAT_RATE' &&
      regime?.flatRate !== undefined &&
      duty.kind === 'FLAT_RATE' &&
      !tariffFree(reference, item.hsCode, importDate)
    ) {
      const base = roundBase(rounding, line.customsValue);
      drafts.push({
        code: duty.code,
        hsCode: item.hsCode,
        base,
        rate: regime.flatRate,
        exact: base.times(regime.flatRate.value),
        legalBasis: duty.legalBasis,
        line,
      });
    } else if (line.dutyMode === 'TARIFF' || line.dutyMode === 'FLAT_RATE') {
      // A flat-rate line whose tariff rate is free pays the tariff (nothing), not the flat rate.
      const tariff = tariffRateOn(reference.tariffRates, item.hsCode, importDate);
      if (!tariff && !rules.generalDutyRate) {
        missing.push({ kind: 'TARIFF_RATE', key: item.hsCode });
        continue;
      }
      const base = roundBase(rounding, line.customsValue);
      let adValorem: Rate | undefined;
      if (!tariff) adValorem = rules.generalDutyRate ?? undefined;
      else if (tariff.dutyRate !== undefined || !tariff.specific) adValorem = rateOf(tariff.dutyRate ?? '0');
      if (adValorem) {
        drafts.push({
          code: 'CUSTOMS_DUTY',
          hsCode: item.hsCode,
          base,
          rate: adValorem,
          exact: base.times(adValorem.value),
          legalBasis: rules.dutyLegalBasis,
          line,
        });
      }
      if (tariff?.specific) {
        const perUnit = amountOf(tariff.specific.amount);
        drafts.push({
          code: 'CUSTOMS_DUTY_SPECIFIC',
          hsCode: item.hsCode,
          base,
          exact:
            tariff.specific.per === 'KG'
              ? perUnit.times(new ExactDecimal(item.netMassKg))
              : perUnit.times(item.quantity),
          legalBasis: rules.dutyLegalBasis,
          line,
        });
      }
      if (surcharges.length > 0) {
        for (const surcharge of surchargesOn(surcharges, item.originCountry, item.hsCode, importDate)) {
          if (surcharge.rate !== undefined) {
            const rate = rateOf(surcharge.rate);
            drafts.push({
              code: surcharge.code,
              hsCode: item.hsCode,
              base,
              rate,
              exact: base.times(rate.value),
              legalBasis: surcharge.legalBasis,
              line,
            });
          }
          if (surcharge.specific !== undefined) {
            drafts.push({
              code: surcharge.code,
              hsCode: item.hsCode,
              base,
              exact: amountOf(surcharge.specific.amount).times(item.quantity),
              legalBasis: surcharge.legalBasis,
              line,
            });
          }
          if (surcharge.ruleVersion) run.applied.add(surcharge.ruleVersion);
          notes.add('ORIGIN_SURCHARGE');
        }
      }
    }
  }
  if (missing.length > 0) throw new MissingReferenceDataError(missing);

  const duties: DutyLine[] = [];
  let total = ZERO;
  if (duty.kind === 'FLAT_PER_HS6' && regime?.flatAmount !== undefined) {
    // The consignee is not the debtor of a duty the law lays on the declarant: under CONSUMER_AT_IMPORT the
    // line goes on the declarant's account; under the account models the account holder owes it anyway.
    const debtor = duty.debtor === 'DECLARANT' && run.payer === 'CONSUMER' ? run.declarant : undefined;
    for (const [hs6, group] of flatGroups) {
      const base = sum(group.map((line) => line.customsValue));
      group[0]?.duties.push(regime.flatAmount);
      duties.push(
        dutyLine(
          rules,
          { code: duty.code, hsCode: hs6, base, legalBasis: duty.legalBasis },
          regime.flatAmount,
          debtor,
        ),
      );
      total = total.plus(regime.flatAmount);
    }
  }
  if (rounding.per === 'LINE') {
    for (const draft of drafts) {
      const amount = rounding.toAmountStep(draft.exact);
      draft.line.duties.push(amount);
      duties.push(dutyLine(rules, draft, amount));
      total = total.plus(amount);
    }
  } else {
    // One line per duty code and rate: exact amounts summed, rounded once.
    const merged = new Map<string, DutyDraft>();
    for (const draft of drafts) {
      draft.line.duties.push(rounding.toMinorUnit(draft.exact));
      const key = `${draft.code}|${draft.rate?.text ?? ''}|${draft.legalBasis}`;
      const into = merged.get(key);
      if (!into) merged.set(key, { ...draft });
      else {
        into.base = into.base.plus(draft.base);
        into.exact = into.exact.plus(draft.exact);
        if (into.hsCode !== draft.hsCode) delete into.hsCode;
      }
    }
    for (const draft of merged.values()) {
      const amount = rounding.toAmountStep(draft.exact);
      duties.push(dutyLine(rules, draft, amount));
      total = total.plus(amount);
    }
  }
  return { duties, total };
};

/** The taxes being worked out: the lines found so far and their running totals. */
interface TaxRun {
  run: Run;
  regime: CompiledRegime | undefined;
  /** Lines that are not exempt from tax. */
  taxed: Line[];
  everyLineTaxed: boolean;
  dutyTotal: Decimal;
  consumptionTax: Decimal;
  lines: TaxLine[];
  total: Decimal;
  checkout: Decimal;
}

const baseOf = (
  taxRun: TaxRun,
  components: ReadonlySet<BaseComponent>,
  of: readonly Line[],
  whole: boolean,
): Decimal => {
  const { run } = taxRun;
  const withValue = components.has('CUSTOMS_VALUE');
  const withIntrinsic = !withValue && components.has('INTRINSIC');
  const withExtra =
    components.has('TRANSPORT_INSURANCE') && !(withValue && run.pack.valuationBasis === 'CIF');
  const withDuty = components.has('DUTY');
  let base = ZERO;
  if (whole) {
    if (withValue) base = base.plus(run.customsValue);
    if (withIntrinsic) base = base.plus(run.intrinsicValue);
    if (withExtra) base = base.plus(run.transportInsurance);
    if (withDuty) base = base.plus(taxRun.dutyTotal);
  } else {
    const extras = withExtra ? extrasOf(run) : undefined;
    for (const line of of) {
      if (withValue) base = base.plus(line.customsValue);
      if (withIntrinsic) base = base.plus(intrinsicOf(run.rules, line));
      if (extras) base = base.plus(extras[line.index] ?? ZERO);
      if (withDuty) base = base.plus(sum(line.duties));
    }
  }
  if (components.has('CONSUMPTION_TAX')) {
    base = base.plus(whole ? taxRun.consumptionTax : sum(of.map((line) => line.consumptionTax ?? ZERO)));
  }
  return base;
};

const pushTax = (
  taxRun: TaxRun,
  code: TaxLine['code'],
  base: Decimal,
  rateText: string,
  amount: Decimal,
  checkout: boolean,
) => {
  const { rules } = taxRun.run;
  taxRun.lines.push({
    code,
    base: written(rules, base),
    rate: rateText,
    amount: written(rules, amount),
    collectedAtCheckout: checkout,
  });
  taxRun.total = taxRun.total.plus(amount);
  if (checkout) taxRun.checkout = taxRun.checkout.plus(amount);
};

/** The rate charged: scaled by the regime's tax factor (CN), precomputed per rate. */
const effective = (regime: CompiledRegime | undefined, rate: Rate): Rate => {
  const known = regime?.factoredRates?.get(rate);
  if (known) return known;
  const factor = regime?.source.taxFactor;
  if (!factor) return rate;
  // A goods rate is not among the span's precomputed rates.
  const value = rate.value.times(factor);
  return { value, text: value.toFixed() };
};

/**
 * The rate a line pays of tax `code` consumed in `country`: the administration's rate for the HS code
 * (the stack's own tax only), else the pack's goods rate, else `standard`.
 */
const lineRate = (run: Run, line: Line, code: string, country: string, standard: Rate): Rate => {
  if (country === run.pack.country) {
    const admin = adminTaxRateOn(run.reference.taxRates, line.item.hsCode, run.importDate);
    if (admin) {
      run.applied.add(taxRateVersionId(admin));
      return admin.rate === standard.text ? standard : rateOf(admin.rate);
    }
  }
  const goods = run.rules.goodsRates
    .get(country)
    ?.find((entry) => entry.taxCodes.includes(code) && line.item.hsCode.startsWith(entry.hsPrefix));
  return goods?.rate ?? standard;
};

/** The lines grouped by the rate each pays, in the order first met; a rate other than `standard` is noted. */
const groupsByRate = (
  run: Run,
  lines: readonly Line[],
  code: string,
  country: string,
  standard: Rate,
): { rate: Rate; lines: Line[] }[] => {
  const groups = new Map<string, { rate: Rate; lines: Line[] }>();
  for (const line of lines) {
    const rate = lineRate(run, line, code, country, standard);
    const group = groups.get(rate.text);
    if (group) group.lines.push(line);
    else groups.set(rate.text, { rate, lines: [line] });
  }
  if (groups.size > 1 || !groups.has(standard.text)) run.notes.add('GOODS_RATE');
  return [...groups.values()];
};

/** A composite base (CN consumption tax) is the plain base grossed up: plain / (1 - rate). */
const taxBase = (
  rounding: CompiledRounding,
  plain: Decimal,
  rate: Decimal,
  composite: boolean | undefined,
) => (composite ? rounding.toBaseStep(plain.dividedBy(ONE.minus(rate))) : roundBase(rounding, plain));

/** A line is in a price class when its customs value per item, or per gram of net mass, reaches the floor. */
const withinPriceClass = (line: Line, floor: CompiledTax['ratesByHs'][number]['minUnitPrice']): boolean => {
  if (!floor) return true;
  const units =
    floor.per === 'ITEM'
      ? new ExactDecimal(line.item.quantity)
      : new ExactDecimal(line.item.netMassKg).times(1000);
  return units.greaterThan(0) && line.customsValue.dividedBy(units).greaterThanOrEqualTo(floor.amount);
};

const importTax = (taxRun: TaxRun, rule: CompiledTax) => {
  const { taxed, run } = taxRun;
  const { rules } = run;
  const { rounding } = rules;
  if (taxed.length === 0) return;
  const composite = rule.source.composite;
  if (rule.ratesByHs.length > 0) {
    const groups = new Map<string, { rate: Rate; lines: Line[] }>();
    for (const line of taxed) {
      const entry = rule.ratesByHs.find((candidate) => line.item.hsCode.startsWith(candidate.hsPrefix));
      if (!entry || !withinPriceClass(line, entry.minUnitPrice)) continue;
      const group = groups.get(entry.rate.text);
      if (group) group.lines.push(line);
      else groups.set(entry.rate.text, { rate: entry.rate, lines: [line] });
    }
    for (const { rate, lines: group } of groups.values()) {
      const base = taxBase(rounding, baseOf(taxRun, rule.components, group, false), rate.value, composite);
      if (rule.source.code === 'CONSUMPTION_TAX') {
        const amount = rounding.toAmountStep(base.times(rate.value));
        taxRun.consumptionTax = taxRun.consumptionTax.plus(amount);
        const [first] = group;
        if (first) first.consumptionTax = (first.consumptionTax ?? ZERO).plus(amount);
      }
      const applied = effective(taxRun.regime, rate);
      pushTax(
        taxRun,
        rule.source.code,
        base,
        applied.text,
        rounding.toAmountStep(base.times(applied.value)),
        false,
      );
    }
    return;
  }
  // A regional tax (CA: HST in the participating provinces) replaces this one for the consignee's region.
  const regional = rule.regionRates?.get(run.declaration.consignee.address.region ?? '');
  const standard = regional?.rate ?? rule.rate;
  const code = regional?.code ?? rule.source.code;
  if (!standard) return;
  const groups = groupsByRate(run, taxed, code, run.pack.country, standard);
  for (const { rate, lines: group } of groups) {
    const whole = groups.length === 1 && taxRun.everyLineTaxed;
    const base = taxBase(rounding, baseOf(taxRun, rule.components, group, whole), rate.value, composite);
    const applied = effective(taxRun.regime, rate);
    let amount = rounding.toAmountStep(base.times(applied.value));
    if (code === 'CONSUMPTION_TAX') {
      const unreduced = rounding.toAmountStep(base.times(rate.value));
      taxRun.consumptionTax = taxRun.consumptionTax.plus(unreduced);
      const [first] = group;
      if (first) first.consumptionTax = (first.consumptionTax ?? ZERO).plus(unreduced);
    }
    // A minimum collection amount (DE) is about the import tax of the consignment as one amount.
    const minimum =
      groups.length === 1
        ? rules.minimumCollection.find((candidate) => candidate.source.taxCode === code)
        : undefined;
    if (minimum && !amount.isZero() && amount.lessThan(minimum.below)) {
      amount = ZERO;
      run.notes.add(minimum.source.note);
    }
    pushTax(taxRun, code, base, applied.text, amount, false);
  }
};

const assessTaxes = (
  run: Run,
  regime: CompiledRegime | undefined,
  tax: TaxTreatment,
  registration: { valid: boolean } | undefined,
  dutyTotal: Decimal,
): TaxRun => {
  const { declaration, rules, notes, lines } = run;
  const { rounding } = rules;
  const taxed = lines.filter((line) => !line.taxExempt);
  const taxRun: TaxRun = {
    run,
    regime,
    taxed,
    everyLineTaxed: taxed.length === lines.length,
    dutyTotal,
    consumptionTax: ZERO,
    lines: [],
    total: ZERO,
    checkout: ZERO,
  };
  if (run.outsideVatTerritory) return taxRun;
  if (tax.kind === 'AT_SALE') {
    const transaction = declaration.transactionType;
    if (tax.sales.includes(transaction)) {
      notes.add(tax.note);
      const components = regime?.saleComponents ?? new Set<BaseComponent>(tax.base);
      for (const rule of rules.taxes) {
        if (!rule.rate || taxed.length === 0) continue;
        const groups = groupsByRate(run, taxed, rule.source.code, run.pack.country, rule.rate);
        for (const { rate, lines: group } of groups) {
          const whole = groups.length === 1 && taxRun.everyLineTaxed;
          const base = roundBase(rounding, baseOf(taxRun, components, group, whole));
          pushTax(
            taxRun,
            rule.source.code,
            base,
            rate.text,
            rounding.toAmountStep(base.times(rate.value)),
            true,
          );
        }
      }
    } else if (tax.reverseCharge?.includes(transaction)) {
      notes.add('REVERSE_CHARGE');
    } else if (tax.exempt?.includes(transaction)) {
      notes.add('TAX_RELIEF_LOW_VALUE');
    } else {
      for (const rule of rules.taxes) importTax(taxRun, rule);
    }
    return taxRun;
  }
  const checkout = rules.checkoutScheme;
  let atCheckout = false;
  if (
    checkout &&
    declaration.collectionModel === 'SELLER_AT_CHECKOUT' &&
    declaration.taxRegistration?.scheme === checkout.source.scheme
  ) {
    const eligible =
      regime !== undefined &&
      checkout.source.regimes.includes(regime.id) &&
      (checkout.excludeMask & run.consignmentMask) === 0;
    if (!registration?.valid) notes.add(checkout.source.invalidNote);
    else if (!eligible) notes.add(`${checkout.source.scheme}_NOT_APPLICABLE`);
    else atCheckout = true;
  }
  if (checkout && atCheckout) {
    // Import VAT exempt; VAT of the member state of consumption charged at checkout.
    notes.add(checkout.source.note);
    const standard = rules.memberStateRates?.get(declaration.destinationCountry);
    if (standard && taxed.length > 0) {
      const code = checkout.source.taxCode;
      // The goods rate of the member state of consumption (Art. 369l ff.: VAT of the state of consumption).
      const groups = groupsByRate(run, taxed, code, declaration.destinationCountry, standard);
      for (const { rate, lines: group } of groups) {
        const whole = groups.length === 1 && taxRun.everyLineTaxed;
        const base = roundBase(rounding, baseOf(taxRun, checkout.components, group, whole));
        pushTax(taxRun, code, base, rate.text, rounding.toAmountStep(base.times(rate.value)), true);
      }
    }
  } else {
    const onDelivery = rules.onDelivery;
    if (onDelivery && declaration.collectionModel === 'INTERMEDIARY_ON_DELIVERY' && taxed.length > 0) {
      const eligible =
        regime !== undefined &&
        onDelivery.source.regimes.includes(regime.id) &&
        (onDelivery.excludeMask & run.consignmentMask) === 0 &&
        declaration.destinationCountry === run.pack.country;
      notes.add(eligible ? onDelivery.source.note : onDelivery.source.unavailableNote);
    }
    for (const rule of rules.taxes) importTax(taxRun, rule);
  }
  return taxRun;
};

/** The consignee lives in this part of the stack's country (by postcode prefix or ISO 3166-2 region). */
const consigneeIn = (
  run: Pick<Run, 'declaration' | 'pack'>,
  territory: Pick<Territory, 'postcodePrefixes' | 'regions'>,
): boolean => {
  const { address } = run.declaration.consignee;
  if (address.country !== run.pack.country) return false;
  const postcode = address.postcode.replace(/\s/g, '');
  return (
    territory.postcodePrefixes.some((prefix) => postcode.startsWith(prefix)) ||
    (address.region !== undefined && (territory.regions ?? []).includes(address.region))
  );
};

const assessFees = (run: Run, regimeId: string | undefined): { fees: FeeLine[]; total: Decimal } => {
  const fees: FeeLine[] = [];
  let total = ZERO;
  let goods: Line[] | undefined;
  for (const fee of run.rules.fees) {
    const value = fee.source.valueBasis === 'CUSTOMS_VALUE' ? run.customsValue : run.thresholdValue;
    if (fee.maxValue !== undefined && value.greaterThan(fee.maxValue)) continue;
    if (fee.minValue !== undefined && !value.greaterThan(fee.minValue)) continue;
    if (!holds(run, fee.when)) continue;
    if (regimeId !== undefined && fee.source.exceptRegimes?.includes(regimeId)) continue;
    if (fee.source.exceptTerritories?.some((territory) => consigneeIn(run, territory))) continue;
    goods ??= run.lines.filter(isGoodsLine);
    const count =
      fee.source.per === 'CONSIGNMENT'
        ? 1
        : fee.source.per === 'ITEM'
          ? goods.length
          : new Set(goods.map((line) => line.hs6)).size;
    if (count === 0) continue;
    const ad = fee.adValorem;
    const share = ad ? run.customsValue.times(ad.rate) : undefined;
    const amount =
      ad && share
        ? share.lessThan(ad.minimum)
          ? ad.minimum
          : share.greaterThan(ad.maximum)
            ? ad.maximum
            : run.rules.rounding.toMinorUnit(share)
        : fee.amount.times(count);
    fees.push({
      code: fee.source.code,
      amount: written(run.rules, amount),
      legalBasis: fee.source.legalBasis,
    });
    total = total.plus(amount);
  }
  return { fees, total };
};

export const assess = (declaration: Declaration, context: AssessmentContext): AssessmentOutcome => {
  const { pack, reference } = context;
  const importDate = declaration.importDate ?? context.today;
  const rules = rulesOn(pack, importDate);

  // Values in the stack currency: each declared amount converted at the rate in force, half-up to the minor unit.
  let fxRate: Decimal | undefined;
  const exchangeRates: Assessment['exchangeRates'] = [];
  if (declaration.currency !== pack.currency) {
    const fx = exchangeRateOn(reference.exchangeRates, declaration.currency, importDate);
    if (!fx) throw new MissingReferenceDataError([{ kind: 'EXCHANGE_RATE', key: declaration.currency }]);
    fxRate = amountOf(fx.rate);
    exchangeRates.push({ currency: fx.currency, rate: fx.rate, validFrom: fx.validFrom });
  }

  let consignmentMask = 0;
  let intrinsicUnits = 0n;
  const lines: Line[] = declaration.items.map((item, index) => {
    const mask = goodsMask(item.hsCode);
    consignmentMask |= mask;
    const units = convertToUnits(rules, fxRate, item.value);
    intrinsicUnits += units;
    return {
      index,
      item,
      hs6: item.hsCode.slice(0, 6),
      mask,
      intrinsicUnits: units,
      // Set below, once it is known whether transport and insurance are spread into it.
      customsValue: ZERO,
      dutyMode: 'TARIFF',
      taxExempt: false,
      duties: [],
    };
  });
  const intrinsicValue = fromMinorUnits(intrinsicUnits, rules.digits);
  const cif = pack.valuationBasis === 'CIF';
  const transport = convert(rules, fxRate, declaration.transportCost);
  const insurance = convert(rules, fxRate, declaration.insuranceCost);
  const transportInsurance = insurance.isZero() ? transport : transport.plus(insurance);
  const customsValue = cif ? intrinsicValue.plus(transportInsurance) : intrinsicValue;
  let extras: readonly Decimal[] | undefined;
  const spread = cif && !transportInsurance.isZero();
  const [first] = lines;
  if (spread && lines.length === 1 && first) first.customsValue = customsValue;
  else if (spread && intrinsicUnits > 0n) {
    // CIF: transport and insurance spread over the lines' customs values by value. Spreading the whole
    // customs value by intrinsic value gives each line its value plus its share of transport and
    // insurance in one step: the value is whole minor units, so it moves the floor by exactly itself.
    sharesByValue({ lines, rules }, customsValue).forEach((value, index) => {
      const line = lines[index];
      if (line) line.customsValue = value;
    });
  } else {
    for (const line of lines) line.customsValue = intrinsicOf(rules, line);
    if (spread) {
      // No value to spread by: equal shares.
      const shares = sharesByValue({ lines, rules }, transportInsurance);
      lines.forEach((line, index) => {
        line.customsValue = line.customsValue.plus(shares[index] ?? ZERO);
      });
      extras = shares;
    }
  }

  // The tax registration (IOSS and others) as the registry knows it on the date.
  const registration = declaration.taxRegistration
    ? registrationOn(
        reference.taxRegistrations,
        declaration.taxRegistration.number,
        declaration.taxRegistration.scheme,
        importDate,
      )
    : undefined;

  const run: Run = {
    declaration,
    pack,
    rules,
    importDate,
    exchangeRates,
    notes: new Set<string>(),
    lines,
    consignmentMask,
    intrinsicValue,
    transportInsurance,
    customsValue,
    thresholdValue: rules.thresholdBasis === 'CUSTOMS_VALUE' ? customsValue : intrinsicValue,
    extras,
    payer: payerOf(declaration, registration),
    declarant: context.declarant ?? 'PLATFORM',
    reference,
    applied: new Set<string>(),
  };

  const regime: CompiledRegime | undefined = rules.regimes.find(
    (candidate) =>
      (candidate.upTo === undefined || run.thresholdValue.lessThanOrEqualTo(candidate.upTo)) &&
      holds(run, candidate.when),
  );

  if (!rules.destinations.has(declaration.destinationCountry)) {
    return reject(
      run,
      'DESTINATION_NOT_SERVED',
      `The ${pack.country} stack does not clear goods for consumption in ${declaration.destinationCountry}`,
    );
  }
  if (!regime && rules.unmatched)
    return reject(run, rules.unmatched.reject.code, rules.unmatched.reject.reason);

  // Per-person annual allowance (CN cross-border retail import).
  let annualUsage: AnnualUsage | undefined;
  const allowance = rules.annualAllowance;
  if (allowance && regime && allowance.source.regimes.includes(regime.id)) {
    const taxId = declaration.consignee.taxId;
    if (!taxId)
      return reject(run, allowance.source.identityRequired.code, allowance.source.identityRequired.reason);
    const year = Number(importDate.slice(0, 4));
    const total = reference.annualTotal;
    if (!total || total.taxId !== taxId || total.year !== year) {
      throw new MissingReferenceDataError([{ kind: 'ANNUAL_TOTAL', key: `${taxId}/${year}` }]);
    }
    // The allowance counts the same value the per-transaction limit is tested on.
    if (new ExactDecimal(total.amount).plus(run.thresholdValue).greaterThan(allowance.amount)) {
      return reject(run, allowance.source.exceeded.code, allowance.source.exceeded.reason);
    }
    annualUsage = { taxId, year, amount: written(rules, run.thresholdValue) };
  }

  // A consignee in a part of the country outside its VAT area pays no import VAT there (EU: VAT Directive
  // Art. 6), nor duty where that part is also outside the customs territory.
  const { address } = declaration.consignee;
  const territory =
    address.country === pack.country
      ? rules.outsideVatTerritory.find((candidate) => consigneeIn(run, candidate))
      : undefined;
  let duty: DutyTreatment = regime?.source.duty ?? { kind: 'TARIFF' as const };
  let tax: TaxTreatment = regime?.source.tax ?? { kind: 'IMPORT' as const };
  if (territory) {
    tax = { kind: 'EXEMPT', note: 'OUTSIDE_VAT_TERRITORY' };
    run.outsideVatTerritory = true;
    if (!territory.customsTerritory) duty = { kind: 'EXEMPT', note: 'OUTSIDE_CUSTOMS_TERRITORY' };
  }
  for (const note of regime?.source.notes ?? []) run.notes.add(note);
  settleLineModes(run, regime, duty, tax);
  const duties = assessDuties(run, reference, regime, duty);
  const taxes = assessTaxes(run, regime, tax, registration, duties.total);
  const fees = assessFees(run, regime?.id);

  return {
    assessment: result(run, {
      lowValue: regime?.source.lowValue ?? false,
      declarationType: declarationTypeOf(run, regime?.id),
      duties: duties.duties,
      taxes: taxes.lines,
      fees: fees.fees,
      totals: { duty: duties.total, tax: taxes.total, fees: fees.total, checkout: taxes.checkout },
    }),
    ...(annualUsage ? { annualUsage } : {}),
  };
};

/**
 * What an assessed consignment counted toward its consignee's annual allowance (CN), read back from the
 * assessment: nothing when the pack keeps no allowance or the consignment was refused from the channel.
 */
export const annualUsageOf = (
  declaration: Pick<Declaration, 'consignee'>,
  assessment: Pick<Assessment, 'importDate' | 'notes' | 'customsValue' | 'intrinsicValue'>,
  pack: CountryPack,
): AnnualUsage | undefined => {
  const rules = rulesOn(pack, assessment.importDate);
  const allowance = rules.annualAllowance?.source;
  const taxId = declaration.consignee.taxId;
  if (!allowance || !taxId) return undefined;
  const refusals = [
    allowance.identityRequired.code,
    allowance.exceeded.code,
    rules.unmatched?.reject.code,
    'DESTINATION_NOT_SERVED',
  ];
  if (assessment.notes.some((note) => refusals.includes(note))) return undefined;
  return {
    taxId,
    year: Number(assessment.importDate.slice(0, 4)),
    amount: rules.thresholdBasis === 'CUSTOMS_VALUE' ? assessment.customsValue : assessment.intrinsicValue,
  };
};

/** Builds the context for a stack's pack. */
export const assessmentContext = (
  pack: CountryPack,
  today: IsoDate,
  reference: ReferenceData = {},
  declarant?: AssessmentContext['declarant'],
): AssessmentContext => ({ pack, today, reference, ...(declarant ? { declarant } : {}) });
