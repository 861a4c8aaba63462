// The goods value a list shows for each declaration: its items' values summed exactly, in its currency.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goodsValueOf } from '../../../shared/domain/clearance/record.js';
import { anItem } from '../../fixtures/declarations.js';

/** Cents written as a decimal string, without passing through a float. */
const inEuros = (cents: bigint): string => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;

describe('goodsValueOf', () => {
  it('sums the line values in the declaration currency, written with its minor-unit decimals', () => {
    const items = [
      anItem({ value: '20.00', quantity: 3 }),
      anItem({ value: '12.5' }),
      anItem({ value: '0.05' }),
    ];
    expect(goodsValueOf({ currency: 'EUR', items })).toEqual({ amount: '32.55', currency: 'EUR' });
    expect(goodsValueOf({ currency: 'JPY', items: [anItem({ value: '1500' })] })).toEqual({
      amount: '1500',
      currency: 'JPY',
    });
  });

  it('keeps decimals finer than the minor unit instead of rounding them away', () => {
    const items = [anItem({ value: '0.125' }), anItem({ value: '1.00' })];
    expect(goodsValueOf({ currency: 'EUR', items }).amount).toBe('1.125');
  });

  it('equals the exact sum of the values in cents, for any items', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 50 }),
        (cents) => {
          const items = cents.map((value) => anItem({ value: inEuros(BigInt(value)) }));
          const total = cents.reduce((sum, value) => sum + BigInt(value), 0n);
          const expected = inEuros(total);
          expect(goodsValueOf({ currency: 'EUR', items })).toEqual({ amount: expected, currency: 'EUR' });
        },
      ),
    );
  });
});
