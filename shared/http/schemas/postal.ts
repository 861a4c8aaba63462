// Request and response shapes of the postal routes (DESIGN.md section 12), for validation and OpenAPI.
import * as z from 'zod';
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
export type PostalResult = z.infer<typeof PostalResultSchema>;

export const PostalResponseSchema = z
  .object({ results: z.array(PostalResultSchema) })
  .meta({ id: 'PostalItemsResponse', description: 'One result per item, in request order' });
