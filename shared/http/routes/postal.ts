// Postal operators filing items (DESIGN.md section 12, functions/postal).
import {
  MAX_POSTAL_ITEMS,
  PostalEnvelopeSchema,
  PostalItemsRequestSchema,
} from '../../domain/postal/cn23.js';
import { defineRoute } from '../contract.js';
import { ProblemSchema } from '../schemas/declarations.js';
import {
  PostalResponseSchema,
  PostalResponsesPageSchema,
  PostalResponsesQuerySchema,
} from '../schemas/postal.js';

export const postalRoutes = {
  items: defineRoute({
    method: 'POST',
    path: '/v1/postal/items',
    function: 'postal',
    roles: ['post'],
    declarationsIn: (body) => {
      const items = (body as { items?: unknown } | undefined)?.items;
      return Array.isArray(items) ? items.length : 0;
    },
    summary: `File up to ${MAX_POSTAL_ITEMS} postal items (CN23 data sets)`,
    description:
      'Each item becomes a declaration with channel POST and reference = its S10 item id, owned by the post. ' +
      'Items are accepted or refused on their own: a wrong S10 check digit, an unknown category, or an HS code ' +
      'or origin missing from a commercial item (only gifts and documents may omit them) is a 400 result naming ' +
      '`items.<n>.<field>`. The same item again answers 200; other content under the same item id, 409.',
    tag: 'Postal',
    // Each item is accepted or refused on its own (207): the edge checks the envelope, the use case each item.
    body: { schema: PostalItemsRequestSchema, envelope: PostalEnvelopeSchema, name: 'postal items request' },
    responses: { 207: { description: 'One result per item', schema: PostalResponseSchema } },
  }),
  itmatt: defineRoute({
    method: 'POST',
    path: '/v1/postal/itmatt',
    function: 'postal',
    roles: ['post'],
    // Every item carries exactly one ItemId (see the XSD).
    declarationsIn: (body) =>
      typeof body === 'string' ? (body.match(/<(?:[\w.-]+:)?ItemId[\s>]/g) ?? []).length : 0,
    summary: 'File postal items as a UPU ITMATT (M33) message',
    description:
      'The XML rendering published at `GET /v1/postal/itmatt.xsd` (element-to-field mapping in the repository, ' +
      '`docs/postal-itmatt.md`). A message with a DOCTYPE or entity declaration, one that is not well-formed, or ' +
      'one that breaks the schema is refused whole (400, the errors name the item and element); otherwise each ' +
      'item is taken as `POST /v1/postal/items` takes it.',
    tag: 'Postal',
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
  }),
  itmattXsd: defineRoute({
    method: 'GET',
    path: '/v1/postal/itmatt.xsd',
    function: 'postal',
    roles: [],
    summary: 'The XSD of the ITMATT rendering Clearway accepts',
    tag: 'Postal',
    responses: { 200: { description: 'XML Schema', contentType: 'application/xml' } },
  }),
  responses: defineRoute({
    method: 'GET',
    path: '/v1/postal/responses',
    function: 'postal',
    roles: ['post'],
    summary: "The post's customs responses, for posts that poll",
    description:
      'Every status change of your postal items as a CUSRSP-like response: RELEASED, HELD (with the reason), ' +
      'DUTY_DUE (amount, currency and payer), REFUSED, and RETURN or DESTROY after a seizure. Oldest first in ' +
      'the order they were recorded, each once; send the `cursor` back as `since` to read what came after. ' +
      'A response is listed about two seconds after it is recorded. The same responses reach your webhook as ' +
      '`PostalResponseIssued` events whose `responseId` identifies the response.',
    tag: 'Postal',
    query: PostalResponsesQuerySchema,
    responses: { 200: { description: 'A page of responses', schema: PostalResponsesPageSchema } },
  }),
};
