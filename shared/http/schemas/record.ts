// The whole record of one declaration, as an officer exports it for an audit.
import * as z from 'zod';
import { AssessmentSchema } from '../../domain/duty/assessment.js';
import { LEDGER_KINDS } from '../../domain/ledger/entries.js';
import { DecisionResponseSchema, RefundSchema } from './clearance.js';
import { DeclarationViewSchema } from './declarations.js';

const view = DeclarationViewSchema.shape;

export const LedgerEntrySchema = z
  .object({
    id: z.string().meta({ description: 'Deterministic: declaration id, kind, fact and tax code' }),
    fact: z.string().meta({
      description: 'The fact that booked it: ASSESSMENT, PAYMENT#<id>, REFUND#<id>, EXTINGUISHMENT',
    }),
    kind: z.enum(LEDGER_KINDS),
    taxCode: z.string(),
    currency: z.string(),
    amount: z.string().meta({ description: 'Exact decimal string' }),
    at: z.string(),
    collectionModel: z.string(),
    payer: z.string(),
  })
  .meta({ id: 'LedgerEntry' });

export const DeclarationRecordSchema = z
  .object({
    id: view.id,
    reference: view.reference,
    platformId: view.platformId,
    status: view.status,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    declaration: view.declaration,
    risk: z
      .object({
        lane: z.enum(['GREEN', 'AMBER', 'RED']),
        score: z.number(),
        assessedAt: z.string(),
        profileVersions: z.array(z.string()).optional(),
        hits: z.array(
          z.object({
            profileId: z.string(),
            reason: z
              .string()
              .meta({ description: "The officer's reason, which may speak of other consignments" }),
            publicReason: z.string().optional().meta({ description: 'What the filer is shown' }),
            score: z.number(),
          }),
        ),
      })
      .nullable(),
    assessment: AssessmentSchema.nullable(),
    holds: view.holds,
    decision: DecisionResponseSchema.shape.decision.nullable(),
    payments: view.payments,
    refunds: z.array(RefundSchema),
    personalDataErasedAt: z.string().nullable().meta({
      description:
        "When the consignee's personal data was pseudonymised, the pack's record-keeping period over; null until then",
    }),
    history: view.history,
    ledgerEntries: z.array(LedgerEntrySchema).meta({
      description:
        'Every entry the ledger booked for the declaration: its assessment, payments, refunds and the end of its debt',
    }),
  })
  .meta({ id: 'DeclarationRecord' });
