// JP and CN packs: worked examples from the law (DESIGN.md section 4).
import { describe, expect, it } from 'vitest';
import { MissingReferenceDataError } from '../../../shared/domain/duty/assess.js';
import { aDeclarationFor, assessIn, dutySummary, fx, items, tariff, taxSummary } from './support.js';

describe('assess', () => {
  describe('JP', () => {
    // Bases are truncated to JPY 1,000 and amounts to JPY 100.
    const JP_TARIFF = { tariffRates: [tariff('4202', '0.08'), tariff('420221', '0.10')] };
    const bags = (...lines: { hsCode: string; value: string }[]) =>
      aDeclarationFor('JP', { transportCost: '1000', items: items(...lines) });

    it('exempts a total customs value of JPY 10,000 (goods 9,000 + transport 1,000)', () => {
      const { assessment } = assessIn('JP', bags({ hsCode: '420222', value: '9000' }), JP_TARIFF);

      expect(assessment).toMatchObject({
        ruleSet: ['JP@2019-10-01'],
        currency: 'JPY',
        customsValue: '10000',
        lowValue: true,
        declarationType: 'POSTAL',
        duties: [],
        taxes: [],
        totals: { duty: '0', tax: '0', fees: '0', collectedAtCheckout: '0', dueAtImport: '0' },
        notes: ['DUTY_RELIEF_LOW_VALUE', 'TAX_RELIEF_LOW_VALUE'],
      });
    });

    it('charges JPY 10,001: duty 8% x 10,000 (truncated) = 800; consumption tax 10% x 10,000 (10,801 truncated) = 1,000', () => {
      const outcome = assessIn('JP', bags({ hsCode: '420222', value: '9001' }), JP_TARIFF);

      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 420222 10000 0.08 800']);
      expect(taxSummary(outcome)).toEqual(['CONSUMPTION_TAX 10000 0.1 1000 import']);
      expect(outcome.assessment).toMatchObject({ lowValue: false, totals: { dueAtImport: '1800' } });
    });

    it('charges listed goods below JPY 10,000: leather bag CV 5,000 -> duty 10% = 500; tax 10% x 5,000 (5,500 truncated) = 500', () => {
      const outcome = assessIn('JP', bags({ hsCode: '420221', value: '4000' }), JP_TARIFF);

      expect(outcome.assessment.lowValue).toBe(true);
      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 420221 5000 0.1 500']);
      expect(taxSummary(outcome)).toEqual(['CONSUMPTION_TAX 5000 0.1 500 import']);
    });

    it('taxes only the listed line of a small mixed consignment: leather 3,500 -> 300 duty, 300 tax; textile exempt', () => {
      // Transport 1,000 split 500/500. Leather line CV 3,500: duty base 3,000 x 10% = 300;
      // tax base 3,500 + 300 = 3,800 -> 3,000 x 10% = 300.
      const outcome = assessIn(
        'JP',
        bags({ hsCode: '420221', value: '3000' }, { hsCode: '420222', value: '3000' }),
        JP_TARIFF,
      );

      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 420221 3000 0.1 300']);
      expect(taxSummary(outcome)).toEqual(['CONSUMPTION_TAX 3000 0.1 300 import']);
      expect(outcome.assessment.notes).toEqual(['DUTY_RELIEF_LOW_VALUE', 'TAX_RELIEF_LOW_VALUE']);
    });

    it('converts to whole yen: USD 60.00 x 150.55 = 9,033; with USD 7.00 transport (1,053.85 -> 1,054) CV 10,087', () => {
      const declaration = aDeclarationFor('JP', {
        currency: 'USD',
        transportCost: '7.00',
        channel: 'EXPRESS',
        items: items({ hsCode: '420222', value: '60.00' }),
      });

      const { assessment } = assessIn('JP', declaration, {
        ...JP_TARIFF,
        exchangeRates: [fx('USD', '150.55')],
      });

      expect(assessment).toMatchObject({
        intrinsicValue: '9033',
        customsValue: '10087',
        declarationType: 'MIC',
      });
      expect(assessment.totals).toMatchObject({ duty: '800', tax: '1000' });
    });
  });

  describe('CN cross-border e-commerce', () => {
    const TAX_ID = '110101199003070011';
    const consignee = (taxId?: string) => ({
      name: 'Li Wei',
      address: { line1: '1 Chang An Jie', city: 'Beijing', postcode: '100000', country: 'CN' },
      ...(taxId ? { taxId } : {}),
    });
    const order = (lines: Parameters<typeof items>, overrides = {}) =>
      aDeclarationFor('CN', {
        dispatchCountry: 'JP',
        consignee: consignee(TAX_ID),
        items: items(...lines),
        ...overrides,
      });
    const usedThisYear = (amount: string) => ({
      tariffRates: [tariff('6109', '0.06'), tariff('9102', '0.08'), tariff('3303', '0.03')],
      annualTotal: { taxId: TAX_ID, year: 2026, amount },
    });

    it('charges no duty and 70% of VAT within the limits: CNY 1,000.00 -> VAT 9.1% x 1,000.00 = 91.00', () => {
      const outcome = assessIn('CN', order(['1000.00']), usedThisYear('0'));

      expect(outcome.assessment).toMatchObject({
        ruleSet: ['CN@2019-04-01'],
        currency: 'CNY',
        lowValue: true,
        declarationType: '9610',
        duties: [],
        totals: { duty: '0.00', tax: '91.00', dueAtImport: '91.00' },
        notes: ['CBEC_REDUCED_RATE'],
      });
      expect(taxSummary(outcome)).toEqual(['VAT 1000.00 0.091 91.00 import']);
      expect(outcome.annualUsage).toEqual({ taxId: TAX_ID, year: 2026, amount: '1000.00' });
      expect(outcome.rejection).toBeUndefined();
    });

    // Cai Shui [2016] No. 103 as summarised at
    // https://www.lexology.com/library/detail.aspx?g=998e73a0-54b5-41a9-839e-0fd282fbfe11: consumption tax
    // only on high-end cosmetics, priced at CNY 10 or more per ml (g), at 15 %.
    it('adds 70% of consumption tax on high-end perfume (CNY 1,000.00 for 50 g = 20/g): base 1,000.00 / 0.85 = 1,176.47; CT 10.5% = 123.53; VAT 9.1% = 107.06', () => {
      const outcome = assessIn(
        'CN',
        order([{ hsCode: '330300', value: '1000.00', netMassKg: '0.050' }]),
        usedThisYear('0'),
      );

      expect(taxSummary(outcome)).toEqual([
        'CONSUMPTION_TAX 1176.47 0.105 123.53 import',
        'VAT 1176.47 0.091 107.06 import',
      ]);
      expect(outcome.assessment.totals.tax).toBe('230.59');
    });

    it('charges no consumption tax on ordinary cosmetics below CNY 10 per gram (CNY 200.00 for 400 g = 0.50/g)', () => {
      const outcome = assessIn(
        'CN',
        order([{ hsCode: '330499', value: '200.00', netMassKg: '0.400' }]),
        usedThisYear('0'),
      );

      expect(taxSummary(outcome)).toEqual(['VAT 200.00 0.091 18.20 import']);
    });

    it('charges consumption tax on a watch of CNY 10,000 or more each, not on a cheaper one (Cai Shui [2006] No. 33)', () => {
      const cheap = assessIn('CN', order([{ hsCode: '910211', value: '3000.00' }]), usedThisYear('0'));
      const costly = assessIn('CN', order([{ hsCode: '910211', value: '12000.00' }]), usedThisYear('0'));

      expect(taxSummary(cheap)).toEqual(['VAT 3000.00 0.091 273.00 import']);
      // Single item above CNY 5,000: full rates. Duty 8% = 960.00; CT base (12,000 + 960) / 0.8 = 16,200.00;
      // CT 20% = 3,240.00; VAT 13% x 16,200.00 = 2,106.00.
      expect(taxSummary(costly)).toEqual([
        'CONSUMPTION_TAX 16200.00 0.2 3240.00 import',
        'VAT 16200.00 0.13 2106.00 import',
      ]);
    });

    // The limits apply to the dutiable price, goods plus freight and insurance (HKTDC:
    // https://china-trade-research.hktdc.com/business-news/article/Online-China-Business-Advisory-Service/What-is-the-current-maximum-value-permitted-for-a-single-cross-border-e-commerce-import-transaction/cba/en/1/1X3C0ZMH/1X0AGO9R.htm).
    it('accepts a dutiable price of exactly CNY 5,000.00 (goods 4,980.00 + freight 20.00): VAT 9.1% = 455.00, counted as 5,000.00', () => {
      const outcome = assessIn(
        'CN',
        order(['3000.00', '1980.00'], { transportCost: '20.00' }),
        usedThisYear('0'),
      );

      expect(outcome.rejection).toBeUndefined();
      expect(outcome.assessment.customsValue).toBe('5000.00');
      expect(outcome.assessment.totals.tax).toBe('455.00');
      expect(outcome.annualUsage?.amount).toBe('5000.00');
    });

    it('rejects goods of CNY 4,990.00 whose freight takes the dutiable price to 5,000.01', () => {
      const outcome = assessIn(
        'CN',
        order(['3000.00', '1990.00'], { transportCost: '10.01' }),
        usedThisYear('0'),
      );

      expect(outcome.rejection?.code).toBe('CBEC_TRANSACTION_LIMIT_EXCEEDED');
    });

    it('counts freight toward the annual limit: goods 990.00 + freight 10.01 over 25,000.00 used is refused', () => {
      const outcome = assessIn('CN', order(['990.00'], { transportCost: '10.01' }), usedThisYear('25000.00'));

      expect(outcome.rejection?.code).toBe('CBEC_ANNUAL_LIMIT_EXCEEDED');
    });

    it('rejects a transaction of CNY 5,000.01 of several items from the channel', () => {
      const outcome = assessIn('CN', order(['3000.00', '2000.01']), usedThisYear('0'));

      expect(outcome.rejection?.code).toBe('CBEC_TRANSACTION_LIMIT_EXCEEDED');
      expect(outcome.annualUsage).toBeUndefined();
      expect(outcome.assessment).toMatchObject({
        declarationType: 'GENERAL_TRADE',
        totals: { duty: '0.00', tax: '0.00', dueAtImport: '0.00' },
      });
    });

    it('allows a single item of CNY 8,000.00 at full rates: duty 8% = 640.00; VAT 13% x 8,640.00 = 1,123.20; counts toward the year', () => {
      const outcome = assessIn(
        'CN',
        order([{ hsCode: '910211', value: '8000.00' }]),
        usedThisYear('10000.00'),
      );

      expect(outcome.rejection).toBeUndefined();
      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 910211 8000.00 0.08 640.00']);
      expect(taxSummary(outcome)).toEqual(['VAT 8640.00 0.13 1123.20 import']);
      expect(outcome.assessment).toMatchObject({ lowValue: false, notes: ['CBEC_SINGLE_ITEM_FULL_RATE'] });
      expect(outcome.annualUsage?.amount).toBe('8000.00');
    });

    it('does not treat two units of one line as a single item', () => {
      const outcome = assessIn('CN', order([{ value: '6000.00', quantity: 2 }]), usedThisYear('0'));

      expect(outcome.rejection?.code).toBe('CBEC_TRANSACTION_LIMIT_EXCEEDED');
    });

    it('accepts a purchase that brings the year to exactly CNY 26,000.00 and rejects one cent more', () => {
      const at = assessIn('CN', order(['1000.00']), usedThisYear('25000.00'));
      const above = assessIn('CN', order(['1000.01']), usedThisYear('25000.00'));

      expect(at.rejection).toBeUndefined();
      expect(at.annualUsage?.amount).toBe('1000.00');
      expect(above.rejection?.code).toBe('CBEC_ANNUAL_LIMIT_EXCEEDED');
      expect(above.annualUsage).toBeUndefined();
    });

    it('rejects a single item that would take the year over CNY 26,000', () => {
      const outcome = assessIn(
        'CN',
        order([{ hsCode: '910211', value: '8000.00' }]),
        usedThisYear('18000.01'),
      );

      expect(outcome.rejection?.code).toBe('CBEC_ANNUAL_LIMIT_EXCEEDED');
    });

    it("rejects a consignment without the consignee's identity number", () => {
      const declaration = order(['100.00'], { consignee: consignee() });

      const outcome = assessIn('CN', declaration, usedThisYear('0'));

      expect(outcome.rejection?.code).toBe('CBEC_IDENTITY_REQUIRED');
    });

    it("raises MissingReferenceDataError when the consignee's annual total is not supplied", () => {
      const act = () => assessIn('CN', order(['100.00']), { tariffRates: [] });

      expect(act).toThrow(MissingReferenceDataError);
      expect(act).toThrow(
        expect.objectContaining({ missing: [{ kind: 'ANNUAL_TOTAL', key: `${TAX_ID}/2026` }] }),
      );
    });
  });
});
