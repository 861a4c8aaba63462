// Intake checks the law needs from some destinations and schemes: the Canadian province (GST or HST),
// the IOSS number's format. A failure names the field; nothing is stored.
import { describe, expect, it } from 'vitest';
import { parseDeclaration, toFieldErrors } from '../../../shared/domain/declaration/declaration.js';
import { aDeclaration } from '../../fixtures/declarations.js';

const errorsOf = (body: unknown) => {
  const parsed = parseDeclaration(body);
  return parsed.success ? [] : toFieldErrors(parsed.error);
};

const toCanada = (region?: string) => {
  const base = aDeclaration();
  return aDeclaration({
    destinationCountry: 'CA',
    currency: 'CAD',
    consignee: {
      ...base.consignee,
      address: { ...base.consignee.address, country: 'CA', ...(region ? { region } : {}) },
    },
  });
};

describe('parseDeclaration', () => {
  it('requires consignee.address.region for goods consumed in Canada', () => {
    expect(errorsOf(toCanada())).toEqual([
      {
        path: 'consignee.address.region',
        message: 'is required for goods consumed in Canada: the province or territory, e.g. CA-ON',
      },
    ]);
    expect(errorsOf(toCanada('CA-ON'))).toEqual([]);
  });

  it('names a region that is not a Canadian province or territory, or not an ISO 3166-2 code', () => {
    expect(errorsOf(toCanada('US-NY'))[0]?.path).toBe('consignee.address.region');
    expect(errorsOf(toCanada('Ontario'))).toEqual([
      { path: 'consignee.address.region', message: 'must be an ISO 3166-2 subdivision code such as CA-ON' },
    ]);
  });

  it('does not ask for a region elsewhere', () => {
    expect(errorsOf(aDeclaration())).toEqual([]);
  });

  // An IOSS number is "IM" + 3-digit member-state code + 6 digits + check digit (Commission guidance on
  // IOSS: https://vat-one-stop-shop.ec.europa.eu/one-stop-shop/import-one-stop-shop-ioss_en).
  it('refuses an IOSS number that is not IM followed by 10 digits', () => {
    const withIoss = (number: string) =>
      aDeclaration({ collectionModel: 'SELLER_AT_CHECKOUT', taxRegistration: { scheme: 'IOSS', number } });

    expect(errorsOf(withIoss('IM5280000123'))).toEqual([]);
    expect(errorsOf(withIoss('NL123456789B01'))).toEqual([
      {
        path: 'taxRegistration.number',
        message: 'must be an IOSS number: IM followed by 10 digits (e.g. IM5280000123)',
      },
    ]);
    expect(errorsOf(withIoss('IM52800001'))[0]?.path).toBe('taxRegistration.number');
  });
});
