// The duty engine as it was before its costs were cut (commit a4b04c6), kept only to check that the faster
// engine gives the same outcome for every declaration: spreading transport and insurance line by line with
// its own shares, ranking remainders as Decimals, finding tariff rates without an index.
import type { BaseComponent } from '../../../shared/countries/types.js';
import type { Assessment, DutyLine, FeeLine, Payer, TaxLine } from '../../../shared/domain/assessment.js';
import type { Declaration, DeclarationItem } from '../../../shared/domain/declaration.js';
import type {
  AnnualUsage,
  AssessmentContext,
  AssessmentOutcome,
} from '../../../shared/domain/duty/assess.js';
import { type MissingReference, MissingReferenceDataError } from '../../../shared/domain/duty/errors.js';
import {
  exchangeRateOn,
  registrationOn,
  surchargesOn,
  type TariffRate,
} from '../../../shared/domain/duty/reference-data.js';
import {
  amountOf,
  type CompiledCondition,
  type CompiledRegime,
  type CompiledTax,
  goodsMask,
  type Rate,
  rateOf,
  rulesOn,
} from '../../../shared/domain/duty/rules.js';
import { type Decimal, ExactDecimal, toFixedDigits } from '../../../shared/domain/money.js';

interface Line {
  item: DeclarationItem;
  hs6: string;
  mask: number;
  intrinsic: Decimal;
  /** Transport and insurance allocated to the line. */
  extra: Decimal;
  customsValue: Decimal;
  dutyMode: 'NONE' | 'TARIFF' | 'FLAT_HS6' | 'FLAT_RATE';
  taxExempt: boolean;
  /** Duty amounts attributed to the line, for tax bases. */
  duties: Decimal[];
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

const ZERO = new ExactDecimal(0);
const ONE = new ExactDecimal(1);

const isGoodsLine = (line: Line) => line.dutyMode !== 'NONE' || !line.taxExempt;

const sum = (values: readonly Decimal[]): Decimal =>
  values.length === 0 ? ZERO : values.reduce((total, value) => total.plus(value));

/**
 * Splits `total` (a multiple of the minor `unit`, `scale` of which make one) over `weights` (adding up to
 * `weightSum`) in whole minor units by the largest remainder, so the parts are never negative and add up
 * exactly. Equal weights when they are all zero.
 */
const allocate = (
  total: Decimal,
  weights: readonly Decimal[],
  weightSum: Decimal,
  { unit, scale }: { unit: Decimal; scale: Decimal },
): Decimal[] => {
  if (total.isZero() || weights.length === 0) return weights.map(() => ZERO);
  if (weights.length === 1) return [total];
  const units = total.times(scale);
  const equal = weightSum.isZero();
  // Weights counted in minor units too, so the divisor is an integer (decimal.js divides by one fastest):
  // a line's share is units x weight x scale / (weightSum x scale), in whole units and a remainder.
  const divisor = equal ? new ExactDecimal(weights.length) : weightSum.times(scale);
  const unitsTimesScale = units.times(scale);
  const shares = weights.map((weight, index) => {
    const numerator = equal ? units : unitsTimesScale.times(weight);
    const whole = numerator.dividedToIntegerBy(divisor);
    return { index, whole, remainder: numerator.minus(whole.times(divisor)) };
  });
  // One more unit to each of the largest remainders, as many as are left: fewer than the lines.
  const left = units.minus(sum(shares.map((share) => share.whole))).toNumber();
  const bonus = new Set<number>();
  if (left > 0) {
    const order = [...shares].sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
    for (const { index } of order.slice(0, left)) bonus.add(index);
  }
  return shares.map(({ index, whole }) => (bonus.has(index) ? whole.plus(ONE) : whole).times(unit));
};

/** The tariff rate in force for an HS code, found afresh each time: the longest prefix with a record valid on the date. */
const tariffRateOn = (
  rates: readonly TariffRate[] | undefined,
  hsCode: string,
  date: string,
): TariffRate | undefined => {
  for (let length = hsCode.length; length >= 2; length -= 1) {
    let chosen: TariffRate | undefined;
    for (const rate of rates ?? []) {
      const valid = rate.validFrom <= date && (rate.validTo === undefined || date <= rate.validTo);
      if (rate.hsCode === hsCode.slice(0, length) && valid && (!chosen || rate.validFrom > chosen.validFrom))
        chosen = rate;
    }
    if (chosen) return chosen;
  }
  return undefined;
};

export const referenceAssess = (declaration: Declaration, context: AssessmentContext): AssessmentOutcome => {
  const { pack, reference } = context;
  const importDate = declaration.importDate ?? context.today;
  const rules = rulesOn(pack, importDate);
  const { digits, unit, rounding } = rules;
  const { toAmountStep, toBaseStep } = rounding;
  // Bases are sums of amounts already in minor units: only a coarser base step (JP) rounds them.
  const roundBase = (base: Decimal) => (rounding.baseStep ? toBaseStep(base) : base);
  const notes = new Set<string>();
  // Amounts written are multiples of the minor unit; a pack step finer than it leaves decimals, cut as written.
  const format = (amount: Decimal) => toFixedDigits(amount, digits, 'DOWN');

  // Values in the stack currency: each declared amount converted at the rate in force, half-up to the minor unit.
  let fxRate: Decimal | undefined;
  const exchangeRates: Assessment['exchangeRates'] = [];
  if (declaration.currency !== pack.currency) {
    const fx = exchangeRateOn(reference.exchangeRates, declaration.currency, importDate);
    if (!fx) throw new MissingReferenceDataError([{ kind: 'EXCHANGE_RATE', key: declaration.currency }]);
    fxRate = amountOf(fx.rate);
    exchangeRates.push({ currency: fx.currency, rate: fx.rate, validFrom: fx.validFrom });
  }
  const convert = (amount: string | undefined): Decimal => {
    if (amount === undefined) return ZERO;
    const value = new ExactDecimal(amount);
    return rounding.toMinorUnit(fxRate === undefined ? value : value.times(fxRate));
  };

  let consignmentMask = 0;
  const lines: Line[] = declaration.items.map((item) => {
    const mask = goodsMask(item.hsCode);
    consignmentMask |= mask;
    const intrinsic = convert(item.value);
    return {
      item,
      hs6: item.hsCode.slice(0, 6),
      mask,
      intrinsic,
      extra: ZERO,
      customsValue: intrinsic,
      dutyMode: 'TARIFF',
      taxExempt: false,
      duties: [],
    };
  });
  const intrinsicValue = sum(lines.map((line) => line.intrinsic));
  const cif = pack.valuationBasis === 'CIF';
  const transportInsurance = convert(declaration.transportCost).plus(convert(declaration.insuranceCost));
  if (!transportInsurance.isZero()) {
    const shares = allocate(
      transportInsurance,
      lines.map((line) => line.intrinsic),
      intrinsicValue,
      { unit, scale: rules.minorUnitsPerUnit },
    );
    lines.forEach((line, index) => {
      line.extra = shares[index] ?? ZERO;
      if (cif) line.customsValue = line.intrinsic.plus(line.extra);
    });
  }
  const customsValue = cif ? intrinsicValue.plus(transportInsurance) : intrinsicValue;
  const thresholdValue = rules.thresholdBasis === 'CUSTOMS_VALUE' ? customsValue : intrinsicValue;

  const holds = (condition: CompiledCondition | undefined): boolean => {
    if (!condition) return true;
    const when = condition.source;
    if (when.channels && !when.channels.includes(declaration.channel)) return false;
    if (when.transactionTypes && !when.transactionTypes.includes(declaration.transactionType)) return false;
    if (when.dispatchCountries && !when.dispatchCountries.includes(declaration.dispatchCountry)) return false;
    if (condition.noGoodsMask & consignmentMask) return false;
    const category = when.allItemsCategory;
    if (category && !declaration.items.every((item) => (item.category ?? 'SALE') === category)) return false;
    const noOrigins = when.noOrigins;
    if (noOrigins && declaration.items.some((item) => noOrigins.includes(item.originCountry))) return false;
    if (when.singleItem && !(declaration.items.length === 1 && declaration.items[0]?.quantity === 1))
      return false;
    return true;
  };

  const regime: CompiledRegime | undefined = rules.regimes.find(
    (candidate) =>
      (candidate.upTo === undefined || thresholdValue.lessThanOrEqualTo(candidate.upTo)) &&
      holds(candidate.when),
  );

  const declarationType = (regimeId: string | undefined): string => {
    for (const rule of rules.declarationTypes) {
      const source = rule.source;
      if (source.regimes && !(regimeId && source.regimes.includes(regimeId))) continue;
      if (rule.upTo !== undefined && thresholdValue.greaterThan(rule.upTo)) continue;
      if (source.channels && !source.channels.includes(declaration.channel)) continue;
      if (rule.noGoodsMask & consignmentMask) continue;
      return source.type;
    }
    return rules.declarationTypes[rules.declarationTypes.length - 1]?.source.type ?? 'UNKNOWN';
  };

  // The tax registration (IOSS and others) as the registry knows it on the date.
  const registration = declaration.taxRegistration
    ? registrationOn(
        reference.taxRegistrations,
        declaration.taxRegistration.number,
        declaration.taxRegistration.scheme,
        importDate,
      )
    : undefined;

  const payer = ((): Payer => {
    switch (declaration.collectionModel) {
      case 'SELLER_AT_CHECKOUT': {
        // A registration held by someone other than the seller is the marketplace's (deemed supplier).
        const holder = registration?.record?.holder;
        const { id, name } = declaration.seller;
        return holder !== undefined && holder !== id && holder !== name ? 'PLATFORM' : 'SELLER';
      }
      case 'DEFERRED_ACCOUNT':
        return 'PLATFORM';
      case 'INTERMEDIARY_ON_DELIVERY':
        return 'INTERMEDIARY';
      case 'CONSUMER_AT_IMPORT':
        return 'CONSUMER';
    }
  })();

  const result = (
    fields: Pick<Assessment, 'lowValue' | 'declarationType' | 'duties' | 'taxes' | 'fees'> & {
      totals: { duty: Decimal; tax: Decimal; fees: Decimal; checkout: Decimal };
    },
  ): Assessment => {
    const { duty, tax, fees, checkout } = fields.totals;
    return {
      ruleSet: [...rules.ruleSet],
      importDate,
      currency: pack.currency,
      exchangeRates,
      intrinsicValue: format(intrinsicValue),
      customsValue: format(customsValue),
      lowValue: fields.lowValue,
      declarationType: fields.declarationType,
      duties: fields.duties,
      taxes: fields.taxes,
      fees: fields.fees,
      totals: {
        duty: format(duty),
        tax: format(tax),
        fees: format(fees),
        collectedAtCheckout: format(checkout),
        dueAtImport: format(duty.plus(tax).minus(checkout).plus(fees)),
      },
      payer,
      notes: [...notes],
    };
  };

  const reject = (code: string, reason: string): AssessmentOutcome => {
    notes.add(code);
    return {
      assessment: result({
        lowValue: false,
        declarationType: rules.unmatched?.reject.declarationType ?? declarationType(undefined),
        duties: [],
        taxes: [],
        fees: [],
        totals: { duty: ZERO, tax: ZERO, fees: ZERO, checkout: ZERO },
      }),
      rejection: { code, reason },
    };
  };

  if (!rules.destinations.has(declaration.destinationCountry)) {
    return reject(
      'DESTINATION_NOT_SERVED',
      `The ${pack.country} stack does not clear goods for consumption in ${declaration.destinationCountry}`,
    );
  }
  if (!regime && rules.unmatched) return reject(rules.unmatched.reject.code, rules.unmatched.reject.reason);

  // Per-person annual allowance (CN cross-border retail import).
  let annualUsage: AnnualUsage | undefined;
  const allowance = rules.annualAllowance;
  if (allowance && regime && allowance.source.regimes.includes(regime.id)) {
    const taxId = declaration.consignee.taxId;
    if (!taxId)
      return reject(allowance.source.identityRequired.code, allowance.source.identityRequired.reason);
    const year = Number(importDate.slice(0, 4));
    const total = reference.annualTotal;
    if (!total || total.taxId !== taxId || total.year !== year) {
      throw new MissingReferenceDataError([{ kind: 'ANNUAL_TOTAL', key: `${taxId}/${year}` }]);
    }
    if (new ExactDecimal(total.amount).plus(intrinsicValue).greaterThan(allowance.amount)) {
      return reject(allowance.source.exceeded.code, allowance.source.exceeded.reason);
    }
    annualUsage = { taxId, year, amount: format(intrinsicValue) };
  }

  // Which lines pay duty and tax, and how.
  const duty = regime?.source.duty ?? { kind: 'TARIFF' as const };
  const tax = regime?.source.tax ?? { kind: 'IMPORT' as const };
  for (const note of regime?.source.notes ?? []) notes.add(note);
  for (const line of lines) {
    const category = line.item.category ?? 'SALE';
    const relief = rules.lineReliefs.find((candidate) => candidate.categories.includes(category));
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

  // Duties: drafts per goods line (tariff, specific, surcharges, flat rate), flat amounts per subheading.
  const missing: MissingReference[] = [];
  const drafts: DutyDraft[] = [];
  const surcharges = reference.originSurcharges ?? rules.originSurcharges;
  const flatGroups = new Map<string, Line[]>();
  for (const line of lines) {
    const { item } = line;
    if (line.dutyMode === 'FLAT_HS6') {
      const group = flatGroups.get(line.hs6);
      if (group) group.push(line);
      else flatGroups.set(line.hs6, [line]);
    } else if (line.dutyMode === 'FLAT_RATE' && regime?.flatRate !== undefined && duty.kind === 'FLAT_RATE') {
      const base = roundBase(line.customsValue);
      drafts.push({
        code: duty.code,
        hsCode: item.hsCode,
        base,
        rate: regime.flatRate,
        exact: base.times(regime.flatRate.value),
        legalBasis: duty.legalBasis,
        line,
      });
    } else if (line.dutyMode === 'TARIFF') {
      const tariff = tariffRateOn(reference.tariffRates, item.hsCode, importDate);
      if (!tariff && !rules.generalDutyRate) {
        missing.push({ kind: 'TARIFF_RATE', key: item.hsCode });
        continue;
      }
      const base = roundBase(line.customsValue);
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
          notes.add('ORIGIN_SURCHARGE');
        }
      }
    }
  }
  if (missing.length > 0) throw new MissingReferenceDataError(missing);

  const duties: DutyLine[] = [];
  let dutyTotal = ZERO;
  const pushDuty = (
    draft: { code: string; hsCode?: string; base: Decimal; rate?: Rate; legalBasis: string },
    amount: Decimal,
  ) => {
    duties.push({
      code: draft.code,
      ...(draft.hsCode ? { hsCode: draft.hsCode } : {}),
      base: format(draft.base),
      ...(draft.rate ? { rate: draft.rate.text } : {}),
      amount: format(amount),
      legalBasis: draft.legalBasis,
    });
    dutyTotal = dutyTotal.plus(amount);
  };
  if (duty.kind === 'FLAT_PER_HS6' && regime?.flatAmount !== undefined) {
    for (const [hs6, group] of flatGroups) {
      const base = sum(group.map((line) => line.customsValue));
      group[0]?.duties.push(regime.flatAmount);
      pushDuty({ code: duty.code, hsCode: hs6, base, legalBasis: duty.legalBasis }, regime.flatAmount);
    }
  }
  if (rounding.per === 'LINE') {
    for (const draft of drafts) {
      const amount = toAmountStep(draft.exact);
      draft.line.duties.push(amount);
      pushDuty(draft, amount);
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
    for (const draft of merged.values()) pushDuty(draft, toAmountStep(draft.exact));
  }

  // Taxes.
  const taxes: TaxLine[] = [];
  let taxTotal = ZERO;
  let checkoutTotal = ZERO;
  const taxed = lines.filter((line) => !line.taxExempt);
  const everyLineTaxed = taxed.length === lines.length;
  let consumptionTax = ZERO;
  const baseOf = (components: ReadonlySet<BaseComponent>, of: readonly Line[], whole: boolean): Decimal => {
    const withValue = components.has('CUSTOMS_VALUE');
    const withIntrinsic = !withValue && components.has('INTRINSIC');
    const withExtra = components.has('TRANSPORT_INSURANCE') && !(withValue && cif);
    const withDuty = components.has('DUTY');
    let base = ZERO;
    if (whole) {
      if (withValue) base = base.plus(customsValue);
      if (withIntrinsic) base = base.plus(intrinsicValue);
      if (withExtra) base = base.plus(transportInsurance);
      if (withDuty) base = base.plus(dutyTotal);
    } else {
      for (const line of of) {
        if (withValue) base = base.plus(line.customsValue);
        if (withIntrinsic) base = base.plus(line.intrinsic);
        if (withExtra) base = base.plus(line.extra);
        if (withDuty) base = base.plus(sum(line.duties));
      }
    }
    if (components.has('CONSUMPTION_TAX')) base = base.plus(consumptionTax);
    return base;
  };
  const pushTax = (
    code: TaxLine['code'],
    base: Decimal,
    rateText: string,
    amount: Decimal,
    checkout: boolean,
  ) => {
    taxes.push({
      code,
      base: format(base),
      rate: rateText,
      amount: format(amount),
      collectedAtCheckout: checkout,
    });
    taxTotal = taxTotal.plus(amount);
    if (checkout) checkoutTotal = checkoutTotal.plus(amount);
  };
  // The rate charged: scaled by the regime's tax factor (CN), precomputed per rate.
  const factored = regime?.factoredRates;
  const effective = (rate: Rate): Rate => factored?.get(rate) ?? rate;
  // A composite base (CN consumption tax) is the plain base grossed up: plain / (1 - rate).
  const taxBase = (plain: Decimal, rate: Decimal, composite: boolean | undefined) =>
    composite ? toBaseStep(plain.dividedBy(ONE.minus(rate))) : roundBase(plain);

  const importTax = (rule: CompiledTax) => {
    if (taxed.length === 0) return;
    const composite = rule.source.composite;
    if (rule.ratesByHs.length > 0) {
      const groups = new Map<string, { rate: Rate; lines: Line[] }>();
      for (const line of taxed) {
        const entry = rule.ratesByHs.find((candidate) => line.item.hsCode.startsWith(candidate.hsPrefix));
        if (!entry) continue;
        const group = groups.get(entry.rate.text);
        if (group) group.lines.push(line);
        else groups.set(entry.rate.text, { rate: entry.rate, lines: [line] });
      }
      for (const { rate, lines: group } of groups.values()) {
        const base = taxBase(baseOf(rule.components, group, false), rate.value, composite);
        if (rule.source.code === 'CONSUMPTION_TAX')
          consumptionTax = consumptionTax.plus(toAmountStep(base.times(rate.value)));
        const applied = effective(rate);
        pushTax(rule.source.code, base, applied.text, toAmountStep(base.times(applied.value)), false);
      }
      return;
    }
    const rate = rule.rate;
    if (!rate) return;
    const base = taxBase(baseOf(rule.components, taxed, everyLineTaxed), rate.value, composite);
    const applied = effective(rate);
    let amount = toAmountStep(base.times(applied.value));
    if (rule.source.code === 'CONSUMPTION_TAX')
      consumptionTax = consumptionTax.plus(toAmountStep(base.times(rate.value)));
    const minimum = rules.minimumCollection.find(
      (candidate) => candidate.source.taxCode === rule.source.code,
    );
    if (minimum && !amount.isZero() && amount.lessThan(minimum.below)) {
      amount = ZERO;
      notes.add(minimum.source.note);
    }
    pushTax(rule.source.code, base, applied.text, amount, false);
  };

  if (tax.kind === 'AT_SALE') {
    const transaction = declaration.transactionType;
    if (tax.sales.includes(transaction)) {
      notes.add(tax.note);
      const components = regime?.saleComponents ?? new Set<BaseComponent>(tax.base);
      for (const rule of rules.taxes) {
        if (!rule.rate || taxed.length === 0) continue;
        const base = roundBase(baseOf(components, taxed, everyLineTaxed));
        pushTax(rule.source.code, base, rule.rate.text, toAmountStep(base.times(rule.rate.value)), true);
      }
    } else if (tax.reverseCharge?.includes(transaction)) {
      notes.add('REVERSE_CHARGE');
    } else if (tax.exempt?.includes(transaction)) {
      notes.add('TAX_RELIEF_LOW_VALUE');
    } else {
      for (const rule of rules.taxes) importTax(rule);
    }
  } else {
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
        (checkout.excludeMask & consignmentMask) === 0;
      if (!registration?.valid) notes.add(checkout.source.invalidNote);
      else if (!eligible) notes.add(`${checkout.source.scheme}_NOT_APPLICABLE`);
      else atCheckout = true;
    }
    if (checkout && atCheckout) {
      // Import VAT exempt; VAT of the member state of consumption charged at checkout.
      notes.add(checkout.source.note);
      const rate = rules.memberStateRates?.get(declaration.destinationCountry);
      if (rate && taxed.length > 0) {
        const base = roundBase(baseOf(checkout.components, taxed, everyLineTaxed));
        pushTax(checkout.source.taxCode, base, rate.text, toAmountStep(base.times(rate.value)), true);
      }
    } else {
      const onDelivery = rules.onDelivery;
      if (onDelivery && declaration.collectionModel === 'INTERMEDIARY_ON_DELIVERY' && taxed.length > 0) {
        const eligible =
          regime !== undefined &&
          onDelivery.source.regimes.includes(regime.id) &&
          (onDelivery.excludeMask & consignmentMask) === 0 &&
          declaration.destinationCountry === pack.country;
        notes.add(eligible ? onDelivery.source.note : onDelivery.source.unavailableNote);
      }
      for (const rule of rules.taxes) importTax(rule);
    }
  }

  // Fees.
  const fees: FeeLine[] = [];
  let feeTotal = ZERO;
  for (const fee of rules.fees) {
    if (fee.maxValue !== undefined && thresholdValue.greaterThan(fee.maxValue)) continue;
    if (!holds(fee.when)) continue;
    const goods = lines.filter(isGoodsLine);
    const count =
      fee.source.per === 'CONSIGNMENT'
        ? 1
        : fee.source.per === 'ITEM'
          ? goods.length
          : new Set(goods.map((line) => line.hs6)).size;
    if (count === 0) continue;
    const amount = fee.amount.times(count);
    fees.push({ code: fee.source.code, amount: format(amount), legalBasis: fee.source.legalBasis });
    feeTotal = feeTotal.plus(amount);
  }

  return {
    assessment: result({
      lowValue: regime?.source.lowValue ?? false,
      declarationType: declarationType(regime?.id),
      duties,
      taxes,
      fees,
      totals: { duty: dutyTotal, tax: taxTotal, fees: feeTotal, checkout: checkoutTotal },
    }),
    ...(annualUsage ? { annualUsage } : {}),
  };
};
