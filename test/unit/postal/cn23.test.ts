import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readItmatt } from '../../../shared/adapters/itmatt-reader.js';
import { toFieldErrors } from '../../../shared/domain/declaration/declaration.js';
import { type PostalCategory, parsePostalItem } from '../../../shared/domain/postal/cn23.js';
import { itmattItems, refuseDeclarations } from '../../../shared/domain/postal/itmatt.js';
import { ITMATT_XSD } from '../../../shared/domain/postal/itmatt-xsd.js';
import {
  CATEGORY_SEMANTICS,
  DOCUMENTS_HS_CODE,
  schemeOf,
  toDeclaration,
  UNCLASSIFIED_HS_CODE,
} from '../../../shared/domain/postal/to-declaration.js';
import { BUILTIN_PROFILES } from '../../../shared/domain/risk/builtin-profiles.js';
import { enrich } from '../../../shared/domain/risk/enrich.js';
import { compileProfiles, evaluate } from '../../../shared/domain/risk/evaluate.js';
import { aPostalItem, itmattMessage } from '../../fixtures/postal.js';
import { assessIn, fx, tariff } from '../duty/support.js';
import { someFacts } from '../risk/support.js';

const parse = (overrides: Record<string, unknown> = {}) => parsePostalItem(aPostalItem(overrides));
const declarationOf = (overrides: Record<string, unknown> = {}) => {
  const parsed = parse(overrides);
  if (!parsed.success) throw new Error(JSON.stringify(toFieldErrors(parsed.error)));
  return toDeclaration(parsed.data);
};
const errorsOf = (overrides: Record<string, unknown>) => {
  const parsed = parse(overrides);
  return parsed.success ? [] : toFieldErrors(parsed.error);
};
const unclassified = (description: string) => [
  { description, quantity: 1, netWeightKg: '0.2', value: '20.00' },
];

const builtins = compileProfiles(BUILTIN_PROFILES);
const riskOf = (overrides: Record<string, unknown>) => {
  const view = enrich(declarationOf(overrides), someFacts());
  return evaluate(builtins, view, { trusted: false });
};

describe('CN23 category meaning', () => {
  it.each<[PostalCategory, string, string]>([
    ['SALE_OF_GOODS', 'B2C', 'SALE'],
    ['GIFT', 'C2C', 'GIFT'],
    ['COMMERCIAL_SAMPLE', 'B2B', 'SAMPLE'],
    ['DOCUMENTS', 'C2C', 'DOCUMENTS'],
    ['RETURNED_GOODS', 'RETURN', 'RETURN'],
    ['OTHER', 'B2C', 'SALE'],
  ])('maps %s to a %s transaction with %s lines', (category, transactionType, itemCategory) => {
    // Act
    const declaration = declarationOf({ category, categoryExplanation: 'replacement part under warranty' });

    // Assess
    expect(CATEGORY_SEMANTICS[category]).toEqual({ transactionType, itemCategory });
    expect(declaration.transactionType).toBe(transactionType);
    expect(declaration.items.map((item) => item.category)).toEqual([itemCategory]);
    expect(declaration).toMatchObject({ channel: 'POST', postal: { category } });
  });

  it('refuses an unknown category and OTHER without its explanation, naming the field', () => {
    expect(errorsOf({ category: 'PRESENT' }).map((error) => error.path)).toEqual(['category']);
    expect(errorsOf({ category: 'OTHER' })).toEqual([
      { path: 'categoryExplanation', message: 'is required when the category is OTHER' },
    ]);
  });

  it('requires HS code and origin on commercial items, not on gifts and documents', () => {
    const contents = unclassified('ceramic tea cup');
    for (const category of ['SALE_OF_GOODS', 'COMMERCIAL_SAMPLE', 'RETURNED_GOODS']) {
      expect(errorsOf({ category, contents }).map((error) => error.path)).toEqual([
        'contents.0.hsCode',
        'contents.0.originCountry',
      ]);
    }
    expect(errorsOf({ category: 'GIFT', contents })).toEqual([]);
    expect(errorsOf({ category: 'DOCUMENTS', contents })).toEqual([]);
  });

  it('classifies documents without an HS code as printed matter and marks an unclassified gift for an officer', () => {
    // Act
    const documents = declarationOf({ category: 'DOCUMENTS', contents: unclassified('contract papers') });
    const gift = declarationOf({ category: 'GIFT', contents: unclassified('wool scarf') });

    // Assess: origin defaults to the sender's country
    expect(documents.items[0]).toMatchObject({ hsCode: DOCUMENTS_HS_CODE, originCountry: 'CN' });
    expect(documents.postal?.unclassifiedLines).toBeUndefined();
    expect(gift.items[0]).toMatchObject({ hsCode: UNCLASSIFIED_HS_CODE, originCountry: 'CN' });
    expect(gift.postal?.unclassifiedLines).toEqual([1]);
  });
});

describe('CN23 importer reference, charges and parties', () => {
  it.each([
    ['IM5280001234', 'IOSS'],
    ['GB123456789', 'GB_VAT'],
    ['VOEC2012345', 'NO_VOEC'],
    ['ARN000012345678', 'AU_GST'],
    ['EORI-NL-1', 'OTHER'],
  ])('reads %s as a %s registration', (reference, scheme) => {
    expect(schemeOf(reference)).toBe(scheme);
  });

  it('collects at checkout under a registration, on delivery by the post without one', () => {
    expect(declarationOf({ importerReference: 'IM5280001234' })).toMatchObject({
      collectionModel: 'SELLER_AT_CHECKOUT',
      taxRegistration: { scheme: 'IOSS', number: 'IM5280001234' },
    });
    expect(declarationOf().collectionModel).toBe('INTERMEDIARY_ON_DELIVERY');
  });

  it('puts postal charges and insurance in the customs value where the pack values CIF, not where FOB', () => {
    // Prepare: 24.00 of goods, 4.50 postage, 1.50 insurance
    const nl = declarationOf({ insurance: '1.50' });
    const us = declarationOf({
      insurance: '1.50',
      currency: 'USD',
      addressee: {
        name: 'Ann Smith',
        address: { line1: '1 Main St', city: 'Springfield', postcode: '62701', country: 'US' },
      },
    });

    // Act
    const inNl = assessIn('NL', nl, { tariffRates: [tariff('6109', '0.12')] });
    const inUs = assessIn('US', us, {
      tariffRates: [tariff('6109', '0.165')],
      exchangeRates: [fx('EUR', '1')],
    });

    // Assess
    expect(inNl.assessment.customsValue).toBe('30.00');
    expect(inUs.assessment.customsValue).toBe('24.00');
  });

  it('refuses amounts more precise than the currency by field', () => {
    expect(errorsOf({ postalCharges: '4.505', insurance: '1.001' }).map((error) => error.path)).toEqual([
      'postalCharges',
      'insurance',
    ]);
  });
});

describe('postal risk profiles', () => {
  it('sends an OTHER item and an unclassified gift to an officer (AMBER)', () => {
    const other = riskOf({ category: 'OTHER', categoryExplanation: 'spare part for a loom' });
    const gift = riskOf({ category: 'GIFT', contents: unclassified('wool scarf') });

    expect(other.lane).toBe('AMBER');
    expect(other.hits.map((hit) => hit.profileId)).toContain('BUILTIN-POSTAL-OTHER');
    expect(gift.lane).toBe('AMBER');
    expect(gift.hits.map((hit) => hit.profileId)).toContain('BUILTIN-POSTAL-UNCLASSIFIED');
  });

  it.each([
    ['QUARANTINE', 'ANIMAL_HEALTH'],
    ['SANITARY', 'FOOD_SAFETY'],
    ['PHYTOSANITARY', 'PLANT_HEALTH'],
  ])('routes a box 11 %s mark to a hold for %s', (type, agency) => {
    const result = riskOf({ restrictions: [{ type }] });
    expect(result.holds.map((hold) => hold.agency)).toEqual([agency]);
  });

  it('leaves a plain sale of goods GREEN', () => {
    expect(riskOf({}).lane).toBe('GREEN');
  });
});

describe('reading an ITMATT message', () => {
  it('reads back the CN23 data sets an ITMATT message renders', () => {
    // Prepare
    const items = [
      aPostalItem({
        importerReference: 'IM5280001234',
        insurance: '1.50',
        restrictions: [{ type: 'SANITARY', explanation: 'dried meat' }],
        licenceNumbers: ['LIC-1', 'LIC-2'],
        certificateNumbers: ['CERT-1'],
        invoiceNumber: 'INV-9',
      }),
      aPostalItem({ category: 'GIFT' }),
    ];

    // Act
    const reading = readItmatt(itmattMessage(items));

    // Assess
    if (!reading.valid) throw new Error(JSON.stringify(reading.errors));
    expect(itmattItems(reading.root).items).toEqual(items);
  });

  it('refuses a DOCTYPE before parsing', () => {
    expect(() => refuseDeclarations('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(/DOCTYPE or entity/);
  });

  it('decodes the predefined entities and character references, and refuses any other reference', () => {
    // Prepare
    const xml = itmattMessage([aPostalItem()]).replace(
      "men's cotton T-shirt",
      'Fish &amp; chips &#233;&#x41;',
    );

    // Act
    const reading = readItmatt(xml);
    const undefinedEntity = readItmatt(xml.replace('&#233;', '&nbsp;'));

    // Assess
    if (!reading.valid) throw new Error(JSON.stringify(reading.errors));
    const [read] = itmattItems(reading.root).items as { contents: { description: string }[] }[];
    expect(read?.contents[0]?.description).toBe('Fish & chips éA');
    expect(undefinedEntity).toMatchObject({ valid: false, wellFormed: false });
  });

  it('names the item and element of a schema error, and refuses a document nested beyond any valid one', () => {
    // Prepare
    const message = itmattMessage([aPostalItem(), aPostalItem()]);
    const second = message.lastIndexOf('</ItemId>') + '</ItemId>'.length;
    const offSchema = `${message.slice(0, second)}<Weight>1</Weight>${message.slice(second)}`;
    const deep = `<ITMATT xmlns="urn:clearway:itmatt:1">${'<a>'.repeat(300)}${'</a>'.repeat(300)}</ITMATT>`;

    // Act
    const offSchemaReading = readItmatt(offSchema);
    const deepReading = readItmatt(deep);

    // Assess
    expect(offSchemaReading).toMatchObject({ valid: false, wellFormed: true });
    expect(offSchemaReading.valid ? [] : offSchemaReading.errors.map((error) => error.path)).toEqual([
      'items.1.Weight',
    ]);
    expect(deepReading).toMatchObject({ valid: false });
  });
});

describe('the published ITMATT schema', () => {
  it('is the same text in the repository (docs/itmatt.xsd) as the API serves', () => {
    expect(readFileSync('docs/itmatt.xsd', 'utf8')).toBe(ITMATT_XSD);
  });
});
