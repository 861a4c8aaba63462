// Request and response shapes of the platform API besides the declaration itself (DESIGN.md section 3).
// Handlers validate with these schemas and the OpenAPI document is generated from the same ones.
import { isIP } from 'node:net';
import * as z from 'zod';
import { Status } from '../../domain/clearance/record.js';
import {
  DEFAULT_PAGE_SIZE,
  type DeclarationSummary as DeclarationSummaryOfDomain,
} from '../../domain/clearance/summary.js';
import { DeclarationFields, DeclarationSchema, isoDate } from '../../domain/declaration/declaration.js';
import type { LodgementResult } from '../../domain/declaration/lodgement.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../../domain/declaration/text.js';
import { AssessmentSchema } from '../../domain/duty/assessment.js';
import type { PostalFacts } from '../../domain/postal/facts.js';
import type { WebhookDelivery as WebhookDeliveryOfDomain } from '../../domain/webhooks/delivery.js';
import type { Conforms } from './conforms.js';
import { holdFields } from './hold.js';

export const MAX_BATCH = 1000;
export const MAX_PAGE_SIZE = 100;

export const StatusSchema = Status.meta({
  id: 'Status',
  description: 'Where the declaration is in clearance',
});

export const FieldErrorSchema = z
  .object({
    path: z
      .string()
      .meta({ description: 'The offending field, e.g. `items.3.hsCode`', example: 'items.0.hsCode' }),
    message: z.string().meta({ example: 'must be 6 to 10 digits' }),
  })
  .meta({ id: 'FieldError' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(FieldErrorSchema)
      .optional()
      .meta({ description: '400: each offending field with what is wrong with it' }),
    currentStatus: z
      .string()
      .optional()
      .meta({ description: '409: the status the declaration is in, which the request does not fit' }),
    openChecks: z
      .array(
        z.object({
          kind: z.enum(['RISK_CHECK', 'HOLD']),
          lane: z.enum(['AMBER', 'RED']).optional(),
          holdId: z.string().optional(),
          reason: z.string().optional(),
          agency: z.string().optional(),
        }),
      )
      .optional()
      .meta({ description: '409 on cancel: the customs checks and holds that stand (UCC Art. 174)' }),
    reference: z
      .string()
      .optional()
      .meta({ description: '409: the reference already lodged with another body' }),
    existingId: z
      .string()
      .optional()
      .meta({ description: '409: the declaration lodged under that reference' }),
    amountDue: z
      .string()
      .optional()
      .meta({ description: '422 on a payment: what is still due at import from the payer' }),
    currency: z.string().optional().meta({ description: '422: the currency payments are taken in' }),
    code: z
      .string()
      .optional()
      .meta({ description: '422 on a quote: the rejection the declaration would meet' }),
    limit: z
      .enum(['requests', 'declarations', 'anonymousQuotes'])
      .optional()
      .meta({ description: '429: the fair-use limit reached' }),
    stored: z
      .number()
      .int()
      .optional()
      .meta({ description: '503 on a batch: how many declarations were stored before the service was busy' }),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (`application/problem+json`)' });

const links = z.object({
  self: z.string().meta({ example: '/v1/declarations/dcl_0123456789abcdef0123456789' }),
});

export const LodgedSchema = z
  .object({ id: z.string(), status: StatusSchema, reference: z.string(), links })
  .meta({ id: 'Lodged', description: 'The declaration as stored: 202 when new, 200 when lodged before' });

const batchOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    declarations: z
      .array(item)
      .min(1, 'must hold at least one declaration')
      .max(MAX_BATCH, `must hold at most ${MAX_BATCH} declarations; split the batch`),
  });

/** The batch envelope as checked before each declaration is checked on its own. */
export const BatchEnvelopeSchema = batchOf(z.unknown());
export const BatchRequestSchema = batchOf(DeclarationSchema).meta({
  id: 'DeclarationBatch',
  description: `Up to ${MAX_BATCH} declarations; each is accepted or refused on its own`,
});

export const BatchResultSchema = z
  .object({
    index: z.number().int().meta({ description: 'Position of the declaration in the request' }),
    status: z.union([z.literal(202), z.literal(200), z.literal(400), z.literal(409)]).meta({
      description:
        '202 accepted, 200 lodged before with the same body, 400 invalid, 409 reference already used',
    }),
    id: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'BatchResult' });
export type BatchResult = Conforms<LodgementResult, z.infer<typeof BatchResultSchema>>;

export const BatchResponseSchema = z
  .object({ results: z.array(BatchResultSchema) })
  .meta({ id: 'BatchResponse', description: 'One result per declaration, in request order' });

export const DeclarationSummarySchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    platformId: z.string(),
    status: StatusSchema,
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
    lane: z.enum(['GREEN', 'AMBER', 'RED']).optional(),
    goodsValue: z
      .object({
        amount: z.string().meta({ example: '32.50' }),
        currency: z.string().meta({ example: 'EUR' }),
      })
      .optional()
      .meta({
        description: "The goods' value as declared: the items' values summed, in the declaration's currency",
      }),
    totals: z
      .object({
        duty: z.string(),
        tax: z.string(),
        fees: z.string(),
        collectedAtCheckout: z.string(),
        dueAtImport: z.string(),
        dueFromDeclarant: z.string().optional().meta({
          description: 'The part of dueAtImport the declarant owes rather than the payer (see Assessment)',
        }),
      })
      .optional(),
  })
  .meta({ id: 'DeclarationSummary' });
export type DeclarationSummary = Conforms<
  DeclarationSummaryOfDomain,
  z.infer<typeof DeclarationSummarySchema>
>;

export const DeclarationListSchema = z
  .object({
    items: z.array(DeclarationSummarySchema),
    cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'DeclarationList' });

export const ListQuerySchema = z
  .strictObject({
    status: StatusSchema.optional(),
    lane: z.enum(['GREEN', 'AMBER', 'RED']).optional().meta({ description: 'Only this risk lane' }),
    platformId: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,128}$/, 'must be a platform id')
      .optional()
      .meta({ description: 'Only this platform (officers)' }),
    reference: z.string().min(1).max(64).optional().meta({
      description:
        "Only the declaration with this reference: the caller's own, or for officers the one of `platformId`",
    }),
    order: z
      .enum(['newest', 'oldest'])
      .optional()
      .meta({ description: 'Newest first (default) or oldest first' }),
    from: isoDate.optional().meta({ description: 'Lodged on or after this date (UTC)' }),
    to: isoDate.optional().meta({ description: 'Lodged on or before this date (UTC)' }),
    cursor: z.string().min(1).max(2048).optional().meta({ description: 'The `cursor` of the previous page' }),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
      .optional()
      .meta({ description: `Page size, default ${DEFAULT_PAGE_SIZE}` }),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['from'],
    message: 'must not be after `to`',
  });
export type ListQuery = z.infer<typeof ListQuerySchema>;

const holdView = z.object(holdFields);

export const PaymentSchema = z
  .object({
    id: z.string(),
    amount: z.string(),
    currency: z.string(),
    reference: z.string(),
    recordedBy: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'Payment' });

const PostalFactsSchema = z
  .object({
    itemId: z.string().meta({ example: 'RR123456785NL' }),
    postingDate: z.string(),
    category: z.enum(['SALE_OF_GOODS', 'GIFT', 'COMMERCIAL_SAMPLE', 'DOCUMENTS', 'RETURNED_GOODS', 'OTHER']),
    categoryExplanation: z.string().optional(),
    restrictions: z
      .array(
        z.object({
          type: z.enum(['QUARANTINE', 'SANITARY', 'PHYTOSANITARY', 'OTHER']),
          explanation: z.string().optional(),
        }),
      )
      .optional(),
    licenceNumbers: z.array(z.string()).optional(),
    certificateNumbers: z.array(z.string()).optional(),
    invoiceNumber: z.string().optional(),
    addresseePhone: z.string().optional(),
    unclassifiedLines: z.array(z.number().int()).optional().meta({
      description: 'Lines (from 1) of a gift declared without an HS code: an officer classifies them',
    }),
  })
  .meta({ id: 'PostalFacts', description: "A postal item's CN23 facts beyond the declaration contract" });
export type PostalFactsView = Conforms<PostalFacts, z.infer<typeof PostalFactsSchema>>;

/** The declaration as lodged: a postal item's also carries its CN23 facts, which no platform sends. */
const LodgedDeclarationSchema = DeclarationFields.extend({ postal: PostalFactsSchema.optional() }).meta({
  id: 'LodgedDeclaration',
  description: "The declaration as lodged; a postal item's also carries its CN23 facts (`postal`)",
});

export const DeclarationViewSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    platformId: z.string(),
    status: StatusSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    declaration: LodgedDeclarationSchema,
    risk: z
      .object({
        lane: z.enum(['GREEN', 'AMBER', 'RED']),
        score: z.number().optional().meta({ description: 'Officers and admins only' }),
        hits: z.array(
          z.object({
            profileId: z.string(),
            reason: z.string().meta({ description: "A filer sees the profile's public reason" }),
            score: z.number().optional().meta({ description: 'Officers and admins only' }),
          }),
        ),
      })
      .meta({
        description:
          'A filer sees the hits on its own facts, each with a public reason; hits on other consignments, scores and trust are for officers',
      })
      .nullable(),
    // Null until the duty step has run.
    assessment: AssessmentSchema.nullable(),
    holds: z.array(holdView),
    payments: z.array(PaymentSchema),
    history: z.array(
      z.object({
        at: z.string(),
        from: StatusSchema.nullable(),
        to: StatusSchema,
        by: z.string(),
        person: z
          .string()
          .optional()
          .meta({ description: 'The staff member who acted for `by` (an agency)' }),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'DeclarationView' });

export const CancelRequestSchema = z
  .strictObject({
    reason: z
      .string()
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .refine(isPlainText, PLAIN_TEXT_MESSAGE)
      .optional(),
  })
  .meta({ id: 'CancelRequest' });

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere public; plain http only to this machine, so a receiver can be tested locally. */
export const webhookUrlProblem = (raw: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://platform.example/clearway-events';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a #fragment';
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !loopback)
    return 'must use https:// (http:// is allowed only to localhost)';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https://';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!loopback && isIP(host) !== 0) return 'must name a host, not an IP address';
  return undefined;
};

export const WebhookSettingsSchema = z
  .strictObject({
    url: z
      .string({ error: 'must be a URL string' })
      .max(2048, 'must be at most 2048 characters')
      .superRefine((value, ctx) => {
        const problem = webhookUrlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({
        description: 'https URL every event is POSTed to',
        example: 'https://platform.example/hooks/clearway',
      }),
    secret: z
      .string({ error: 'must be a string' })
      .min(16, 'must be at least 16 characters')
      .max(256, 'must be at most 256 characters')
      .refine(isPlainText, PLAIN_TEXT_MESSAGE)
      .meta({ description: 'Shared secret that signs each delivery (Clearway-Signature)' }),
  })
  .meta({ id: 'WebhookSettings' });
export type WebhookSettings = z.infer<typeof WebhookSettingsSchema>;

export const WebhookViewSchema = z
  .object({
    url: z.string(),
    updatedAt: z
      .string()
      .meta({ description: 'When the URL and secret were last set; the secret is never shown' }),
    delivery: z.object({
      status: z.enum(['ACTIVE', 'BACKING_OFF', 'PARKED']),
      consecutiveFailures: z.number().int(),
      retryAt: z
        .string()
        .optional()
        .meta({ description: 'BACKING_OFF: no delivery is attempted before this time' }),
      parkedAt: z.string().optional(),
      lastError: z.string().optional().meta({ description: 'What the last failed delivery met' }),
    }),
  })
  .meta({ id: 'Webhook' });

export const WebhookResumedSchema = WebhookViewSchema.extend({
  requeued: z.number().int().meta({ description: 'Parked events sent again' }),
}).meta({ id: 'WebhookResumed' });

export const WebhookDeliverySchema = z
  .object({
    id: z
      .string()
      .meta({ description: 'Event id; the same on every retry, so receivers can drop duplicates' }),
    type: z
      .string()
      .meta({ description: 'Detail type, e.g. DeclarationReleased', example: 'DeclarationReleased' }),
    time: z.string(),
    data: z.record(z.string(), z.unknown()).meta({
      description: '{version, declarationId, platformId, reference, status, occurredAt, ...}',
    }),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = Conforms<WebhookDeliveryOfDomain, z.infer<typeof WebhookDeliverySchema>>;
