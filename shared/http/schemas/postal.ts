// Request and response shapes of the postal routes (DESIGN.md section 12), for validation and OpenAPI.
import * as z from 'zod';
import type { PostalItemResult } from '../../domain/declaration/lodgement.js';
import { POSTAL_RESPONSE_CODES } from '../../domain/postal/responses.js';
import type { Conforms } from './conforms.js';
import { FieldErrorSchema } from './declarations.js';

export const PostalResultSchema = z
  .object({
    index: z.number().int().meta({ description: 'Position of the item in the request' }),
    itemId: z
      .string()
      .optional()
      .meta({ description: "The item's S10 id as sent", example: 'RR123456785NL' }),
    status: z.union([z.literal(202), z.literal(200), z.literal(400), z.literal(409)]).meta({
      description:
        '202 accepted, 200 filed before with the same content, 400 invalid, 409 item id already used',
    }),
    id: z.string().optional().meta({ description: 'The declaration the item became' }),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'PostalResult' });
export type PostalResult = Conforms<PostalItemResult, z.infer<typeof PostalResultSchema>>;

export const PostalResponseSchema = z
  .object({ results: z.array(PostalResultSchema) })
  .meta({ id: 'PostalItemsResponse', description: 'One result per item, in request order' });

export const PostalResponsesQuerySchema = z
  .strictObject({
    since: z.string().min(1).max(2048).optional().meta({
      description: 'The `cursor` of the previous answer; leave it out to read from the oldest response kept',
    }),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .optional()
      .meta({ description: 'Default 100' }),
  })
  .meta({ id: 'PostalResponsesQuery' });

export const PostalCustomsResponseSchema = z
  .object({
    itemId: z.string().meta({ example: 'RR123456785NL' }),
    declarationId: z.string(),
    code: z.enum(POSTAL_RESPONSE_CODES).meta({
      description:
        'RELEASED: deliver; HELD: keep the item (`reason`); DUTY_DUE: `amountDue` in `currency` is due at ' +
        'import from `payer` (INTERMEDIARY: the post collects it on delivery and pays it on its monthly ' +
        'statement); REFUSED: customs refused the declaration; RETURN / DESTROY: seized, the goods are to be ' +
        'returned to the sender or destroyed',
    }),
    amountDue: z.string().optional().meta({ example: '5.46' }),
    currency: z.string().optional().meta({ example: 'EUR' }),
    payer: z.string().optional().meta({ example: 'INTERMEDIARY' }),
    reason: z.string().optional(),
    at: z.string().meta({ description: 'When the status changed (ISO 8601 UTC)' }),
  })
  .meta({ id: 'PostalCustomsResponse' });

export const PostalResponsesPageSchema = z
  .object({
    items: z.array(PostalCustomsResponseSchema),
    cursor: z.string().meta({
      description: 'Send it back as `since` to read what came after; at the end of the feed it stays valid',
    }),
  })
  .meta({
    id: 'PostalResponsesPage',
    description: 'Responses in the order they were recorded, oldest first',
  });
