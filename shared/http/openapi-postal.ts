// OpenAPI descriptions of the postal routes (DESIGN.md section 12).

import { MAX_POSTAL_ITEMS, PostalItemsRequestSchema } from '../domain/postal/cn23.js';
import type { OperationDoc } from './openapi.js';
import { ProblemSchema } from './schemas/declarations.js';
import { PostalResponseSchema } from './schemas/postal.js';

export const postalOperations: Record<string, OperationDoc> = {
  'POST /v1/postal/items': {
    summary: `File up to ${MAX_POSTAL_ITEMS} postal items (CN23 data sets)`,
    description:
      'Each item becomes a declaration with channel POST and reference = its S10 item id, owned by the post. ' +
      'Items are accepted or refused on their own: a wrong S10 check digit, an unknown category, or an HS code ' +
      'or origin missing from a commercial item (only gifts and documents may omit them) is a 400 result naming ' +
      '`items.<n>.<field>`. The same item again answers 200; other content under the same item id, 409.',
    tags: ['Postal'],
    body: { schema: PostalItemsRequestSchema },
    responses: { 207: { description: 'One result per item', schema: PostalResponseSchema } },
  },
  'POST /v1/postal/itmatt': {
    summary: 'File postal items as a UPU ITMATT (M33) message',
    description:
      'The XML rendering published at `GET /v1/postal/itmatt.xsd` (element-to-field mapping in the repository, ' +
      '`docs/postal-itmatt.md`). A message with a DOCTYPE or entity declaration, one that is not well-formed, or ' +
      'one that breaks the schema is refused whole (400, the errors name the item and element); otherwise each ' +
      'item is taken as `POST /v1/postal/items` takes it.',
    tags: ['Postal'],
    body: {
      schema: PostalItemsRequestSchema,
      contentType: 'application/xml',
      description: 'An ITMATT message (Content-Type: application/xml)',
    },
    responses: {
      207: { description: 'One result per item', schema: PostalResponseSchema },
      400: {
        description: 'Refused whole: not well-formed, DTD or entities, or off schema',
        schema: ProblemSchema,
      },
    },
  },
  'GET /v1/postal/itmatt.xsd': {
    summary: 'The XSD of the ITMATT rendering Clearway accepts',
    tags: ['Postal'],
    responses: { 200: { description: 'XML Schema', contentType: 'application/xml' } },
  },
};
