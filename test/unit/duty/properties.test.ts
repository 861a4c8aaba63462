// Properties of every assessment, over random declarations for every pack and date: amounts are never
// negative and carry exactly the currency's minor-unit decimals, totals are the sums of their lines, and
// what is due at import plus what is collected at checkout is everything charged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packFor, SUPPORTED_COUNTRIES, type SupportedCountry } from '../../../shared/countries/index.js';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { assess, type ReferenceData } from '../../../shared/domain/duty/assess.js';
import { AssessmentSchema } from '../../../shared/domain/duty/assessment.js';
import { Decimal, minorUnitDigits } from '../../../shared/domain/money.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';
import { fx, IOSS_NUMBER, iossRegistration, tariff } from './support.js';

const HS_CODES = [
  '610910',
  '61091000',
  '640399',
  '420221',
  '420222',
  '220421',
  '240220',
  '330300',
  '910211',
  '847130',
  '490199',
];
const EU_DESTINATIONS = ['NL', 'DE', 'FR', 'IT', 'ES', 'BE', 'FI', 'EE', 'RO'];
const TAX_ID = 'ID-0001';

const reference = (annual: string): ReferenceData => ({
  tariffRates: [
    tariff('61', '0.12'),
    tariff('64', '0.08'),
    tariff('42', '0.1'),
    tariff('4202', '0.035'),
    tariff('22', '0.05'),
    { hsCode: '2204', specific: { amount: '0.32', per: 'KG' }, validFrom: '2000-01-01' },
    { hsCode: '24', dutyRate: '0.7', specific: { amount: '0.05', per: 'ITEM' }, validFrom: '2000-01-01' },
    tariff('33', '0.03'),
    tariff('91', '0.08'),
    tariff('84', '0'),
    tariff('49', '0'),
  ],
  exchangeRates: [fx('USD', '0.9234'), fx('EUR', '1.0837'), fx('USD', '1.0001', '2027-01-01')],
  taxRegistrations: [iossRegistration({ validTo: '2027-12-31' })],
  annualTotal: { taxId: TAX_ID, year: 0, amount: annual },
});

/** A decimal string with the currency's decimals, from 0.01 (or 1) to `max` whole units. */
const amount = (currency: string, max: number, min = 1) => {
  const digits = minorUnitDigits(currency);
  return fc
    .integer({ min, max: max * 10 ** digits })
    .map((units) => new Decimal(units).div(10 ** digits).toFixed(digits));
};

const dates = fc
  .integer({ min: 0, max: 365 * 5 })
  .map((days) => new Date(Date.UTC(2025, 0, 1 + days)).toISOString().slice(0, 10));

const declarations = fc
  .record({
    country: fc.constantFrom(...SUPPORTED_COUNTRIES),
    foreignCurrency: fc.boolean(),
    importDate: dates,
    euDestination: fc.constantFrom(...EU_DESTINATIONS),
    channel: fc.constantFrom('POST', 'EXPRESS', 'FREIGHT' as const),
    transactionType: fc.constantFrom('B2C', 'B2C', 'C2C', 'B2B', 'RETURN' as const),
    collectionModel: fc.constantFrom(
      'SELLER_AT_CHECKOUT',
      'INTERMEDIARY_ON_DELIVERY',
      'CONSUMER_AT_IMPORT',
      'DEFERRED_ACCOUNT' as const,
    ),
    ioss: fc.boolean(),
    taxId: fc.boolean(),
    dispatch: fc.constantFrom('CN', 'US', 'MX', 'VN'),
    annual: fc.integer({ min: 0, max: 30_000 }).map(String),
    lines: fc.array(
      fc.record({
        hsCode: fc.constantFrom(...HS_CODES),
        originCountry: fc.constantFrom('CN', 'US', 'MX', 'VN', 'HK'),
        quantity: fc.integer({ min: 1, max: 3 }),
        category: fc.constantFrom('SALE', 'SALE', 'SALE', 'GIFT', 'DOCUMENTS' as const),
        size: fc.constantFrom(20, 60, 60, 200, 2_000, 50_000),
        seed: fc.nat(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    transportSeed: fc.nat(),
    insuranceSeed: fc.nat(),
  })
  .chain((draft) => {
    const pack = packFor(draft.country);
    const stack = pack.currency;
    const currency = draft.foreignCurrency ? (stack === 'USD' ? 'EUR' : 'USD') : stack;
    return fc
      .tuple(
        fc.tuple(...draft.lines.map((line) => amount(currency, line.size))),
        amount(currency, 50, 0),
        amount(currency, 10, 0),
      )
      .map(([values, transportCost, insuranceCost]) => {
        const base = aDeclaration();
        const destinationCountry = pack.layers.includes('EU') ? draft.euDestination : draft.country;
        const declaration: Declaration = aDeclaration({
          importDate: draft.importDate,
          dispatchCountry: draft.dispatch,
          destinationCountry,
          channel: draft.channel,
          transactionType: draft.transactionType,
          collectionModel: draft.collectionModel,
          currency,
          transportCost,
          insuranceCost,
          consignee: {
            ...base.consignee,
            address: { ...base.consignee.address, country: destinationCountry },
            ...(draft.taxId ? { taxId: TAX_ID } : {}),
          },
          ...(draft.ioss ? { taxRegistration: { scheme: 'IOSS' as const, number: IOSS_NUMBER } } : {}),
          items: draft.lines.map((line, index) =>
            anItem({
              hsCode: line.hsCode,
              originCountry: line.originCountry,
              quantity: line.quantity,
              category: line.category,
              value: values[index] ?? '1',
            }),
          ),
        });
        return { country: draft.country as SupportedCountry, declaration, annual: draft.annual };
      });
  });

const sumOf = (amounts: readonly string[]) =>
  amounts.reduce((total, value) => total.plus(value), new Decimal(0));

const assessed = (country: SupportedCountry, declaration: Declaration, annual: string) => {
  const data = reference(annual);
  const year = Number((declaration.importDate ?? '').slice(0, 4));
  return assess(declaration, {
    pack: packFor(country),
    today: '2026-07-01',
    reference: { ...data, ...(data.annualTotal ? { annualTotal: { ...data.annualTotal, year } } : {}) },
  });
};

describe('assess', () => {
  it('never produces a negative amount, and writes every amount with the currency minor-unit decimals', () => {
    fc.assert(
      fc.property(declarations, ({ country, declaration, annual }) => {
        const { assessment } = assessed(country, declaration, annual);
        const digits = minorUnitDigits(assessment.currency);
        const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${digits}}$`);
        const amounts = [
          assessment.intrinsicValue,
          assessment.customsValue,
          ...assessment.duties.flatMap((line) => [line.base, line.amount]),
          ...assessment.taxes.flatMap((line) => [line.base, line.amount]),
          ...assessment.fees.map((line) => line.amount),
          ...Object.values(assessment.totals),
        ];
        for (const value of amounts) expect(value).toMatch(pattern);
        expect(AssessmentSchema.safeParse(assessment).success).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('makes each total the sum of its lines, and due at import + collected at checkout = duty + tax + fees', () => {
    fc.assert(
      fc.property(declarations, ({ country, declaration, annual }) => {
        const { assessment, rejection } = assessed(country, declaration, annual);
        const { totals } = assessment;

        expect(totals.duty).toBe(
          sumOf(assessment.duties.map((line) => line.amount)).toFixed(digitsOf(totals.duty)),
        );
        expect(totals.tax).toBe(
          sumOf(assessment.taxes.map((line) => line.amount)).toFixed(digitsOf(totals.tax)),
        );
        expect(totals.fees).toBe(
          sumOf(assessment.fees.map((line) => line.amount)).toFixed(digitsOf(totals.fees)),
        );
        expect(
          new Decimal(totals.collectedAtCheckout).equals(
            sumOf(assessment.taxes.filter((line) => line.collectedAtCheckout).map((line) => line.amount)),
          ),
        ).toBe(true);
        expect(
          new Decimal(totals.dueAtImport)
            .plus(totals.collectedAtCheckout)
            .equals(sumOf([totals.duty, totals.tax, totals.fees])),
        ).toBe(true);
        if (rejection) expect(totals.dueAtImport).toMatch(/^0(\.0+)?$/);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same assessment for the same declaration and data', () => {
    fc.assert(
      fc.property(declarations, ({ country, declaration, annual }) => {
        expect(assessed(country, declaration, annual)).toEqual(assessed(country, declaration, annual));
      }),
      { numRuns: 100 },
    );
  });
});

const digitsOf = (value: string) => value.split('.')[1]?.length ?? 0;
