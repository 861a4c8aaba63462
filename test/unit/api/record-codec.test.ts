import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsOfItem, ledgerWrites } from '../../../shared/adapters/ledger-store.js';
import {
  decodeBody,
  decodeFacts,
  decodeRecord,
  encodeBody,
  encodeFacts,
  encodeRecord,
  type StoredFact,
} from '../../../shared/adapters/record-codec.js';
import { packFor } from '../../../shared/countries/index.js';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import type { LedgerEntry } from '../../../shared/domain/ledger/entries.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';

const record = (...args: Parameters<typeof anAssessedDeclaration>): DeclarationRecord => {
  const { declaration: _body, ...state } = anAssessedDeclaration(...args);
  return state;
};

describe('the outcome item record codec', () => {
  it('gives back every record it encoded, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GREEN', 'AMBER', 'RED'),
        fc.string(),
        fc.array(fc.string({ maxLength: 400 }), { maxLength: 4 }),
        (lane, reason, notes) => {
          const written = {
            ...record({ lane, assessment: anAssessment({ notes }) }),
            history: [
              { at: '2026-07-01T10:00:00.000Z', from: null, to: 'RECEIVED' as const, by: 'p', reason },
            ],
          };
          expect(decodeRecord(encodeRecord(written))).toEqual(written);
        },
      ),
    );
  });

  it("keeps a released record with the EU pack's legal bases and every profile id under 1 KB", () => {
    const basis = packFor('NL');
    const legalBasis = JSON.stringify(basis).match(/"legalBasis":"([^"]{200,})"/)?.[1] ?? '';
    const released = record({
      assessment: anAssessment({
        payer: 'PLATFORM',
        duties: [{ code: 'EU_FLAT_DUTY', hsCode: '610910', base: '69.93', amount: '3.00', legalBasis }],
      }),
    });

    const bytes = encodeRecord(released);

    expect(legalBasis.length).toBeGreaterThan(200);
    expect(JSON.stringify(released).length).toBeGreaterThan(1024);
    expect(bytes.length).toBeLessThan(600);
  });

  it('refuses bytes that name a dictionary it does not have', () => {
    const bytes = encodeRecord(record());
    bytes[0] = 99;
    expect(() => decodeRecord(bytes)).toThrow(/unknown dictionary/);
  });

  it('keeps a lodged body smaller than gzip does, and still reads bodies stored as gzip', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 5 }), (name, lines) => {
        const declaration = aDeclaration({
          consignee: {
            name,
            address: { line1: 'Main Street 1', city: 'Leiden', postcode: '2311 AA', country: 'NL' },
          },
          items: Array.from({ length: lines }, () => anItem()),
        });
        const bytes = encodeBody(declaration);
        expect(decodeBody(bytes)).toEqual(declaration);
        expect(decodeBody(gzipSync(JSON.stringify(declaration)))).toEqual(declaration);
        expect(bytes.length).toBeLessThan(gzipSync(JSON.stringify(declaration)).length);
      }),
    );
  });
});

const assessedEntries = (declarationId: string, vat: string, duty: string): LedgerEntry[] =>
  [
    ['VAT', vat],
    ['DUTY', duty],
  ].map(([taxCode, amount]) => ({
    id: `${declarationId}#ASSESSED#${taxCode}#EUR`,
    fact: 'ASSESSMENT',
    declarationId,
    platformId: 'acme',
    kind: 'ASSESSED',
    taxCode: taxCode as string,
    currency: 'EUR',
    amount: amount as string,
    at: '2026-07-01T10:00:00.000Z',
    collectionModel: 'SELLER_AT_CHECKOUT',
    payer: 'SELLER',
  }));

const amount = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 99 }))
  .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`);

describe('the ledger facts item codec', () => {
  it('gives back every fact and amount it encoded, digit for digit', () => {
    const entry = fc.record({
      id: fc.string(),
      kind: fc.constantFrom('ASSESSED', 'CHECKOUT_DECLARED', 'COLLECTED', 'REFUNDED', 'EXTINGUISHED'),
      taxCode: fc.string(),
      currency: fc.constantFrom('EUR', 'GBP', 'USD'),
      amount,
    });
    const fact = fc.record({
      declarationId: fc.string(),
      fact: fc.string(),
      platformId: fc.string(),
      collectionModel: fc.string(),
      payer: fc.string(),
      at: fc.string(),
      entries: fc.array(entry, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(fact, { minLength: 1, maxLength: 20 }), (facts: StoredFact[]) => {
        expect(decodeFacts(encodeFacts(facts))).toEqual(facts);
      }),
    );
  });

  it('stores the facts of a transaction of 100 assessments in under a fifth of their plain size', () => {
    const entries = Array.from({ length: 100 }, (_, index) =>
      assessedEntries(`dcl_${String(index * 7919).padStart(26, '0')}`, `${index}.21`, '3.00'),
    ).flat();

    const [put] = ledgerWrites('ledger', entries);
    const item = put?.Put?.Item ?? {};
    const facts = factsOfItem(item);

    expect(item.facts).toBeInstanceOf(Uint8Array);
    expect(facts.flatMap((fact) => fact.entries.map((entry) => entry.amount))).toEqual(
      entries.map((entry) => entry.amount),
    );
    expect((item.facts as Uint8Array).length * 5).toBeLessThan(JSON.stringify(facts).length);
  });

  it('still reads a facts item stored as a plain list, amounts as decimal strings', () => {
    const plain = {
      pk: 'FACTS#2026-07-01#3',
      sk: 'digest',
      facts: [
        {
          declarationId: 'dcl_1',
          fact: 'ASSESSMENT',
          platformId: 'acme',
          collectionModel: 'SELLER_AT_CHECKOUT',
          payer: 'SELLER',
          at: '2026-07-01T10:00:00.000Z',
          entries: [
            { id: 'dcl_1#ASSESSED#VAT#EUR', kind: 'ASSESSED', taxCode: 'VAT', currency: 'EUR', amount: 4.2 },
          ],
        },
      ],
    };
    expect(factsOfItem(plain)[0]?.entries[0]?.amount).toBe('4.2');
    expect(() => factsOfItem({ pk: 'FACTS#2026-07-01#3', sk: 'x' })).toThrow(/holds no facts/);
  });
});
