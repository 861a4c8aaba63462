// EU member-state stacks. Worked examples from the law (DESIGN.md section 4): customs value CIF, import VAT
// on customs value + duty, EUR 150 low-value regime, duty relief until 2026-06-30, flat EUR 3 per distinct
// HS6 from 2026-07-01 to 2028-06-30, IOSS, special arrangements, C2C gifts, national data.
import { describe, expect, it } from 'vitest';
import { MissingReferenceDataError } from '../../../shared/domain/duty/assess.js';
import { dueFromPayer } from '../../../shared/domain/duty/assessment.js';
import {
  aDeclaration,
  assessIn,
  dutySummary,
  fx,
  IOSS_NUMBER,
  iossRegistration,
  items,
  tariff,
  taxSummary,
} from './support.js';

const TSHIRT_12 = tariff('6109', '0.12');
const CCT = { tariffRates: [TSHIRT_12, tariff('6403', '0.08')] };
const withIoss = { ...CCT, taxRegistrations: [iossRegistration()] };
const iossSale = {
  collectionModel: 'SELLER_AT_CHECKOUT',
  taxRegistration: { scheme: 'IOSS', number: IOSS_NUMBER },
} as const;

describe('assess', () => {
  describe('EU low-value regime around the 2026-07-01 change', () => {
    it('charges the flat EUR 3 duty on 2026-07-01: CV 20.00 + 5.00 = 25.00; VAT 21% x (25.00 + 3.00) = 5.88', () => {
      // Prepare
      const declaration = aDeclaration({ importDate: '2026-07-01' });

      // Act
      const { assessment } = assessIn('NL', declaration, CCT);

      // Assess
      expect(assessment.ruleSet).toEqual(['EU@2026-07-01', 'NL@2026-01-01']);
      expect(assessment).toMatchObject({
        currency: 'EUR',
        intrinsicValue: '20.00',
        customsValue: '25.00',
        lowValue: true,
        declarationType: 'H7',
        totals: {
          duty: '3.00',
          tax: '5.88',
          fees: '0.00',
          collectedAtCheckout: '0.00',
          dueAtImport: '8.88',
          dueFromDeclarant: '3.00',
        },
        payer: 'CONSUMER',
        notes: ['EU_FLAT_DUTY_LOW_VALUE'],
      });
      expect(assessment.duties).toEqual([
        {
          code: 'EU_FLAT_DUTY',
          hsCode: '610910',
          base: '25.00',
          amount: '3.00',
          legalBasis: expect.any(String),
          payer: 'PLATFORM',
        },
      ]);
      expect(taxSummary({ assessment })).toEqual(['VAT 28.00 0.21 5.88 import']);
    });

    it('relieves duty on 2026-06-30: VAT 21% x 25.00 = 5.25, no duty', () => {
      const { assessment } = assessIn('NL', aDeclaration({ importDate: '2026-06-30' }), CCT);

      expect(assessment.ruleSet).toEqual(['EU@2021-07-01', 'NL@2026-01-01']);
      expect(assessment.duties).toEqual([]);
      expect(assessment.totals).toEqual({
        duty: '0.00',
        tax: '5.25',
        fees: '0.00',
        collectedAtCheckout: '0.00',
        dueAtImport: '5.25',
      });
      expect(assessment.notes).toEqual(['DUTY_RELIEF_LOW_VALUE']);
    });

    it('treats EUR 150.00 exactly as low value on 2026-07-01: flat 3.00; VAT 21% x (155.00 + 3.00) = 33.18', () => {
      const { assessment } = assessIn(
        'NL',
        aDeclaration({ items: items('150.00'), transportCost: '5.00' }),
        CCT,
      );

      expect(assessment).toMatchObject({ lowValue: true, declarationType: 'H7', customsValue: '155.00' });
      expect(dutySummary({ assessment })).toEqual(['EU_FLAT_DUTY 610910 155.00 - 3.00']);
      expect(assessment.totals.tax).toBe('33.18');
    });

    it('charges the tariff one cent above: 12% x 155.01 = 18.60; VAT 21% x (155.01 + 18.60) = 36.46, H1', () => {
      const { assessment } = assessIn('NL', aDeclaration({ items: items('150.01') }), CCT);

      expect(assessment).toMatchObject({ lowValue: false, declarationType: 'H1', customsValue: '155.01' });
      expect(dutySummary({ assessment })).toEqual(['CUSTOMS_DUTY 610910 155.01 0.12 18.60']);
      expect(taxSummary({ assessment })).toEqual(['VAT 173.61 0.21 36.46 import']);
      expect(assessment.totals.dueAtImport).toBe('55.06');
    });

    it('relieves duty at EUR 150.00 on 2026-06-30 (VAT 21% x 155.00 = 32.55) and not at 150.01', () => {
      const at = assessIn('NL', aDeclaration({ importDate: '2026-06-30', items: items('150.00') }), CCT);
      const above = assessIn('NL', aDeclaration({ importDate: '2026-06-30', items: items('150.01') }), CCT);

      expect(at.assessment.totals).toMatchObject({ duty: '0.00', tax: '32.55' });
      expect(above.assessment.totals).toMatchObject({ duty: '18.60', tax: '36.46' });
    });

    it('charges EUR 3 per distinct HS6: 610910 twice (one a national extension) and 640399 = 6.00', () => {
      // Transport 5.00 spread by value 20/10/30: 1.67 (largest remainder), 0.83, 2.50.
      // HS 610910 base 21.67 + 10.83 = 32.50; HS 640399 base 32.50. VAT 21% x (65.00 + 6.00) = 14.91.
      const declaration = aDeclaration({
        items: items('20.00', { hsCode: '61091000', value: '10.00' }, { hsCode: '640399', value: '30.00' }),
      });

      const outcome = assessIn('NL', declaration, CCT);

      expect(dutySummary(outcome)).toEqual([
        'EU_FLAT_DUTY 610910 32.50 - 3.00',
        'EU_FLAT_DUTY 640399 32.50 - 3.00',
      ]);
      expect(taxSummary(outcome)).toEqual(['VAT 71.00 0.21 14.91 import']);
    });

    it('includes excise goods in the flat duty from 2026-07-01 (wine EUR 30.00: duty 3.00, VAT 21% x 33.00 = 6.93, H1)', () => {
      const outcome = assessIn(
        'NL',
        aDeclaration({ items: items({ hsCode: '220421', value: '30.00' }), transportCost: '0' }),
      );

      expect(outcome.assessment).toMatchObject({ lowValue: true, declarationType: 'H1' });
      expect(outcome.assessment.totals).toMatchObject({ duty: '3.00', tax: '6.93' });
    });

    it('charges the tariff on alcohol before 2026-07-01 while relieving the other goods (specific 0.99 x 2 = 1.98)', () => {
      // VAT 21% x (20.00 + 30.00 + 1.98) = 10.9158 -> 10.92.
      const reference = {
        tariffRates: [
          TSHIRT_12,
          { hsCode: '220421', specific: { amount: '0.99', per: 'ITEM' as const }, validFrom: '2000-01-01' },
        ],
      };
      const declaration = aDeclaration({
        importDate: '2026-06-30',
        transportCost: '0',
        items: items('20.00', { hsCode: '220421', value: '30.00', quantity: 2 }),
      });

      const outcome = assessIn('NL', declaration, reference);

      expect(dutySummary(outcome)).toEqual(['CUSTOMS_DUTY_SPECIFIC 220421 30.00 - 1.98']);
      expect(outcome.assessment.totals).toMatchObject({ duty: '1.98', tax: '10.92' });
      expect(outcome.assessment.notes).toContain('DUTY_RELIEF_LOW_VALUE');
    });

    it('keeps the flat duty on 2028-06-30 and charges the tariff on low-value goods from 2028-07-01 (12% x 25.00 = 3.00)', () => {
      const before = assessIn('NL', aDeclaration({ importDate: '2028-06-30' }), CCT);
      const after = assessIn('NL', aDeclaration({ importDate: '2028-07-01' }), CCT);

      expect(dutySummary(before)).toEqual(['EU_FLAT_DUTY 610910 25.00 - 3.00']);
      expect(after.assessment.ruleSet).toEqual(['EU@2028-07-01', 'NL@2026-01-01']);
      expect(dutySummary(after)).toEqual(['CUSTOMS_DUTY 610910 25.00 0.12 3.00']);
      expect(after.assessment).toMatchObject({ lowValue: true, declarationType: 'H7' });
    });
  });

  describe('IOSS', () => {
    it('exempts import VAT for a valid IOSS consignment of EUR 150.00 (VAT at checkout 21% x 155.00 = 32.55; duty 3.00 at import)', () => {
      const declaration = aDeclaration({ ...iossSale, items: items('150.00') });

      const { assessment } = assessIn('NL', declaration, withIoss);

      expect(taxSummary({ assessment })).toEqual(['VAT 155.00 0.21 32.55 checkout']);
      expect(assessment.totals).toEqual({
        duty: '3.00',
        tax: '32.55',
        fees: '0.00',
        collectedAtCheckout: '32.55',
        dueAtImport: '3.00',
      });
      expect(assessment.notes).toEqual(['EU_FLAT_DUTY_LOW_VALUE', 'VAT_EXEMPT_IOSS']);
      expect(assessment.payer).toBe('SELLER');
    });

    it('charges the rate of the member state of consumption: DE 19% x 25.00 = 4.75 in the NL stack', () => {
      const outcome = assessIn('NL', aDeclaration({ ...iossSale, destinationCountry: 'DE' }), withIoss);

      expect(taxSummary(outcome)).toEqual(['VAT 25.00 0.19 4.75 checkout']);
    });

    it('rounds half up at the consumption rate: FI 25.5% x 25.00 = 6.375 -> 6.38', () => {
      const outcome = assessIn('NL', aDeclaration({ ...iossSale, destinationCountry: 'FI' }), withIoss);

      expect(taxSummary(outcome)).toEqual(['VAT 25.00 0.255 6.38 checkout']);
    });

    it('does not apply above EUR 150: import VAT 36.46 on 150.01, note IOSS_NOT_APPLICABLE', () => {
      const outcome = assessIn('NL', aDeclaration({ ...iossSale, items: items('150.01') }), withIoss);

      expect(taxSummary(outcome)).toEqual(['VAT 173.61 0.21 36.46 import']);
      expect(outcome.assessment.totals.collectedAtCheckout).toBe('0.00');
      expect(outcome.assessment.notes).toContain('IOSS_NOT_APPLICABLE');
    });

    it('charges import VAT when the number is not in the registry (21% x 28.00 = 5.88)', () => {
      const outcome = assessIn('NL', aDeclaration(iossSale), { ...CCT, taxRegistrations: [] });

      expect(taxSummary(outcome)).toEqual(['VAT 28.00 0.21 5.88 import']);
      expect(outcome.assessment.notes).toContain('IOSS_NUMBER_NOT_VALID');
      expect(outcome.assessment.notes).not.toContain('VAT_EXEMPT_IOSS');
    });

    it('charges import VAT when the number expired the day before the import', () => {
      const reference = { ...CCT, taxRegistrations: [iossRegistration({ validTo: '2026-06-30' })] };

      const outcome = assessIn('NL', aDeclaration(iossSale), reference);

      expect(outcome.assessment.totals).toMatchObject({ tax: '5.88', collectedAtCheckout: '0.00' });
      expect(outcome.assessment.notes).toContain('IOSS_NUMBER_NOT_VALID');
    });

    it('accepts the number on its last valid day', () => {
      const reference = { ...CCT, taxRegistrations: [iossRegistration({ validTo: '2026-07-01' })] };

      const outcome = assessIn('NL', aDeclaration(iossSale), reference);

      expect(outcome.assessment.notes).toContain('VAT_EXEMPT_IOSS');
    });

    it('charges import VAT when the registry holds the number under another scheme', () => {
      const reference = { ...CCT, taxRegistrations: [iossRegistration({ scheme: 'OTHER' })] };

      const outcome = assessIn('NL', aDeclaration(iossSale), reference);

      expect(outcome.assessment.notes).toContain('IOSS_NUMBER_NOT_VALID');
      expect(outcome.assessment.totals.collectedAtCheckout).toBe('0.00');
    });

    it('does not cover excise goods: wine pays import VAT 21% x (30.00 + 3.00) = 6.93', () => {
      const declaration = aDeclaration({
        ...iossSale,
        transportCost: '0',
        items: items({ hsCode: '220421', value: '30.00' }),
      });

      const outcome = assessIn('NL', declaration, withIoss);

      expect(taxSummary(outcome)).toEqual(['VAT 33.00 0.21 6.93 import']);
      expect(outcome.assessment.notes).toContain('IOSS_NOT_APPLICABLE');
    });

    it('names the platform as payer when the marketplace holds the IOSS number', () => {
      const reference = {
        ...CCT,
        taxRegistrations: [iossRegistration({ holder: 'Marketplace', holderId: 'MARKETPLACE-9' })],
      };

      const outcome = assessIn('NL', aDeclaration(iossSale), reference);

      expect(outcome.assessment.payer).toBe('PLATFORM');
    });
  });

  describe('special arrangements', () => {
    it('collects import VAT on delivery when consumed in the member state of import (21% x 28.00 = 5.88)', () => {
      const outcome = assessIn('NL', aDeclaration({ collectionModel: 'INTERMEDIARY_ON_DELIVERY' }), CCT);

      expect(outcome.assessment).toMatchObject({
        payer: 'INTERMEDIARY',
        totals: { duty: '3.00', tax: '5.88', dueAtImport: '8.88' },
      });
      expect(outcome.assessment.notes).toContain('SPECIAL_ARRANGEMENTS');
    });

    it('are not available for consumption in another member state: ordinary NL import VAT', () => {
      const declaration = aDeclaration({
        collectionModel: 'INTERMEDIARY_ON_DELIVERY',
        destinationCountry: 'BE',
      });

      const outcome = assessIn('NL', declaration, CCT);

      expect(taxSummary(outcome)).toEqual(['VAT 28.00 0.21 5.88 import']);
      expect(outcome.assessment.notes).toContain('SPECIAL_ARRANGEMENTS_NOT_AVAILABLE');
    });
  });

  describe('the EUR 3 duty of 2026-07-01: distance sales only', () => {
    // Regulation (EU) 2026/382: the relief up to EUR 150 ends; the EUR 3 duty applies to distance sales
    // (B2C) up to EUR 150 whatever the VAT arrangement; other consignments pay the tariff
    // (https://wisetechacademy.com/news/eu-applies-3-customs-duty-per-item-on-low-value-e-commerce-consignments/,
    // https://manuelsamper.es/noticias/novedades-en-aduanas-para-el-comercio-electronico-desde-el-1-de-julio-de-2026/en).
    it('charges EUR 3.00 on a B2C consignment of EUR 100 and the 12% tariff (12.00) on the same goods sold B2B', () => {
      const sold = (transactionType: 'B2C' | 'B2B') =>
        assessIn('NL', aDeclaration({ transactionType, transportCost: '0', items: items('100.00') }), CCT);

      const toConsumer = sold('B2C');
      const toBusiness = sold('B2B');

      expect(dutySummary(toConsumer)).toEqual(['EU_FLAT_DUTY 610910 100.00 - 3.00']);
      expect(toConsumer.assessment).toMatchObject({ lowValue: true, declarationType: 'H7' });
      expect(dutySummary(toBusiness)).toEqual(['CUSTOMS_DUTY 610910 100.00 0.12 12.00']);
      // Still a low-value consignment for VAT (special arrangements), declared in H1.
      expect(toBusiness.assessment).toMatchObject({ lowValue: true, declarationType: 'H1' });
      expect(toBusiness.assessment.notes).not.toContain('DUTY_RELIEF_LOW_VALUE');
    });

    it('keeps the special arrangements open to a B2B consignment up to EUR 150 delivered by a carrier', () => {
      const outcome = assessIn(
        'NL',
        aDeclaration({
          transactionType: 'B2B',
          collectionModel: 'INTERMEDIARY_ON_DELIVERY',
          transportCost: '0',
          items: items('100.00'),
        }),
        CCT,
      );

      expect(outcome.assessment.notes).toContain('SPECIAL_ARRANGEMENTS');
      expect(outcome.assessment.totals).toMatchObject({ duty: '12.00', tax: '23.52' }); // 21% x 112.00
    });

    it('charges EUR 3 under every VAT arrangement: IOSS, special arrangements and import VAT alike', () => {
      const duty = (overrides: Parameters<typeof aDeclaration>[0]) =>
        assessIn('NL', aDeclaration({ transportCost: '0', items: items('100.00'), ...overrides }), withIoss)
          .assessment.totals.duty;

      expect(duty(iossSale)).toBe('3.00');
      expect(duty({ collectionModel: 'INTERMEDIARY_ON_DELIVERY' })).toBe('3.00');
      expect(duty({ collectionModel: 'CONSUMER_AT_IMPORT' })).toBe('3.00');
    });

    it('keeps the relief for a B2B consignment of EUR 100 on 2026-06-30, under the old Art. 23 relief', () => {
      const outcome = assessIn(
        'NL',
        aDeclaration({
          importDate: '2026-06-30',
          transactionType: 'B2B',
          transportCost: '0',
          items: items('100.00'),
        }),
        CCT,
      );

      expect(outcome.assessment.totals.duty).toBe('0.00');
      expect(outcome.assessment.notes).toContain('DUTY_RELIEF_LOW_VALUE');
    });
  });

  describe('the EUR 3 duty of 2026-07-01: the declarant owes it, not the consumer', () => {
    // Commission Delegated Regulation (EU) 2026/1022 places the duty on the declarant (seller, marketplace,
    // or the carrier or agent declaring for them), not the consumer
    // (https://www.owlbrief.com/briefs/14284-european-commission-updates-customs-declaration-data-for-eur-3-duty-on-distance-sales-eur150);
    // it is a customs debt paid at import, not through IOSS, and VAT is charged on it; two T-shirts and a pair
    // of shoes are two tariff subheadings, EUR 6 (https://merchants.glopal.com/en-us/blog/eu-customs-changes-on-1st-july-2026).
    const tshirtsAndShoes = aDeclaration({
      transportCost: '0',
      items: items({ hsCode: '610910', value: '30.00', quantity: 2 }, { hsCode: '640399', value: '30.00' }),
    });

    it('puts EUR 6.00 for two subheadings on the lodging platform; the consumer pays VAT 21% x (60.00 + 6.00) = 13.86', () => {
      const { assessment } = assessIn('NL', tshirtsAndShoes, CCT);

      expect(assessment.duties.map((line) => [line.hsCode, line.amount, line.payer])).toEqual([
        ['610910', '3.00', 'PLATFORM'],
        ['640399', '3.00', 'PLATFORM'],
      ]);
      expect(assessment.payer).toBe('CONSUMER');
      expect(assessment.totals).toEqual({
        duty: '6.00',
        tax: '13.86',
        fees: '0.00',
        collectedAtCheckout: '0.00',
        dueAtImport: '19.86',
        dueFromDeclarant: '6.00',
      });
      expect(dueFromPayer(assessment).toFixed(2)).toBe('13.86');
    });

    it('puts it on the post when a post lodged the item, as the carrier declaring it', () => {
      const { assessment } = assessIn('NL', tshirtsAndShoes, CCT, 'INTERMEDIARY');

      expect(assessment.duties.map((line) => line.payer)).toEqual(['INTERMEDIARY', 'INTERMEDIARY']);
      expect(assessment.totals.dueFromDeclarant).toBe('6.00');
    });

    it('needs no line payer where the account holder pays everything at import anyway (IOSS, carrier)', () => {
      const under = (overrides: Parameters<typeof aDeclaration>[0]) =>
        assessIn('NL', { ...tshirtsAndShoes, ...overrides }, withIoss).assessment;

      for (const assessment of [under(iossSale), under({ collectionModel: 'INTERMEDIARY_ON_DELIVERY' })]) {
        expect(assessment.payer).not.toBe('CONSUMER');
        expect(assessment.duties.every((line) => line.payer === undefined)).toBe(true);
        expect(assessment.totals.dueFromDeclarant).toBeUndefined();
        expect(dueFromPayer(assessment).toFixed(2)).toBe(assessment.totals.dueAtImport);
      }
    });

    it('leaves the tariff duty on a B2B consignment with the assessment payer', () => {
      const { assessment } = assessIn('NL', { ...tshirtsAndShoes, transactionType: 'B2B' }, CCT);

      expect(assessment.duties.every((line) => line.payer === undefined)).toBe(true);
      expect(assessment.totals.dueFromDeclarant).toBeUndefined();
    });
  });

  describe('non-commercial consignments', () => {
    const gift = (value: string, hsCode = '610910') =>
      aDeclaration({
        transactionType: 'C2C',
        transportCost: '0',
        items: items({ value, hsCode, category: 'GIFT' }),
      });

    it('relieves a C2C gift of EUR 45.00 from duty and VAT', () => {
      const { assessment } = assessIn('NL', gift('45.00'), CCT);

      expect(assessment).toMatchObject({
        duties: [],
        taxes: [],
        totals: { duty: '0.00', tax: '0.00', dueAtImport: '0.00' },
        notes: ['GIFT_RELIEF'],
        declarationType: 'H7',
      });
    });

    // A gift above EUR 45 is no distance sale: not the EUR 3 duty of Regulation (EU) 2026/382
    // (https://wisetechacademy.com/news/eu-applies-3-customs-duty-per-item-on-low-value-e-commerce-consignments/)
    // but the non-commercial flat rate, 2.5 % (https://legislation.gov.uk/eur/2008/275/article/1/adopted/data.html).
    it('charges a C2C gift of EUR 45.01 the 2.5% flat rate, not the EUR 3 duty: 1.13, VAT 21% x 46.14 = 9.69', () => {
      const outcome = assessIn('NL', gift('45.01'), CCT);

      expect(dutySummary(outcome)).toEqual(['FLAT_RATE_DUTY 610910 45.01 0.025 1.13']);
      expect(outcome.assessment.totals).toMatchObject({ duty: '1.13', tax: '9.69' });
      expect(outcome.assessment.notes).not.toContain('GIFT_RELIEF');
    });

    it('gives no gift relief to perfume: the 2.5% flat rate, 1.00, VAT 21% x 41.00 = 8.61', () => {
      const { assessment } = assessIn('NL', gift('40.00', '330300'), CCT);

      expect(assessment.notes).not.toContain('GIFT_RELIEF');
      expect(assessment.totals).toMatchObject({ duty: '1.00', tax: '8.61' });
    });

    // CN Annex I Part One II.D.1 and Regulation (EC) No 1186/2009 Art. 25(2)(c): "not of a commercial
    // nature" means sent free of payment of any kind (https://legislation.gov.uk/eur/2009/1186/title/II/chapter/VI/data.html).
    it('charges the 2.5% flat rate on a C2C gift of EUR 200.00 (5.00) and the tariff on a C2C sale (12% = 24.00)', () => {
      const c2c = (category: 'GIFT' | 'SALE') =>
        assessIn(
          'NL',
          aDeclaration({
            transactionType: 'C2C',
            transportCost: '0',
            items: items({ value: '200.00', category }),
          }),
          CCT,
        );

      const present = c2c('GIFT');
      const sale = c2c('SALE');

      expect(dutySummary(present)).toEqual(['FLAT_RATE_DUTY 610910 200.00 0.025 5.00']);
      expect(present.assessment.totals.tax).toBe('43.05'); // 21% x 205.00
      expect(present.assessment.notes).toEqual(['NON_COMMERCIAL_FLAT_RATE']);
      expect(dutySummary(sale)).toEqual(['CUSTOMS_DUTY 610910 200.00 0.12 24.00']);
      expect(sale.assessment.notes).not.toContain('NON_COMMERCIAL_FLAT_RATE');
    });

    it('charges no flat rate on a gift whose tariff rate is free: 2.5% on the T-shirt only', () => {
      const outcome = assessIn(
        'NL',
        aDeclaration({
          transactionType: 'C2C',
          transportCost: '0',
          items: items(
            { value: '100.00', category: 'GIFT' },
            { value: '100.00', category: 'GIFT', hsCode: '490199', description: 'printed novels' },
          ),
        }),
        { tariffRates: [...CCT.tariffRates, tariff('4901', '0')] },
      );

      expect(dutySummary(outcome)).toEqual([
        'FLAT_RATE_DUTY 610910 100.00 0.025 2.50',
        'CUSTOMS_DUTY 490199 100.00 0 0.00',
      ]);
    });

    it('relieves returned goods from duty and VAT', () => {
      const { assessment } = assessIn(
        'NL',
        aDeclaration({ transactionType: 'RETURN', items: items('400.00') }),
      );

      expect(assessment.totals).toMatchObject({ duty: '0.00', tax: '0.00' });
      expect(assessment.notes).toEqual(['RETURNED_GOODS_RELIEF']);
    });

    it('relieves a documents line and taxes the rest on its share of transport (VAT 21% x (24.76 + 3.00) = 5.83)', () => {
      // Transport 5.00 by value 20.00/1.00: 4.76 and 0.24 (largest remainder to the documents line).
      const declaration = aDeclaration({
        items: items('20.00', {
          hsCode: '490199',
          value: '1.00',
          category: 'DOCUMENTS',
          description: 'invoice copies',
        }),
      });

      const outcome = assessIn('NL', declaration, CCT);

      expect(dutySummary(outcome)).toEqual(['EU_FLAT_DUTY 610910 24.76 - 3.00']);
      expect(taxSummary(outcome)).toEqual(['VAT 27.76 0.21 5.83 import']);
      expect(outcome.assessment.notes).toContain('DOCUMENTS_RELIEF');
    });
  });

  describe('national data', () => {
    it('waives German import VAT under EUR 1: 19% x 5.23 = 0.99 -> 0.00 (2026-06-30)', () => {
      const declaration = aDeclaration({
        importDate: '2026-06-30',
        destinationCountry: 'DE',
        transportCost: '0',
        items: items('5.23'),
      });

      const { assessment } = assessIn('DE', declaration, CCT);

      expect(assessment.ruleSet).toEqual(['EU@2021-07-01', 'DE@2021-07-01']);
      expect(taxSummary({ assessment })).toEqual(['VAT 5.23 0.19 0.00 import']);
      expect(assessment.notes).toContain('BELOW_MINIMUM_COLLECTION');
    });

    it('collects German import VAT of EUR 1.00: 19% x 5.27 = 1.0013 -> 1.00', () => {
      const declaration = aDeclaration({
        importDate: '2026-06-30',
        destinationCountry: 'DE',
        transportCost: '0',
        items: items('5.27'),
      });

      const { assessment } = assessIn('DE', declaration, CCT);

      expect(assessment.totals.tax).toBe('1.00');
      expect(assessment.notes).not.toContain('BELOW_MINIMUM_COLLECTION');
    });

    it('charges no Italian fee on 2025-12-31 and EUR 2.00 per consignment from 2026-01-01 (VAT 22% x 25.00 = 5.50)', () => {
      const on = (importDate: string) =>
        assessIn('IT', aDeclaration({ importDate, destinationCountry: 'IT' }), CCT).assessment;

      const before = on('2025-12-31');
      const after = on('2026-01-01');

      expect(before.ruleSet).toEqual(['EU@2021-07-01', 'IT@2021-07-01']);
      expect(before.fees).toEqual([]);
      expect(after.ruleSet).toEqual(['EU@2021-07-01', 'IT@2026-01-01']);
      expect(after.fees).toEqual([
        { code: 'IT_HANDLING_FEE', amount: '2.00', legalBasis: expect.any(String) },
      ]);
      expect(after.totals).toMatchObject({ tax: '5.50', fees: '2.00', dueAtImport: '7.50' });
    });

    it('charges the Italian fee on every consignment up to EUR 150, a gift included, and none above', () => {
      const above = assessIn('IT', aDeclaration({ destinationCountry: 'IT', items: items('150.01') }), CCT);
      const gift = assessIn(
        'IT',
        aDeclaration({
          destinationCountry: 'IT',
          transactionType: 'C2C',
          items: items({ value: '30.00', category: 'GIFT' }),
        }),
        CCT,
      );

      expect(above.assessment.fees).toEqual([]);
      expect(gift.assessment.totals).toMatchObject({ tax: '0.00', fees: '2.00', dueAtImport: '2.00' });
    });

    // ADM circolare n. 37/2025: the EUR 150 limit is on the declared customs value (transport and
    // insurance included); every transaction type pays; re-imports do not
    // (https://www.zpcsrl.com/spedizioni-extra-ue-sotto-i-150e-nuovo-contributo-doganale-dal-2026).
    it('tests the Italian EUR 150 on the customs value: 140.00 + 10.00 transport pays 2.00, + 10.01 pays nothing', () => {
      const fees = (transportCost: string, transactionType: 'B2C' | 'RETURN' = 'B2C') =>
        assessIn(
          'IT',
          aDeclaration({ destinationCountry: 'IT', transactionType, transportCost, items: items('140.00') }),
          CCT,
        ).assessment.fees.map((fee) => `${fee.code} ${fee.amount}`);

      expect(fees('10.00')).toEqual(['IT_HANDLING_FEE 2.00']);
      expect(fees('10.01')).toEqual([]);
      expect(fees('0', 'RETURN')).toEqual([]);
    });

    // Taxe sur les petits colis: not levied in French Guiana, Mayotte and Saint-Martin
    // (https://consommer-aujourdhui.fr/?p=5053).
    it('charges the French small-parcel tax in Réunion but not in French Guiana, Mayotte or Saint-Martin', () => {
      const fees = (postcode: string) =>
        assessIn(
          'FR',
          aDeclaration({
            destinationCountry: 'FR',
            consignee: {
              name: 'Client',
              address: { line1: '1 rue de la Mer', city: 'Ville', postcode, country: 'FR' },
            },
          }),
          CCT,
        ).assessment.fees.map((fee) => `${fee.code} ${fee.amount}`);

      expect(fees('97400')).toEqual(['FR_SMALL_PARCEL_TAX 2.00']);
      expect(fees('75001')).toEqual(['FR_SMALL_PARCEL_TAX 2.00']);
      expect(fees('97300')).toEqual([]);
      expect(fees('97600')).toEqual([]);
      expect(fees('97150')).toEqual([]);
    });

    it('charges the French tax only on commercial consignments: none on a C2C gift', () => {
      const gift = assessIn(
        'FR',
        aDeclaration({
          destinationCountry: 'FR',
          transactionType: 'C2C',
          items: items({ value: '30.00', category: 'GIFT' }),
        }),
        CCT,
      );

      expect(gift.assessment.fees).toEqual([]);
    });

    it('charges the French small-parcel tax of EUR 2.00 per item from 2026-03-01: two items = 4.00 (VAT 20% x 50.00 = 10.00)', () => {
      const on = (importDate: string) =>
        assessIn(
          'FR',
          aDeclaration({
            importDate,
            destinationCountry: 'FR',
            transportCost: '0',
            items: items('20.00', { hsCode: '640399', value: '30.00' }),
          }),
          CCT,
        ).assessment;

      const before = on('2026-02-28');
      const after = on('2026-03-01');

      expect(before.fees).toEqual([]);
      expect(before.ruleSet).toEqual(['EU@2021-07-01', 'FR@2021-07-01']);
      expect(after.ruleSet).toEqual(['EU@2021-07-01', 'FR@2026-03-01']);
      expect(after.fees).toEqual([
        { code: 'FR_SMALL_PARCEL_TAX', amount: '4.00', legalBasis: expect.any(String) },
      ]);
      expect(after.totals).toMatchObject({ duty: '0.00', tax: '10.00', fees: '4.00', dueAtImport: '14.00' });
    });

    it('applies Spanish VAT 21% with the EU layer: flat 3.00, VAT 21% x 28.00 = 5.88', () => {
      const { assessment } = assessIn('ES', aDeclaration({ destinationCountry: 'ES' }), CCT);

      expect(assessment.ruleSet).toEqual(['EU@2026-07-01', 'ES@2021-07-01']);
      expect(assessment.totals).toMatchObject({ duty: '3.00', tax: '5.88' });
    });

    it('uses the dated Estonian rate for IOSS: 22% on 2025-06-30, 24% on 2025-07-01', () => {
      const on = (importDate: string) =>
        taxSummary(
          assessIn('NL', aDeclaration({ ...iossSale, importDate, destinationCountry: 'EE' }), withIoss),
        );

      expect(on('2025-06-30')).toEqual(['VAT 25.00 0.22 5.50 checkout']);
      expect(on('2025-07-01')).toEqual(['VAT 25.00 0.24 6.00 checkout']);
    });

    // Territorial status (Commission): Canary Islands and the French outermost regions are in the customs
    // territory but outside the VAT area; Ceuta and Melilla are outside both
    // (https://taxation-customs.ec.europa.eu/territorial-status-eu-countries-and-certain-territories_en).
    const consignedTo = (country: 'ES' | 'FR', postcode: string) =>
      aDeclaration({
        destinationCountry: country,
        consignee: {
          name: 'Ana García',
          address: { line1: 'Calle Mayor 1', city: 'Las Palmas', postcode, country },
        },
      });

    it('charges no Spanish VAT in the Canary Islands (35001), only the flat duty of 3.00', () => {
      const { assessment } = assessIn('ES', consignedTo('ES', '35001'), CCT);

      expect(assessment.taxes).toEqual([]);
      expect(assessment.totals).toMatchObject({ duty: '3.00', tax: '0.00', dueAtImport: '3.00' });
      expect(assessment.notes).toContain('OUTSIDE_VAT_TERRITORY');
    });

    it('charges neither VAT nor duty in Ceuta (51001) and Melilla (52001), outside the customs territory too', () => {
      for (const postcode of ['51001', '52001']) {
        const { assessment } = assessIn('ES', consignedTo('ES', postcode), CCT);

        expect(assessment.totals).toMatchObject({ duty: '0.00', tax: '0.00', dueAtImport: '0.00' });
        expect(assessment.notes).toEqual(
          expect.arrayContaining(['OUTSIDE_VAT_TERRITORY', 'OUTSIDE_CUSTOMS_TERRITORY']),
        );
      }
    });

    it('charges no French VAT in Réunion (97400), even under IOSS, and mainland VAT 20% x 28.00 = 5.60 in Paris', () => {
      const reunion = assessIn('FR', { ...consignedTo('FR', '97400'), ...iossSale }, withIoss).assessment;
      const paris = assessIn('FR', consignedTo('FR', '75001'), CCT).assessment;

      expect(reunion.taxes).toEqual([]);
      expect(reunion.totals).toMatchObject({ duty: '3.00', tax: '0.00', collectedAtCheckout: '0.00' });
      expect(paris.totals).toMatchObject({ duty: '3.00', tax: '5.60' });
    });

    it('rejects a destination outside the EU from a member-state stack', () => {
      const outcome = assessIn('NL', aDeclaration({ destinationCountry: 'US' }), CCT);

      expect(outcome.rejection?.code).toBe('DESTINATION_NOT_SERVED');
      expect(outcome.assessment.totals.dueAtImport).toBe('0.00');
    });
  });

  describe('exchange rates and tariff data', () => {
    it('converts each amount at the rate in force: USD 20.00 x 0.92 = 18.40, 5.00 x 0.92 = 4.60; VAT 21% x 26.00 = 5.46', () => {
      const rates = [
        fx('USD', '0.90', '2026-01-01'),
        fx('USD', '0.92', '2026-06-01'),
        fx('USD', '0.95', '2026-08-01'),
      ];

      const { assessment } = assessIn('NL', aDeclaration({ currency: 'USD' }), {
        ...CCT,
        exchangeRates: rates,
      });

      expect(assessment.exchangeRates).toEqual([{ currency: 'USD', rate: '0.92', validFrom: '2026-06-01' }]);
      expect(assessment).toMatchObject({ intrinsicValue: '18.40', customsValue: '23.00' });
      expect(assessment.totals).toMatchObject({ duty: '3.00', tax: '5.46' });
    });

    it('compares the threshold after conversion: USD 163.04 -> EUR 150.00 is low value, USD 163.05 -> 150.01 is not', () => {
      const reference = { ...CCT, exchangeRates: [fx('USD', '0.92')] };
      const at = assessIn('NL', aDeclaration({ currency: 'USD', items: items('163.04') }), reference);
      const above = assessIn('NL', aDeclaration({ currency: 'USD', items: items('163.05') }), reference);

      expect(at.assessment).toMatchObject({ intrinsicValue: '150.00', lowValue: true });
      expect(above.assessment).toMatchObject({ intrinsicValue: '150.01', lowValue: false });
    });

    it('raises MissingReferenceDataError naming the currency when no rate is in force', () => {
      const reference = { ...CCT, exchangeRates: [fx('USD', '0.92', '2026-08-01'), fx('GBP', '1.17')] };

      const act = () => assessIn('NL', aDeclaration({ currency: 'USD' }), reference);

      expect(act).toThrow(MissingReferenceDataError);
      expect(act).toThrow(expect.objectContaining({ missing: [{ kind: 'EXCHANGE_RATE', key: 'USD' }] }));
    });

    it('raises MissingReferenceDataError naming every HS code without a tariff rate', () => {
      const declaration = aDeclaration({
        items: items('100.00', { hsCode: '640399', value: '100.00' }, { hsCode: '847130', value: '100.00' }),
      });

      const act = () => assessIn('NL', declaration, { tariffRates: [tariff('6403', '0.08')] });

      expect(act).toThrow(
        expect.objectContaining({
          missing: [
            { kind: 'TARIFF_RATE', key: '610910' },
            { kind: 'TARIFF_RATE', key: '847130' },
          ],
        }),
      );
    });

    it('takes the longest prefix valid on the date: 610910 ended 2026-06-30, so 6109 (12%) beats 61 (10%)', () => {
      const reference = {
        tariffRates: [tariff('61', '0.10'), TSHIRT_12, tariff('610910', '0.08', '2020-01-01', '2026-06-30')],
      };
      const on = (importDate: string) =>
        dutySummary(
          assessIn('NL', aDeclaration({ importDate, transportCost: '0', items: items('200.00') }), reference),
        );

      expect(on('2026-06-30')).toEqual(['CUSTOMS_DUTY 610910 200.00 0.08 16.00']);
      expect(on('2026-07-01')).toEqual(['CUSTOMS_DUTY 610910 200.00 0.12 24.00']);
    });

    it('uses a 10-digit national rate when the table holds one', () => {
      const reference = { tariffRates: [TSHIRT_12, tariff('6109100010', '0.05')] };
      const declaration = aDeclaration({
        transportCost: '0',
        items: items({ hsCode: '6109100010', value: '200.00' }),
      });

      expect(dutySummary(assessIn('NL', declaration, reference))).toEqual([
        'CUSTOMS_DUTY 6109100010 200.00 0.05 10.00',
      ]);
    });

    it('uses importDate when given and the context date otherwise', () => {
      const declaration = aDeclaration();
      delete declaration.importDate;

      const { assessment } = assessIn('NL', declaration, CCT);

      expect(assessment.importDate).toBe('2026-07-01');
    });
  });
});
