import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody, decodeRecord, encodeBody, encodeRecord } from '../../../shared/adapters/record-codec.js';
import { packFor } from '../../../shared/countries/index.js';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
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
