import { describe, expect, it } from 'vitest';
import type { Assessment } from '../../../shared/domain/duty/assessment.js';
import {
  honourQuote,
  materialHash,
  QuoteRequestSchema,
  type StoredQuote,
} from '../../../shared/domain/duty/quote.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';

const anAssessment = (
  totals: Partial<Assessment['totals']> = {},
  overrides: Partial<Assessment> = {},
): Assessment => ({
  ruleSet: ['EU@2026-07-01', 'NL@2026-01-01'],
  importDate: '2026-12-01',
  currency: 'EUR',
  exchangeRates: [],
  intrinsicValue: '200.00',
  customsValue: '205.00',
  lowValue: false,
  declarationType: 'H1',
  duties: [],
  taxes: [],
  fees: [],
  totals: {
    duty: '10.00',
    tax: '45.00',
    fees: '0.00',
    collectedAtCheckout: '0.00',
    dueAtImport: '55.00',
    ...totals,
  },
  payer: 'CONSUMER',
  notes: [],
  ...overrides,
});

const aQuote = (declaration = aDeclaration(), overrides: Partial<StoredQuote> = {}): StoredQuote => ({
  quoteId: 'qt_1',
  createdAt: '2026-11-30T10:00:00.000Z',
  expiresAt: '2026-12-30T10:00:00.000Z',
  materialHash: materialHash(declaration),
  assessment: anAssessment(),
  ...overrides,
});

const NOW = '2026-12-01T09:00:00.000Z';

describe('materialHash', () => {
  it('ignores references, descriptions, parties and how amounts are written', () => {
    const base = aDeclaration({ items: [anItem({ value: '20.00' })], transportCost: '5.00' });
    const same = aDeclaration({
      reference: 'OTHER',
      quoteId: 'qt_1',
      importDate: '2027-01-02',
      items: [anItem({ value: '20', description: 'cotton T-shirt, white' })],
      transportCost: '5',
      consignee: { ...base.consignee, name: 'Someone else' },
    });

    expect(materialHash(same)).toBe(materialHash(base));
  });

  it('changes with a value, an HS code, the currency or the collection model', () => {
    const base = aDeclaration();
    for (const changed of [
      aDeclaration({ items: [anItem({ value: '20.01' })] }),
      aDeclaration({ items: [anItem({ hsCode: '610990' })] }),
      aDeclaration({ currency: 'USD' }),
      aDeclaration({ collectionModel: 'DEFERRED_ACCOUNT' }),
      aDeclaration({ insuranceCost: '1.00' }),
    ]) {
      expect(materialHash(changed)).not.toBe(materialHash(base));
    }
  });
});

describe('QuoteRequestSchema', () => {
  it('accepts a body without reference and refuses a quoteId', () => {
    const { reference: _reference, ...body } = aDeclaration();

    expect(QuoteRequestSchema.safeParse(body).success).toBe(true);
    expect(QuoteRequestSchema.safeParse({ ...body, quoteId: 'qt_1' }).success).toBe(false);
  });
});

describe('honourQuote', () => {
  const declaration = aDeclaration({ quoteId: 'qt_1' });

  it('caps an assessment above the quote at the quote, noting QUOTE_HONOURED', () => {
    const outcome = { assessment: anAssessment({ duty: '12.00', dueAtImport: '57.00' }) };

    const honoured = honourQuote(outcome, declaration, aQuote(), NOW);

    expect(honoured.assessment.totals).toEqual(anAssessment().totals);
    expect(honoured.assessment.notes).toContain('QUOTE_HONOURED');
  });

  it('keeps an assessment at or below the quote', () => {
    const outcome = { assessment: anAssessment({ tax: '40.00', dueAtImport: '50.00' }) };

    expect(honourQuote(outcome, declaration, aQuote(), NOW)).toEqual(outcome);
  });

  it('says why a quote does not apply', () => {
    const higher = { assessment: anAssessment({ duty: '99.00' }) };
    const cases: [StoredQuote | undefined, string][] = [
      [undefined, 'QUOTE_NOT_FOUND'],
      [aQuote(declaration, { expiresAt: '2026-12-01T08:00:00.000Z' }), 'QUOTE_EXPIRED'],
      [aQuote(aDeclaration({ items: [anItem({ quantity: 3 })] })), 'QUOTE_MATERIAL_CHANGE'],
      [
        aQuote(declaration, {
          assessment: anAssessment(
            {},
            { importDate: '2026-06-30', ruleSet: ['EU@2021-07-01', 'NL@2021-07-01'] },
          ),
        }),
        'QUOTE_RULES_CHANGED',
      ],
    ];
    for (const [quote, note] of cases) {
      const result = honourQuote(higher, declaration, quote, NOW);
      expect(result.assessment.totals.duty).toBe('99.00');
      expect(result.assessment.notes).toEqual([note]);
    }
  });

  it('honours a quote for another date under the same rule versions', () => {
    const quote = aQuote(declaration, { assessment: anAssessment({}, { importDate: '2026-11-30' }) });

    const result = honourQuote({ assessment: anAssessment({ tax: '50.00' }) }, declaration, quote, NOW);

    expect(result.assessment.notes).toContain('QUOTE_HONOURED');
    expect(result.assessment.importDate).toBe('2026-12-01');
  });

  it('leaves a rejection and a declaration without quote alone', () => {
    const rejected = { assessment: anAssessment({ duty: '99.00' }), rejection: { code: 'X', reason: 'no' } };

    expect(honourQuote(rejected, declaration, aQuote(), NOW)).toBe(rejected);
    expect(honourQuote(rejected, aDeclaration(), aQuote(), NOW)).toBe(rejected);
  });
});
