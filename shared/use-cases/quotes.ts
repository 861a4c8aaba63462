// POST /v1/quotes: the assessment clearance would compute for a declaration body on its importDate (any
// date, so platforms see coming rule changes), stored 30 days under a quoteId (see domain/duty/quote.ts for
// when a declaration is held to it). The engine is the one clearance uses, with the same reference data.

import type { CountryPack } from '../countries/index.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { assess, assessmentContext, type ReferenceData } from '../domain/duty/assess.js';
import {
  materialHash,
  newQuoteId,
  QUOTE_NOTES,
  type QuoteRequest,
  type QuoteView,
  quoteExpiry,
} from '../domain/duty/quote.js';
import { UnprocessableError } from '../domain/errors.js';
import type { QuoteStore } from './ports/quotes.js';

export interface QuoteDeps {
  pack: CountryPack;
  /** Tariff rates, exchange rates and registrations the body needs (cached reference reads). */
  loadReference: (declarations: QuoteRequest[]) => Promise<Omit<ReferenceData, 'annualTotal'>>;
  store: Pick<QuoteStore, 'put'>;
  now: () => Date;
  newId?: () => string;
}

/** The reference a quotation request leaves out; the engine never reads it. */
const QUOTE_REFERENCE = 'QUOTE';

export const createQuote = async (
  command: { request: QuoteRequest },
  deps: QuoteDeps,
): Promise<QuoteView> => {
  const body = command.request;
  const declaration: Declaration = { ...body, reference: body.reference ?? QUOTE_REFERENCE };
  const now = deps.now();
  const today = now.toISOString().slice(0, 10);
  const importDate = body.importDate ?? today;
  // The registry is not read for an anonymous caller, or the answer would tell whether a number is
  // registered: a declared number is taken as valid and the seller's, and clearance verifies it.
  const { taxRegistration: declaredScheme, ...withoutScheme } = body;
  const shared = await deps.loadReference([withoutScheme]);
  // A consignee's purchases this year are not read for an anonymous caller: the yearly allowance (CN) is
  // checked at clearance, and the quote says so.
  const taxId = body.consignee.taxId;
  const reference: ReferenceData = {
    ...shared,
    taxRegistrations: declaredScheme
      ? [
          {
            ...declaredScheme,
            holder: body.seller.name,
            ...(body.seller.id !== undefined ? { holderId: body.seller.id } : {}),
            validFrom: importDate,
          },
        ]
      : [],
    ...(taxId ? { annualTotal: { taxId, year: Number(importDate.slice(0, 4)), amount: '0' } } : {}),
  };
  const outcome = assess(declaration, assessmentContext(deps.pack, today, reference));
  if (outcome.rejection) {
    throw new UnprocessableError(`The declaration would be rejected: ${outcome.rejection.reason}`, {
      code: outcome.rejection.code,
    });
  }
  const caveats = [
    ...(outcome.annualUsage ? [QUOTE_NOTES.allowanceNotChecked] : []),
    ...(declaredScheme ? [QUOTE_NOTES.schemeUnverified] : []),
  ];
  const assessment =
    caveats.length > 0
      ? { ...outcome.assessment, notes: [...outcome.assessment.notes, ...caveats] }
      : outcome.assessment;
  const quoteId = (deps.newId ?? newQuoteId)();
  const expiresAt = quoteExpiry(now).toISOString();
  await deps.store.put({
    quoteId,
    createdAt: now.toISOString(),
    expiresAt,
    materialHash: materialHash(body),
    assessment,
  });
  return { quoteId, expiresAt, assessment };
};
