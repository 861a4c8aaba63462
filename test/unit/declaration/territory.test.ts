import { describe, expect, it } from 'vitest';
import { packFor } from '../../../shared/countries/index.js';
import { destinationError } from '../../../shared/domain/declaration/territory.js';
import { destinationsOn } from '../../../shared/domain/duty/rules.js';

const TODAY = '2026-12-07';

describe('destinationError', () => {
  it("lets an EU member state's stack clear consignments for every member state and nothing else", () => {
    const nl = destinationsOn(packFor('NL'));

    expect(destinationError({ destinationCountry: 'NL' }, TODAY, nl)).toBeUndefined();
    expect(destinationError({ destinationCountry: 'DE' }, TODAY, nl)).toBeUndefined();
    expect(destinationError({ destinationCountry: 'FI' }, TODAY, nl)).toBeUndefined();
    expect(destinationError({ destinationCountry: 'US' }, TODAY, nl)).toEqual({
      path: 'destinationCountry',
      message: expect.stringMatching(
        /^is outside the customs territory this stack clears: it takes consignments for AT, BE, .*NL/,
      ),
    });
    expect(destinationError({ destinationCountry: 'GB' }, TODAY, nl)?.path).toBe('destinationCountry');
  });

  it("keeps every other stack to its own country, on the declaration's import date", () => {
    const gb = destinationsOn(packFor('GB'));

    expect(
      destinationError({ destinationCountry: 'GB', importDate: '2026-07-01' }, TODAY, gb),
    ).toBeUndefined();
    expect(destinationError({ destinationCountry: 'FR' }, TODAY, gb)?.message).toMatch(
      /consignments for GB$/,
    );
  });

  it('names the path the request uses, and checks a date no rule covers against every version', () => {
    const us = destinationsOn(packFor('US'));

    expect(
      destinationError(
        { destinationCountry: 'CA', importDate: '1900-01-01' },
        TODAY,
        us,
        'items.2.addressee.address.country',
      ),
    ).toEqual({ path: 'items.2.addressee.address.country', message: expect.stringMatching(/for US$/) });
  });
});
