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

export const money = (amount: string | number | Decimal): Decimal => new Decimal(amount);

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

/** Writes an amount with exactly the currency's minor-unit decimals, without rounding away value. */
export const formatMoney = (amount: string | Decimal, currency: string): string =>
  new Decimal(amount).toFixed(minorUnitDigits(currency));
