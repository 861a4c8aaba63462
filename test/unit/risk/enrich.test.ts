import { describe, expect, it } from 'vitest';
import {
  ENRICHED_FIELD_PATHS,
  EnrichedDeclarationSchema,
  enrich,
  isVagueDescription,
} from '../../../shared/domain/risk/enrich.js';
import { anItem } from '../../fixtures/declarations.js';
import { anEnrichedDeclaration, aValidDeclaration, someFacts } from './support.js';

describe('enrich', () => {
  it('produces a view that matches its own schema, with every field a profile may name', () => {
    // Prepare
    const declaration = aValidDeclaration({
      quoteId: 'Q-1',
      transportDocument: 'RR123456785CN',
      taxRegistration: { scheme: 'IOSS', number: 'IM5280000001' },
      consignee: {
        name: 'Anna de Vries',
        address: {
          line1: 'Keizersgracht 1',
          line2: '3 hoog',
          city: 'Amsterdam',
          postcode: '1015 CJ',
          country: 'NL',
        },
        email: 'anna@example.nl',
        taxId: 'NL-1',
      },
      items: [anItem({ gtin: '4006381333931', productUrl: 'https://shop.example/p/1' })],
    });
    declaration.postal = {
      itemId: 'RR123456785CN',
      postingDate: '2026-07-01',
      category: 'GIFT',
      restrictions: [{ type: 'SANITARY' }],
      unclassifiedLines: [1],
    };
    const facts = someFacts({
      referencePrices: [{ hsPrefix: '6109', price: '8.00', currency: 'EUR' }],
      registration: { number: 'IM5280000001', scheme: 'IOSS', holder: 'SELLER-1', validFrom: '2021-07-01' },
    });

    // Act
    const view = enrich(declaration, facts);

    // Assess: every path the schema lists is present in this complete view
    expect(EnrichedDeclarationSchema.parse(view)).toEqual(view);
    const valueAt = (path: string) =>
      path.split('.').reduce<unknown>((node, key) => {
        const here = Array.isArray(node) ? node[0] : node;
        return (here as Record<string, unknown> | undefined)?.[key];
      }, view);
    for (const path of ENRICHED_FIELD_PATHS) expect(valueAt(path), path).not.toBeUndefined();
  });

  it('derives HS chapter, heading and subheading and defaults the category to SALE', () => {
    const { category: _category, ...uncategorised } = anItem({ hsCode: '6109100010' });

    const [item] = anEnrichedDeclaration({ items: [uncategorised] }).item;

    expect(item).toEqual(
      expect.objectContaining({
        line: 1,
        hsChapter: '61',
        hsHeading: '6109',
        hsSubheading: '610910',
        category: 'SALE',
      }),
    );
  });

  it('computes the unit value with decimals, then as a number', () => {
    const view = anEnrichedDeclaration({
      items: [anItem({ quantity: 3, value: '10.00' }), anItem({ quantity: 4, value: '0.10' })],
    });

    expect(view.item.map((item) => item.unitValue)).toEqual([10 / 3, 0.025]);
    expect(view.item.map((item) => item.value)).toEqual([10, 0.1]);
  });

  it('compares each item with the reference price of the longest HS prefix that has one', () => {
    const view = anEnrichedDeclaration(
      {
        items: [
          anItem({ quantity: 2, value: '5.00' }),
          anItem({ hsCode: '620342', quantity: 1, value: '30.00' }),
        ],
      },
      {
        referencePrices: [
          { hsPrefix: '61', price: '50.00', currency: 'EUR' },
          { hsPrefix: '6109', price: '10.00', currency: 'EUR' },
          { hsPrefix: '610910', price: '0', currency: 'EUR' },
        ],
      },
    );

    expect(view.item[0]).toEqual(expect.objectContaining({ referencePrice: 10, referencePriceRatio: 0.25 }));
    expect(view.item[1]).not.toHaveProperty('referencePrice');
    expect(view.item[1]).not.toHaveProperty('referencePriceRatio');
  });

  it('converts to a reference price held in the stack currency with the FX factor', () => {
    // USD 10.00 a unit, 1 USD = 0.90 EUR, reference EUR 30.00: EUR 9.00 is 30% of it
    const view = anEnrichedDeclaration(
      { currency: 'USD', items: [anItem({ quantity: 1, value: '10.00' })] },
      {
        referencePrices: [{ hsPrefix: '6109', price: '30.00', currency: 'EUR' }],
        fxToStack: '0.90',
        stackCurrency: 'EUR',
      },
    );

    expect(view.item[0]?.referencePriceRatio).toBe(0.3);
    expect(view.item[0]?.referencePrice).toBeCloseTo(33.333333, 5);
  });

  it('ignores a reference price in a currency it cannot convert', () => {
    const view = anEnrichedDeclaration(
      { currency: 'USD' },
      { referencePrices: [{ hsPrefix: '6109', price: '30.00', currency: 'EUR' }] },
    );

    expect(view.item[0]).not.toHaveProperty('referencePriceRatio');
  });

  it('states the consignment value in the stack currency, rounded to its minor unit', () => {
    // USD 20.00 x 0.91234 = EUR 18.2468 -> 18.25
    const view = anEnrichedDeclaration({ currency: 'USD' }, { fxToStack: '0.91234', stackCurrency: 'EUR' });

    expect(view.consignment).toEqual(
      expect.objectContaining({
        intrinsicValue: 18.25,
        currency: 'EUR',
        lowValue: true,
        lowValueThreshold: 150,
      }),
    );
  });

  it.each([
    ['130.00', false],
    ['130.01', true],
  ])('with EUR %s in the last 72 hours and EUR 20.00 now, exceedsLowValueWith72h is %s', (value, exceeds) => {
    const view = anEnrichedDeclaration({}, { consignee72h: { count: 2, value } });

    expect(view.consignment.exceedsLowValueWith72h).toBe(exceeds);
    expect(view.consignee).toEqual(
      expect.objectContaining({ consignmentsLast72h: 2, valueLast72h: Number(value) }),
    );
  });

  it('treats a consignment over the threshold alone as not low-value, so not split', () => {
    const view = anEnrichedDeclaration(
      { items: [anItem({ value: '150.01' })] },
      { consignee72h: { count: 1, value: '1' } },
    );

    expect(view.consignment.lowValue).toBe(false);
    expect(view.consignment.exceedsLowValueWith72h).toBe(false);
  });

  it('reports the registry check of the declared scheme number', () => {
    const ioss = { taxRegistration: { scheme: 'IOSS', number: 'IM5280000001' } } as const;
    const entry = {
      number: 'IM5280000001',
      scheme: 'IOSS',
      holder: 'Shenzhen Apparel Co',
      holderId: 'SELLER-1',
      validFrom: '2021-07-01',
    };

    expect(anEnrichedDeclaration(ioss, { registration: entry }).taxRegistration).toEqual({
      scheme: 'IOSS',
      number: 'IM5280000001',
      registered: true,
      holderMatches: true,
    });
    expect(
      anEnrichedDeclaration(ioss, { registration: { ...entry, number: ' im5280000001 ' } }).taxRegistration,
    ).toEqual(expect.objectContaining({ registered: true }));
    expect(
      anEnrichedDeclaration(ioss, { registration: { ...entry, scheme: 'NO_VOEC' } }).taxRegistration,
    ).toEqual(expect.objectContaining({ registered: false, holderMatches: false }));
    expect(anEnrichedDeclaration(ioss).taxRegistration).toEqual(
      expect.objectContaining({ registered: false, holderMatches: false }),
    );
    expect(anEnrichedDeclaration({}, { registration: entry })).not.toHaveProperty('taxRegistration');
  });

  it('flags a gift claimed on a B2C sale lodged by a platform', () => {
    const gift = { items: [anItem({ category: 'GIFT' })] };

    expect(anEnrichedDeclaration(gift).gift.claimedOnPlatformSale).toBe(true);
    expect(anEnrichedDeclaration({ ...gift, transactionType: 'C2C' }).gift.claimedOnPlatformSale).toBe(false);
    expect(anEnrichedDeclaration().gift.claimedOnPlatformSale).toBe(false);
  });

  it('carries the trusted-trader facts and the platform', () => {
    const view = anEnrichedDeclaration({}, { sellerTrusted: true, platformId: 'bazaar' });

    expect(view.seller.trusted).toBe(true);
    expect(view.platform).toEqual({ id: 'bazaar', trusted: false });
  });
});

describe('isVagueDescription', () => {
  it.each([
    'Gift',
    'GOODS',
    'misc.',
    'Misc items',
    'sample product',
    '2 x parts',
    'gift / present',
    '???',
    'Stuff!!',
  ])('finds "%s" vague', (description) => {
    expect(isVagueDescription(description)).toBe(true);
  });

  it.each([
    "men's cotton T-shirt",
    'gift box of green tea',
    'bicycle parts: brake pads',
    'Geschenk: Teekanne',
  ])('finds "%s" says what the goods are', (description) => {
    expect(isVagueDescription(description)).toBe(false);
  });
});
