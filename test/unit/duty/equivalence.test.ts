// The engine gives exactly the outcome of its slower predecessor (reference-engine.ts) for random
// declarations on every pack and date: same assessment, field for field and in the same order, or the same
// error. The declarations lean on what the faster engine computes differently: transport and insurance
// spread over many lines (equal values, so remainders tie; values that convert to zero, so weights are all
// zero), foreign currencies, lines relieved of tax (so bases add shares line by line), missing tariff rates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packFor, SUPPORTED_COUNTRIES, type SupportedCountry } from '../../../shared/countries/index.js';
import type { Declaration } from '../../../shared/domain/declaration.js';
import { type AssessmentOutcome, assess, type ReferenceData } from '../../../shared/domain/duty/assess.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';
import { referenceAssess } from './reference-engine.js';
import { fx, IOSS_NUMBER, iossRegistration, tariff } from './support.js';

const TAX_ID = 'ID-0001';
const EU_DESTINATIONS = ['NL', 'DE', 'FR', 'IT', 'ES', 'BE', 'RO'];
const HS_CODES = ['610910', '61091000', '640399', '420222', '220421', '240220', '330300', '847130'];
/** No tariff rate below: a declaration with it is refused for missing reference data. */
const UNKNOWN_HS_CODE = '950300';

const referenceData = (year: number, annual: string, withSurcharges: boolean): ReferenceData => ({
  tariffRates: [
    tariff('61', '0.12'),
    tariff('64', '0.08'),
    tariff('6403', '0.17', '2026-01-01'),
    tariff('42', '0.1'),
    tariff('4202', '0.035'),
    tariff('22', '0.05'),
    { hsCode: '2204', specific: { amount: '0.32', per: 'KG' }, validFrom: '2000-01-01' },
    { hsCode: '24', dutyRate: '0.7', specific: { amount: '0.05', per: 'ITEM' }, validFrom: '2000-01-01' },
    tariff('33', '0.03'),
    tariff('84', '0'),
  ],
  exchangeRates: [fx('USD', '0.9234'), fx('EUR', '1.0837'), fx('USD', '1.000123456789', '2027-01-01')],
  taxRegistrations: [iossRegistration({ validTo: '2027-12-31' })],
  annualTotal: { taxId: TAX_ID, year, amount: annual },
  ...(withSurcharges
    ? {
        originSurcharges: [
          {
            code: 'TEST_SURCHARGE',
            originCountries: ['CN', 'VN'],
            rate: '0.25',
            validFrom: '2025-01-01',
            legalBasis: 'Test surcharge',
          },
        ],
      }
    : {}),
});

/** Amounts of every shape the contract admits: whole, cents, sub-cent (rounded or zeroed on conversion). */
const amount = fc.oneof(
  fc.integer({ min: 1, max: 5_000 }).map((cents) => (cents / 100).toFixed(2)),
  fc.integer({ min: 1, max: 100_000 }).map(String),
  fc.integer({ min: 1, max: 99 }).map((tenths) => `0.00${tenths}`),
  fc.constantFrom('0.01', '19.99', '1000000000.5', '123456789012345678.123456789012'),
);
const cost = fc.oneof(
  { arbitrary: fc.constantFrom('0', '0.00'), weight: 1 },
  { arbitrary: amount, weight: 3 },
);

const dates = fc
  .integer({ min: 0, max: 365 * 4 })
  .map((days) => new Date(Date.UTC(2025, 0, 1 + days)).toISOString().slice(0, 10));

const cases = fc
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
    surcharges: fc.boolean(),
    unknownHsCode: fc.integer({ min: 0, max: 9 }).map((draw) => draw === 0),
    annual: fc.integer({ min: 0, max: 30_000 }).map(String),
    // A few values shared by many lines, so that remainders tie.
    values: fc.array(amount, { minLength: 1, maxLength: 4 }),
    lines: fc.array(
      fc.record({
        hsCode: fc.constantFrom(...HS_CODES),
        originCountry: fc.constantFrom('CN', 'US', 'VN', 'HK'),
        quantity: fc.integer({ min: 1, max: 3 }),
        category: fc.constantFrom('SALE', 'SALE', 'SALE', 'GIFT', 'SAMPLE', 'RETURN', 'DOCUMENTS' as const),
        value: fc.nat(),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    transportCost: cost,
    insuranceCost: fc.option(cost, { nil: undefined }),
  })
  .map((draft) => {
    const pack = packFor(draft.country);
    const stack = pack.currency;
    const currency = draft.foreignCurrency ? (stack === 'USD' ? 'EUR' : 'USD') : stack;
    const destinationCountry = pack.layers.includes('EU') ? draft.euDestination : draft.country;
    const base = aDeclaration();
    const declaration: Declaration = aDeclaration({
      importDate: draft.importDate,
      dispatchCountry: 'CN',
      destinationCountry,
      channel: draft.channel,
      transactionType: draft.transactionType,
      collectionModel: draft.collectionModel,
      currency,
      transportCost: draft.transportCost,
      consignee: {
        ...base.consignee,
        address: { ...base.consignee.address, country: destinationCountry },
        ...(draft.taxId ? { taxId: TAX_ID } : {}),
      },
      ...(draft.insuranceCost === undefined ? {} : { insuranceCost: draft.insuranceCost }),
      ...(draft.ioss ? { taxRegistration: { scheme: 'IOSS' as const, number: IOSS_NUMBER } } : {}),
      items: draft.lines.map((line, index) =>
        anItem({
          hsCode: draft.unknownHsCode && index === 0 ? UNKNOWN_HS_CODE : line.hsCode,
          originCountry: line.originCountry,
          quantity: line.quantity,
          category: line.category,
          value: draft.values[line.value % draft.values.length] ?? '1',
        }),
      ),
    });
    if (draft.insuranceCost === undefined) delete declaration.insuranceCost;
    const year = Number(draft.importDate.slice(0, 4));
    return {
      country: draft.country as SupportedCountry,
      declaration,
      reference: referenceData(year, draft.annual, draft.surcharges),
    };
  });

type Attempt = { outcome: AssessmentOutcome } | { error: unknown };

const attempt = (run: () => AssessmentOutcome): Attempt => {
  try {
    return { outcome: run() };
  } catch (error) {
    return { error };
  }
};

/** An attempt as text: the outcome with its fields in order, or the error's class, message and details. */
const written = (result: Attempt): string =>
  'outcome' in result
    ? JSON.stringify(result.outcome)
    : JSON.stringify({
        error: (result.error as Error).constructor.name,
        message: (result.error as Error).message,
        details: { ...(result.error as object) },
      });

describe('assess', () => {
  it('gives exactly the outcome of the reference engine, or the same error', () => {
    fc.assert(
      fc.property(cases, ({ country, declaration, reference }) => {
        const context = { pack: packFor(country), today: '2026-07-01', reference };
        const expected = written(attempt(() => referenceAssess(declaration, context)));
        expect(written(attempt(() => assess(declaration, context)))).toBe(expected);
        // Again with the same reference data: tariff answers now come from the index.
        expect(written(attempt(() => assess(declaration, context)))).toBe(expected);
      }),
      { numRuns: 600 },
    );
  });

  it('spreads transport over many lines of few values exactly as the reference engine does', () => {
    const manyLines = fc.record({
      country: fc.constantFrom('NL', 'AU', 'GB', 'JP' as const),
      values: fc.array(amount, { minLength: 1, maxLength: 3 }),
      picks: fc.array(fc.nat(), { minLength: 2, maxLength: 120 }),
      gifts: fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
      transportCost: amount,
    });
    fc.assert(
      fc.property(manyLines, ({ country, values, picks, gifts, transportCost }) => {
        const pack = packFor(country);
        const declaration = aDeclaration({
          destinationCountry: country,
          currency: pack.currency,
          transportCost,
          insuranceCost: '0',
          items: picks.map((pick, index) =>
            anItem({
              value: values[pick % values.length] ?? '1',
              category: gifts[index] ? 'GIFT' : 'SALE',
            }),
          ),
        });
        const context = {
          pack,
          today: '2026-07-01',
          reference: { tariffRates: [tariff('61', '0.12')] },
        };
        expect(written(attempt(() => assess(declaration, context)))).toBe(
          written(attempt(() => referenceAssess(declaration, context))),
        );
      }),
      { numRuns: 300 },
    );
  });
});
