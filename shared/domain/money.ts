// Exact money arithmetic. Amounts travel as decimal strings and are computed with decimal.js;
// JavaScript numbers never hold money.
import currencyCodes from 'currency-codes';
import { Decimal as DecimalJs } from 'decimal.js';

export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

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

export const sumMoney = (amounts: readonly (string | Decimal)[]): Decimal =>
  amounts.reduce<Decimal>((total, amount) => total.plus(amount), new Decimal(0));

/** Writes an amount with exactly the currency's minor-unit decimals, without rounding away value. */
export const formatMoney = (amount: string | Decimal, currency: string): string =>
  new Decimal(amount).toFixed(minorUnitDigits(currency));
