// Shared helpers for the duty engine tests: declarations for any stack, reference data records, and
// assessment against a stack's pack.
import { packFor, type SupportedCountry } from '../../../shared/countries/index.js';
import type { Declaration, DeclarationItem } from '../../../shared/domain/declaration/declaration.js';
import {
  type AssessmentContext,
  type AssessmentOutcome,
  assess,
  type ExchangeRate,
  type ReferenceData,
  type TariffRate,
  type TaxRegistration,
} from '../../../shared/domain/duty/assess.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';

export { aDeclaration, anItem };

const CURRENCY: Record<SupportedCountry, string> = {
  NL: 'EUR',
  DE: 'EUR',
  FR: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  GB: 'GBP',
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  JP: 'JPY',
  CN: 'CNY',
};

/** A declaration for consumption in `country`, in its currency, with no transport unless overridden. */
export const aDeclarationFor = (
  country: SupportedCountry,
  overrides: Partial<Declaration> = {},
): Declaration => {
  const base = aDeclaration();
  return aDeclaration({
    destinationCountry: country,
    currency: CURRENCY[country],
    transportCost: '0',
    insuranceCost: '0',
    // A Canadian consignee names a province; Alberta levies GST only.
    consignee: {
      ...base.consignee,
      address: { ...base.consignee.address, country, ...(country === 'CA' ? { region: 'CA-AB' } : {}) },
    },
    ...overrides,
  });
};

/** Items of given values (in the declaration currency), each one unit of HS 610910 unless overridden. */
export const items = (...lines: (string | Partial<DeclarationItem>)[]): DeclarationItem[] =>
  lines.map((line) =>
    anItem(typeof line === 'string' ? { value: line, quantity: 1 } : { quantity: 1, ...line }),
  );

export const tariff = (
  hsCode: string,
  dutyRate: string,
  validFrom = '2000-01-01',
  validTo?: string,
): TariffRate => ({
  hsCode,
  dutyRate,
  validFrom,
  ...(validTo ? { validTo } : {}),
});

export const fx = (currency: string, rate: string, validFrom = '2020-01-01'): ExchangeRate => ({
  currency,
  rate,
  validFrom,
});

export const IOSS_NUMBER = 'IM5280000001';

export const iossRegistration = (overrides: Partial<TaxRegistration> = {}): TaxRegistration => ({
  number: IOSS_NUMBER,
  scheme: 'IOSS',
  holder: 'Shenzhen Apparel Co',
  holderId: 'SELLER-1',
  validFrom: '2021-07-01',
  ...overrides,
});

export const assessIn = (
  country: SupportedCountry,
  declaration: Declaration,
  reference: ReferenceData = {},
  declarant?: AssessmentContext['declarant'],
): AssessmentOutcome =>
  assess(declaration, {
    pack: packFor(country),
    today: '2026-07-01',
    reference,
    ...(declarant ? { declarant } : {}),
  });

/** Duties as `code hsCode base rate amount`, for compact assertions. */
export const dutySummary = (outcome: AssessmentOutcome): string[] =>
  outcome.assessment.duties.map((line) =>
    [line.code, line.hsCode ?? '-', line.base, line.rate ?? '-', line.amount].join(' '),
  );

/** Taxes as `code base rate amount checkout|import`. */
export const taxSummary = (outcome: AssessmentOutcome): string[] =>
  outcome.assessment.taxes.map((line) =>
    [line.code, line.base, line.rate, line.amount, line.collectedAtCheckout ? 'checkout' : 'import'].join(
      ' ',
    ),
  );
