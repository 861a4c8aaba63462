// Quotes (DESIGN.md section 3, POST /v1/quotes): the assessment clearance would compute for a declaration
// body on its importDate, kept 30 days under a quoteId. A declaration that names the quote is assessed at
// no more than the quote when nothing material changed:
//
//  - material: what decides the amounts: the goods lines (HS code, origin, quantity, value, net mass,
//    category, in order), the currency, transport and insurance costs, dispatch and destination countries,
//    channel, transaction type, collection model and the collection-scheme registration. Descriptions,
//    references, parties' names and addresses, documents and the import date are not material; amounts
//    compare as numbers ("5" equals "5.00").
//  - the rules: the declaration's import date is the quoted one, or the same rule versions are in force
//    on both dates (a change in the law voids the quote; a change of exchange or tariff rate does not:
//    that is what a quote protects against).
//  - the quote has not expired when the duty step assesses the declaration (seconds after lodgement).
//
// When all hold and the assessment exceeds the quote in any total, the quote's assessment applies and
// carries the note QUOTE_HONOURED, so every total is at most the quote's. Otherwise a note says why the
// quote did not apply (QUOTE_NOT_FOUND, QUOTE_EXPIRED, QUOTE_MATERIAL_CHANGE, QUOTE_RULES_CHANGED).
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { type Declaration, DeclarationFields, withAmountChecks } from '../declaration/declaration.js';
import { Decimal } from '../money.js';
import { type Assessment, AssessmentSchema } from './assessment.js';

export const QUOTE_VALIDITY_DAYS = 30;

export const QUOTE_NOTES = {
  honoured: 'QUOTE_HONOURED',
  notFound: 'QUOTE_NOT_FOUND',
  expired: 'QUOTE_EXPIRED',
  materialChange: 'QUOTE_MATERIAL_CHANGE',
  rulesChanged: 'QUOTE_RULES_CHANGED',
  /** The quote leaves the consignee's yearly allowance (CN) to clearance: it is not read for anyone. */
  allowanceNotChecked: 'QUOTE_ANNUAL_ALLOWANCE_NOT_CHECKED',
  /** A declared scheme number is taken as valid and the seller's; clearance checks the registry. */
  schemeUnverified: 'SCHEME_SUBJECT_TO_VERIFICATION',
  /** The registry did not confirm the scheme number the quote assumed. */
  schemeNotConfirmed: 'QUOTE_SCHEME_NOT_CONFIRMED',
} as const;

/** A declaration body without `reference` (optional) and without `quoteId`. */
export const QuoteRequestSchema = withAmountChecks(
  DeclarationFields.omit({ quoteId: true }).extend({
    reference: DeclarationFields.shape.reference.optional(),
  }),
).meta({
  id: 'QuoteRequest',
  description: 'A declaration body to quote; `reference` is optional, `importDate` may be any date',
});
export type QuoteRequest = z.infer<typeof QuoteRequestSchema>;

export const QuoteSchema = z
  .object({
    quoteId: z.string().meta({ example: 'qt_3kq0c7v5mZ2b8pE1xYw4Qa' }),
    expiresAt: z
      .string()
      .meta({ format: 'date-time', description: 'Declarations lodged until then may use it' }),
    assessment: AssessmentSchema,
  })
  .meta({ id: 'Quote' });
export type QuoteView = z.infer<typeof QuoteSchema>;

/** A quote as stored: no body (it names people), only what honouring it needs. */
export interface StoredQuote {
  quoteId: string;
  createdAt: string;
  expiresAt: string;
  materialHash: string;
  assessment: Assessment;
}

export const newQuoteId = (): string => `qt_${randomBytes(16).toString('base64url')}`;

export const quoteExpiry = (createdAt: Date): Date =>
  new Date(createdAt.getTime() + QUOTE_VALIDITY_DAYS * 24 * 60 * 60 * 1000);

const amount = (value: string | undefined): string => new Decimal(value ?? '0').toString();

type Material = Pick<
  Declaration,
  | 'dispatchCountry'
  | 'destinationCountry'
  | 'channel'
  | 'transactionType'
  | 'collectionModel'
  | 'taxRegistration'
  | 'currency'
  | 'transportCost'
  | 'insuranceCost'
  | 'items'
>;

/** Hash of what decides the amounts (see the header); equal for bodies that only differ elsewhere. */
export const materialHash = (declaration: Material): string => {
  const material = [
    declaration.dispatchCountry,
    declaration.destinationCountry,
    declaration.channel,
    declaration.transactionType,
    declaration.collectionModel,
    declaration.taxRegistration
      ? [declaration.taxRegistration.scheme, declaration.taxRegistration.number]
      : null,
    declaration.currency,
    amount(declaration.transportCost),
    amount(declaration.insuranceCost),
    declaration.items.map((item) => [
      item.hsCode,
      item.originCountry,
      item.quantity,
      amount(item.value),
      amount(item.netMassKg),
      item.category ?? 'SALE',
    ]),
  ];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
};

const TOTALS = ['duty', 'tax', 'fees', 'collectedAtCheckout', 'dueAtImport'] as const;

/** True when any total of `assessment` is above the same total of `cap`. */
export const exceedsTotals = (assessment: Assessment, cap: Assessment): boolean =>
  TOTALS.some((total) => new Decimal(assessment.totals[total]).greaterThan(cap.totals[total]));

const sameRules = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, index) => id === b[index]);

const withNote = (assessment: Assessment, note: string): Assessment => ({
  ...assessment,
  notes: [...assessment.notes.filter((existing) => existing !== note), note],
});

/** Why a quote does not bind this declaration, or undefined when it does. */
export const quoteMismatch = (
  quote: StoredQuote | undefined,
  declaration: Declaration,
  assessment: Assessment,
  asOf: string,
): string | undefined => {
  if (!quote) return QUOTE_NOTES.notFound;
  if (quote.expiresAt <= asOf) return QUOTE_NOTES.expired;
  if (quote.materialHash !== materialHash(declaration)) return QUOTE_NOTES.materialChange;
  const sameDate = quote.assessment.importDate === assessment.importDate;
  if (!sameDate && !sameRules(quote.assessment.ruleSet, assessment.ruleSet)) return QUOTE_NOTES.rulesChanged;
  // A quote assumed the scheme number valid; it binds only if the registry moved the same tax to checkout.
  if (
    quote.assessment.notes.includes(QUOTE_NOTES.schemeUnverified) &&
    quote.assessment.totals.collectedAtCheckout !== assessment.totals.collectedAtCheckout
  )
    return QUOTE_NOTES.schemeNotConfirmed;
  return undefined;
};

/**
 * Applies the quote a declaration names to its assessment (see the header). A rejection stands: a quote
 * never makes a declaration admissible.
 */
export const honourQuote = <O extends { assessment: Assessment; rejection?: unknown }>(
  outcome: O,
  declaration: Declaration,
  quote: StoredQuote | undefined,
  asOf: string,
): O => {
  if (declaration.quoteId === undefined || outcome.rejection !== undefined) return outcome;
  const mismatch = quoteMismatch(quote, declaration, outcome.assessment, asOf);
  if (mismatch !== undefined) return { ...outcome, assessment: withNote(outcome.assessment, mismatch) };
  if (!quote || !exceedsTotals(outcome.assessment, quote.assessment)) return outcome;
  return {
    ...outcome,
    assessment: withNote(
      { ...quote.assessment, importDate: outcome.assessment.importDate },
      QUOTE_NOTES.honoured,
    ),
  };
};
