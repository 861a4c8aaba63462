// Request and response shapes of the clearance actions (DESIGN.md section 3): payments, holds and their
// lifting, officers' decisions and returns. The handler validates with these schemas and the OpenAPI
// document is generated from the same ones.
import * as z from 'zod';
import { decimalString } from '../../domain/declaration/declaration.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../../domain/declaration/text.js';
import { decimalPlaces, isCurrencyCode, minorUnitDigits } from '../../domain/money.js';
import { PaymentSchema, StatusSchema } from './declarations.js';
import { holdFields, holdPlacementFields } from './hold.js';

export { PaymentSchema };

const reference = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine(isPlainText, PLAIN_TEXT_MESSAGE);

const reason = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters')
  .refine(isPlainText, PLAIN_TEXT_MESSAGE);

const currency = z
  .string({ error: 'must be a string' })
  .refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code in capitals, e.g. "EUR"' })
  .meta({ example: 'EUR' });

/** Agency codes as the `agency` role carries them: capitals, digits and underscores. */
export const AgencyCode = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be an agency code such as FOOD_SAFETY')
  .meta({ description: 'Agency code, e.g. FOOD_SAFETY', example: 'FOOD_SAFETY' });

export const PaymentRequestSchema = z
  .strictObject({
    amount: decimalString
      .refine((value) => /[1-9]/.test(value), { message: 'must be greater than zero' })
      .meta({ description: 'Amount paid, in the currency of the assessment', example: '4.20' }),
    currency: currency.meta({ description: 'Must be the currency of the assessment (the stack currency)' }),
    reference: reference.meta({
      description: 'Your id of the payment: the same reference again returns the payment already recorded',
      example: 'PAY-2026-000123',
    }),
  })
  .superRefine((payment, ctx) => {
    if (!isCurrencyCode(payment.currency)) return;
    const digits = minorUnitDigits(payment.currency);
    if (decimalPlaces(payment.amount) > digits) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `must have at most ${digits} decimals in ${payment.currency}`,
      });
    }
  })
  .meta({
    id: 'PaymentRequest',
    description:
      'Duty and tax collected at import. Partial payments add up; a payment above the amount due is refused (422, ' +
      'with `amountDue`), and so is a currency other than the assessment currency (422, with `currency`).',
  });
export type PaymentRequest = z.infer<typeof PaymentRequestSchema>;

export const HoldRequestSchema = z
  .strictObject({
    reason: reason.meta({
      description: 'Why the goods are held',
      example: 'Sampling for pesticide residues',
    }),
    agency: AgencyCode.optional().meta({
      description:
        'The agency the hold is for. An agency may only place holds for itself (it defaults to the caller); an ' +
        'officer may route a declaration to an agency this way, and only that agency can then lift the hold.',
    }),
  })
  .meta({ id: 'HoldRequest' });
export type HoldRequest = z.infer<typeof HoldRequestSchema>;

export const FindingSchema = z
  .strictObject({
    confirmed: z.boolean({ error: 'must be true or false' }).meta({
      description: 'true when the check confirmed the risk the profile points at',
    }),
    notes: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .refine(isPlainText, PLAIN_TEXT_MESSAGE)
      .optional(),
  })
  .meta({ id: 'Finding' });

export const DecisionRequestSchema = z
  .strictObject({
    decision: z.enum(['RELEASE', 'REJECT', 'SEIZE'], { error: 'must be RELEASE, REJECT or SEIZE' }),
    findings: z
      .record(z.string().min(1).max(128), FindingSchema)
      .default({})
      .meta({
        description:
          'What the check found, by id of a risk profile that hit the declaration (`risk.hits[].profileId`), e.g. ' +
          '`{"BUILTIN-VAGUE-DESCRIPTION": {"confirmed": false, "notes": "invoice names the goods"}}`. Each finding ' +
          "counts one check (and, when confirmed, one confirmed hit) in the profile's statistics; a profile that hit " +
          'without a finding counts as a hit only.',
      }),
    disposal: z
      .enum(['RETURN', 'DESTROY'], { error: 'must be RETURN or DESTROY' })
      .optional()
      .meta({
        description:
          'SEIZE only: what becomes of the seized goods, returned to the sender or destroyed (default DESTROY). ' +
          "A post's item gets it as its customs response.",
      }),
  })
  .refine((request) => request.disposal === undefined || request.decision === 'SEIZE', {
    path: ['disposal'],
    message: 'only a SEIZE decision has a disposal',
  })
  .meta({
    id: 'DecisionRequest',
    description:
      'Closes the check ordered by risk (lane AMBER or RED) on a HELD declaration. RELEASE lets it go once no hold ' +
      'stands and nothing is due; REJECT and SEIZE are final.',
  });
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

export const ReturnRequestSchema = z
  .strictObject({
    reason: reason.meta({ example: 'Returned by the consumer within the withdrawal period' }),
    items: z
      .array(
        z
          .number({ error: 'must be a line index' })
          .int('must be a line index')
          .min(0, 'must be a line index'),
      )
      .min(1, 'must name at least one line; leave it out to return every line')
      .refine((lines) => new Set(lines).size === lines.length, { message: 'must not repeat a line' })
      .optional()
      .meta({ description: 'Indexes into `items` of the goods lines returned; all lines when absent' }),
    reference: reference.meta({
      description: 'Your id of the return: the same reference again returns the refund already created',
      example: 'RMA-88121',
    }),
  })
  .meta({ id: 'ReturnRequest' });
export type ReturnRequest = z.infer<typeof ReturnRequestSchema>;

const DeclarationStateSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    status: StatusSchema,
    updatedAt: z.string(),
    amountDue: z.string().meta({ description: 'Duty and tax still to pay at import before release' }),
    currency: z.string().optional(),
  })
  .meta({ id: 'DeclarationState' });

export const HoldSchema = z.object(holdFields).meta({ id: 'Hold' });

export const LiftRequestSchema = z
  .strictObject({
    note: reason.optional().meta({
      description: 'What the check found, kept on the hold',
      example: 'Samples within limits',
    }),
  })
  .meta({ id: 'LiftRequest' });

export const RefundSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    reason: z.string(),
    items: z.array(z.number().int()),
    amount: z.string(),
    currency: z.string(),
    lines: z.array(
      z.object({
        kind: z.enum(['DUTY', 'TAX']),
        code: z.string(),
        hsCode: z.string().optional(),
        amount: z.string(),
      }),
    ),
    requestedBy: z.string(),
    requestedAt: z.string(),
  })
  .meta({ id: 'Refund' });

export const PaymentResponseSchema = z
  .object({ payment: PaymentSchema, declaration: DeclarationStateSchema })
  .meta({ id: 'PaymentRecorded' });
export const HoldResponseSchema = z
  .object({ hold: HoldSchema, declaration: DeclarationStateSchema })
  .meta({ id: 'HoldResult' });
export const DecisionResponseSchema = z
  .object({
    decision: z.object({
      decision: z.enum(['RELEASE', 'REJECT', 'SEIZE']),
      by: z.string(),
      at: z.string(),
      findings: z.record(z.string(), FindingSchema).optional(),
      disposal: z.enum(['RETURN', 'DESTROY']).optional(),
    }),
    declaration: DeclarationStateSchema,
  })
  .meta({ id: 'DecisionResult' });
export const RefundResponseSchema = z
  .object({ refund: RefundSchema, declaration: DeclarationStateSchema })
  .meta({ id: 'RefundResult' });

export const AgencyHoldsQuerySchema = z
  .strictObject({
    agency: AgencyCode.optional().meta({
      description: 'Officers: the agency whose holds to list (agencies list their own)',
    }),
    state: z.enum(['STANDING', 'LIFTED', 'ALL']).optional().meta({ description: 'Default STANDING' }),
    cursor: z.string().min(1).max(2048).optional(),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100')
      .optional(),
  })
  .meta({ id: 'AgencyHoldsQuery' });

export const AgencyHoldSchema = z
  .object({
    agency: z.string(),
    declarationId: z.string(),
    reference: z.string(),
    platformId: z.string(),
    holdId: z.string(),
    reason: z.string(),
    ...holdPlacementFields,
    status: StatusSchema.meta({ description: "The declaration's current status" }),
  })
  .meta({ id: 'AgencyHold' });

export const AgencyHoldListSchema = z
  .object({
    agency: z.string(),
    items: z.array(AgencyHoldSchema),
    cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'AgencyHoldList' });
