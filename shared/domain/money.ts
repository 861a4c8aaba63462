// Exact money arithmetic. Amounts travel as decimal strings and are computed with decimal.js;
// JavaScript numbers never hold money.
import currencyCodes from 'currency-codes';
import { Decimal as DecimalJs } from 'decimal.js';

export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

/**
 * `Decimal` with 100 significant digits, for computations that must round only where a rule says so (the
 * duty engine). A product of two values the contract admits (DECIMAL_PATTERN: up to 18 integer digits and
 * 12 decimals) can have 60 digits, which 40 would round before the rounding to a minor unit; with 100,
 * sums and products of amounts, rates and quantities stay exact, and a quotient is exact far beyond the
 * digit that decides its rounding. Precision costs nothing in addition and multiplication (computed in
 * full, then rounded to it); only division works to it.
 */
export const ExactDecimal = Decimal.clone({ precision: 100 });

/** A non-negative decimal written with digits and an optional fraction: "12", "12.5", "0.05". */
export const DECIMAL_PATTERN = /^(0|[1-9]\d{0,17})(\.\d{1,12})?$/;

export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'UP';

const decimalJsMode: Record<RoundingMode, DecimalJs.Rounding> = {
  HALF_UP: DecimalJs.ROUND_HALF_UP,
  HALF_EVEN: DecimalJs.ROUND_HALF_EVEN,
  DOWN: DecimalJs.ROUND_DOWN,
  UP: DecimalJs.ROUND_UP,
};

export const isCurrencyCode = (code: string): boolean =>
  /^[A-Z]{3}$/.test(code) && currencyCodes.code(code) !== undefined;

/** Digits after the decimal point of a currency's minor unit (EUR 2, JPY 0). */
export const minorUnitDigits = (currency: string): number => {
  const entry = currencyCodes.code(currency);
  if (!entry) throw new RangeError(`Unknown currency ${currency}`);
  return entry.digits;
};

export const decimalPlaces = (amount: string): number => amount.split('.')[1]?.length ?? 0;

/** Rounds to the currency's minor unit with the given rule and writes it with exactly that many decimals. */
export const roundMoney = (amount: Decimal, currency: string, mode: RoundingMode = 'HALF_UP'): string =>
  amount.toDecimalPlaces(minorUnitDigits(currency), decimalJsMode[mode]).toFixed(minorUnitDigits(currency));

export const roundTo = (amount: Decimal, digits: number, mode: RoundingMode = 'HALF_UP'): Decimal =>
  amount.toDecimalPlaces(digits, decimalJsMode[mode]);

/** Rounds to a multiple of `step` (JPY 1,000, CHF 0.05) with the given rule. */
export const roundToStep = (amount: Decimal, step: Decimal, mode: RoundingMode = 'HALF_UP'): Decimal =>
  amount.dividedBy(step).toDecimalPlaces(0, decimalJsMode[mode]).times(step);

export const sumMoney = (amounts: readonly (string | Decimal)[]): Decimal =>
  amounts.reduce<Decimal>((total, amount) => total.plus(amount), new Decimal(0));

/**
 * Writes an amount with exactly `digits` decimals, rounding by `mode` only when it has more. Fast for the
 * usual case, an amount already in minor units: decimal.js writes it as is and the decimals are padded.
 */
export const toFixedDigits = (amount: Decimal, digits: number, mode: RoundingMode = 'HALF_UP'): string => {
  const places = amount.decimalPlaces();
  if (places > digits) return amount.toFixed(digits, decimalJsMode[mode]);
  const text = amount.toFixed();
  if (places === digits) return text;
  return `${text}${places === 0 ? '.' : ''}${'0'.repeat(digits - places)}`;
};

/**
 * An amount with at most `digits` decimals as a whole number of its minor units (12.30 with 2 digits is
 * 1230n). Apportioning whole units is integer work, and bigint does it exactly at any size.
 */
export const toMinorUnits = (amount: Decimal, digits: number): bigint => {
  const places = amount.decimalPlaces();
  if (places > digits) throw new RangeError(`${amount.toFixed()} has more than ${digits} decimals`);
  // toFixed() writes the digits as they are; with a digit count it rounds first, at ten times the cost.
  const text = amount.toFixed();
  return scaledUnits(places === 0 ? text : text.replace('.', ''), places, digits);
};

/** Digits written without their decimal point (`places` of them decimals) as units of 10^-digits. */
const scaledUnits = (whole: string, places: number, digits: number): bigint =>
  BigInt(places === digits ? whole : `${whole}${'0'.repeat(digits - places)}`);

/**
 * A decimal string (DECIMAL_PATTERN) with at most `digits` decimals as whole minor units ("12.3" with 2
 * digits is 1230n); undefined when it has more decimals, which only rounding can bring to minor units.
 */
export const parseMinorUnits = (amount: string, digits: number): bigint | undefined => {
  if (!DECIMAL_PATTERN.test(amount)) return undefined;
  const point = amount.indexOf('.');
  const places = point < 0 ? 0 : amount.length - point - 1;
  if (places > digits) return undefined;
  return scaledUnits(
    point < 0 ? amount : `${amount.slice(0, point)}${amount.slice(point + 1)}`,
    places,
    digits,
  );
};

const MAX_SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER);
const MINOR_UNITS = Array.from({ length: 5 }, (_, digits) => new ExactDecimal(10).pow(-digits));

/** A whole number of minor units back as an amount: 1230n with 2 digits is 12.3. */
export const fromMinorUnits = (units: bigint, digits: number): Decimal => {
  const unit = MINOR_UNITS[digits] ?? new ExactDecimal(10).pow(-digits);
  // A safe integer passes through a number exactly, and decimal.js takes one far faster than text.
  const whole =
    units <= MAX_SAFE_UNITS && units >= -MAX_SAFE_UNITS
      ? new ExactDecimal(Number(units))
      : new ExactDecimal(units.toString());
  return digits === 0 ? whole : whole.times(unit);
};

/**
 * Splits `total` whole units over `weights` in proportion by the largest remainder method: each part is
 * floor(total x weight / sum of weights), and the units this leaves go one each to the largest
 * remainders, the earlier part first among equals. The parts add up to `total` exactly and are never
 * negative. Equal weights when they are all zero.
 */
export const apportion = (total: bigint, weights: readonly bigint[]): bigint[] => {
  if (total < 0n) throw new RangeError('Cannot apportion a negative total');
  let weightSum = 0n;
  for (const weight of weights) {
    if (weight < 0n) throw new RangeError('Cannot apportion by a negative weight');
    weightSum += weight;
  }
  const equal = weightSum === 0n;
  const divisor = equal ? BigInt(weights.length) : weightSum;
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let left = total;
  for (const weight of weights) {
    const numerator = equal ? total : total * weight;
    const part = numerator / divisor;
    parts.push(part);
    remainders.push(numerator - part * divisor);
    left -= part;
  }
  // Fewer units are left than there are parts.
  if (left > 0n) {
    const order = parts.map((_, index) => index);
    order.sort((a, b) => {
      const x = remainders[a] as bigint;
      const y = remainders[b] as bigint;
      return x === y ? a - b : x > y ? -1 : 1;
    });
    for (const index of order.slice(0, Number(left))) parts[index] = (parts[index] as bigint) + 1n;
  }
  return parts;
};

const ZERO = new Decimal(0);

/** The decimals to split an amount in: the currency's minor unit (2 when unknown), finer when the amounts are. */
export const unitDigits = (currency: string, ...amounts: (string | Decimal)[]): number => {
  let digits = 0;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    digits = 2;
  }
  for (const amount of amounts) digits = Math.max(digits, decimalPlaces(new Decimal(amount).toFixed()));
  return digits;
};

/**
 * Splits `total` over `weights` in proportion, in steps of 10^-digits, by largest remainder (`apportion`):
 * the parts always add up to `total` exactly. With no positive weight everything goes to the first part.
 */
export const allocate = (total: Decimal, weights: readonly Decimal[], digits: number): Decimal[] => {
  if (weights.length === 0) return [];
  // A negative total splits as its mirror image: apportioning counts whole units, never debts.
  if (total.isNegative()) return allocate(total.negated(), weights, digits).map((part) => part.negated());
  const counted = weights.map((weight) => (weight.greaterThan(0) ? weight : ZERO));
  if (counted.every((weight) => weight.isZero()))
    return weights.map((_, index) => (index === 0 ? total : ZERO));
  // Weights as whole numbers at their finest decimal: proportions are unchanged.
  const weightDigits = Math.max(...counted.map((weight) => weight.decimalPlaces()));
  const units = apportion(
    toMinorUnits(total.toDecimalPlaces(digits, Decimal.ROUND_DOWN), digits),
    counted.map((weight) => toMinorUnits(weight, weightDigits)),
  );
  const parts = units.map((part) => fromMinorUnits(part, digits));
  // What lies below the unit (only when `total` is finer than the unit) stays with the first part.
  const rest = total.minus(parts.reduce<Decimal>((acc, value) => acc.plus(value), ZERO));
  if (!rest.isZero()) parts[0] = (parts[0] ?? ZERO).plus(rest);
  return parts;
};

/** Writes an amount with exactly the currency's minor-unit decimals, without rounding away value. */
export const formatMoney = (amount: string | Decimal, currency: string): string =>
  new Decimal(amount).toFixed(minorUnitDigits(currency));
