// Lodging, listing, reading and cancelling declarations (functions/intake and functions/declarations).
import { DeclarationSchema } from '../../domain/declaration/declaration.js';
import { defineRoute } from '../contract.js';
import {
  BatchEnvelopeSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  CancelRequestSchema,
  DeclarationListSchema,
  DeclarationSummarySchema,
  DeclarationViewSchema,
  ListQuerySchema,
  LodgedSchema,
  MAX_BATCH,
  ProblemSchema,
} from '../schemas/declarations.js';
import { DeclarationRecordSchema } from '../schemas/record.js';

export const declarationRoutes = {
  lodge: defineRoute({
    method: 'POST',
    path: '/v1/declarations',
    function: 'intake',
    roles: ['platform'],
    summary: 'Lodge a declaration',
    description:
      'Validates and stores one declaration and queues it for risk evaluation. The `reference` makes it idempotent: ' +
      'the same reference with the same body answers 200 with the stored declaration; with a different body, 409.',
    tag: 'Declarations',
    declarationsIn: () => 1,
    body: { schema: DeclarationSchema, name: 'declaration' },
    responses: {
      202: { description: 'Accepted: stored and queued', schema: LodgedSchema },
      200: { description: 'Lodged before with the same body', schema: LodgedSchema },
      409: { description: 'The reference was lodged before with a different body', schema: ProblemSchema },
    },
  }),
  batch: defineRoute({
    method: 'POST',
    path: '/v1/declarations/batch',
    function: 'intake',
    roles: ['platform'],
    summary: 'Lodge up to 1000 declarations',
    description:
      'Each declaration is accepted or refused on its own; the answer lists one result per declaration by index. ' +
      'A reference repeated in the batch counts as a resubmission of its first occurrence.',
    tag: 'Declarations',
    declarationsIn: (body) => {
      const declarations = (body as { declarations?: unknown } | undefined)?.declarations;
      return Array.isArray(declarations) ? declarations.length : 0;
    },
    // Each declaration is accepted or refused on its own (207): the edge checks the envelope, the use case
    // each declaration.
    body: {
      schema: BatchRequestSchema,
      envelope: BatchEnvelopeSchema,
      description: `1 to ${MAX_BATCH} declarations`,
      name: 'batch',
    },
    responses: {
      207: { description: 'One result per declaration', schema: BatchResponseSchema },
      503: {
        description:
          'A service was busy part way: `stored` declarations were stored and stay stored. Send the same batch again after `Retry-After`: those answer 200 (lodged before), none is lodged twice',
        schema: ProblemSchema,
      },
    },
  }),
  list: defineRoute({
    method: 'GET',
    path: '/v1/declarations',
    function: 'declarations',
    roles: ['platform', 'post', 'officer'],
    summary: 'List declarations, newest first',
    description:
      "A platform lists its own declarations; an officer lists every platform's, day by day (default: the last 30 days, " +
      'at most 366). Pass the returned `cursor` to get the next page.',
    tag: 'Declarations',
    query: ListQuerySchema,
    responses: { 200: { description: 'A page of declaration summaries', schema: DeclarationListSchema } },
  }),
  view: defineRoute({
    method: 'GET',
    path: '/v1/declarations/{id}',
    function: 'declarations',
    roles: ['platform', 'post', 'officer', 'agency', 'admin'],
    summary: 'Read a declaration',
    description:
      "Status, risk result, assessment, holds, payments and history. Another platform's id answers 404.",
    tag: 'Declarations',
    responses: { 200: { description: 'The declaration', schema: DeclarationViewSchema } },
  }),
  record: defineRoute({
    method: 'GET',
    path: '/v1/declarations/{id}/record',
    function: 'declarations',
    roles: ['officer', 'admin'],
    summary: "Export a declaration's whole record for an audit",
    description:
      'The lodged body, history, risk with every reason and score, assessment, holds, decision, payments, refunds ' +
      'and the ledger entries booked for the declaration.',
    tag: 'Declarations',
    responses: { 200: { description: 'The whole record', schema: DeclarationRecordSchema } },
  }),
  cancel: defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/cancel',
    function: 'declarations',
    roles: ['platform'],
    summary: 'Cancel a declaration before release',
    description:
      'Refused with 409 (naming the current status) once released, rejected or seized. Repeating a cancel answers 200.',
    tag: 'Declarations',
    body: { schema: CancelRequestSchema, required: false, name: 'cancellation' },
    responses: {
      200: { description: 'Cancelled', schema: DeclarationSummarySchema },
      409: { description: 'Too late to cancel; `currentStatus` names the status', schema: ProblemSchema },
    },
  }),
};
