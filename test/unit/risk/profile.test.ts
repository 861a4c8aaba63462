import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '../../../shared/domain/declaration/declaration.js';
import {
  ENRICHED_FIELD_PATHS,
  parseRiskProfile,
  patternFieldErrors,
  profilesInForce,
  type RiskProfile,
} from '../../../shared/domain/risk/profile.js';
import { aProfile } from './support.js';

const fieldErrorsOf = (body: unknown): string[] => {
  const result = parseRiskProfile(body);
  return result.success ? [] : toFieldErrors(result.error).map((error) => `${error.path}: ${error.message}`);
};

const contractProfile = {
  id: 'NL-SNEAKERS-UNDERVALUED',
  description: 'Branded sneakers from a known origin declared far below their price',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  when: {
    item: { hsHeading: ['6404'], referencePriceRatio: [{ numeric: ['<', 0.5] }] },
    consignee: { address: { country: ['NL'] } },
  },
  score: 25,
  lane: 'AMBER',
  category: 'VALUATION',
  reason:
    '{item} (HS {item.hsCode}) is declared at {item.referencePriceRatio|percent} of the reference price',
};

describe('parseRiskProfile', () => {
  it('accepts a profile in the contract format', () => {
    expect(fieldErrorsOf(contractProfile)).toEqual([]);
  });

  it('accepts an agency hold and a rejection', () => {
    expect(
      fieldErrorsOf({ ...contractProfile, lane: undefined, action: 'HOLD', agency: 'FOOD_SAFETY', score: 0 }),
    ).toEqual([]);
    expect(fieldErrorsOf({ ...contractProfile, action: 'REJECT' })).toEqual([]);
  });

  it('rejects a pattern field the enriched declaration does not have, listing the known ones', () => {
    const errors = fieldErrorsOf({
      ...contractProfile,
      when: { item: { unitPrice: [{ numeric: ['<', 1] }] } },
    });

    expect(errors).toEqual([
      'when.item.unitPrice: unknown field; known item fields are line, description, hsCode, hsChapter, hsHeading, ' +
        'hsSubheading, originCountry, quantity, value, netMassKg, category, gtin, productUrl, unitValue, ' +
        'referencePrice, referencePriceRatio, descriptionVague',
    ]);
  });

  it('rejects unknown top-level and nested fields, inside $or branches too', () => {
    const errors = fieldErrorsOf({
      ...contractProfile,
      reason: undefined,
      when: { $or: [{ buyer: { name: ['x'] } }, { consignee: { address: { street: ['Main'] } } }] },
    });

    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^when\.\$or\.0\.buyer: unknown field; known top-level fields are reference, /);
    expect(errors[1]).toMatch(
      /^when\.\$or\.1\.consignee\.address\.street: unknown field; known consignee\.address fields are line1, /,
    );
  });

  it('rejects a pattern EventBridge would refuse, with the matcher’s reason', () => {
    const errors = fieldErrorsOf({ ...contractProfile, when: { item: { hsChapter: '93' } } });

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^when: is not a valid pattern: item\.hsChapter: must be an array/);
  });

  it('rejects a numeric range that cannot be written', () => {
    const errors = fieldErrorsOf({
      ...contractProfile,
      when: { item: { unitValue: [{ numeric: ['>', 10, '<', 5] }] } },
    });

    expect(errors).toEqual([
      'when: is not a valid pattern: item.unitValue: numeric range lower bound 10 must be less than upper bound 5',
    ]);
  });

  it('rejects match values of the wrong type for the field, which would never match', () => {
    const errors = fieldErrorsOf({
      ...contractProfile,
      reason: undefined,
      when: {
        item: { hsCode: [{ numeric: ['>=', 930000] }] },
        seller: { trusted: ['true'] },
        consignee: { consignmentsLast72h: ['3'] },
      },
    });

    expect(errors).toEqual([
      'when.item.hsCode: numeric matching needs a number field; item.hsCode is a string ' +
        '(use prefix or a list of values for codes)',
      'when.seller.trusted: "true" is a string but seller.trusted is a boolean, so it never matches ' +
        '(write true or false without quotes)',
      'when.consignee.consignmentsLast72h: "3" is a string but consignee.consignmentsLast72h is a number, ' +
        'so it never matches',
    ]);
  });

  it('rejects an object matched as a value and a value matched as an object', () => {
    const errors = fieldErrorsOf({
      ...contractProfile,
      reason: undefined,
      when: { consignee: ['Anna'], item: { hsCode: { chapter: ['93'] } } },
    });

    expect(errors).toEqual([
      'when.consignee: is an object, not a value; match one of its fields (name, address, email, taxId, ' +
        'consignmentsLast72h, valueLast72h)',
      'when.item.hsCode: item.hsCode is a string value; it has no fields',
    ]);
  });

  it('rejects reason placeholders that name no field, or an item the pattern does not test', () => {
    expect(fieldErrorsOf({ ...contractProfile, reason: '{item} costs {item.unitPrice}' })).toEqual([
      'reason: {item.unitPrice}: unknown field "item.unitPrice"; use {item} or a field of the enriched declaration',
    ]);
    expect(
      fieldErrorsOf({
        ...contractProfile,
        when: { consignee: { consignmentsLast72h: [{ numeric: ['>', 5] }] } },
        reason: '{item} is one of many',
      }),
    ).toEqual(['reason: names an item ({item} or {item.<field>}) but the pattern tests no item field']);
  });

  it('rejects a validTo before validFrom and an agency without a hold', () => {
    expect(fieldErrorsOf({ ...contractProfile, validTo: '2025-12-31' })).toEqual([
      'validTo: must be on or after validFrom',
    ]);
    expect(fieldErrorsOf({ ...contractProfile, agency: 'FOOD_SAFETY' })).toEqual([
      'agency: only applies to action HOLD (a hold placed for that agency)',
    ]);
  });

  it('rejects fields outside the contract', () => {
    expect(fieldErrorsOf({ ...contractProfile, priority: 1 })).toEqual([
      'priority: is not a known field (priority)',
    ]);
  });
});

describe('patternFieldErrors', () => {
  it('finds nothing wrong with a pattern over known fields of the right types', () => {
    expect(
      patternFieldErrors({
        item: { hsCode: [{ prefix: '93' }], category: [{ 'anything-but': ['SALE'] }] },
        consignment: { exceedsLowValueWith72h: [true] },
        seller: { id: [{ exists: false }] },
      }),
    ).toEqual([]);
  });
});

describe('ENRICHED_FIELD_PATHS', () => {
  it('lists the derived facts profiles are written against', () => {
    expect(ENRICHED_FIELD_PATHS).toEqual(
      expect.arrayContaining([
        'item.unitValue',
        'item.referencePrice',
        'item.referencePriceRatio',
        'item.hsChapter',
        'item.hsHeading',
        'item.descriptionVague',
        'item.category',
        'consignee.consignmentsLast72h',
        'consignee.valueLast72h',
        'consignment.intrinsicValue',
        'consignment.lowValueThreshold',
        'consignment.exceedsLowValueWith72h',
        'seller.trusted',
        'platform.trusted',
        'taxRegistration.registered',
        'taxRegistration.holderMatches',
        'gift.claimedOnPlatformSale',
      ]),
    );
  });
});

describe('profilesInForce', () => {
  const v1 = aProfile({ id: 'P', validFrom: '2026-01-01', validTo: '2026-06-30', score: 10 });
  const v2 = aProfile({ id: 'P', validFrom: '2026-07-01', score: 20 });
  const other = aProfile({ id: 'Q', validFrom: '2026-03-01', validTo: '2026-03-31' });
  const profiles: RiskProfile[] = [v1, other, v2];

  it('picks the version whose period holds the date, first and last days included', () => {
    expect(profilesInForce(profiles, '2026-01-01')).toEqual([v1]);
    expect(profilesInForce(profiles, '2026-06-30')).toEqual([v1]);
    expect(profilesInForce(profiles, '2026-07-01')).toEqual([v2]);
  });

  it('leaves out profiles not yet or no longer in force', () => {
    expect(profilesInForce(profiles, '2025-12-31')).toEqual([]);
    expect(profilesInForce(profiles, '2026-02-28')).toEqual([v1]);
    expect(profilesInForce(profiles, '2026-03-01')).toEqual([v1, other]);
    expect(profilesInForce(profiles, '2026-03-31')).toEqual([v1, other]);
    expect(profilesInForce(profiles, '2026-04-01')).toEqual([v1]);
  });

  it('prefers the latest validFrom when versions overlap, and the later one listed on a tie', () => {
    const open = aProfile({ id: 'P', validFrom: '2026-01-01', score: 1 });
    const newer = aProfile({ id: 'P', validFrom: '2026-05-01', score: 2 });
    const correction = aProfile({ id: 'P', validFrom: '2026-05-01', score: 3 });

    expect(profilesInForce([newer, open], '2026-06-01')).toEqual([newer]);
    expect(profilesInForce([open, newer, correction], '2026-06-01')).toEqual([correction]);
    expect(profilesInForce([open, newer, correction], '2026-04-30')).toEqual([open]);
  });
});
