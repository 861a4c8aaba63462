// The assessment of duties, taxes and fees (DESIGN.md section 3), shared by declarations and quotes.

import * as z from 'zod';
import { Decimal } from '../money.js';

const amount = z.string().meta({ description: 'Decimal amount in the stack currency', example: '3.00' });

export const Payer = z.enum(['SELLER', 'PLATFORM', 'INTERMEDIARY', 'CONSUMER']);
export const TaxCode = z.enum(['VAT', 'GST', 'HST', 'PST', 'CONSUMPTION_TAX', 'SALES_TAX']);

export const DutyLineSchema = z.object({
  code: z.string(),
  hsCode: z.string().optional(),
  base: amount,
  rate: z.string().optional(),
  amount,
  legalBasis: z.string(),
  payer: Payer.optional().meta({
    description:
      "Who owes this line when the law names someone other than the assessment's payer (the EU flat duty under CONSUMER_AT_IMPORT: the declarant, PLATFORM or the post as INTERMEDIARY). Part of totals.dueFromDeclarant.",
  }),
});

export const TaxLineSchema = z.object({
  code: TaxCode,
  base: amount,
  rate: z.string(),
  amount,
  collectedAtCheckout: z.boolean(),
});

export const FeeLineSchema = z.object({ code: z.string(), amount, legalBasis: z.string() });

export const AssessmentSchema = z
  .object({
    ruleSet: z.array(z.string()).meta({ example: ['EU@2026-07-01', 'NL@2026-01-01'] }),
    importDate: z.string(),
    currency: z.string(),
    exchangeRates: z.array(z.object({ currency: z.string(), rate: z.string(), validFrom: z.string() })),
    intrinsicValue: amount,
    customsValue: amount,
    lowValue: z.boolean(),
    declarationType: z.string(),
    duties: z.array(DutyLineSchema),
    taxes: z.array(TaxLineSchema),
    fees: z.array(FeeLineSchema),
    totals: z.object({
      duty: amount,
      tax: amount,
      fees: amount,
      collectedAtCheckout: amount,
      dueAtImport: amount,
      dueFromDeclarant: amount.optional().meta({
        description:
          "The part of dueAtImport owed by the declarant rather than the assessment's payer (lines with their own payer); the payer settles dueAtImport minus this.",
      }),
    }),
    payer: Payer,
    notes: z.array(z.string()),
  })
  .meta({ id: 'Assessment' });

export type Assessment = z.infer<typeof AssessmentSchema>;
export type DutyLine = z.infer<typeof DutyLineSchema>;
export type TaxLine = z.infer<typeof TaxLineSchema>;
export type FeeLine = z.infer<typeof FeeLineSchema>;
export type Payer = z.infer<typeof Payer>;

/** The part of what is due at import that the assessment's payer settles; lines owed by another are not. */
export const dueFromPayer = (assessment: {
  totals: Pick<Assessment['totals'], 'dueAtImport' | 'dueFromDeclarant'>;
}): Decimal => new Decimal(assessment.totals.dueAtImport).minus(assessment.totals.dueFromDeclarant ?? 0);

/** Who owes a duty, tax or fee code of the assessment: the line's own payer, else the assessment's. */
export const payerOfCode = (assessment: Pick<Assessment, 'duties' | 'payer'>, code: string): Payer =>
  assessment.duties.find((line) => line.code === code && line.payer !== undefined)?.payer ?? assessment.payer;
