// The declaration a platform lodges (DESIGN.md section 3). One zod schema gives validation, types and OpenAPI.
import * as z from 'zod';
import { DECIMAL_PATTERN, decimalPlaces, isCurrencyCode, minorUnitDigits } from '../money.js';
import type { PostalFacts } from '../postal/facts.js';
import { isCountryCode } from './country-codes.js';
import { isHsSubheading } from './hs-codes.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from './text.js';

export const MAX_ITEMS = 999;

export const countryCode = z
  .string()
  .refine(isCountryCode, {
    message: 'must be an ISO 3166-1 alpha-2 country code in capitals, e.g. "CN"',
  })
  .meta({ description: 'ISO 3166-1 alpha-2 country code', example: 'CN' });

export const currencyCode = z
  .string()
  .refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code in capitals, e.g. "EUR"' })
  .meta({ description: 'ISO 4217 currency code', example: 'EUR' });

/** Money on the wire: a decimal string, never a number. */
export const decimalString = z
  .string({ error: 'must be a decimal string such as "12.50" (not a number)' })
  .regex(DECIMAL_PATTERN, 'must be a non-negative decimal string such as "12.50"')
  .meta({ description: 'Decimal amount as a string', example: '12.50' });

export const positiveDecimal = decimalString.refine((value) => /[1-9]/.test(value), {
  message: 'must be greater than zero',
});

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a calendar date')
  .meta({ description: 'Calendar date YYYY-MM-DD', example: '2026-07-01' });

export const text = (min: number, max: number) =>
  z
    .string()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine(isPlainText, PLAIN_TEXT_MESSAGE);

export const Channel = z.enum(['POST', 'EXPRESS', 'FREIGHT']);
export const TransactionType = z.enum(['B2C', 'C2C', 'B2B', 'RETURN']);
export const CollectionModel = z.enum([
  'SELLER_AT_CHECKOUT',
  'INTERMEDIARY_ON_DELIVERY',
  'CONSUMER_AT_IMPORT',
  'DEFERRED_ACCOUNT',
]);
export const TaxScheme = z.enum(['IOSS', 'GB_VAT', 'AU_GST', 'NO_VOEC', 'OTHER']);
export const ItemCategory = z.enum(['SALE', 'GIFT', 'SAMPLE', 'RETURN', 'DOCUMENTS']);

export const hsCode = z
  .string()
  .regex(/^\d{6,10}$/, { message: 'must be 6 to 10 digits', abort: true })
  .refine(isHsSubheading, 'its first 6 digits are not an HS 2022 subheading')
  .meta({ description: 'HS 2022 subheading plus optional national digits', example: '610910' });

export const DeclarationItemSchema = z.strictObject({
  description: text(3, 512).meta({ description: 'Plain words saying what the goods are' }),
  hsCode,
  originCountry: countryCode,
  quantity: z
    .number({ error: 'must be a whole number of units' })
    .int('must be a whole number of units')
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000'),
  value: positiveDecimal.meta({ description: "The line's intrinsic value, goods only" }),
  netMassKg: positiveDecimal.meta({ description: 'Net mass in kilograms' }),
  category: ItemCategory.optional(),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/, 'must be 8 to 14 digits')
    .optional(),
  productUrl: z.url('must be an absolute URL').max(2048, 'must be at most 2048 characters').optional(),
});

const REGION_CODE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

export const AddressSchema = z.strictObject({
  line1: text(1, 256),
  line2: text(1, 256).optional(),
  city: text(1, 128),
  postcode: text(1, 32),
  country: countryCode,
  region: z
    .string()
    .regex(REGION_CODE, 'must be an ISO 3166-2 subdivision code such as CA-ON')
    .optional()
    .meta({
      description:
        'ISO 3166-2 subdivision (province, state). Required for Canada, where it decides GST or HST',
      example: 'CA-ON',
    }),
});

/** Canada's provinces and territories (ISO 3166-2:CA): the tax at import depends on which. */
export const CA_REGIONS = [
  'CA-AB',
  'CA-BC',
  'CA-MB',
  'CA-NB',
  'CA-NL',
  'CA-NS',
  'CA-NT',
  'CA-NU',
  'CA-ON',
  'CA-PE',
  'CA-QC',
  'CA-SK',
  'CA-YT',
] as const;

/** An IOSS identification number: "IM", the member state's three-digit code, six digits and a check digit. */
export const IOSS_NUMBER = /^IM\d{10}$/;

/**
 * The declaration's fields without the cross-field checks, for schemas derived from it (a quote request
 * makes `reference` optional); zod cannot omit or extend a schema once it carries refinements.
 */
export const DeclarationFields = z.strictObject({
  reference: text(1, 64).meta({ description: "The platform's own id for this declaration (LRN)" }),
  quoteId: text(1, 64).optional(),
  importDate: isoDate.optional(),
  dispatchCountry: countryCode,
  destinationCountry: countryCode.meta({
    description:
      "The country of consumption. It must be in the stack's customs territory (an EU member state's stack clears every member state; others their own country), or intake refuses the declaration (400 naming this field).",
  }),
  channel: Channel,
  transactionType: TransactionType,
  collectionModel: CollectionModel,
  taxRegistration: z.strictObject({ scheme: TaxScheme, number: text(1, 64) }).optional(),
  currency: currencyCode,
  transportCost: decimalString.optional(),
  insuranceCost: decimalString.optional(),
  transportDocument: text(1, 64).optional(),
  seller: z.strictObject({ name: text(1, 256), country: countryCode, id: text(1, 64).optional() }),
  consignee: z.strictObject({
    name: text(1, 256),
    address: AddressSchema,
    email: z.email('must be an e-mail address').max(256).optional(),
    taxId: text(1, 64).optional(),
  }),
  items: z
    .array(DeclarationItemSchema)
    .min(1, 'must hold at least one item')
    .max(MAX_ITEMS, `must hold at most ${MAX_ITEMS} items`),
});

interface AmountFields {
  currency?: unknown;
  transportCost?: unknown;
  insuranceCost?: unknown;
  items?: unknown;
  destinationCountry?: unknown;
  consignee?: unknown;
  taxRegistration?: unknown;
}

/**
 * Facts the law needs from some destinations and schemes: a Canadian consignee's province (it decides
 * GST or HST), and an IOSS number in its legal format (Implementing Regulation (EU) 2020/194).
 */
const checkDestinationFacts = (declaration: AmountFields, ctx: z.RefinementCtx) => {
  const consignee = declaration.consignee as { address?: { region?: unknown } } | undefined;
  const address = consignee?.address;
  if (declaration.destinationCountry === 'CA' && address && typeof address === 'object') {
    const region = address.region;
    const path = ['consignee', 'address', 'region'];
    if (region === undefined) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'is required for goods consumed in Canada: the province or territory, e.g. CA-ON',
      });
    } else if (
      typeof region === 'string' &&
      REGION_CODE.test(region) &&
      !(CA_REGIONS as readonly string[]).includes(region)
    ) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `must be a Canadian province or territory (${CA_REGIONS.join(', ')})`,
      });
    }
  }
  const registration = declaration.taxRegistration as { scheme?: unknown; number?: unknown } | undefined;
  if (
    registration?.scheme === 'IOSS' &&
    typeof registration.number === 'string' &&
    !IOSS_NUMBER.test(registration.number)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['taxRegistration', 'number'],
      message: 'must be an IOSS number: IM followed by 10 digits (e.g. IM5280000123)',
    });
  }
};

// Amounts may not be more precise than the declaration's currency. Runs even when other fields are
// invalid, so one response names every offending field.
/**
 * A check that an amount is no more precise than `currency` allows, reporting at `path`; none when the
 * currency is not a known code (its own field reports that).
 */
export const amountPrecisionCheck = (currency: unknown, ctx: z.RefinementCtx) => {
  const code = typeof currency === 'string' ? currency : '';
  if (!isCurrencyCode(code)) return undefined;
  const digits = minorUnitDigits(code);
  return (amount: unknown, path: (string | number)[]) => {
    if (typeof amount === 'string' && DECIMAL_PATTERN.test(amount) && decimalPlaces(amount) > digits) {
      ctx.addIssue({ code: 'custom', path, message: `has more decimals than ${code} allows (${digits})` });
    }
  };
};

const checkAmountPrecision = (declaration: AmountFields, ctx: z.RefinementCtx) => {
  const check = amountPrecisionCheck(declaration.currency, ctx);
  if (!check) return;
  check(declaration.transportCost, ['transportCost']);
  check(declaration.insuranceCost, ['insuranceCost']);
  const items: unknown = declaration.items;
  if (Array.isArray(items)) {
    items.forEach((item: unknown, index) => {
      if (item && typeof item === 'object')
        check((item as { value?: unknown }).value, ['items', index, 'value']);
    });
  }
};

/** Adds the cross-field checks to the declaration's fields, or to a schema derived from them. */
export const withAmountChecks = <T extends z.ZodType<AmountFields>>(schema: T): T =>
  schema.superRefine(
    (declaration, ctx) => {
      checkAmountPrecision(declaration, ctx);
      checkDestinationFacts(declaration, ctx);
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export const DeclarationSchema = withAmountChecks(DeclarationFields).meta({
  id: 'Declaration',
  description: 'A consignment declared by an e-commerce platform',
});

/** A lodged declaration; a postal item's also carries its CN23 facts (never sent by a platform). */
export type Declaration = z.infer<typeof DeclarationSchema> & { postal?: PostalFacts };
export type DeclarationItem = z.infer<typeof DeclarationItemSchema>;
export type CollectionModel = z.infer<typeof CollectionModel>;
export type Channel = z.infer<typeof Channel>;

export interface FieldError {
  path: string;
  message: string;
}

/** Validates a declaration; issues carry their input so a missing field reads "is required". */
export const parseDeclaration = (body: unknown) => DeclarationSchema.safeParse(body, { reportInput: true });

const TYPE_NAMES: Record<string, string> = {
  object: 'a JSON object',
  array: 'a JSON array',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

const MAX_KEYS_SHOWN = 10;
const MAX_KEY_LENGTH = 64;
const shortKey = (key: string) => {
  if (key.length <= MAX_KEY_LENGTH) return key;
  // Never cut an emoji (a surrogate pair) in half.
  const high = key.charCodeAt(MAX_KEY_LENGTH - 1);
  return `${key.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_KEY_LENGTH - 1 : MAX_KEY_LENGTH)}…`;
};

/** Turns zod issues into the contract's `errors: [{path, message}]`, paths written `items.3.hsCode`. */
export const toFieldErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      // The names come from the request: echo a few, shortened, never a megabyte of key back.
      const shown = issue.keys.slice(0, MAX_KEYS_SHOWN).map(shortKey);
      const more =
        issue.keys.length > MAX_KEYS_SHOWN ? ` and ${issue.keys.length - MAX_KEYS_SHOWN} more` : '';
      return {
        path: shown.map((key) => (base ? `${base}.${key}` : key)).join(', ') + more,
        message: `is not a known field (${shown.join(', ')}${more})`,
      };
    }
    if (issue.code === 'invalid_type' && issue.input === undefined && 'input' in issue) {
      return { path: base, message: 'is required' };
    }
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      return { path: base || '(body)', message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}` };
    }
    return { path: base || '(body)', message: issue.message };
  });
