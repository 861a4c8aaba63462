// Goods-specific rates: reduced, super-reduced and zero rates by HS prefix, for import tax and for tax
// charged at the sale, and an administration's own rate winning over the pack's.
import { describe, expect, it } from 'vitest';
import {
  aDeclaration,
  aDeclarationFor,
  assessIn,
  IOSS_NUMBER,
  iossRegistration,
  items,
  tariff,
  taxSummary,
} from './support.js';

const BOOK = { hsCode: '490199', description: 'Paperback novel' };

describe('goods rates', () => {
  // Reduced VAT on printed books (DE 7 %, FR 5.5 %, IT 4 %, ES 4 %; Compendium of Cultural Policies:
  // http://www.culturalpolicies.net/web/comparisons-tables.php?aid=33&cid=45&lid=en&language=fr; NL 9 %
  // since its low rate rose in 2019: https://www.globalvatcompliance.com/vat-rates-for-ebooks-2020/).
  it('charges NL import VAT on a book at 9%: flat duty 3.00; 9% x (20.00 + 5.00 + 3.00) = 2.52', () => {
    const outcome = assessIn('NL', aDeclaration({ items: items({ ...BOOK, value: '20.00' }) }), {
      tariffRates: [tariff('4901', '0')],
    });

    expect(taxSummary(outcome)).toEqual(['VAT 28.00 0.09 2.52 import']);
    expect(outcome.assessment.notes).toContain('GOODS_RATE');
  });

  it('charges IOSS VAT at the book rate of the member state of consumption: DE 7% x 25.00 = 1.75', () => {
    const declaration = aDeclaration({
      destinationCountry: 'DE',
      collectionModel: 'SELLER_AT_CHECKOUT',
      taxRegistration: { scheme: 'IOSS', number: IOSS_NUMBER },
      items: items({ ...BOOK, value: '20.00' }),
    });

    const outcome = assessIn('NL', declaration, {
      tariffRates: [tariff('4901', '0')],
      taxRegistrations: [iossRegistration()],
    });

    expect(taxSummary(outcome)).toEqual(['VAT 25.00 0.07 1.75 checkout']);
  });

  it('splits a consignment of a book and a T-shirt into one VAT line per rate (transport spread by value)', () => {
    const declaration = aDeclaration({ items: items({ ...BOOK, value: '10.00' }, { value: '10.00' }) });

    const outcome = assessIn('NL', declaration, {
      tariffRates: [tariff('4901', '0'), tariff('6109', '0.12')],
    });

    // Two HS6: flat duty 2 x 3.00 = 6.00, 3.00 per line. Each line 10.00 + 2.50 transport + 3.00 duty = 15.50.
    expect(taxSummary(outcome)).toEqual(['VAT 15.50 0.09 1.40 import', 'VAT 15.50 0.21 3.26 import']);
  });

  // UK zero rates: books (VATA 1994 Sch. 8 Group 3) and young children's clothing (Group 16), also when the
  // seller charges VAT at the sale up to GBP 135 (HMRC VAT rates on goods and services:
  // https://www.gov.uk/guidance/rates-of-vat-on-different-goods-and-services).
  it('charges no UK VAT at the sale on a book up to GBP 135, and 20% on the T-shirt beside it', () => {
    const declaration = aDeclarationFor('GB', {
      collectionModel: 'SELLER_AT_CHECKOUT',
      items: items({ ...BOOK, value: '10.00' }, { value: '20.00' }),
    });

    const outcome = assessIn('GB', declaration, { tariffRates: [] });

    expect(taxSummary(outcome)).toEqual(['VAT 10.00 0 0.00 checkout', 'VAT 20.00 0.2 4.00 checkout']);
  });

  // Japan: 8 % on food from 2019-10-01 (National Tax Agency, reduced tax rate system:
  // https://www.nta.go.jp/taxes/shiraberu/zeimokubetsu/shohi/keigenzeiritsu/01.htm).
  it('charges Japanese consumption tax at 8% on tea above JPY 10,000: 8% x 20,000 = 1,600', () => {
    const declaration = aDeclarationFor('JP', { items: items({ hsCode: '090210', value: '20000' }) });

    const outcome = assessIn('JP', declaration, { tariffRates: [tariff('0902', '0')] });

    expect(taxSummary(outcome)).toEqual(['CONSUMPTION_TAX 20000 0.08 1600 import']);
  });

  // China: books at 9 % VAT (Announcement [2019] No. 39), at 70 % within the CBEC limits
  // (https://www.pwccn.com/en/china-tax-news/2019q1/chinatax-news-mar2019-8.pdf).
  it('charges Chinese VAT on a book at 9% x 70% = 6.3% within the CBEC limits: 6.3% x 100.00 = 6.30', () => {
    const declaration = aDeclarationFor('CN', {
      dispatchCountry: 'JP',
      consignee: {
        name: 'Li Wei',
        taxId: '110101199003070011',
        address: { line1: '1 Chang An Jie', city: 'Beijing', postcode: '100000', country: 'CN' },
      },
      items: items({ ...BOOK, value: '100.00' }),
    });

    const outcome = assessIn('CN', declaration, {
      tariffRates: [],
      annualTotal: { taxId: '110101199003070011', year: 2026, amount: '0' },
    });

    expect(taxSummary(outcome)).toEqual(['VAT 100.00 0.063 6.30 import']);
  });

  // Canada: basic groceries are zero-rated for GST and HST (CRA, GST/HST and basic groceries:
  // https://www.canada.ca/en/revenue-agency/services/forms-publications/publications/gi-029.html).
  it('charges no HST on fresh fruit imported into Ontario', () => {
    const declaration = aDeclarationFor('CA', {
      channel: 'POST',
      consignee: {
        name: 'Jean Tremblay',
        address: { line1: '1 Main St', city: 'Toronto', postcode: 'M5V 1A1', country: 'CA', region: 'CA-ON' },
      },
      items: items({ hsCode: '080450', value: '100.00' }),
    });

    const outcome = assessIn('CA', declaration, { tariffRates: [tariff('0804', '0')] });

    expect(taxSummary(outcome)).toEqual(['HST 100.00 0 0.00 import']);
  });

  it("lets the administration's rate for an HS prefix win over the pack's goods rate", () => {
    const outcome = assessIn('NL', aDeclaration({ items: items({ ...BOOK, value: '20.00' }) }), {
      tariffRates: [tariff('4901', '0')],
      taxRates: [
        { hsPrefix: '490199', rate: '0.21', validFrom: '2026-01-01', legalBasis: 'Administration decision' },
      ],
    });

    expect(taxSummary(outcome)).toEqual(['VAT 28.00 0.21 5.88 import']);
    expect(outcome.assessment.ruleSet).toContain('TAXRATE/490199@2026-01-01');
  });

  it('takes the longest admin prefix in force on the import date and names that version in the ruleSet', () => {
    const taxRates = [
      { hsPrefix: '49', rate: '0.21', validFrom: '2026-01-01', legalBasis: 'Chapter 49 decision' },
      {
        hsPrefix: '4901',
        rate: '0',
        validFrom: '2026-01-01',
        validTo: '2026-06-30',
        legalBasis: 'Zero rate',
      },
      { hsPrefix: '4901', rate: '0.05', validFrom: '2026-07-01', legalBasis: 'Reduced rate' },
    ];
    const on = (importDate: string) =>
      assessIn('NL', aDeclaration({ importDate, items: items({ ...BOOK, value: '20.00' }) }), {
        tariffRates: [tariff('4901', '0')],
        taxRates,
      }).assessment;

    const june = on('2026-06-30');
    const july = on('2026-07-01');

    expect(june.taxes.map((tax) => [tax.rate, tax.amount])).toEqual([['0', '0.00']]);
    expect(june.ruleSet.filter((id) => id.startsWith('TAXRATE/'))).toEqual(['TAXRATE/4901@2026-01-01']);
    // 5 % x (20.00 + 5.00 transport + 3.00 flat duty) = 1.40
    expect(july.taxes.map((tax) => [tax.rate, tax.amount])).toEqual([['0.05', '1.40']]);
    expect(july.ruleSet.filter((id) => id.startsWith('TAXRATE/'))).toEqual(['TAXRATE/4901@2026-07-01']);
  });

  it("applies the admin's rate at checkout under IOSS when the goods are consumed in the stack's country only", () => {
    const taxRates = [
      { hsPrefix: '4901', rate: '0.05', validFrom: '2026-01-01', legalBasis: 'Reduced rate' },
    ];
    const ioss = (destinationCountry: string) =>
      assessIn(
        'NL',
        aDeclaration({
          destinationCountry,
          collectionModel: 'SELLER_AT_CHECKOUT',
          taxRegistration: { scheme: 'IOSS', number: IOSS_NUMBER },
          items: items({ ...BOOK, value: '20.00' }),
        }),
        { tariffRates: [tariff('4901', '0')], taxRegistrations: [iossRegistration()], taxRates },
      );

    // 5 % x 25.00 = 1.25 in NL; Germany's own book rate, 7 % x 25.00 = 1.75, where the book is consumed there.
    expect(taxSummary(ioss('NL'))).toEqual(['VAT 25.00 0.05 1.25 checkout']);
    expect(taxSummary(ioss('DE'))).toEqual(['VAT 25.00 0.07 1.75 checkout']);
    expect(ioss('DE').assessment.ruleSet.some((id) => id.startsWith('TAXRATE/'))).toBe(false);
  });
});
