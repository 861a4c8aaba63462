// GB and US packs: worked examples from the law (DESIGN.md section 4).
import { describe, expect, it } from 'vitest';
import { aDeclarationFor, assessIn, dutySummary, items, tariff, taxSummary } from './support.js';

describe('assess', () => {
  describe('GB', () => {
    const UKGT = { tariffRates: [tariff('6109', '0.12'), tariff('2208', '0')] };

    it('charges no duty and VAT at the sale on GBP 135.00 (20% x 135.00 = 27.00), nothing at the border', () => {
      const declaration = aDeclarationFor('GB', {
        collectionModel: 'SELLER_AT_CHECKOUT',
        items: items('135.00'),
      });

      const { assessment } = assessIn('GB', declaration, UKGT);

      expect(assessment).toMatchObject({
        ruleSet: ['GB@2021-01-01'],
        currency: 'GBP',
        lowValue: true,
        declarationType: 'H7',
        duties: [],
        totals: { duty: '0.00', tax: '27.00', collectedAtCheckout: '27.00', dueAtImport: '0.00' },
        payer: 'SELLER',
        notes: ['DUTY_RELIEF_LOW_VALUE', 'LOW_VALUE_SALE_COLLECTION'],
      });
      expect(taxSummary({ assessment })).toEqual(['VAT 135.00 0.2 27.00 checkout']);
    });

    it('charges VAT at the sale on the price including delivery: 20% x (135.00 + 4.99) = 28.00', () => {
      const declaration = aDeclarationFor('GB', { items: items('135.00'), transportCost: '4.99' });

      expect(taxSummary(assessIn('GB', declaration, UKGT))).toEqual(['VAT 139.99 0.2 28.00 checkout']);
    });

    it('charges duty and import VAT on GBP 135.01: 12% x 135.01 = 16.20; VAT 20% x 151.21 = 30.24', () => {
      const { assessment } = assessIn('GB', aDeclarationFor('GB', { items: items('135.01') }), UKGT);

      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'H1' });
      expect(dutySummary({ assessment })).toEqual(['CUSTOMS_DUTY 610910 135.01 0.12 16.20']);
      expect(taxSummary({ assessment })).toEqual(['VAT 151.21 0.2 30.24 import']);
      expect(assessment.totals.dueAtImport).toBe('46.44');
    });

    it('keeps excise goods out of the low-value regime: spirits GBP 30.00 pay import VAT 20% x 30.00 = 6.00', () => {
      const declaration = aDeclarationFor('GB', { items: items({ hsCode: '220830', value: '30.00' }) });

      const { assessment } = assessIn('GB', declaration, UKGT);

      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'H1' });
      expect(taxSummary({ assessment })).toEqual(['VAT 30.00 0.2 6.00 import']);
    });

    it('relieves a gift between individuals of GBP 39.00 from duty and VAT', () => {
      const declaration = aDeclarationFor('GB', {
        transactionType: 'C2C',
        items: items({ value: '39.00', category: 'GIFT' }),
      });

      const { assessment } = assessIn('GB', declaration, UKGT);

      expect(assessment.totals).toMatchObject({ duty: '0.00', tax: '0.00', dueAtImport: '0.00' });
      expect(assessment.notes).toEqual(['GIFT_RELIEF']);
    });

    it('charges import VAT on a gift of GBP 39.01 (no sale to collect at): 20% x 39.01 = 7.80, no duty', () => {
      const declaration = aDeclarationFor('GB', {
        transactionType: 'C2C',
        items: items({ value: '39.01', category: 'GIFT' }),
      });

      const { assessment } = assessIn('GB', declaration, UKGT);

      expect(assessment.duties).toEqual([]);
      expect(taxSummary({ assessment })).toEqual(['VAT 39.01 0.2 7.80 import']);
      expect(assessment.payer).toBe('CONSUMER');
    });

    it('charges the 2.5% gift rate between GBP 135 and 630: 2.5% x 200.00 = 5.00; VAT 20% x 205.00 = 41.00', () => {
      const declaration = aDeclarationFor('GB', {
        transactionType: 'C2C',
        items: items({ value: '200.00', category: 'GIFT' }),
      });

      const outcome = assessIn('GB', declaration, UKGT);

      expect(dutySummary(outcome)).toEqual(['FLAT_RATE_DUTY 610910 200.00 0.025 5.00']);
      expect(outcome.assessment.totals.tax).toBe('41.00');
    });

    it('leaves VAT on a low-value B2B sale to the business buyer (reverse charge)', () => {
      const declaration = aDeclarationFor('GB', { transactionType: 'B2B', items: items('100.00') });

      const { assessment } = assessIn('GB', declaration, UKGT);

      expect(assessment.taxes).toEqual([]);
      expect(assessment.notes).toContain('REVERSE_CHARGE');
    });
  });

  describe('US', () => {
    const HTS = { tariffRates: [tariff('6109', '0.165')] };
    const fromVietnam = (value: string, importDate: string) =>
      aDeclarationFor('US', {
        importDate,
        dispatchCountry: 'VN',
        transportCost: '50.00',
        items: items({ value, originCountry: 'VN' }),
      });

    it('applies Section 321 to USD 800.00 on 2025-08-28: no duty, TYPE86, freight not in the FOB value', () => {
      const { assessment } = assessIn('US', fromVietnam('800.00', '2025-08-28'), HTS);

      expect(assessment).toMatchObject({
        ruleSet: ['US@2025-05-02'],
        intrinsicValue: '800.00',
        customsValue: '800.00',
        lowValue: true,
        declarationType: 'TYPE86',
        duties: [],
        taxes: [],
        totals: { duty: '0.00', dueAtImport: '0.00' },
        notes: ['SECTION_321_DE_MINIMIS'],
      });
    });

    it('charges duty on USD 800.01 on 2025-08-28: 16.5% x 800.01 = 132.00, informal entry', () => {
      const { assessment } = assessIn('US', fromVietnam('800.01', '2025-08-28'), HTS);

      expect(dutySummary({ assessment })).toEqual(['CUSTOMS_DUTY 610910 800.01 0.165 132.00']);
      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'INFORMAL' });
    });

    it('charges duty on USD 800.00 from 2025-08-29, de minimis suspended: 16.5% x 800.00 = 132.00', () => {
      const { assessment } = assessIn('US', fromVietnam('800.00', '2025-08-29'), HTS);

      expect(assessment.ruleSet).toEqual(['US@2025-08-29']);
      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'INFORMAL' });
      expect(assessment.totals.duty).toBe('132.00');
    });

    it('files informal entry up to USD 2,500.00 and formal entry at 2,500.01', () => {
      expect(assessIn('US', fromVietnam('2500.00', '2025-09-01'), HTS).assessment.declarationType).toBe(
        'INFORMAL',
      );
      expect(assessIn('US', fromVietnam('2500.01', '2025-09-01'), HTS).assessment.declarationType).toBe(
        'FORMAL',
      );
    });

    it('keeps de minimis for goods of China until 2025-05-01 and charges duty plus the 20% surcharge from 2025-05-02', () => {
      // USD 100.00: duty 16.5% = 16.50; IEEPA_CN_OPIOID 20% = 20.00.
      const fromChina = (importDate: string) => aDeclarationFor('US', { importDate, items: items('100.00') });

      const before = assessIn('US', fromChina('2025-05-01'), HTS);
      const after = assessIn('US', fromChina('2025-05-02'), HTS);

      expect(before.assessment.ruleSet).toEqual(['US@2016-03-10']);
      expect(before.assessment.totals.duty).toBe('0.00');
      expect(dutySummary(after)).toEqual([
        'CUSTOMS_DUTY 610910 100.00 0.165 16.50',
        'IEEPA_CN_OPIOID 610910 100.00 0.2 20.00',
      ]);
      expect(after.assessment.notes).toEqual(['ORIGIN_SURCHARGE']);
    });

    it('applies the surcharge in force on the date: 10% from 2025-11-10', () => {
      const outcome = assessIn(
        'US',
        aDeclarationFor('US', { importDate: '2025-11-10', items: items('100.00') }),
        HTS,
      );

      expect(dutySummary(outcome)).toContain('IEEPA_CN_OPIOID 610910 100.00 0.1 10.00');
    });

    // Learning Resources, Inc. v. Trump (2026-02-20): IEEPA duties not collected from 2026-02-24, and a
    // Section 122 surcharge of 10 % for 150 days from that date
    // (https://www.troutman.com/insights/supreme-court-strikes-down-ieepa-tariffs-trump-responds-with-section-122-global-surcharge).
    it('ends the IEEPA surcharge on 2026-02-23 and charges the Section 122 surcharge of 10% from 2026-02-24', () => {
      const on = (importDate: string, originCountry: string) =>
        dutySummary(
          assessIn(
            'US',
            aDeclarationFor('US', { importDate, items: items({ value: '100.00', originCountry }) }),
            HTS,
          ),
        );

      expect(on('2026-02-23', 'CN')).toEqual([
        'CUSTOMS_DUTY 610910 100.00 0.165 16.50',
        'IEEPA_CN_OPIOID 610910 100.00 0.1 10.00',
      ]);
      expect(on('2026-02-24', 'CN')).toEqual([
        'CUSTOMS_DUTY 610910 100.00 0.165 16.50',
        'SECTION_122_SURCHARGE 610910 100.00 0.1 10.00',
      ]);
      expect(on('2026-02-24', 'VN')).toContain('SECTION_122_SURCHARGE 610910 100.00 0.1 10.00');
      expect(on('2026-02-24', 'MX')).toEqual(['CUSTOMS_DUTY 610910 100.00 0.165 16.50']);
    });

    it('ends the Section 122 surcharge after its 150 days: none on 2026-07-24', () => {
      const outcome = assessIn(
        'US',
        aDeclarationFor('US', {
          importDate: '2026-07-24',
          items: items({ value: '100.00', originCountry: 'CN' }),
        }),
        HTS,
      );

      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 610910 100.00 0.165 16.50']);
    });

    it("adds the admin's surcharges to the pack's, ad valorem and per item, naming each version", () => {
      const reference = {
        ...HTS,
        surcharges: [
          {
            code: 'ADMIN_SURCHARGE',
            originCountries: ['CN'],
            hsPrefixes: ['61'],
            rate: '0.25',
            specific: { amount: '1.50', per: 'ITEM' as const },
            validFrom: '2025-10-01',
            legalBasis: 'admin data',
          },
          {
            code: 'OTHER_GOODS',
            originCountries: ['CN'],
            hsPrefixes: ['85'],
            rate: '0.50',
            validFrom: '2025-10-01',
            legalBasis: 'admin data',
          },
        ],
      };

      const outcome = assessIn(
        'US',
        aDeclarationFor('US', { importDate: '2025-11-10', items: items({ value: '100.00', quantity: 2 }) }),
        reference,
      );

      expect(dutySummary(outcome)).toEqual([
        'CUSTOMS_DUTY 610910 100.00 0.165 16.50',
        'IEEPA_CN_OPIOID 610910 100.00 0.1 10.00',
        'ADMIN_SURCHARGE 610910 100.00 0.25 25.00',
        'ADMIN_SURCHARGE 610910 100.00 - 3.00',
      ]);
      expect(outcome.assessment.ruleSet).toEqual(['US@2025-10-01', 'SURCHARGE/ADMIN_SURCHARGE@2025-10-01']);
    });

    it("replaces the pack's surcharge of the same id from the admin's first version on, and ends with it", () => {
      const reference = {
        ...HTS,
        surcharges: [
          {
            code: 'SECTION_122_SURCHARGE',
            originCountries: ['CN'],
            rate: '0.15',
            validFrom: '2026-05-01',
            validTo: '2026-05-31',
            legalBasis: 'Amended proclamation',
          },
        ],
      };
      const on = (importDate: string) =>
        dutySummary(
          assessIn(
            'US',
            aDeclarationFor('US', { importDate, items: items({ value: '100.00', originCountry: 'CN' }) }),
            reference,
          ),
        );

      expect(on('2026-04-30')).toEqual([
        'CUSTOMS_DUTY 610910 100.00 0.165 16.50',
        'SECTION_122_SURCHARGE 610910 100.00 0.1 10.00',
      ]);
      expect(on('2026-05-01')).toEqual([
        'CUSTOMS_DUTY 610910 100.00 0.165 16.50',
        'SECTION_122_SURCHARGE 610910 100.00 0.15 15.00',
      ]);
      // The pack's version ran to 2026-07-23; the stored one ended on 2026-05-31 and the pack's does not return.
      expect(on('2026-06-01')).toEqual(['CUSTOMS_DUTY 610910 100.00 0.165 16.50']);
    });

    // Merchandise processing fee on informal entries, 19 CFR 24.23(b)(2)(i): USD 2.62 in FY2025
    // (https://sobelnet.com/csms-61620300-revised-catair-v92-document-updated-fy25-customs-fees/) and USD 2.69
    // from 2025-10-01, FY2026 (https://www.sekologistics.com/en/resource-hub/news/client-advisory-changes-to-customs-user-fees).
    it('charges the informal-entry merchandise processing fee by fiscal year: USD 2.62 on 2025-09-30, 2.69 on 2025-10-01', () => {
      const express = (importDate: string, value = '100.00') =>
        assessIn(
          'US',
          aDeclarationFor('US', {
            importDate,
            channel: 'EXPRESS',
            items: items({ value, originCountry: 'VN' }),
          }),
          HTS,
        ).assessment;

      const fy2025 = express('2025-09-30');
      const fy2026 = express('2025-10-01');

      expect(fy2025.fees).toEqual([expect.objectContaining({ code: 'MPF_INFORMAL', amount: '2.62' })]);
      expect(fy2026.fees).toEqual([expect.objectContaining({ code: 'MPF_INFORMAL', amount: '2.69' })]);
      expect(fy2026.fees[0]?.legalBasis).toContain('19 CFR 24.23(b)(2)(i)');
      // 16.5 % x 100.00 = 16.50 duty + 2.69 fee
      expect(fy2026.totals).toMatchObject({ duty: '16.50', fees: '2.69', dueAtImport: '19.19' });
    });

    it('charges no informal-entry fee on a formal entry, by mail, on a gift, or on goods of Mexico', () => {
      const fees = (overrides: Parameters<typeof aDeclarationFor>[1], line: Parameters<typeof items>[0]) =>
        assessIn(
          'US',
          aDeclarationFor('US', {
            importDate: '2026-03-01',
            channel: 'EXPRESS',
            ...overrides,
            items: items(line),
          }),
          HTS,
        ).assessment.fees.filter((fee) => fee.code === 'MPF_INFORMAL');

      expect(fees({}, { value: '2500.00', originCountry: 'VN' })).toHaveLength(1);
      expect(fees({}, { value: '2500.01', originCountry: 'VN' })).toEqual([]);
      expect(fees({ channel: 'POST' }, { value: '100.00', originCountry: 'VN' })).toEqual([]);
      expect(
        fees({ transactionType: 'C2C' }, { value: '50.00', originCountry: 'VN', category: 'GIFT' }),
      ).toEqual([]);
      expect(fees({}, { value: '100.00', originCountry: 'MX' })).toEqual([]);
    });

    // Formal entries: 0.3464 % between USD 33.58 and 651.50 in FY2026
    // (https://www.sekologistics.com/en/resource-hub/news/client-advisory-changes-to-customs-user-fees).
    it('charges the formal-entry fee at 0.3464% between its minimum and maximum: 33.58, 346.40, 651.50', () => {
      const formal = (value: string) =>
        assessIn(
          'US',
          aDeclarationFor('US', { importDate: '2026-03-01', items: items({ value, originCountry: 'VN' }) }),
          HTS,
        ).assessment;

      const fee = (value: string) => formal(value).fees.map((line) => `${line.code} ${line.amount}`);

      expect(formal('2500.01').declarationType).toBe('FORMAL');
      expect(fee('2500.00')).toEqual([]); // by mail: informal, no informal-entry fee either
      expect(fee('2500.01')).toEqual(['MPF_FORMAL 33.58']); // 0.3464% = 8.66, raised to the minimum
      expect(fee('100000.00')).toEqual(['MPF_FORMAL 346.40']);
      expect(fee('250000.00')).toEqual(['MPF_FORMAL 651.50']); // 866.00, cut to the maximum
    });

    it('exempts a bona fide gift of USD 100.00 after the suspension and charges one of USD 100.01', () => {
      const gift = (value: string) =>
        aDeclarationFor('US', {
          importDate: '2025-09-01',
          transactionType: 'C2C',
          items: items({ value, originCountry: 'VN', category: 'GIFT' }),
        });

      const exempt = assessIn('US', gift('100.00'), HTS).assessment;
      const charged = assessIn('US', gift('100.01'), HTS).assessment;

      expect(exempt).toMatchObject({
        totals: { duty: '0.00' },
        notes: ['GIFT_RELIEF'],
        declarationType: 'INFORMAL',
      });
      expect(charged.totals.duty).toBe('16.50'); // 16.5% x 100.01 = 16.50165
    });
  });
});
