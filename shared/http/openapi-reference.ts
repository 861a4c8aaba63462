// OpenAPI descriptions of the reference-data routes: administration (/v1/admin), quotes and the published
// rules. Spread into `apiOperations` (openapi.ts).
import * as z from 'zod';
import { QuoteRequestSchema, QuoteSchema } from '../domain/duty/quote.js';
import {
  AuditListSchema,
  AuditQuerySchema,
  EndQuerySchema,
  ExchangeRateRequestSchema,
  ExchangeRateViewSchema,
  ReferencePriceRequestSchema,
  ReferencePriceViewSchema,
  RiskProfileListSchema,
  RiskProfileValidationSchema,
  RiskProfileViewSchema,
  TariffRateRequestSchema,
  TariffRateViewSchema,
  TaxRegistrationRequestSchema,
  TaxRegistrationViewSchema,
  TrustedTraderEndQuerySchema,
  TrustedTraderRequestSchema,
  TrustedTraderViewSchema,
} from '../domain/reference/admin.js';
import { RiskProfileSchema } from '../domain/risk/profile.js';
import { PublicRulesQuerySchema } from '../use-cases/public-rules.js';
import type { OperationDoc } from './openapi.js';
import { ProblemSchema } from './schemas/declarations.js';

const VERSIONING =
  'Versions never overlap: a PUT replaces the version with the same validFrom or inserts a new one, ending the ' +
  'version before it the day before and, without validTo, running until the next version starts. Every change ' +
  'is audited (GET /v1/admin/audit).';
const ENDING =
  'Without parameters the key ends yesterday, so nothing applies from today on; `?validTo=` names the last day ' +
  '(not before yesterday); `?validFrom=` removes a version that has not started yet. Days already past stay as applied.';

const conflict = {
  description: 'A version overlaps, has started, or another admin keeps changing it',
  schema: ProblemSchema,
};

const admin = (
  tag: string,
  noun: string,
  body: z.ZodType,
  view: z.ZodType,
  options: { end?: z.ZodObject | z.ZodType; description?: string } = {},
): Record<'put' | 'get' | 'delete', OperationDoc> => ({
  put: {
    summary: `Add or correct a ${noun} version`,
    description: `${options.description ?? ''} ${VERSIONING}`.trim(),
    tags: [tag],
    body: { schema: body },
    responses: {
      200: { description: 'Stored; every version', schema: view },
      201: { description: 'The first version of this key', schema: view },
      409: conflict,
    },
  },
  get: {
    summary: `Every version of a ${noun}`,
    tags: [tag],
    responses: { 200: { description: 'Every version, by validFrom', schema: view } },
  },
  delete: {
    summary: `End a ${noun}, or remove a future version`,
    description: ENDING,
    tags: [tag],
    ...(options.end instanceof z.ZodObject ? { query: options.end } : {}),
    responses: { 200: { description: 'Every version after the change', schema: view }, 409: conflict },
  },
});

const tariff = admin('Admin: tariffs', 'tariff rate', TariffRateRequestSchema, TariffRateViewSchema, {
  end: EndQuerySchema,
  description:
    'hsCode has 2 to 10 digits; for a declared HS code the longest prefix with a version in force wins.',
});
const fx = admin(
  'Admin: exchange rates',
  'exchange rate',
  ExchangeRateRequestSchema,
  ExchangeRateViewSchema,
  {
    description:
      'One unit of the currency is `rate` units of the stack currency, from validFrom until the next rate.',
  },
);
const trusted = admin(
  'Admin: registries',
  'trusted trader',
  TrustedTraderRequestSchema,
  TrustedTraderViewSchema,
  {
    end: TrustedTraderEndQuerySchema,
    description:
      'Stored per kind as `<kind>:<id>`: risk looks up sellers by seller.id and platforms by platform id.',
  },
);
const registration = admin(
  'Admin: registries',
  'tax registration',
  TaxRegistrationRequestSchema,
  TaxRegistrationViewSchema,
  {
    end: EndQuerySchema,
    description: 'Collection-scheme numbers (IOSS and others); IOSS numbers read IM + 10 digits.',
  },
);
const price = admin('Admin: risk', 'reference price', ReferencePriceRequestSchema, ReferencePriceViewSchema, {
  end: EndQuerySchema,
  description: 'Reference unit price per HS prefix, compared with declared unit values (undervaluation).',
});
const profile = admin('Admin: risk', 'risk profile', RiskProfileSchema, RiskProfileViewSchema, {
  end: EndQuerySchema,
  description:
    'The body is the profile, validated with the risk engine: an invalid pattern or an unknown field path is a 400 ' +
    'naming it. A version that has started is kept as applied: change a profile with a new validFrom.',
});

export const referenceOperations: Record<string, OperationDoc> = {
  'PUT /v1/admin/tariff-rates/{hsCode}': tariff.put,
  'GET /v1/admin/tariff-rates/{hsCode}': tariff.get,
  'DELETE /v1/admin/tariff-rates/{hsCode}': tariff.delete,
  'PUT /v1/admin/exchange-rates/{currency}': fx.put,
  'GET /v1/admin/exchange-rates/{currency}': fx.get,
  'PUT /v1/admin/trusted-traders/{id}': trusted.put,
  'GET /v1/admin/trusted-traders/{id}': trusted.get,
  'DELETE /v1/admin/trusted-traders/{id}': trusted.delete,
  'PUT /v1/admin/tax-registrations/{number}': registration.put,
  'GET /v1/admin/tax-registrations/{number}': registration.get,
  'DELETE /v1/admin/tax-registrations/{number}': registration.delete,
  'PUT /v1/admin/reference-prices/{hsPrefix}': price.put,
  'GET /v1/admin/reference-prices/{hsPrefix}': price.get,
  'DELETE /v1/admin/reference-prices/{hsPrefix}': price.delete,
  'PUT /v1/admin/risk-profiles/{id}': profile.put,
  'GET /v1/admin/risk-profiles/{id}': {
    ...profile.get,
    summary: 'A risk profile: its versions and statistics',
    description:
      'hits: declarations it hit; checks and confirmed: officers’ decisions; hitRate = confirmed / checks.',
  },
  'DELETE /v1/admin/risk-profiles/{id}': profile.delete,
  'POST /v1/admin/risk-profiles/{id}/validation': {
    summary: 'Check a risk profile without storing it',
    description:
      'The same validation as PUT (schema, pattern compiled by the risk engine, id matching the path): 200 with ' +
      'the profile as it would be stored, or the same 400 naming the field. Nothing is stored or audited.',
    tags: ['Admin: risk'],
    body: { schema: RiskProfileSchema },
    responses: { 200: { description: 'The profile is valid', schema: RiskProfileValidationSchema } },
  },
  'GET /v1/admin/risk-profiles': {
    summary: 'Every risk profile, built-in and stored, with statistics',
    tags: ['Admin: risk'],
    responses: { 200: { description: 'The profiles', schema: RiskProfileListSchema } },
  },
  'GET /v1/admin/audit': {
    summary: 'Changes to reference data, newest first',
    description:
      'Who changed what and when, with the versions before and after. At most 366 days per request.',
    tags: ['Admin: audit'],
    query: AuditQuerySchema as unknown as z.ZodObject,
    responses: { 200: { description: 'A page of audit entries', schema: AuditListSchema } },
  },
  'POST /v1/quotes': {
    summary: 'Quote duties and taxes for a declaration body',
    description:
      'The assessment clearance would compute on `importDate` (any date, so coming rule changes show), kept 30 days. ' +
      'A declaration naming the `quoteId` is assessed at no more than the quote when the goods, values, currency, ' +
      'countries, collection model and transport/insurance are the same and the import date or the rule versions are.',
    tags: ['Quotes'],
    body: { schema: QuoteRequestSchema },
    responses: {
      201: { description: 'The quote', schema: QuoteSchema },
      422: {
        description: 'Reference data missing (`missing` names it) or the consignment would be rejected',
        schema: ProblemSchema,
      },
    },
  },
  'GET /v1/public/rules': {
    summary: 'The rules in force on a date and the changes to come',
    description: 'Thresholds, rates, collection models, restricted goods and dated upcoming changes.',
    tags: ['Public'],
    query: PublicRulesQuerySchema,
    responses: { 200: { description: 'The published rules', schema: z.record(z.string(), z.unknown()) } },
  },
};
