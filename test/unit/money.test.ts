// Whole minor units: reading and writing them exactly, and apportioning them by the largest remainder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apportion,
  Decimal,
  fromMinorUnits,
  parseMinorUnits,
  toMinorUnits,
} from '../../shared/domain/money.js';

const weights = fc.array(fc.bigInt({ min: 0n, max: 10n ** 20n }), { minLength: 1, maxLength: 60 });
const totals = fc.bigInt({ min: 0n, max: 10n ** 20n });

describe('apportion', () => {
  it('splits 100 by 1:1:1 as 34, 33, 33: the unit left goes to the earliest of equal remainders', () => {
    expect(apportion(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
  });

  it('gives the units left to the largest remainders, not to the first parts', () => {
    // Exact shares 1.43, 2.86 and 5.71 (of 10 by 1:2:4): the floors leave two units.
    expect(apportion(10n, [1n, 2n, 4n])).toEqual([1n, 3n, 6n]);
  });

  it('splits equally when every weight is zero', () => {
    expect(apportion(5n, [0n, 0n])).toEqual([3n, 2n]);
  });

  it('refuses a negative total or weight', () => {
    expect(() => apportion(-1n, [1n])).toThrow(RangeError);
    expect(() => apportion(1n, [1n, -1n])).toThrow(RangeError);
  });

  it('adds up to the total, and gives each part its exact share rounded down or up', () => {
    fc.assert(
      fc.property(totals, weights, (total, parts) => {
        const split = apportion(total, parts);
        expect(split.reduce((sum, part) => sum + part, 0n)).toBe(total);
        const weightSum = parts.reduce((sum, weight) => sum + weight, 0n);
        split.forEach((part, index) => {
          const weight = weightSum === 0n ? 1n : (parts[index] as bigint);
          const divisor = weightSum === 0n ? BigInt(parts.length) : weightSum;
          const floor = (total * weight) / divisor;
          expect(part === floor || part === floor + 1n).toBe(true);
        });
      }),
    );
  });

  it('never gives a smaller remainder a unit that a larger one went without', () => {
    fc.assert(
      fc.property(totals, weights, (total, parts) => {
        const weightSum = parts.reduce((sum, weight) => sum + weight, 0n);
        fc.pre(weightSum > 0n);
        const split = apportion(total, parts);
        const remainder = (index: number) => (total * (parts[index] as bigint)) % weightSum;
        const floor = (index: number) => (total * (parts[index] as bigint)) / weightSum;
        for (let a = 0; a < parts.length; a += 1)
          for (let b = 0; b < parts.length; b += 1) {
            const aGotOne = split[a] === floor(a) + 1n;
            const bGotOne = split[b] === floor(b) + 1n;
            if (bGotOne && !aGotOne) {
              expect(remainder(a) < remainder(b) || (remainder(a) === remainder(b) && a > b)).toBe(true);
            }
          }
      }),
      { numRuns: 200 },
    );
  });
});

describe('minor units', () => {
  it('reads a decimal string with at most the unit decimals as whole minor units', () => {
    expect(parseMinorUnits('12.3', 2)).toBe(1230n);
    expect(parseMinorUnits('12', 2)).toBe(1200n);
    expect(parseMinorUnits('0.05', 2)).toBe(5n);
    expect(parseMinorUnits('1500', 0)).toBe(1500n);
  });

  it('leaves to rounding what has more decimals than the unit, and refuses what is not a decimal', () => {
    expect(parseMinorUnits('12.345', 2)).toBeUndefined();
    expect(parseMinorUnits('12.5', 0)).toBeUndefined();
    expect(parseMinorUnits('-1', 2)).toBeUndefined();
    expect(parseMinorUnits('1e3', 2)).toBeUndefined();
  });

  it('refuses to read an amount finer than the unit as whole units', () => {
    expect(() => toMinorUnits(new Decimal('1.005'), 2)).toThrow(RangeError);
  });

  it('reads and writes every amount in minor units back to the same value, beyond the safe integers', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 4 }),
        (units, digits) => {
          const amount = fromMinorUnits(units, digits);
          expect(amount.times(new Decimal(10).pow(digits)).toFixed()).toBe(units.toString());
          expect(toMinorUnits(amount, digits)).toBe(units);
          if (units >= 0n && units < 10n ** 18n)
            expect(parseMinorUnits(amount.toFixed(), digits)).toBe(units);
        },
      ),
    );
  });
});
