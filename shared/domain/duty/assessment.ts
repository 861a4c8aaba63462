// The assessment of duties, taxes and fees (DESIGN.md section 3), shared by declarations and quotes.
import * as z from 'zod';

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
