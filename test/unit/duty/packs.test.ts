// The packs as data: every version well formed and dated without overlaps, every day from a pack's first
// version covered, and a rate or rounding change made in data alone changes the assessment.
import { describe, expect, it } from 'vitest';
import {
  type CountryPack,
  packFor,
  SUPPORTED_COUNTRIES,
  UnsupportedCountryError,
} from '../../../shared/countries/index.js';
import { parseDeclaration } from '../../../shared/domain/declaration/declaration.js';
import { assess, RulesNotInForceError, tariffPrefixes } from '../../../shared/domain/duty/assess.js';
import { compiledSpans } from '../../../shared/domain/duty/rules.js';
import { aDeclaration, aDeclarationFor, assessIn, dutySummary, items, tariff } from './support.js';

const nextDay = (date: string) => {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + 1);
  return instant.toISOString().slice(0, 10);
};

describe('packFor', () => {
  it('ships a pack for every supported country', () => {
    expect(SUPPORTED_COUNTRIES).toEqual(['NL', 'DE', 'FR', 'IT', 'ES', 'GB', 'US', 'CA', 'AU', 'JP', 'CN']);
    for (const country of SUPPORTED_COUNTRIES) expect(packFor(country).country).toBe(country);
  });

  it('rejects a country without a pack', () => {
    expect(() => packFor('XX')).toThrow(UnsupportedCountryError);
  });
});

describe.each(SUPPORTED_COUNTRIES)('the %s pack', (country) => {
  const pack = packFor(country);

  it('names each version <layer>@<validFrom> with a legal basis and a summary', () => {
    for (const version of pack.versions) {
      expect(version.id).toBe(`${version.layer}@${version.validFrom}`);
      expect(pack.layers).toContain(version.layer);
      expect(version.legalBasis.length).toBeGreaterThan(0);
      expect(version.summary.length).toBeGreaterThan(0);
      if (version.validTo) expect(version.validTo >= version.validFrom).toBe(true);
    }
  });

  it('dates the versions of each layer back to back, without overlap or gap', () => {
    for (const layer of pack.layers) {
      const versions = pack.versions.filter((version) => version.layer === layer);
      versions.slice(1).forEach((version, index) => {
        const previous = versions[index];
        expect(previous?.validTo).toBeDefined();
        expect(nextDay(previous?.validTo ?? '')).toBe(version.validFrom);
      });
      expect(versions.at(-1)?.validTo).toBeUndefined();
    }
  });

  it('compiles into contiguous spans, each naming one version per layer', () => {
    const spans = compiledSpans(pack);
    expect(spans.length).toBeGreaterThan(0);
    spans.slice(1).forEach((span, index) => {
      expect(nextDay(spans[index]?.validTo ?? '')).toBe(span.validFrom);
    });
    for (const span of spans) expect(span.ruleSet.map((id) => id.split('@')[0])).toEqual([...pack.layers]);
  });

  it('has no rules before its first version', () => {
    const first = compiledSpans(pack)[0]?.validFrom ?? '';
    const dayBefore = new Date(`${first}T00:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);

    const act = () =>
      assess(aDeclaration({ importDate: dayBefore.toISOString().slice(0, 10) }), {
        pack,
        today: first,
        reference: {},
      });

    expect(act).toThrow(RulesNotInForceError);
  });
});

describe('pack data', () => {
  it('holds the standard VAT rate of all 27 member states in every EU stack', () => {
    for (const country of ['NL', 'DE', 'FR', 'IT', 'ES'] as const) {
      const rates =
        packFor(country).versions.find((version) => version.layer === 'EU')?.memberStateVatRates ?? {};
      expect(Object.keys(rates)).toHaveLength(27);
    }
  });

  it('takes a changed VAT rate from the data alone: NL at 22% gives 22% x 28.00 = 6.16', () => {
    // Prepare: the same pack with one dated rate added.
    const nl = packFor('NL');
    const changed: CountryPack = {
      ...nl,
      versions: nl.versions.map((version) =>
        version.memberStateVatRates
          ? {
              ...version,
              memberStateVatRates: {
                ...version.memberStateVatRates,
                NL: [...(version.memberStateVatRates.NL ?? []), { rate: '0.22', validFrom: '2026-07-01' }],
              },
            }
          : version,
      ),
    };

    // Act
    const { assessment } = assess(aDeclaration(), { pack: changed, today: '2026-07-01', reference: {} });

    // Assess
    expect(assessment.totals.tax).toBe('6.16');
  });

  it("uses the pack's general duty rate for an HS code the tariff table does not list", () => {
    const nl = packFor('NL');
    const withGeneralRate: CountryPack = {
      ...nl,
      versions: nl.versions.map((version) =>
        version.layer === 'NL' ? { ...version, generalDutyRate: '0.025' } : version,
      ),
    };
    const declaration = aDeclaration({ transportCost: '0', items: items('200.00') });

    const outcome = assess(declaration, { pack: withGeneralRate, today: '2026-07-01', reference: {} });

    expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 610910 200.00 0.025 5.00']);
  });

  it('rounds per consignment when the pack says so: 12% x (100.05 + 100.05) = 24.012 -> 24.01 (per line 24.02)', () => {
    const nl = packFor('NL');
    const perConsignment: CountryPack = { ...nl, rounding: { mode: 'HALF_UP', per: 'CONSIGNMENT' } };
    const declaration = aDeclaration({
      transportCost: '0',
      items: items('100.05', { hsCode: '610990', value: '100.05' }),
    });
    const reference = { tariffRates: [tariff('6109', '0.12')] };

    const merged = assess(declaration, { pack: perConsignment, today: '2026-07-01', reference });
    const perLine = assessIn('NL', declaration, reference);

    expect(dutySummary(merged)).toEqual(['CUSTOMS_DUTY - 200.10 0.12 24.01']);
    expect(perLine.assessment.totals.duty).toBe('24.02');
  });

  it('rounds half to even when the pack says so: 21% x 25.50 = 5.355 -> 5.36, 21% x 2.50 = 0.525 -> 0.52', () => {
    const nl = packFor('NL');
    const halfEven: CountryPack = { ...nl, rounding: { mode: 'HALF_EVEN', per: 'LINE' } };
    const on = (value: string) =>
      assess(aDeclaration({ importDate: '2026-06-30', transportCost: '0', items: items(value) }), {
        pack: halfEven,
        today: '2026-07-01',
        reference: {},
      }).assessment.totals.tax;

    expect(on('25.50')).toBe('5.36');
    expect(on('2.50')).toBe('0.52');
  });
});

describe('declaration fixtures', () => {
  it('are valid declarations for every stack', () => {
    expect(parseDeclaration(aDeclaration()).success).toBe(true);
    for (const country of SUPPORTED_COUNTRIES) {
      const value = country === 'JP' ? '1000' : '10.00';
      expect(parseDeclaration(aDeclarationFor(country, { items: items(value) })).success).toBe(true);
    }
  });
});

describe('tariffPrefixes', () => {
  it('lists the keys of an HS code from the longest to 2 digits', () => {
    expect(tariffPrefixes('61091000')).toEqual([
      '61091000',
      '6109100',
      '610910',
      '61091',
      '6109',
      '610',
      '61',
    ]);
  });
});
