import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../../shared/domain/risk/builtin-profiles.js';
import {
  compileProfiles,
  evaluate,
  InvalidRiskProfileError,
  isTrustedTrader,
  LANE_THRESHOLDS,
  laneForScore,
  MAX_ITEMS_IN_REASON,
} from '../../../shared/domain/risk/evaluate.js';
import { anItem } from '../../fixtures/declarations.js';
import { anEnrichedDeclaration, aProfile, assessWithBuiltins, hitIds } from './support.js';

const tShirts = anEnrichedDeclaration();
const untrusted = { trusted: false };
const trusted = { trusted: true };

describe('evaluate', () => {
  it('adds up the scores of the hits and takes the lane the total reaches', () => {
    // Prepare: three profiles match a T-shirt consignment, one does not
    const compiled = compileProfiles([
      aProfile({ id: 'A', score: 12 }),
      aProfile({ id: 'B', score: 8, when: { dispatchCountry: ['CN'] } }),
      aProfile({ id: 'C', score: 40, when: { item: { hsChapter: ['93'] } } }),
      aProfile({ id: 'D', score: 0, when: { channel: ['POST'] } }),
    ]);

    // Act
    const result = evaluate(compiled, tShirts, untrusted);

    // Assess
    expect(hitIds(result)).toEqual(['A', 'B', 'D']);
    expect(result.score).toBe(20);
    expect(result.lane).toBe('AMBER');
  });

  it.each([
    [19, 'GREEN'],
    [20, 'AMBER'],
    [49, 'AMBER'],
    [50, 'RED'],
  ] as const)('puts a score of %i in lane %s', (score, lane) => {
    const result = evaluate(compileProfiles([aProfile({ id: 'A', score })]), tShirts, untrusted);

    expect(result.lane).toBe(lane);
    expect(laneForScore(score)).toBe(lane);
  });

  it('takes lane thresholds as data', () => {
    const compiled = compileProfiles([aProfile({ id: 'A', score: 10 })]);

    expect(evaluate(compiled, tShirts, { trusted: false, thresholds: { amber: 5, red: 10 } }).lane).toBe(
      'RED',
    );
    expect(LANE_THRESHOLDS).toEqual({ amber: 20, red: 50 });
  });

  it('takes the highest of the hits’ own lanes and the score’s lane', () => {
    const compiled = compileProfiles([
      aProfile({ id: 'A', score: 0, lane: 'RED' }),
      aProfile({ id: 'B', score: 30, when: { channel: ['POST'] } }),
    ]);

    const result = evaluate(compiled, tShirts, untrusted);

    expect(result).toEqual(expect.objectContaining({ lane: 'RED', score: 30 }));
  });

  it('places a customs hold without an agency and a rejection when profiles ask for them', () => {
    const compiled = compileProfiles([
      aProfile({ id: 'HOLD', action: 'HOLD', score: 0, reason: '{item} needs a licence check' }),
      aProfile({ id: 'REJECT', action: 'REJECT', score: 0, when: { channel: ['POST'] } }),
    ]);

    const result = evaluate(compiled, tShirts, untrusted);

    expect(result.holds).toEqual([{ profileId: 'HOLD', reason: 'Item 1 needs a licence check' }]);
    expect(result.reject).toBe(true);
    expect(result.lane).toBe('GREEN');
  });

  it('leaves reject out when no profile rejects', () => {
    expect(evaluate(compileProfiles([aProfile({ id: 'A' })]), tShirts, untrusted)).not.toHaveProperty(
      'reject',
    );
  });

  it('names every matching item in one reason', () => {
    const items = Array.from({ length: MAX_ITEMS_IN_REASON + 2 }, (_, index) =>
      anItem({ hsCode: index % 2 === 0 ? '930200' : '610910' }),
    );
    const view = anEnrichedDeclaration({ items });
    const compiled = compileProfiles(BUILTIN_PROFILES.filter((profile) => profile.id === 'BUILTIN-WEAPONS'));

    const [hit] = evaluate(compiled, view, untrusted).hits;

    expect(hit?.reason).toBe(
      ['Item 1', 'Item 3', 'Item 5', 'Item 7']
        .map((item) => `${item} (HS 930200) is a weapon or ammunition: restricted goods`)
        .join('; '),
    );
  });

  it('adds the count of items beyond the limit', () => {
    const items = Array.from({ length: MAX_ITEMS_IN_REASON + 2 }, () => anItem({ hsCode: '930200' }));
    const compiled = compileProfiles([aProfile({ id: 'W', when: { item: { hsChapter: ['93'] } } })]);

    const [hit] = evaluate(compiled, anEnrichedDeclaration({ items }), untrusted).hits;

    expect(hit?.reason).toBe(
      'Profile W: Item 1 (HS 930200), Item 2 (HS 930200), Item 3 (HS 930200), Item 4 (HS 930200), ' +
        'Item 5 (HS 930200); and 2 more items',
    );
  });

  it('names only the items that meet the whole item pattern on their own', () => {
    const view = anEnrichedDeclaration({
      items: [
        anItem({ originCountry: 'VN' }),
        anItem({ hsCode: '930200' }),
        anItem({ hsCode: '930200', originCountry: 'VN' }),
      ],
    });
    const compiled = compileProfiles([
      aProfile({
        id: 'VN-ARMS',
        when: { item: { hsChapter: ['93'], originCountry: ['VN'] } },
        reason: '{item} is HS {item.hsCode} from {item.originCountry}',
      }),
    ]);

    expect(evaluate(compiled, view, untrusted).hits[0]?.reason).toBe('Item 3 is HS 930200 from VN');
  });

  it('falls back to the description when a hit is not about one item', () => {
    const compiled = compileProfiles([
      aProfile({
        id: 'A',
        when: { $or: [{ item: { hsChapter: ['61'] } }, { channel: ['POST'] }] },
        reason: '{item} matched',
      }),
    ]);

    expect(evaluate(compiled, tShirts, untrusted).hits[0]?.reason).toBe('Profile A');
  });
});

describe('evaluate for trusted traders', () => {
  it('halves the score of a hit and waives its AMBER lane', () => {
    const result = assessWithBuiltins({ items: [anItem({ description: 'Gift' })] }, { sellerTrusted: true });

    expect(result.lane).toBe('GREEN');
    expect(result.hits).toEqual([
      expect.objectContaining({ profileId: 'BUILTIN-VAGUE-DESCRIPTION', score: 10, trustLowered: true }),
    ]);
    expect(result.hits[0]).not.toHaveProperty('lane');
  });

  it('still reaches AMBER when several lowered hits add up', () => {
    // vague description 20 -> 10, undervaluation 30 -> 15: 25 is AMBER by score
    const result = assessWithBuiltins(
      { items: [anItem({ description: 'goods', quantity: 1, value: '1.00' })] },
      { platformTrusted: true, referencePrices: [{ hsPrefix: '6109', price: '10.00', currency: 'EUR' }] },
    );

    expect(result).toEqual(expect.objectContaining({ lane: 'AMBER', score: 25 }));
  });

  it('never waives a restricted-goods hit: full score and RED lane', () => {
    const items = [anItem({ description: 'air rifle', hsCode: '930200' })];

    const asTrusted = assessWithBuiltins({ items }, { sellerTrusted: true });
    const asUntrusted = assessWithBuiltins({ items });

    expect(asTrusted).toEqual(asUntrusted);
    expect(asTrusted.lane).toBe('RED');
    expect(asTrusted.hits[0]).toEqual(
      expect.objectContaining({ score: 100, lane: 'RED', category: 'RESTRICTED' }),
    );
    expect(asTrusted.hits[0]).not.toHaveProperty('trustLowered');
  });

  it('keeps a RED lane set by a profile that is not restricted, with its score halved', () => {
    const result = assessWithBuiltins(
      { taxRegistration: { scheme: 'IOSS', number: 'IM0000000000' } },
      { sellerTrusted: true },
    );

    expect(result.hits).toEqual([
      expect.objectContaining({
        profileId: 'BUILTIN-SCHEME-UNREGISTERED',
        score: 30,
        lane: 'RED',
        trustLowered: true,
      }),
    ]);
    expect(result.lane).toBe('RED');
  });

  it('keeps agency holds', () => {
    const items = [anItem({ description: 'cheddar cheese', hsCode: '040690' })];

    expect(assessWithBuiltins({ items }, { sellerTrusted: true }).holds).toHaveLength(1);
  });

  it('reads the trusted flag from the seller or the platform', () => {
    expect(isTrustedTrader(anEnrichedDeclaration())).toBe(false);
    expect(isTrustedTrader(anEnrichedDeclaration({}, { sellerTrusted: true }))).toBe(true);
    expect(isTrustedTrader(anEnrichedDeclaration({}, { platformTrusted: true }))).toBe(true);
  });

  it('applies the same halving to a custom profile, rounding down', () => {
    const compiled = compileProfiles([aProfile({ id: 'A', score: 15 })]);

    expect(evaluate(compiled, tShirts, trusted).score).toBe(7);
  });
});

describe('compileProfiles', () => {
  it('rejects an invalid pattern with the matcher’s reason', () => {
    const compile = () => compileProfiles([aProfile({ id: 'BAD', when: { item: { hsChapter: [] } } })]);

    expect(compile).toThrow(InvalidRiskProfileError);
    expect(compile).toThrow(
      'Risk profile BAD is not valid: when: item.hsChapter: empty arrays are not allowed',
    );
  });

  it('rejects a pattern over an unknown field', () => {
    try {
      compileProfiles([aProfile({ id: 'BAD', when: { item: { unitPrice: [{ numeric: ['<', 1] }] } } })]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRiskProfileError);
      const { errors, profileId } = error as InvalidRiskProfileError;
      expect(profileId).toBe('BAD');
      expect(errors[0]?.path).toBe('when.item.unitPrice');
      expect(errors[0]?.message).toMatch(/^unknown field; known item fields are line, description, hsCode/);
    }
  });

  it('rejects two versions of one profile, which must be chosen with profilesInForce first', () => {
    expect(() =>
      compileProfiles([aProfile({ id: 'A' }), aProfile({ id: 'A', validFrom: '2026-06-01' })]),
    ).toThrow(/Risk profile A is not valid: id: appears twice/);
  });

  it('lists the compiled ids in order', () => {
    expect(compileProfiles(BUILTIN_PROFILES).ids).toEqual(BUILTIN_PROFILES.map((profile) => profile.id));
  });
});
