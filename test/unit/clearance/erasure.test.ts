// Records kept as long as the law says, and no longer: when a closed declaration's period ends, and the
// pseudonymisation of its consignee's personal data, which changes nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { DeclarationSchema } from '../../../shared/domain/declaration/declaration.js';
import {
  ERASED_EMAIL_DOMAIN,
  isPastRecordKeeping,
  keyedPseudonym,
  pseudonymiseConsignee,
  recordKeptUntil,
} from '../../../shared/domain/declaration/erasure.js';
import { aDeclaration } from '../../fixtures/declarations.js';

const pseudonym = keyedPseudonym(new TextEncoder().encode('test-erasure-key'));

const closed = (at: string, status: DeclarationRecord['status'] = 'RELEASED') => ({
  status,
  history: [
    { at: '2020-01-01T00:00:00.000Z', from: null, to: 'RECEIVED' as const, by: 'acme', reason: 'Lodged' },
    { at, from: 'AWAITING_PAYMENT' as const, to: status, by: 'clearance', reason: 'Closed' },
  ],
});

describe('recordKeptUntil', () => {
  it('runs the pack’s years from the day the declaration closed', () => {
    expect(recordKeptUntil(closed('2023-03-15T10:00:00.000Z'), 3)?.toISOString()).toBe(
      '2026-03-15T10:00:00.000Z',
    );
    expect(
      isPastRecordKeeping(closed('2023-03-15T10:00:00.000Z'), 3, new Date('2026-03-15T09:59:59.999Z')),
    ).toBe(false);
    expect(
      isPastRecordKeeping(closed('2023-03-15T10:00:00.000Z'), 3, new Date('2026-03-15T10:00:00.000Z')),
    ).toBe(true);
    expect(
      isPastRecordKeeping(closed('2023-03-15T10:00:00.000Z'), 5, new Date('2026-03-15T10:00:00.000Z')),
    ).toBe(false);
  });

  it('never ends for a declaration still open', () => {
    const open = { ...closed('2001-01-01T00:00:00.000Z'), status: 'HELD' as const };
    expect(recordKeptUntil(open, 3)).toBeUndefined();
    expect(isPastRecordKeeping(open, 3, new Date('2099-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('pseudonymiseConsignee', () => {
  it('replaces name, street, city, postcode, e-mail and tax id, keeping country and region', () => {
    // Prepare
    const declaration = aDeclaration({
      consignee: {
        name: 'Anna de Vries',
        address: {
          line1: 'Keizersgracht 1',
          line2: 'Apt 3',
          city: 'Amsterdam',
          postcode: '1015 CJ',
          country: 'NL',
        },
        email: 'anna@example.nl',
        taxId: 'NL-123',
      },
    });

    // Act
    const erased = pseudonymiseConsignee(declaration, pseudonym);

    // Assess
    const text = JSON.stringify(erased.consignee);
    for (const personal of [
      'Anna',
      'Keizersgracht',
      'Apt 3',
      'Amsterdam',
      '1015 CJ',
      'anna@example.nl',
      'NL-123',
    ])
      expect(text).not.toContain(personal);
    expect(erased.consignee.address.country).toBe('NL');
    expect(erased.consignee.email).toMatch(new RegExp(`^p_[\\w-]{22}@${ERASED_EMAIL_DOMAIN}$`));
    expect(erased.consignee.name).toBe(pseudonym('Anna de Vries'));
    // Still a valid declaration: readers and the export keep working on it.
    expect(DeclarationSchema.safeParse(erased).success).toBe(true);
  });

  it('changes nothing but the consignee, and the same value always gets the same pseudonym', () => {
    const text = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim().length > 0);
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        fc.option(text, { nil: undefined }),
        (name, line1, city, postcode, taxId) => {
          // Prepare
          const declaration = aDeclaration({
            consignee: {
              name,
              address: { line1, city, postcode, country: 'CA', region: 'CA-ON' },
              ...(taxId === undefined ? {} : { taxId }),
            },
          });

          // Act
          const erased = pseudonymiseConsignee(declaration, pseudonym);

          // Assess
          const { consignee: _before, ...restBefore } = declaration;
          const { consignee: after, ...restAfter } = erased;
          expect(restAfter).toEqual(restBefore);
          expect(after.address.region).toBe('CA-ON');
          expect(after.name).not.toBe(name);
          expect(after.name).toBe(pseudonym(name));
          expect(after.taxId).toBe(taxId === undefined ? undefined : pseudonym(taxId));
          expect(pseudonymiseConsignee(declaration, pseudonym)).toEqual(erased);
        },
      ),
    );
  });
});
