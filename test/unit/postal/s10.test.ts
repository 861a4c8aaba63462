import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isS10, s10CheckDigit, s10Problem } from '../../../shared/domain/postal/s10.js';

describe('s10CheckDigit', () => {
  it('computes the check digits of published examples', () => {
    // The S10 standard's own example, AA473124829GB. Weights 8 6 4 2 3 5 9 7 over 47312482:
    // 32+42+12+2+6+20+72+14 = 200; 200 mod 11 = 2; 11 - 2 = 9.
    expect(s10CheckDigit('47312482')).toBe(9);
    expect(s10CheckDigit('12345678')).toBe(5);
  });

  it('turns a remainder of 1 (check 10) into 0 and a remainder of 0 (check 11) into 5', () => {
    // Serials whose weighted sums leave remainders 1 and 0, found by search.
    const serials = Array.from({ length: 200 }, (_, n) => String(n).padStart(8, '0'));
    const weighted = (serial: string) =>
      [8, 6, 4, 2, 3, 5, 9, 7].reduce((sum, weight, position) => sum + Number(serial[position]) * weight, 0);
    const remainderOne = serials.find((serial) => weighted(serial) % 11 === 1) as string;
    const remainderZero = serials.find((serial) => weighted(serial) % 11 === 0) as string;
    expect(s10CheckDigit(remainderOne)).toBe(0);
    expect(s10CheckDigit(remainderZero)).toBe(5);
  });

  it('refuses a serial that is not eight digits', () => {
    expect(() => s10CheckDigit('1234567')).toThrow(RangeError);
  });
});

describe('s10Problem', () => {
  it('accepts a well-formed id with the right check digit and a real country', () => {
    expect(s10Problem('AA473124829GB')).toBeUndefined();
    expect(isS10('EE123456785CN')).toBe(true);
  });

  it('names a wrong check digit and the digit it must be', () => {
    expect(s10Problem('AA473124824GB')).toBe('has check digit 4; for serial 47312482 it must be 9');
  });

  it('refuses a country that is not ISO 3166-1 alpha-2', () => {
    expect(s10Problem('AA473124829XX')).toMatch(/XX, which is not an ISO 3166-1/);
  });

  it.each(['rr473124823NL', 'RR47312482NL', 'R1473124823NL', 'AA473124829GBD', ' AA473124829GB', ''])(
    'refuses the malformed %j',
    (id) => {
      expect(s10Problem(id)).toMatch(/must be a UPU S10 item id/);
    },
  );

  it('accepts exactly one check digit per serial (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 9 }), (n, digit) => {
        const serial = String(n).padStart(8, '0');
        expect(isS10(`CP${serial}${digit}DE`)).toBe(digit === s10CheckDigit(serial));
      }),
      { numRuns: 300 },
    );
  });

  it('catches a single changed serial digit unless the two sums leave remainders 0 and 6 (both give 5)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        (n, position, delta) => {
          const serial = String(n).padStart(8, '0');
          const changed = `${serial.slice(0, position)}${(Number(serial[position]) + delta) % 10}${serial.slice(position + 1)}`;
          const collide = new Set([s10CheckDigit(serial), s10CheckDigit(changed)]).size === 1;
          expect(isS10(`RR${changed}${s10CheckDigit(serial)}NL`)).toBe(collide);
          if (collide) expect(s10CheckDigit(serial)).toBe(5);
        },
      ),
      { numRuns: 300 },
    );
  });
});
