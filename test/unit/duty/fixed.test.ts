// The engine's fixed-point arithmetic agrees with decimal.js (the project's reference for money) on
// every operation and rounding mode it uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  divToStep,
  fixed,
  formatFixed,
  minorUnit,
  mulToStep,
  plainFixed,
  roundToStep,
  sum,
} from '../../../shared/domain/duty/fixed.js';
import { Decimal, type RoundingMode, roundTo } from '../../../shared/domain/money.js';

const MODES: RoundingMode[] = ['HALF_UP', 'HALF_EVEN', 'DOWN', 'UP'];

/** A non-negative decimal string with up to `places` decimals. */
const decimalText = (places: number, maxUnits = 10_000_000_000) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: BigInt(maxUnits) }), fc.integer({ min: 0, max: places }))
    .map(([units, scale]) => new Decimal(units.toString()).div(new Decimal(10).pow(scale)).toFixed(scale));

describe('fixed', () => {
  it('reads and writes decimal strings exactly', () => {
    expect(plainFixed(fixed('0.120'))).toBe('0.12');
    expect(plainFixed(fixed('3'))).toBe('3');
    expect(formatFixed(fixed('12.5'), 2)).toBe('12.50');
    expect(formatFixed(fixed('1234'), 0)).toBe('1234');
    expect(formatFixed(fixed('0.05'), 2)).toBe('0.05');
    expect(() => fixed('1e5')).toThrow(RangeError);
    expect(() => fixed('0.0000000000001')).toThrow(RangeError);
  });

  it('multiplies and rounds to a minor unit as decimal.js does, in every mode', () => {
    fc.assert(
      fc.property(
        decimalText(4),
        decimalText(6, 10_000_000),
        fc.constantFrom(...MODES),
        fc.integer({ min: 0, max: 3 }),
        (a, b, mode, digits) => {
          const expected = roundTo(new Decimal(a).times(b), digits, mode).toFixed(digits);
          expect(formatFixed(mulToStep(fixed(a), fixed(b), minorUnit(digits), mode), digits)).toBe(expected);
        },
      ),
    );
  });

  it('divides and rounds to a minor unit as decimal.js does, in every mode', () => {
    fc.assert(
      fc.property(
        decimalText(3),
        decimalText(4, 1_000_000).filter((text) => !new Decimal(text).isZero()),
        fc.constantFrom(...MODES),
        (a, b, mode) => {
          const expected = roundTo(new Decimal(a).div(b), 2, mode).toFixed(2);
          expect(formatFixed(divToStep(fixed(a), fixed(b), minorUnit(2), mode), 2)).toBe(expected);
        },
      ),
    );
  });

  it('rounds to a step (JPY 1,000) as decimal.js does', () => {
    fc.assert(
      fc.property(decimalText(0), fc.constantFrom(...MODES), (a, mode) => {
        const expected = roundTo(new Decimal(a).div(1000), 0, mode).times(1000).toFixed(0);
        expect(formatFixed(roundToStep(fixed(a), fixed('1000'), mode), 0)).toBe(expected);
      }),
    );
  });

  it('allocates an amount in whole minor units that are never negative and add up exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        fc.array(fc.bigInt({ min: 0n, max: 1_000_000_000n }), { minLength: 1, maxLength: 12 }),
        (units, weights) => {
          const unit = minorUnit(2);
          const parts = allocate(
            units * unit,
            weights.map((weight) => weight * unit),
            unit,
          );
          expect(sum(parts)).toBe(units * unit);
          for (const part of parts) {
            expect(part >= 0n).toBe(true);
            expect(part % unit).toBe(0n);
          }
        },
      ),
    );
  });
});
