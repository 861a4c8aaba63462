// The CN23 customs declaration data set a designated postal operator files for each item (DESIGN.md
// section 12), as JSON; the ITMATT route turns its XML into the same shape. One zod schema gives
// validation, types and OpenAPI.
import * as z from 'zod';
import {
  AddressSchema,
  amountPrecisionCheck,
  countryCode,
  currencyCode,
  decimalString,
  hsCode,
  isoDate,
  positiveDecimal,
  text,
} from '../declaration/declaration.js';
import { s10Problem } from './s10.js';

export const MAX_POSTAL_ITEMS = 1000;
export const MAX_CONTENT_PIECES = 999;

export const PostalCategory = z
  .enum(['SALE_OF_GOODS', 'GIFT', 'COMMERCIAL_SAMPLE', 'DOCUMENTS', 'RETURNED_GOODS', 'OTHER'])
  .meta({ id: 'PostalCategory', description: 'CN23 box 10: category of item' });
export type PostalCategory = z.infer<typeof PostalCategory>;

/** CN23 box 11: the item is subject to quarantine, sanitary or phytosanitary inspection, or another restriction. */
export const PostalRestriction = z.enum(['QUARANTINE', 'SANITARY', 'PHYTOSANITARY', 'OTHER']);
export type PostalRestriction = z.infer<typeof PostalRestriction>;

/** Categories whose contents need an HS code and a country of origin; gifts and documents may omit them. */
const CLASSIFICATION_OPTIONAL: ReadonlySet<PostalCategory> = new Set(['GIFT', 'DOCUMENTS']);

export const s10ItemId = z
  .string()
  .superRefine((id, ctx) => {
    const problem = s10Problem(id);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'UPU S10 item identifier', example: 'RR123456785NL' });

const ContentPieceSchema = z.strictObject({
  description: text(3, 512).meta({ description: 'Plain words saying what the goods are' }),
  quantity: z
    .number({ error: 'must be a whole number of units' })
    .int('must be a whole number of units')
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000'),
  netWeightKg: positiveDecimal.meta({ description: 'Net weight in kilograms' }),
  value: positiveDecimal.meta({ description: "The piece's value, goods only" }),
  hsCode: hsCode.optional(),
  originCountry: countryCode.optional(),
});

const SenderAddressSchema = z.strictObject({
  line1: text(1, 256),
  line2: text(1, 256).optional(),
  city: text(1, 128),
  postcode: text(1, 32).optional(),
  country: countryCode,
});

const references = z.array(text(1, 64)).min(1, 'must hold at least one number').max(20);

export const PostalItemFields = z.strictObject({
  itemId: s10ItemId,
  postingDate: isoDate,
  sender: z.strictObject({ name: text(1, 256), address: SenderAddressSchema }),
  addressee: z.strictObject({
    name: text(1, 256),
    address: AddressSchema,
    email: z.email('must be an e-mail address').max(256).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{4,32}$/, 'must be a telephone number')
      .optional(),
  }),
  importerReference: text(1, 64)
    .optional()
    .meta({ description: "The importer's tax registration: an IOSS number (IM…), a GB VAT number, VOEC…" }),
  category: PostalCategory,
  categoryExplanation: text(3, 512).optional(),
  contents: z
    .array(ContentPieceSchema)
    .min(1, 'must hold at least one content piece')
    .max(MAX_CONTENT_PIECES, `must hold at most ${MAX_CONTENT_PIECES} content pieces`),
  currency: currencyCode,
  postalCharges: decimalString.optional(),
  insurance: decimalString.optional(),
  restrictions: z
    .array(
      z.strictObject({
        type: PostalRestriction,
        explanation: text(3, 512).optional(),
      }),
    )
    .min(1, 'must hold at least one restriction')
    .max(4)
    .optional()
    .meta({ description: 'CN23 box 11: quarantine, sanitary, phytosanitary or other restrictions' }),
  licenceNumbers: references.optional(),
  certificateNumbers: references.optional(),
  invoiceNumber: text(1, 64).optional(),
});

interface ItemShape {
  category?: unknown;
  categoryExplanation?: unknown;
  contents?: unknown;
  currency?: unknown;
  postalCharges?: unknown;
  insurance?: unknown;
}

// Cross-field rules; they run even when other fields are invalid, so one answer names every field.
const checkItem = (item: ItemShape, ctx: z.RefinementCtx) => {
  const contents = Array.isArray(item.contents) ? (item.contents as unknown[]) : [];
  const pieces = contents.map((piece) =>
    piece && typeof piece === 'object' ? (piece as Record<string, unknown>) : {},
  );
  const category = PostalCategory.safeParse(item.category);
  if (category.success && !CLASSIFICATION_OPTIONAL.has(category.data)) {
    pieces.forEach((piece, index) => {
      for (const field of ['hsCode', 'originCountry'] as const) {
        if (piece[field] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['contents', index, field],
            message: `is required for an item of category ${category.data}`,
          });
        }
      }
    });
  }
  if (category.success && category.data === 'OTHER' && item.categoryExplanation === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['categoryExplanation'],
      message: 'is required when the category is OTHER',
    });
  }
  const check = amountPrecisionCheck(item.currency, ctx);
  if (!check) return;
  check(item.postalCharges, ['postalCharges']);
  check(item.insurance, ['insurance']);
  for (const [index, piece] of pieces.entries()) check(piece.value, ['contents', index, 'value']);
};

export const PostalItemSchema = PostalItemFields.superRefine(checkItem, {
  when: (payload) => typeof payload.value === 'object' && payload.value !== null,
}).meta({ id: 'PostalItem', description: 'One postal item: the CN23 customs declaration data set' });
export type PostalItem = z.infer<typeof PostalItemSchema>;

export const parsePostalItem = (raw: unknown) => PostalItemSchema.safeParse(raw, { reportInput: true });

/** The envelope as checked before each item is checked on its own. */
export const PostalEnvelopeSchema = z.strictObject({
  items: z
    .array(z.unknown())
    .min(1, 'must hold at least one item')
    .max(MAX_POSTAL_ITEMS, `must hold at most ${MAX_POSTAL_ITEMS} items; split the message`),
});

export const PostalItemsRequestSchema = z
  .strictObject({ items: z.array(PostalItemSchema).min(1).max(MAX_POSTAL_ITEMS) })
  .meta({ id: 'PostalItems', description: `Up to ${MAX_POSTAL_ITEMS} postal items (CN23 data sets)` });
