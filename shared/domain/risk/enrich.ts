// The view risk profiles are matched against (DESIGN.md section 5): the declaration's own fields plus the
// facts derived from it and from the stack's state (72-hour history, registries, reference prices).
// Amounts appear here as numbers, as EventBridge numeric matching needs: the view is only compared
// against patterns, never used for money. Derived amounts are computed exactly with decimal.js and
// converted at the end; the low-value and 72-hour comparisons are made on the decimals themselves.
import * as z from 'zod';
import { type Declaration, ItemCategory } from '../declaration/declaration.js';
import { Decimal, minorUnitDigits, roundTo } from '../money.js';
import { isInForce } from '../reference/versions.js';

// ---------------------------------------------------------------------------------------------
// The enriched view. Its schema is the one source of its TypeScript type and of the field paths a
// profile may test (ENRICHED_FIELD_PATHS).
// ---------------------------------------------------------------------------------------------

const EnrichedItemSchema = z.object({
  line: z.number().meta({ description: 'Position of the item in the declaration, from 1' }),
  description: z.string(),
  hsCode: z.string(),
  hsChapter: z.string().meta({ description: 'First 2 digits of hsCode' }),
  hsHeading: z.string().meta({ description: 'First 4 digits of hsCode' }),
  hsSubheading: z.string().meta({ description: 'First 6 digits of hsCode' }),
  originCountry: z.string(),
  quantity: z.number(),
  value: z.number().meta({ description: 'Line value, declaration currency' }),
  netMassKg: z.number(),
  category: ItemCategory.meta({ description: 'Declared category, SALE when not declared' }),
  gtin: z.string().optional(),
  productUrl: z.string().optional(),
  unitValue: z.number().meta({ description: 'value / quantity, declaration currency' }),
  referencePrice: z.number().optional().meta({
    description: 'Reference unit price for the longest HS prefix that has one, declaration currency',
  }),
  referencePriceRatio: z.number().optional().meta({ description: 'unitValue / referencePrice' }),
  descriptionVague: z.boolean().meta({ description: 'The description says nothing about the goods' }),
});

const AddressSchema = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  postcode: z.string(),
  country: z.string(),
});

export const EnrichedDeclarationSchema = z.object({
  reference: z.string(),
  quoteId: z.string().optional(),
  importDate: z.string().meta({ description: 'The date the rules are applied for (RiskFacts.date)' }),
  dispatchCountry: z.string(),
  destinationCountry: z.string(),
  channel: z.string(),
  transactionType: z.string(),
  collectionModel: z.string(),
  currency: z.string(),
  transportCost: z.number(),
  insuranceCost: z.number(),
  transportDocument: z.string().optional(),
  seller: z.object({
    name: z.string(),
    country: z.string(),
    id: z.string().optional(),
    trusted: z.boolean(),
  }),
  platform: z.object({ id: z.string(), trusted: z.boolean() }),
  consignee: z.object({
    name: z.string(),
    address: AddressSchema,
    email: z.string().optional(),
    taxId: z.string().optional(),
    consignmentsLast72h: z.number().meta({ description: 'Other consignments to this consignee, last 72 h' }),
    valueLast72h: z
      .number()
      .meta({ description: 'Their intrinsic value, in the consignment.intrinsicValue currency' }),
  }),
  taxRegistration: z
    .object({
      scheme: z.string(),
      number: z.string(),
      registered: z.boolean().meta({ description: 'In the registry, same scheme, valid on importDate' }),
      holderMatches: z.boolean().meta({ description: 'The registry holder is the seller or the platform' }),
    })
    .optional(),
  item: z.array(EnrichedItemSchema),
  consignment: z.object({
    itemCount: z.number(),
    intrinsicValue: z.number().meta({ description: 'Sum of item values, stack currency when converted' }),
    currency: z.string().optional(),
    lowValueThreshold: z.number(),
    lowValue: z.boolean().meta({ description: 'intrinsicValue <= lowValueThreshold' }),
    exceedsLowValueWith72h: z.boolean().meta({
      description: 'Low value alone, but above the threshold with the last 72 h of the same consignee',
    }),
  }),
  gift: z.object({
    claimedOnPlatformSale: z
      .boolean()
      .meta({ description: 'A GIFT item on a B2C sale lodged by a platform' }),
  }),
  postal: z
    .object({
      category: z.string().meta({ description: 'CN23 category: SALE_OF_GOODS, GIFT, …, OTHER' }),
      restriction: z
        .array(z.string())
        .meta({ description: 'CN23 box 11: QUARANTINE, SANITARY, PHYTOSANITARY, OTHER' }),
      unclassified: z.boolean().meta({ description: 'A gift line sent without an HS code' }),
    })
    .optional()
    .meta({ description: 'Only for a postal item (channel POST, filed by a post)' }),
});

export type EnrichedDeclaration = z.infer<typeof EnrichedDeclarationSchema>;
export type EnrichedItem = z.infer<typeof EnrichedItemSchema>;

export type FieldKind = 'string' | 'number' | 'boolean';

/** A field of the enriched view: a value of one kind, or an object (possibly an array of objects). */
export type FieldNode =
  | { kind: FieldKind; path: string }
  | { kind: 'object'; path: string; fields: ReadonlyMap<string, FieldNode> };

const describeSchema = (schema: z.ZodType, path: string): FieldNode => {
  if (schema instanceof z.ZodOptional) return describeSchema(schema.unwrap() as z.ZodType, path);
  if (schema instanceof z.ZodArray) return describeSchema(schema.element as z.ZodType, path);
  if (schema instanceof z.ZodObject) {
    const fields = new Map<string, FieldNode>();
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      fields.set(key, describeSchema(child, path === '' ? key : `${path}.${key}`));
    }
    return { kind: 'object', path, fields };
  }
  if (schema instanceof z.ZodNumber) return { kind: 'number', path };
  if (schema instanceof z.ZodBoolean) return { kind: 'boolean', path };
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return { kind: 'string', path };
  throw new Error(`Enriched view field ${path} has a schema type the risk engine does not describe`);
};

/** The enriched view as a tree of fields, built once from its schema. */
export const ENRICHED_FIELDS = describeSchema(EnrichedDeclarationSchema, '') as Extract<
  FieldNode,
  { kind: 'object' }
>;

const leafPaths = (node: FieldNode): string[] =>
  node.kind === 'object' ? [...node.fields.values()].flatMap(leafPaths) : [node.path];

/** Every value path a profile pattern may test, e.g. `item.referencePriceRatio`, `consignee.valueLast72h`. */
export const ENRICHED_FIELD_PATHS: readonly string[] = Object.freeze(leafPaths(ENRICHED_FIELDS));

// ---------------------------------------------------------------------------------------------
// Vague descriptions
// ---------------------------------------------------------------------------------------------

/**
 * Words that say nothing about what the goods are. A description made only of these (and of numbers)
 * is vague: "Gift", "goods", "misc. items", "Sample product", "2 parts".
 */
export const VAGUE_DESCRIPTION_WORDS: ReadonlySet<string> = new Set([
  // placeholders for "the goods"
  'gift',
  'gifts',
  'goods',
  'good',
  'part',
  'parts',
  'spare',
  'spares',
  'sample',
  'samples',
  'stuff',
  'thing',
  'things',
  'item',
  'items',
  'product',
  'products',
  'accessory',
  'accessories',
  'merchandise',
  'present',
  'presents',
  'package',
  'packages',
  'parcel',
  'parcels',
  'article',
  'articles',
  'commodity',
  'commodities',
  'belongings',
  'effects',
  'order',
  'purchase',
  'set',
  'kit',
  // words that qualify nothing
  'misc',
  'miscellaneous',
  'other',
  'others',
  'various',
  'assorted',
  'general',
  'mixed',
  'personal',
  'new',
  'used',
  'free',
  'a',
  'an',
  'the',
  'of',
  'and',
  'or',
  'for',
  'with',
  'my',
  'some',
  'pcs',
  'pc',
  's',
  'x',
]);

// Runs of letters and digits; punctuation and spaces separate words. Shared, so reset before each use.
const WORD = /[\p{L}\p{N}]+/gu;
const NUMBER = /^\p{N}+$/u;

/** True when the description, lower-cased and stripped of punctuation, is only words that say nothing. */
export const isVagueDescription = (description: string): boolean => {
  const text = description.toLowerCase();
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const [word] = match;
    if (!VAGUE_DESCRIPTION_WORDS.has(word) && !NUMBER.test(word)) return false;
  }
  return true;
};

// ---------------------------------------------------------------------------------------------
// Facts and enrichment
// ---------------------------------------------------------------------------------------------

export interface ReferencePrice {
  /** 2 to 10 digits; the longest prefix of an item's hsCode wins. */
  hsPrefix: string;
  /** Reference price of one unit, a decimal string. */
  price: string;
  currency: string;
}

export interface Registration {
  number: string;
  scheme: string;
  /** The holder's name: for people only, never compared. */
  holder: string;
  /** The holder's identifier as the administration verified it (absent on records stored before it). */
  holderId?: string;
  validFrom: string;
  /** Last day of validity (inclusive). */
  validTo?: string;
}

/**
 * What the caller knows beyond the declaration. Amounts are decimal strings. `consignee72h.value` and
 * `lowValueThreshold` are in the currency of `consignment.intrinsicValue`: the stack currency when
 * `fxToStack` is given, else the declaration currency.
 */
export interface RiskFacts {
  platformId: string;
  referencePrices: readonly ReferencePrice[];
  /** Other consignments to the same consignee lodged in the 72 hours before this one (this one excluded). */
  consignee72h: { count: number; value: string };
  sellerTrusted: boolean;
  platformTrusted: boolean;
  /** The registry entry for the declared taxRegistration number, when there is one. */
  registration?: Registration;
  lowValueThreshold: string;
  /** One unit of the declaration currency in stack-currency units. */
  fxToStack?: string;
  /** The stack currency: rounds the converted value and lets reference prices be held in it. */
  stackCurrency?: string;
  /** YYYY-MM-DD: the import date the rules are applied for. */
  date: string;
}

const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ').toUpperCase();

interface UsableReference {
  reference: ReferencePrice;
  /** Stack-currency units per declaration-currency unit when the price is in the stack currency. */
  fx: string | undefined;
}

/** Reference prices comparable with this declaration's amounts, longest prefix first. */
const usableReferences = (declaration: Declaration, facts: RiskFacts): UsableReference[] => {
  const usable: UsableReference[] = [];
  for (const reference of facts.referencePrices) {
    if (reference.currency === declaration.currency) usable.push({ reference, fx: undefined });
    else if (facts.fxToStack !== undefined && reference.currency === facts.stackCurrency) {
      usable.push({ reference, fx: facts.fxToStack });
    }
  }
  return usable.sort((a, b) => b.reference.hsPrefix.length - a.reference.hsPrefix.length);
};

/** Sets referencePrice (declaration currency) and referencePriceRatio from the longest matching prefix. */
const compareWithReference = (
  item: EnrichedItem,
  declared: Declaration['items'][number],
  references: UsableReference[],
) => {
  // The exact unit value is only needed once an item has a reference price to compare with.
  let unitValue: Decimal | undefined;
  for (const { reference, fx } of references) {
    if (!item.hsCode.startsWith(reference.hsPrefix)) continue;
    const price = new Decimal(reference.price);
    if (!price.greaterThan(0)) continue;
    if (unitValue === undefined) {
      const value = new Decimal(declared.value);
      unitValue = declared.quantity === 1 ? value : value.dividedBy(declared.quantity);
    }
    if (fx === undefined) {
      item.referencePrice = price.toNumber();
      item.referencePriceRatio = unitValue.dividedBy(price).toNumber();
    } else {
      item.referencePrice = price.dividedBy(fx).toNumber();
      item.referencePriceRatio = unitValue.times(fx).dividedBy(price).toNumber();
    }
    return;
  }
};

/** Builds the view the risk profiles are matched against. Pure: everything it needs is in its arguments. */
export const enrich = (declaration: Declaration, facts: RiskFacts): EnrichedDeclaration => {
  const references = usableReferences(declaration, facts);

  let lineTotal = new Decimal(0);
  let hasGift = false;
  const vagueByDescription = new Map<string, boolean>();
  const item = declaration.items.map((declared, index): EnrichedItem => {
    lineTotal = lineTotal.plus(declared.value);
    let descriptionVague = vagueByDescription.get(declared.description);
    if (descriptionVague === undefined) {
      descriptionVague = isVagueDescription(declared.description);
      vagueByDescription.set(declared.description, descriptionVague);
    }
    const category = declared.category ?? 'SALE';
    if (category === 'GIFT') hasGift = true;
    const enriched: EnrichedItem = {
      line: index + 1,
      description: declared.description,
      hsCode: declared.hsCode,
      hsChapter: declared.hsCode.slice(0, 2),
      hsHeading: declared.hsCode.slice(0, 4),
      hsSubheading: declared.hsCode.slice(0, 6),
      originCountry: declared.originCountry,
      quantity: declared.quantity,
      value: Number(declared.value),
      netMassKg: Number(declared.netMassKg),
      category,
      // A number for numeric patterns only (within one ulp of the exact quotient); the reference-price
      // ratio and every money comparison use decimals.
      unitValue: Number(declared.value) / declared.quantity,
      descriptionVague,
    };
    if (declared.gtin !== undefined) enriched.gtin = declared.gtin;
    if (declared.productUrl !== undefined) enriched.productUrl = declared.productUrl;
    if (references.length > 0) compareWithReference(enriched, declared, references);
    return enriched;
  });

  // The consignment in the currency of the threshold and the 72-hour facts.
  let intrinsic = lineTotal;
  let valueCurrency: string | undefined = declaration.currency;
  if (facts.fxToStack !== undefined) {
    intrinsic = intrinsic.times(facts.fxToStack);
    valueCurrency = facts.stackCurrency;
    if (facts.stackCurrency !== undefined) {
      intrinsic = roundTo(intrinsic, minorUnitDigits(facts.stackCurrency), 'HALF_UP');
    }
  }
  const threshold = new Decimal(facts.lowValueThreshold);
  const last72h = new Decimal(facts.consignee72h.value);
  const lowValue = intrinsic.lessThanOrEqualTo(threshold);

  const { seller, consignee } = declaration;
  const view: EnrichedDeclaration = {
    reference: declaration.reference,
    importDate: facts.date,
    dispatchCountry: declaration.dispatchCountry,
    destinationCountry: declaration.destinationCountry,
    channel: declaration.channel,
    transactionType: declaration.transactionType,
    collectionModel: declaration.collectionModel,
    currency: declaration.currency,
    transportCost: Number(declaration.transportCost ?? '0'),
    insuranceCost: Number(declaration.insuranceCost ?? '0'),
    seller: { name: seller.name, country: seller.country, trusted: facts.sellerTrusted },
    platform: { id: facts.platformId, trusted: facts.platformTrusted },
    consignee: {
      name: consignee.name,
      address: { ...consignee.address },
      consignmentsLast72h: facts.consignee72h.count,
      valueLast72h: Number(facts.consignee72h.value),
    },
    item,
    consignment: {
      itemCount: item.length,
      intrinsicValue: intrinsic.toNumber(),
      lowValueThreshold: Number(facts.lowValueThreshold),
      lowValue,
      exceedsLowValueWith72h: lowValue && last72h.plus(intrinsic).greaterThan(threshold),
    },
    gift: {
      claimedOnPlatformSale: hasGift && declaration.transactionType === 'B2C' && facts.platformId !== '',
    },
  };
  if (valueCurrency !== undefined) view.consignment.currency = valueCurrency;
  if (declaration.quoteId !== undefined) view.quoteId = declaration.quoteId;
  if (declaration.transportDocument !== undefined) view.transportDocument = declaration.transportDocument;
  if (seller.id !== undefined) view.seller.id = seller.id;
  if (consignee.email !== undefined) view.consignee.email = consignee.email;
  if (consignee.taxId !== undefined) view.consignee.taxId = consignee.taxId;

  if (declaration.postal !== undefined) {
    view.postal = {
      category: declaration.postal.category,
      restriction: (declaration.postal.restrictions ?? []).map((restriction) => restriction.type),
      unclassified: (declaration.postal.unclassifiedLines ?? []).length > 0,
    };
  }

  const declared = declaration.taxRegistration;
  if (declared !== undefined) {
    const entry = facts.registration;
    const sameNumber =
      entry !== undefined &&
      normalise(entry.number) === normalise(declared.number) &&
      entry.scheme === declared.scheme;
    // Under a marketplace scheme (IOSS, GB VAT, AU GST, VOEC) the platform is the deemed supplier and
    // rightly declares its own number, so the lodging filer counts as a holder as well as the seller.
    // Only identifiers count: seller.id against the verified holderId, and the filer's authenticated id;
    // a name typed in the body proves nothing.
    const holderId = entry?.holderId;
    const holderMatches =
      holderId !== undefined &&
      ((seller.id !== undefined && normalise(seller.id) === normalise(holderId)) ||
        (facts.platformId !== '' && normalise(facts.platformId) === normalise(holderId)));
    view.taxRegistration = {
      scheme: declared.scheme,
      number: declared.number,
      registered: sameNumber && isInForce(entry, facts.date),
      holderMatches: sameNumber && holderMatches,
    };
  }
  return view;
};
