// Exact fixed-point decimals on bigint, for the duty engine's hot path. A value is an integer count of
// 10^-12 units: every amount and rate the engine reads (at most 12 decimals, as the contract's decimal
// strings allow) is held exactly; products and quotients are rounded straight from their exact value, so
// every rounding decides on the exact remainder. It does what decimal.js does for these operations at a
// fraction of the cost; JavaScript numbers never hold money.
import type { RoundingMode } from '../money.js';

export type Fixed = bigint;

const SCALE = 12;
const POW10: readonly bigint[] = Array.from({ length: 2 * SCALE + 1 }, (_, index) => 10n ** BigInt(index));
const pow10 = (exponent: number): bigint => POW10[exponent] ?? 10n ** BigInt(exponent);

export const ONE_UNIT: Fixed = pow10(SCALE);
export const ZERO: Fixed = 0n;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Reads a decimal string ("12.50", "0.091", "3") exactly. */
export const fixed = (text: string): Fixed => {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a decimal number: "${text}"`);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > SCALE) throw new RangeError(`More than ${SCALE} decimals: "${text}"`);
  const value = BigInt(whole + fraction.padEnd(SCALE, '0'));
  return sign ? -value : value;
};

export const fromInteger = (value: number): Fixed => BigInt(value) * ONE_UNIT;

/** The smallest step of a currency with `digits` minor-unit decimals (0.01 for 2). */
export const minorUnit = (digits: number): Fixed => pow10(SCALE - digits);

/** numerator / denominator rounded to an integer by the mode, deciding on the exact remainder. */
const divide = (numerator: bigint, denominator: bigint, mode: RoundingMode): bigint => {
  const quotient = numerator / denominator;
  const remainder = numerator - quotient * denominator;
  if (remainder === 0n || mode === 'DOWN') return quotient;
  const away = numerator < 0n !== denominator < 0n ? -1n : 1n;
  if (mode === 'UP') return quotient + away;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const size = denominator < 0n ? -denominator : denominator;
  if (twice > size) return quotient + away;
  if (twice < size) return quotient;
  return mode === 'HALF_UP' || quotient % 2n !== 0n ? quotient + away : quotient;
};

/** Rounds a value to a multiple of `step` (a minor unit, or JPY 1,000). */
export const roundToStep = (value: Fixed, step: Fixed, mode: RoundingMode): Fixed =>
  divide(value, step, mode) * step;

/** a x b rounded to a multiple of `step`, exactly. */
export const mulToStep = (a: Fixed, b: Fixed, step: Fixed, mode: RoundingMode): Fixed =>
  divide(a * b, step * ONE_UNIT, mode) * step;

/** a / b rounded to a multiple of `step`, exactly. */
export const divToStep = (a: Fixed, b: Fixed, step: Fixed, mode: RoundingMode): Fixed =>
  divide(a * ONE_UNIT, b * step, mode) * step;

/** a x b at full scale; throws when the product needs more than 12 decimals (a rate times a factor). */
export const mul = (a: Fixed, b: Fixed): Fixed => {
  const product = a * b;
  if (product % ONE_UNIT !== 0n) throw new RangeError('A product of rates needs more than 12 decimals');
  return product / ONE_UNIT;
};

export const sum = (values: Iterable<Fixed>): Fixed => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};

/** Writes a value with exactly `digits` decimals; the value must already be a multiple of that unit (digits beyond are cut). */
export const formatFixed = (value: Fixed, digits: number): string => {
  const units = digits === SCALE ? value : value / pow10(SCALE - digits);
  const negative = units < 0n;
  const text = (negative ? -units : units).toString();
  if (digits === 0) return negative ? `-${text}` : text;
  const padded = text.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
};

/** The shortest decimal string of a value ("0.21", "3", "0.091"). */
export const plainFixed = (value: Fixed): string => {
  const text = formatFixed(value, SCALE);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
};

/**
 * Splits `total` (a multiple of `unit`) over `weights` in whole units by the largest remainder, so the
 * parts are never negative and add up exactly. Equal weights when they are all zero.
 */
export const allocate = (total: Fixed, weights: readonly Fixed[], unit: Fixed): Fixed[] => {
  if (total === 0n || weights.length === 0) return weights.map(() => 0n);
  if (weights.length === 1) return [total];
  let weightSum = sum(weights);
  const used = weightSum === 0n ? weights.map(() => 1n) : weights;
  if (weightSum === 0n) weightSum = BigInt(weights.length);
  const units = total / unit;
  const shares = used.map((weight) => (units * weight) / weightSum);
  let left = units - sum(shares);
  const order = used
    .map((weight, index) => ({ index, remainder: (units * weight) % weightSum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (left <= 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares.map((share) => share * unit);
};

const rates = new Map<string, { value: Fixed; text: string }>();

/** A rate read from data ("0.120" -> 0.12, written "0.12"), memoised: the same few rates recur. */
export const rateOf = (text: string): { value: Fixed; text: string } => {
  let rate = rates.get(text);
  if (!rate) {
    const value = fixed(text);
    rate = { value, text: plainFixed(value) };
    if (rates.size < 10_000) rates.set(text, rate);
  }
  return rate;
};
