// What the packs publish: the rules in force on a date with the dated changes to come, the version ids,
// value bands for statistics and the low-value threshold.
import { describe, expect, it } from 'vitest';
import { packFor } from '../../../shared/countries/index.js';
import {
  lowValueThreshold,
  publicRules,
  rulesVersionOn,
  valueBand,
} from '../../../shared/domain/duty/assess.js';

describe('publicRules', () => {
  it('publishes the NL rules of 2026-06-15 and the flat duty coming on 2026-07-01', () => {
    const rules = publicRules(packFor('NL'), '2026-06-15');

    expect(rules).toMatchObject({
      country: 'NL',
      currency: 'EUR',
      valuationBasis: 'CIF',
      ruleSet: ['EU@2021-07-01', 'NL@2026-01-01'],
      validFrom: '2026-01-01',
      validTo: '2026-06-30',
    });
    expect(Object.keys(rules.memberStateVatRates ?? {})).toHaveLength(27);
    expect(rules.memberStateVatRates?.NL).toBe('0.21');
    expect(rules.thresholds).toContainEqual(expect.objectContaining({ id: 'LOW_VALUE', amount: '150' }));
    expect(rules.upcoming[0]).toMatchObject({
      date: '2026-07-01',
      ruleSet: ['EU@2026-07-01', 'NL@2026-01-01'],
    });
    expect(rules.upcoming[0]?.changes[0]).toMatch(/^EU@2026-07-01: .*EUR 3/);
    expect(rules.legalBasis.length).toBeGreaterThan(3);
  });

  it('lists dated VAT rate changes of other member states', () => {
    const rules = publicRules(packFor('NL'), '2025-06-01');

    expect(rules.upcoming).toContainEqual(
      expect.objectContaining({ date: '2025-07-01', changes: ['VAT rate of EE changes from 0.22 to 0.24'] }),
    );
    expect(rules.upcoming).toContainEqual(
      expect.objectContaining({ date: '2025-08-01', changes: ['VAT rate of RO changes from 0.19 to 0.21'] }),
    );
  });

  it('announces the French fee before 2026-03-01 and lists it from that day', () => {
    const before = publicRules(packFor('FR'), '2026-02-01');
    const after = publicRules(packFor('FR'), '2026-03-01');

    expect(before.fees).toEqual([]);
    expect(before.upcoming[0]).toMatchObject({ date: '2026-03-01' });
    expect(before.upcoming[0]?.changes.join(' ')).toContain('FR@2026-03-01');
    expect(after.fees).toEqual([
      expect.objectContaining({ code: 'FR_SMALL_PARCEL_TAX', amount: '2.00', per: 'ITEM' }),
    ]);
  });

  it('announces the US de minimis suspension and the dated origin surcharges', () => {
    const rules = publicRules(packFor('US'), '2025-08-01');

    expect(rules.upcoming.map((change) => change.date)).toEqual([
      '2025-08-29',
      '2025-10-01',
      '2025-11-10',
      '2026-02-24',
      '2026-07-24',
    ]);
    expect(rules.duty.originSurcharges).toEqual([
      expect.objectContaining({ code: 'IEEPA_CN_OPIOID', rate: '0.20' }),
    ]);
    expect(rules.taxes).toEqual([]);
  });

  it('publishes the Section 122 surcharge that replaced the IEEPA one, with its dates', () => {
    const rules = publicRules(packFor('US'), '2026-03-01');

    expect(rules.duty.originSurcharges).toEqual([
      expect.objectContaining({
        code: 'SECTION_122_SURCHARGE',
        rate: '0.10',
        validFrom: '2026-02-24',
        validTo: '2026-07-23',
      }),
    ]);
  });

  it("publishes the pack's goods rates and the administration's tax rates and surcharges in force, and their dates", () => {
    const rules = publicRules(packFor('US'), '2026-03-01', {
      taxRates: [
        { hsPrefix: '4901', rate: '0', validFrom: '2026-01-01', legalBasis: 'Zero rate' },
        { hsPrefix: '2101', rate: '0.05', validFrom: '2026-04-01', validTo: '2026-12-31', legalBasis: 'Tea' },
      ],
      surcharges: [
        {
          code: 'SECTION_122_SURCHARGE',
          originCountries: ['CN'],
          rate: '0.15',
          validFrom: '2026-05-01',
          legalBasis: 'Amended proclamation',
        },
        {
          code: 'SOLAR_CELLS',
          originCountries: ['CN', 'VN'],
          hsPrefixes: ['854142'],
          specific: { amount: '2.00', per: 'ITEM' },
          validFrom: '2026-01-01',
          legalBasis: 'Order',
        },
      ],
    });

    expect(rules.adminTaxRates).toEqual([
      { hsPrefix: '4901', rate: '0', validFrom: '2026-01-01', legalBasis: 'Zero rate' },
    ]);
    expect(rules.duty.originSurcharges.map((surcharge) => [surcharge.code, surcharge.validTo])).toEqual([
      ['SECTION_122_SURCHARGE', '2026-04-30'],
      ['SOLAR_CELLS', undefined],
    ]);
    expect(rules.upcoming).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: '2026-04-01', changes: ['Tax rate for HS 2101: 0.05'] }),
        expect.objectContaining({
          date: '2026-05-01',
          changes: [
            'SECTION_122_SURCHARGE on goods of 247 origins ends',
            'SECTION_122_SURCHARGE on goods of CN: 0.15',
          ],
        }),
        expect.objectContaining({ date: '2027-01-01', changes: ['Tax rate for HS 2101 ends'] }),
      ]),
    );
    expect(publicRules(packFor('NL'), '2026-07-01').goodsRates.NL).toEqual([
      expect.objectContaining({ hsPrefix: '4901', rate: '0.09' }),
    ]);
  });

  it('describes the collection models of the day', () => {
    const rules = publicRules(packFor('NL'), '2026-07-01');

    expect(rules.collectionModels.map((model) => [model.model, model.payer])).toEqual([
      ['SELLER_AT_CHECKOUT', 'SELLER'],
      ['INTERMEDIARY_ON_DELIVERY', 'INTERMEDIARY'],
      ['CONSUMER_AT_IMPORT', 'CONSUMER'],
      ['DEFERRED_ACCOUNT', 'PLATFORM'],
    ]);
    expect(rules.collectionModels[0]?.description).toContain('IOSS');
  });

  it('publishes the CN annual allowance', () => {
    const rules = publicRules(packFor('CN'), '2026-01-01');

    expect(rules.annualAllowance?.amount).toBe('26000');
    expect(rules.thresholds).toContainEqual(
      expect.objectContaining({ id: 'ANNUAL_ALLOWANCE', amount: '26000' }),
    );
  });
});

describe('rulesVersionOn', () => {
  it('names the versions in force and the days they span together', () => {
    expect(rulesVersionOn(packFor('NL'), '2026-07-01')).toEqual({
      id: 'EU@2026-07-01+NL@2026-01-01',
      ruleSet: ['EU@2026-07-01', 'NL@2026-01-01'],
      validFrom: '2026-07-01',
      validTo: '2028-06-30',
    });
    expect(rulesVersionOn(packFor('US'), '2025-08-29')).toEqual({
      id: 'US@2025-08-29',
      ruleSet: ['US@2025-08-29'],
      validFrom: '2025-08-29',
      validTo: '2025-09-30',
    });
  });
});

describe('valueBand', () => {
  it('bands an EU consignment by the thresholds in force, each band including its upper limit', () => {
    const band = (value: string) => valueBand(packFor('NL'), '2026-07-01', value);

    expect(band('45.00')).toBe('0-45');
    expect(band('45.01')).toBe('45-150');
    expect(band('150.00')).toBe('45-150');
    expect(band('150.01')).toBe('150-700');
    expect(band('700.01')).toBe('700+');
  });

  it('follows the dated US thresholds', () => {
    expect(valueBand(packFor('US'), '2025-08-28', '500.00')).toBe('100-800');
    expect(valueBand(packFor('US'), '2025-08-29', '500.00')).toBe('100-2500');
    expect(valueBand(packFor('US'), '2025-08-29', '2500.01')).toBe('2500+');
  });
});

describe('lowValueThreshold', () => {
  it('gives the highest low-value threshold in force, none for the US after the suspension', () => {
    expect(lowValueThreshold(packFor('NL'), '2026-07-01')).toBe('150');
    expect(lowValueThreshold(packFor('GB'), '2026-07-01')).toBe('135');
    expect(lowValueThreshold(packFor('US'), '2025-08-28')).toBe('800');
    expect(lowValueThreshold(packFor('US'), '2025-08-29')).toBeUndefined();
    expect(lowValueThreshold(packFor('CA'), '2026-07-01')).toBe('150');
    expect(lowValueThreshold(packFor('AU'), '2026-07-01')).toBe('1000');
    expect(lowValueThreshold(packFor('JP'), '2026-07-01')).toBe('10000');
    expect(lowValueThreshold(packFor('CN'), '2026-07-01')).toBe('5000');
  });
});
