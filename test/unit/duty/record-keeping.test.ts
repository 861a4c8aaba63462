import { describe, expect, it } from 'vitest';
import { COUNTRIES } from '../../../infra/config.js';
import { packFor } from '../../../shared/countries/index.js';
import { publicRules } from '../../../shared/domain/duty/public-rules.js';

// How long each stack keeps a declaration's record, with the law that says so (DESIGN.md section 14).
const EXPECTED: Record<string, { years: number; basis: RegExp }> = {
  NL: { years: 3, basis: /Union Customs Code\) art\. 51/ },
  DE: { years: 3, basis: /Union Customs Code\) art\. 51/ },
  FR: { years: 3, basis: /Union Customs Code\) art\. 51/ },
  IT: { years: 3, basis: /Union Customs Code\) art\. 51/ },
  ES: { years: 3, basis: /Union Customs Code\) art\. 51/ },
  US: { years: 5, basis: /19 CFR 163\.4/ },
  GB: { years: 4, basis: /Customs \(Records\) \(EU Exit\) Regulations 2019/ },
  CA: { years: 6, basis: /SOR\/86-1011/ },
  AU: { years: 5, basis: /Customs Act 1901 \(Cth\) s 240/ },
  JP: { years: 5, basis: /Customs Act .* art\. 94/ },
  CN: { years: 3, basis: /not verified/ },
};

describe('record keeping', () => {
  it.each([...COUNTRIES])('%s states its record-keeping period with its legal basis', (country) => {
    const { recordKeeping } = packFor(country);
    const expected = EXPECTED[country];
    expect(expected, `${country} needs an expectation`).toBeDefined();
    expect(recordKeeping.years).toBe(expected?.years);
    expect(recordKeeping.legalBasis).toMatch(expected?.basis ?? /./);
  });
});

describe('publicRules', () => {
  it('publishes the record-keeping period with its legal basis', () => {
    expect(publicRules(packFor('US'), '2026-07-01').recordKeeping).toEqual({
      years: 5,
      legalBasis: expect.stringContaining('19 CFR 163.4'),
    });
  });
});
