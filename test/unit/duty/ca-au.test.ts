// CA and AU packs: worked examples from the law (DESIGN.md section 4). Both value goods FOB.
import { describe, expect, it } from 'vitest';
import { aDeclarationFor, assessIn, dutySummary, items, tariff, taxSummary } from './support.js';

describe('assess', () => {
  describe('CA', () => {
    const CUSTOMS_TARIFF = { tariffRates: [tariff('6109', '0.18')] };
    const courierFromUs = (value: string, originCountry = 'US') =>
      aDeclarationFor('CA', {
        channel: 'EXPRESS',
        dispatchCountry: 'US',
        transportCost: '15.00',
        items: items({ value, originCountry }),
      });

    it('lets a courier shipment from the US of CAD 40.00 in free of duty and tax', () => {
      const { assessment } = assessIn('CA', courierFromUs('40.00'), CUSTOMS_TARIFF);

      expect(assessment).toMatchObject({
        ruleSet: ['CA@2020-07-01'],
        customsValue: '40.00',
        lowValue: true,
        declarationType: 'CLVS',
        duties: [],
        taxes: [],
        totals: { dueAtImport: '0.00' },
        notes: ['DUTY_RELIEF_LOW_VALUE', 'TAX_RELIEF_LOW_VALUE'],
      });
    });

    it('charges GST only from CAD 40.01 on a US courier shipment: 5% x 40.01 = 2.00', () => {
      const { assessment } = assessIn('CA', courierFromUs('40.01'), CUSTOMS_TARIFF);

      expect(assessment.duties).toEqual([]);
      expect(taxSummary({ assessment })).toEqual(['GST 40.01 0.05 2.00 import']);
    });

    it('keeps a US courier shipment of CAD 150.00 duty-free: GST 5% x 150.00 = 7.50', () => {
      const { assessment } = assessIn('CA', courierFromUs('150.00'), CUSTOMS_TARIFF);

      expect(assessment.totals).toMatchObject({ duty: '0.00', tax: '7.50' });
      expect(assessment.lowValue).toBe(true);
    });

    it('charges duty on CAD 150.01: 18% x 150.01 = 27.00; GST 5% x (150.01 + 27.00) = 8.85', () => {
      const outcome = assessIn('CA', courierFromUs('150.01'), CUSTOMS_TARIFF);

      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 610910 150.01 0.18 27.00']);
      expect(taxSummary(outcome)).toEqual(['GST 177.01 0.05 8.85 import']);
      expect(outcome.assessment.lowValue).toBe(false);
    });

    it('charges duty on goods not originating in the US or Mexico in a US courier shipment of CAD 100.00 (18.00; GST 5.90)', () => {
      const outcome = assessIn('CA', courierFromUs('100.00', 'CN'), CUSTOMS_TARIFF);

      expect(outcome.assessment.totals).toMatchObject({ duty: '18.00', tax: '5.90' });
    });

    it('gives postal shipments from the US only CAD 20: CAD 100.00 pays duty 18.00 and GST 5% x 118.00 = 5.90', () => {
      const declaration = aDeclarationFor('CA', {
        channel: 'POST',
        dispatchCountry: 'US',
        items: items({ value: '100.00', originCountry: 'US' }),
      });

      const { assessment } = assessIn('CA', declaration, CUSTOMS_TARIFF);

      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'POSTAL' });
      expect(assessment.totals).toMatchObject({ duty: '18.00', tax: '5.90' });
    });

    it('lets a courier shipment from China of CAD 20.00 in free and charges everything at 20.01 (3.60 + 5% x 23.61 = 1.18)', () => {
      const fromChina = (value: string) => aDeclarationFor('CA', { channel: 'EXPRESS', items: items(value) });

      const free = assessIn('CA', fromChina('20.00'), CUSTOMS_TARIFF).assessment;
      const charged = assessIn('CA', fromChina('20.01'), CUSTOMS_TARIFF).assessment;

      expect(free.totals.dueAtImport).toBe('0.00');
      expect(charged.totals).toMatchObject({ duty: '3.60', tax: '1.18', dueAtImport: '4.78' });
    });

    it('relieves a gift between individuals of CAD 60.00', () => {
      const declaration = aDeclarationFor('CA', {
        transactionType: 'C2C',
        items: items({ value: '60.00', category: 'GIFT' }),
      });

      expect(assessIn('CA', declaration, CUSTOMS_TARIFF).assessment.notes).toEqual(['GIFT_RELIEF']);
    });

    // The consignee's province decides GST or HST (rates by province in 2025:
    // https://ace-volve.com/nova-scotia-to-cut-hst-rate-in-2025; Nova Scotia 15 % to 14 % from 2025-04-01,
    // also on goods imported by a resident: https://www.demersbeaulne.com/en/2025/03/08/hst-reduction-in-nova-scotia-are-you-ready/).
    const inProvince = (region: string, importDate: string) =>
      aDeclarationFor('CA', {
        importDate,
        channel: 'POST',
        consignee: {
          name: 'Jean Tremblay',
          address: { line1: '1 Main St', city: 'Town', postcode: 'A1A 1A1', country: 'CA', region },
        },
        items: items({ value: '100.00' }),
      });

    it('charges HST 13% in Ontario instead of GST: duty 18.00; HST 13% x 118.00 = 15.34', () => {
      const outcome = assessIn('CA', inProvince('CA-ON', '2026-07-01'), CUSTOMS_TARIFF);

      expect(taxSummary(outcome)).toEqual(['HST 118.00 0.13 15.34 import']);
    });

    it('charges Nova Scotia HST at 15% until 2025-03-31 and 14% from 2025-04-01 (17.70 then 16.52)', () => {
      const before = assessIn('CA', inProvince('CA-NS', '2025-03-31'), CUSTOMS_TARIFF);
      const after = assessIn('CA', inProvince('CA-NS', '2025-04-01'), CUSTOMS_TARIFF);

      expect(taxSummary(before)).toEqual(['HST 118.00 0.15 17.70 import']);
      expect(taxSummary(after)).toEqual(['HST 118.00 0.14 16.52 import']);
    });

    it('charges GST 5% in Quebec and Alberta, which levy no HST (5.90)', () => {
      expect(taxSummary(assessIn('CA', inProvince('CA-QC', '2026-07-01'), CUSTOMS_TARIFF))).toEqual([
        'GST 118.00 0.05 5.90 import',
      ]);
      expect(taxSummary(assessIn('CA', inProvince('CA-AB', '2026-07-01'), CUSTOMS_TARIFF))).toEqual([
        'GST 118.00 0.05 5.90 import',
      ]);
    });

    // CBSA: the CAD 20/40/150 thresholds do not cover alcohol or tobacco
    // (https://cbsa-asfc.gc.ca/services/cusma-aceum/lvs-efv-eng.html).
    it('keeps wine outside the CAD 40 courier relief: CAD 30.00 of wine pays duty and GST', () => {
      const wine = aDeclarationFor('CA', {
        channel: 'EXPRESS',
        dispatchCountry: 'US',
        items: items({ hsCode: '220421', value: '30.00', originCountry: 'US' }),
      });

      const outcome = assessIn('CA', wine, { tariffRates: [tariff('2204', '0.10')] });

      // Duty 10% x 30.00 = 3.00; GST 5% x 33.00 = 1.65
      expect(outcome.assessment.totals).toMatchObject({ duty: '3.00', tax: '1.65', dueAtImport: '4.65' });
    });

    it('keeps cigarettes outside the CAD 20 postal relief while the other goods stay relieved', () => {
      const parcel = aDeclarationFor('CA', {
        channel: 'POST',
        items: items({ value: '5.00' }, { hsCode: '240220', value: '10.00' }),
      });

      const outcome = assessIn('CA', parcel, {
        tariffRates: [tariff('6109', '0.18'), tariff('2402', '0.10')],
      });

      // Only the tobacco line: duty 10% x 10.00 = 1.00; GST 5% x 11.00 = 0.55
      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 240220 10.00 0.1 1.00']);
      expect(taxSummary(outcome)).toEqual(['GST 11.00 0.05 0.55 import']);
    });
  });

  describe('AU', () => {
    const AU_TARIFF = { tariffRates: [tariff('6109', '0.05'), tariff('2204', '0.05')] };
    const sale = (value: string) =>
      aDeclarationFor('AU', {
        collectionModel: 'SELLER_AT_CHECKOUT',
        taxRegistration: { scheme: 'AU_GST', number: 'ARN-3000123456' },
        transportCost: '20.00',
        insuranceCost: '5.00',
        items: items(value),
      });

    it('charges GST at the sale on AUD 1,000.00 including delivery and insurance: 10% x 1,025.00 = 102.50', () => {
      const { assessment } = assessIn('AU', sale('1000.00'), AU_TARIFF);

      expect(assessment).toMatchObject({
        ruleSet: ['AU@2018-07-01'],
        customsValue: '1000.00',
        lowValue: true,
        declarationType: 'SAC',
        duties: [],
        totals: { tax: '102.50', collectedAtCheckout: '102.50', dueAtImport: '0.00' },
        notes: ['DUTY_RELIEF_LOW_VALUE', 'LOW_VALUE_SALE_COLLECTION'],
      });
      expect(taxSummary({ assessment })).toEqual(['GST 1025.00 0.1 102.50 checkout']);
    });

    it('charges duty and border GST on AUD 1,000.01: 5% x 1,000.01 = 50.00; GST 10% x (1,000.01 + 50.00 + 25.00) = 107.50', () => {
      const outcome = assessIn('AU', sale('1000.01'), AU_TARIFF);

      expect(outcome.assessment).toMatchObject({
        lowValue: false,
        declarationType: 'FID',
        customsValue: '1000.01',
      });
      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY 610910 1000.01 0.05 50.00']);
      expect(taxSummary(outcome)).toEqual(['GST 1075.01 0.1 107.50 import']);
      expect(outcome.assessment.totals).toMatchObject({ collectedAtCheckout: '0.00', dueAtImport: '157.50' });
    });

    it('charges duty and GST at the border on alcohol of any value: wine AUD 100.00 -> 5.00 and 10% x 105.00 = 10.50', () => {
      const declaration = aDeclarationFor('AU', { items: items({ hsCode: '220421', value: '100.00' }) });

      const { assessment } = assessIn('AU', declaration, AU_TARIFF);

      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'FID' });
      expect(assessment.totals).toMatchObject({ duty: '5.00', tax: '10.50', dueAtImport: '15.50' });
    });

    it('charges nothing on a low-value gift between individuals', () => {
      const declaration = aDeclarationFor('AU', {
        transactionType: 'C2C',
        items: items({ value: '300.00', category: 'GIFT' }),
      });

      const { assessment } = assessIn('AU', declaration, AU_TARIFF);

      expect(assessment.totals.dueAtImport).toBe('0.00');
      expect(assessment.taxes).toEqual([]);
      expect(assessment.notes).toContain('TAX_RELIEF_LOW_VALUE');
    });
  });
});
