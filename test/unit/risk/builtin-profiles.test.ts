import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../../shared/domain/risk/builtin-profiles.js';
import { RiskProfileSchema } from '../../../shared/domain/risk/profile.js';
import { anItem } from '../../fixtures/declarations.js';
import { assessWithBuiltins, hitIds } from './support.js';

const REGISTERED_IOSS = {
  number: 'IM5280000001',
  scheme: 'IOSS',
  holder: 'Shenzhen Apparel Co',
  holderId: 'SELLER-1',
  validFrom: '2021-07-01',
} as const;

describe('BUILTIN_PROFILES', () => {
  it('are valid profiles in the contract format, each with a reason template', () => {
    // Prepare / Act
    const parsed = BUILTIN_PROFILES.map((profile) => RiskProfileSchema.safeParse(profile));

    // Assess
    for (const result of parsed) expect(result.error?.issues ?? []).toEqual([]);
    expect(new Set(BUILTIN_PROFILES.map((profile) => profile.id)).size).toBe(BUILTIN_PROFILES.length);
    for (const profile of BUILTIN_PROFILES) {
      expect(profile.id).toMatch(/^BUILTIN-/);
      expect(profile.reason.length).toBeGreaterThan(10);
    }
  });

  it('leaves a plain T-shirt consignment GREEN with no hit', () => {
    const result = assessWithBuiltins();

    expect(result).toEqual({ lane: 'GREEN', score: 0, hits: [], holds: [] });
  });
});

describe('BUILTIN-WEAPONS', () => {
  it('sends a consignment with a chapter 93 item RED, naming the item', () => {
    const result = assessWithBuiltins({
      items: [anItem(), anItem({ description: 'air rifle', hsCode: '930200' })],
    });

    expect(result.lane).toBe('RED');
    expect(result.hits).toEqual([
      {
        profileId: 'BUILTIN-WEAPONS',
        reason: 'Item 2 (HS 930200) is a weapon or ammunition: restricted goods',
        score: 100,
        lane: 'RED',
        category: 'RESTRICTED',
        publicReason: 'The goods may be restricted and are checked',
      },
    ]);
  });

  it('does not fire for musical instruments in chapter 92', () => {
    const result = assessWithBuiltins({
      items: [anItem({ description: 'acoustic guitar', hsCode: '920210' })],
    });

    expect(hitIds(result)).not.toContain('BUILTIN-WEAPONS');
  });
});

describe('BUILTIN-EXPLOSIVES', () => {
  it('sends fireworks (HS 3604) RED as restricted goods', () => {
    const result = assessWithBuiltins({
      items: [anItem({ description: 'fireworks rockets', hsCode: '360410' })],
    });

    expect(result.lane).toBe('RED');
    expect(result.hits[0]?.reason).toBe(
      'Item 1 (HS 360410) is an explosive, detonator or firework: restricted goods',
    );
  });

  it('does not fire for matches (HS 3605), outside headings 3601 to 3604', () => {
    const result = assessWithBuiltins({
      items: [anItem({ description: 'safety matches', hsCode: '360500' })],
    });

    expect(hitIds(result)).toEqual([]);
  });
});

describe('BUILTIN-VAGUE-DESCRIPTION', () => {
  it.each(['Gift', 'goods', 'misc. items', 'Sample product', '2 parts', 'Accessories!'])(
    'sends an item described as "%s" AMBER',
    (description) => {
      const result = assessWithBuiltins({ items: [anItem({ description })] });

      expect(result.lane).toBe('AMBER');
      expect(result.hits).toEqual([
        expect.objectContaining({
          profileId: 'BUILTIN-VAGUE-DESCRIPTION',
          reason: `Item 1 is described as "${description}", which does not say what the goods are`,
          lane: 'AMBER',
        }),
      ]);
    },
  );

  it.each(["men's cotton T-shirt", 'gift box of green tea', 'phone accessories: USB-C cable'])(
    'does not fire for "%s", which names the goods',
    (description) => {
      const result = assessWithBuiltins({ items: [anItem({ description })] });

      expect(hitIds(result)).not.toContain('BUILTIN-VAGUE-DESCRIPTION');
    },
  );
});

describe('BUILTIN-UNDERVALUATION', () => {
  const tShirtReference = [{ hsPrefix: '6109', price: '10.00', currency: 'EUR' }];

  it('sends an item declared below 30% of its reference price AMBER', () => {
    // Prepare: 2 T-shirts for EUR 5.80 is EUR 2.90 each against EUR 10.00, a ratio of 0.29
    const items = [anItem({ quantity: 2, value: '5.80' })];

    // Act
    const result = assessWithBuiltins({ items }, { referencePrices: tShirtReference });

    // Assess
    expect(result.lane).toBe('AMBER');
    expect(result.hits).toEqual([
      expect.objectContaining({
        profileId: 'BUILTIN-UNDERVALUATION',
        reason: 'Item 1 (HS 610910) is declared at 2.90 EUR a unit, 29% of the reference price 10 EUR',
      }),
    ]);
  });

  it('does not fire at exactly 30% of the reference price', () => {
    const items = [anItem({ quantity: 2, value: '6.00' })];

    const result = assessWithBuiltins({ items }, { referencePrices: tShirtReference });

    expect(hitIds(result)).toEqual([]);
  });

  it('does not fire when no reference price covers the HS code', () => {
    const items = [anItem({ quantity: 2, value: '0.20' })];

    const result = assessWithBuiltins(
      { items },
      { referencePrices: [{ hsPrefix: '8517', price: '100', currency: 'EUR' }] },
    );

    expect(hitIds(result)).toEqual([]);
  });
});

describe('BUILTIN-SPLITTING', () => {
  // The fixture consignment is EUR 20.00; the low-value threshold EUR 150.00.
  it('does not fire when the last 72 hours plus this consignment reach the threshold exactly', () => {
    const result = assessWithBuiltins({}, { consignee72h: { count: 2, value: '130.00' } });

    expect(hitIds(result)).toEqual([]);
  });

  it('fires when the last 72 hours plus this consignment are one cent above the threshold', () => {
    const result = assessWithBuiltins({}, { consignee72h: { count: 2, value: '130.01' } });

    expect(result.lane).toBe('AMBER');
    expect(result.hits).toEqual([
      expect.objectContaining({
        profileId: 'BUILTIN-SPLITTING',
        score: 30,
        reason:
          'Possible consignment splitting: the consignee received 2 other consignments worth 130.01 in the ' +
          'last 72 hours; this one is worth 20 against a low-value threshold of 150',
      }),
    ]);
  });

  it('does not fire for a consignment above the threshold on its own, which is not low-value anyway', () => {
    const items = [anItem({ value: '150.01' })];

    const result = assessWithBuiltins({ items }, { consignee72h: { count: 1, value: '100.00' } });

    expect(hitIds(result)).toEqual([]);
  });

  it('fires for a third other consignment within 72 hours, whatever their value', () => {
    expect(hitIds(assessWithBuiltins({}, { consignee72h: { count: 2, value: '10.00' } }))).toEqual([]);
    expect(hitIds(assessWithBuiltins({}, { consignee72h: { count: 3, value: '10.00' } }))).toEqual([
      'BUILTIN-SPLITTING',
    ]);
  });
});

describe('BUILTIN-SCHEME-UNREGISTERED', () => {
  const ioss = { taxRegistration: { scheme: 'IOSS', number: 'IM5280000001' } } as const;

  it('sends a consignment with an IOSS number missing from the registry RED', () => {
    const result = assessWithBuiltins(ioss);

    expect(result.lane).toBe('RED');
    expect(result.hits).toEqual([
      expect.objectContaining({
        profileId: 'BUILTIN-SCHEME-UNREGISTERED',
        reason: 'The IOSS number IM5280000001 is not in the registry or not valid on 2026-07-01',
        lane: 'RED',
      }),
    ]);
  });

  it('does not fire for a number valid on the import date, first and last day included', () => {
    for (const registration of [
      REGISTERED_IOSS,
      { ...REGISTERED_IOSS, validFrom: '2026-07-01' },
      { ...REGISTERED_IOSS, validTo: '2026-07-01' },
    ]) {
      expect(hitIds(assessWithBuiltins(ioss, { registration }))).toEqual([]);
    }
  });

  it('fires for a number not yet valid or no longer valid on the import date', () => {
    for (const registration of [
      { ...REGISTERED_IOSS, validFrom: '2026-07-02' },
      { ...REGISTERED_IOSS, validTo: '2026-06-30' },
    ]) {
      expect(hitIds(assessWithBuiltins(ioss, { registration }))).toEqual(['BUILTIN-SCHEME-UNREGISTERED']);
    }
  });

  it('does not fire for a declaration without a tax registration', () => {
    expect(
      hitIds(assessWithBuiltins({}, { registration: { ...REGISTERED_IOSS, validTo: '2020-01-01' } })),
    ).toEqual([]);
  });
});

describe('BUILTIN-SCHEME-HOLDER-MISMATCH', () => {
  const ioss = { taxRegistration: { scheme: 'IOSS', number: 'IM5280000001' } } as const;

  it('sends a consignment using another holder’s registered number AMBER', () => {
    const result = assessWithBuiltins(ioss, {
      registration: { ...REGISTERED_IOSS, holderId: 'OTHER-SELLER' },
    });

    expect(result.lane).toBe('AMBER');
    expect(result.hits).toEqual([
      expect.objectContaining({
        profileId: 'BUILTIN-SCHEME-HOLDER-MISMATCH',
        reason:
          'The IOSS number IM5280000001 belongs to another holder, not the seller Shenzhen Apparel Co ' +
          'nor the platform acme',
      }),
    ]);
  });

  it.each([
    ['the seller id', 'SELLER-1'],
    ['the seller id in other letter case', 'seller-1'],
    ['the filer, a deemed supplier under the scheme', 'acme'],
  ])('does not fire when the verified holder is %s', (_who, holderId) => {
    const result = assessWithBuiltins(ioss, { registration: { ...REGISTERED_IOSS, holderId } });

    expect(hitIds(result)).toEqual([]);
  });

  it('fires when only the holder’s name is typed in the body, under another seller id', () => {
    const result = assessWithBuiltins(
      { ...ioss, seller: { name: 'Trusted Holder Ltd', country: 'CN', id: 'SELLER-2' } },
      { registration: { ...REGISTERED_IOSS, holder: 'Trusted Holder Ltd', holderId: 'HOLDER-9' } },
    );

    expect(hitIds(result)).toEqual(['BUILTIN-SCHEME-HOLDER-MISMATCH']);
  });
});

describe('BUILTIN-FALSE-GIFT', () => {
  it('sends a gift declared on a B2C platform sale AMBER, naming the item', () => {
    const items = [anItem(), anItem({ description: 'silk scarf', hsCode: '621410', category: 'GIFT' })];

    const result = assessWithBuiltins({ items });

    expect(result.lane).toBe('AMBER');
    expect(result.hits).toEqual([
      expect.objectContaining({
        profileId: 'BUILTIN-FALSE-GIFT',
        reason: 'Item 2 is declared as a gift although it is a B2C sale lodged by platform acme',
      }),
    ]);
  });

  it('does not fire for a gift between individuals (C2C)', () => {
    const items = [anItem({ category: 'GIFT' })];

    expect(hitIds(assessWithBuiltins({ items, transactionType: 'C2C' }))).toEqual([]);
  });

  it('does not fire for a B2C sale without a gift', () => {
    expect(hitIds(assessWithBuiltins({ transactionType: 'B2C' }))).toEqual([]);
  });
});

describe('agency routing', () => {
  it('holds a consignment for FOOD_SAFETY when it contains chapter 04 dairy', () => {
    const items = [anItem(), anItem({ description: 'aged gouda cheese', hsCode: '040690' })];

    const result = assessWithBuiltins({ items });

    expect(result.holds).toEqual([
      {
        profileId: 'BUILTIN-AGENCY-FOOD',
        agency: 'FOOD_SAFETY',
        reason: 'Item 2 (HS 040690) is food or an agricultural product: held for food safety checks',
      },
    ]);
    expect(result.lane).toBe('GREEN');
    expect(result.score).toBe(0);
  });

  it.each([
    ['live horses, chapter 01', '010121', 'FOOD_SAFETY'],
    ['raw tobacco, chapter 24', '240120', 'FOOD_SAFETY'],
    ['a toy, heading 9503', '950300', 'PRODUCT_SAFETY'],
    ['medicines, chapter 30', '300490', 'MEDICINES'],
  ])('holds %s for %s', (_goods, hsCode, agency) => {
    const result = assessWithBuiltins({ items: [anItem({ description: 'named goods', hsCode })] });

    expect(result.holds.map((hold) => hold.agency)).toEqual([agency]);
    expect(result.hits[0]).toEqual(expect.objectContaining({ action: 'HOLD', agency, score: 0 }));
    expect(result.hits[0]?.lane).toBeUndefined();
  });

  it('does not hold salt (chapter 25), just past the food chapters', () => {
    const result = assessWithBuiltins({ items: [anItem({ description: 'sea salt', hsCode: '250100' })] });

    expect(result.holds).toEqual([]);
  });
});
