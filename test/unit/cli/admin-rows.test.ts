import { describe, expect, it } from 'vitest';
import { ecbDate, ecbRows } from '../../../cli/admin/rows.js';
import { describeChange } from '../../../cli/commands/admin.js';

describe('the ECB euro reference rates', () => {
  it('reads both date forms the ECB publishes', () => {
    expect(ecbDate('04 December 2026')).toBe('2026-12-04');
    expect(ecbDate('2026-12-04')).toBe('2026-12-04');
    expect(ecbDate('December 4th')).toBeUndefined();
  });

  it('turns one euro in each currency into one unit of each currency in the stack currency', () => {
    // Prepare: a row of eurofxref.csv (the ECB leaves an empty last column and "N/A" for no quote)
    const records = [
      { line: 2, cells: { Date: '04 December 2026', USD: '1.0500', JPY: '160.12', ISK: 'N/A', '': '' } },
    ];
    // Act
    const forEuro = ecbRows(records, 'EUR');
    const forYen = ecbRows(records, 'JPY');
    // Assess
    expect(forEuro.map((row) => row.fields)).toEqual([
      { currency: 'USD', rate: '0.9523809524', validFrom: '2026-12-04' },
      { currency: 'JPY', rate: '0.006245316013', validFrom: '2026-12-04' },
    ]);
    expect(forYen.map((row) => row.fields)).toEqual([
      { currency: 'EUR', rate: '160.12', validFrom: '2026-12-04' },
      { currency: 'USD', rate: '152.4952381', validFrom: '2026-12-04' },
    ]);
  });

  it('reports a row without the stack currency by its line', () => {
    expect(ecbRows([{ line: 7, cells: { Date: '2026-12-04', USD: '1.05' } }], 'GBP')).toEqual([
      { line: 7, fields: {}, problem: 'the ECB gives no GBP rate on 2026-12-04' },
    ]);
  });
});

describe('what a row would change', () => {
  const current = { versions: [{ rate: '0.95', validFrom: '2026-12-04' }] };

  it('tells a new version, a changed one and an unchanged one apart', () => {
    expect(describeChange(current, 'USD', { rate: '0.95', validFrom: '2026-12-05' })).toMatch(/^add USD/);
    expect(describeChange(current, 'USD', { rate: '0.96', validFrom: '2026-12-04' })).toBe(
      'change USD from 2026-12-04: {"rate":"0.95","validFrom":"2026-12-04"} -> {"rate":"0.96","validFrom":"2026-12-04"}',
    );
    expect(describeChange(current, 'USD', { validFrom: '2026-12-04', rate: '0.95' })).toBe(
      'unchanged USD from 2026-12-04',
    );
    expect(describeChange(undefined, 'USD', { rate: '0.95', validFrom: '2026-12-04' })).toMatch(/^add/);
  });
});
