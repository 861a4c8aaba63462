// The reference-data routes: administration (/v1/admin, functions/admin), quotes and the published rules
// (functions/quotes).
import * as z from 'zod';
import { QuoteRequestSchema, QuoteSchema } from '../../domain/duty/quote.js';
import {
  AuditListSchema,
  AuditQuerySchema,
  CurrencyParam,
  EndQuerySchema,
  ExchangeRateRequestSchema,
  ExchangeRateViewSchema,
  HsPrefixParam,
  ProfileIdParam,
  ReferencePriceRequestSchema,
  ReferencePriceViewSchema,
  RegistrationNumberParam,
  RiskProfileListSchema,
  RiskProfileValidationSchema,
  RiskProfileViewSchema,
  SurchargeIdParam,
  SurchargeRequestSchema,
  SurchargeViewSchema,
  TariffRateRequestSchema,
  TariffRateViewSchema,
  TaxRateRequestSchema,
  TaxRateViewSchema,
  TaxRegistrationRequestSchema,
  TaxRegistrationViewSchema,
  TraderIdParam,
  TrustedTraderEndQuerySchema,
  TrustedTraderRequestSchema,
  TrustedTraderViewSchema,
} from '../../domain/reference/admin.js';
import { RiskProfileSchema } from '../../domain/risk/profile.js';
import { defineRoute, type ResponseSpec, type RouteContract, type Tag } from '../contract.js';
import { ProblemSchema } from '../schemas/declarations.js';
import { PublicRulesQuerySchema } from '../schemas/public-rules.js';

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

const ADMIN = { function: 'admin', roles: ['admin'] } as const;

/** The path key of a kind of reference data, checked at the edge: `{hsCode}` with its pattern. */
const keyParams = (name: string, schema: z.ZodType<string>) => z.object({ [name]: schema });

/** An admin route whose answers are the kind's view (every version of the key). */
type ViewRoute<View extends z.ZodType> = RouteContract & {
  responses: { 200: ResponseSpec & { schema: View } };
};

const admin = <View extends z.ZodType>(
  path: string,
  tag: Tag,
  noun: string,
  body: z.ZodType,
  view: View,
  options: { key: z.ZodObject; end?: z.ZodObject | z.ZodType; description?: string },
): Record<'put' | 'get' | 'delete', ViewRoute<View>> => ({
  put: {
    ...ADMIN,
    method: 'PUT',
    path,
    params: options.key,
    summary: `Add or correct a ${noun} version`,
    description: `${options.description ?? ''} ${VERSIONING}`.trim(),
    tag,
    body: { schema: body, name: noun },
    responses: {
      200: { description: 'Stored; every version', schema: view },
      201: { description: 'The first version of this key', schema: view },
      409: conflict,
    },
  },
  get: {
    ...ADMIN,
    method: 'GET',
    path,
    params: options.key,
    summary: `Every version of a ${noun}`,
    tag,
    responses: { 200: { description: 'Every version, by validFrom', schema: view } },
  },
  delete: {
    ...ADMIN,
    method: 'DELETE',
    path,
    params: options.key,
    summary: `End a ${noun}, or remove a future version`,
    description: ENDING,
    tag,
    ...(options.end instanceof z.ZodObject ? { query: options.end } : {}),
    responses: { 200: { description: 'Every version after the change', schema: view }, 409: conflict },
  },
});

const tariff = admin(
  '/v1/admin/tariff-rates/{hsCode}',
  'Admin: tariffs',
  'tariff rate',
  TariffRateRequestSchema,
  TariffRateViewSchema,
  {
    key: keyParams('hsCode', HsPrefixParam),
    end: EndQuerySchema,
    description:
      'hsCode has 2 to 10 digits; for a declared HS code the longest prefix with a version in force wins.',
  },
);
const taxRate = admin(
  '/v1/admin/tax-rates/{hsPrefix}',
  'Admin: tariffs',
  'tax rate',
  TaxRateRequestSchema,
  TaxRateViewSchema,
  {
    key: keyParams('hsPrefix', HsPrefixParam),
    end: EndQuerySchema,
    description:
      "hsPrefix has 2 to 10 digits. The rate of the stack's own tax (VAT, GST, HST, consumption tax) for goods " +
      "under the prefix, at import and at checkout under a scheme when the goods are consumed in the stack's " +
      "country: the longest prefix in force wins over the pack's goods rates. The assessment names the " +
      'version it used in its ruleSet (`TAXRATE/<hsPrefix>@<validFrom>`); GET /v1/public/rules publishes them.',
  },
);
const surcharge = admin(
  '/v1/admin/surcharges/{id}',
  'Admin: tariffs',
  'surcharge',
  SurchargeRequestSchema,
  SurchargeViewSchema,
  {
    key: keyParams('id', SurchargeIdParam),
    end: EndQuerySchema,
    description:
      'An extra duty on goods of the listed origins (and HS prefixes), ad valorem on the customs value, per ' +
      "item, or both; each applied is a duty line whose code is the id. The pack's own dated surcharges " +
      'apply too; from the first stored version of an id on, the stored versions replace the pack surcharge ' +
      'of that id (end it with DELETE to stop it). The assessment names the version it used in its ruleSet ' +
      '(`SURCHARGE/<id>@<validFrom>`); GET /v1/public/rules publishes them.',
  },
);
const fx = admin(
  '/v1/admin/exchange-rates/{currency}',
  'Admin: exchange rates',
  'exchange rate',
  ExchangeRateRequestSchema,
  ExchangeRateViewSchema,
  {
    key: keyParams('currency', CurrencyParam),
    description:
      'One unit of the currency is `rate` units of the stack currency, from validFrom until the next rate.',
  },
);
const trusted = admin(
  '/v1/admin/trusted-traders/{id}',
  'Admin: registries',
  'trusted trader',
  TrustedTraderRequestSchema,
  TrustedTraderViewSchema,
  {
    key: keyParams('id', TraderIdParam),
    end: TrustedTraderEndQuerySchema,
    description:
      'Stored per kind as `<kind>:<id>`: risk looks up sellers by seller.id and platforms by platform id.',
  },
);
const registration = admin(
  '/v1/admin/tax-registrations/{number}',
  'Admin: registries',
  'tax registration',
  TaxRegistrationRequestSchema,
  TaxRegistrationViewSchema,
  {
    key: keyParams('number', RegistrationNumberParam),
    end: EndQuerySchema,
    description: 'Collection-scheme numbers (IOSS and others); IOSS numbers read IM + 10 digits.',
  },
);
const price = admin(
  '/v1/admin/reference-prices/{hsPrefix}',
  'Admin: risk',
  'reference price',
  ReferencePriceRequestSchema,
  ReferencePriceViewSchema,
  {
    key: keyParams('hsPrefix', HsPrefixParam),
    end: EndQuerySchema,
    description: 'Reference unit price per HS prefix, compared with declared unit values (undervaluation).',
  },
);
const profile = admin(
  '/v1/admin/risk-profiles/{id}',
  'Admin: risk',
  'risk profile',
  RiskProfileSchema,
  RiskProfileViewSchema,
  {
    key: keyParams('id', ProfileIdParam),
    end: EndQuerySchema,
    description:
      'The body is the profile, validated with the risk engine: an invalid pattern or an unknown field path is a 400 ' +
      'naming it. A version that has started is kept as applied: change a profile with a new validFrom.',
  },
);

const riskProfileList = defineRoute({
  ...ADMIN,
  method: 'GET',
  path: '/v1/admin/risk-profiles',
  summary: 'Every risk profile, built-in and stored, with statistics',
  tag: 'Admin: risk',
  responses: { 200: { description: 'The profiles', schema: RiskProfileListSchema } },
});

const audit = defineRoute({
  ...ADMIN,
  method: 'GET',
  path: '/v1/admin/audit',
  summary: 'Changes to reference data, newest first',
  description: 'Who changed what and when, with the versions before and after. At most 366 days per request.',
  tag: 'Admin: audit',
  query: AuditQuerySchema,
  responses: { 200: { description: 'A page of audit entries', schema: AuditListSchema } },
});

/** Served by functions/admin. */
export const adminRoutes = [
  tariff.put,
  tariff.get,
  tariff.delete,
  taxRate.put,
  taxRate.get,
  taxRate.delete,
  surcharge.put,
  surcharge.get,
  surcharge.delete,
  fx.put,
  fx.get,
  trusted.put,
  trusted.get,
  trusted.delete,
  registration.put,
  registration.get,
  registration.delete,
  price.put,
  price.get,
  price.delete,
  profile.put,
  {
    ...profile.get,
    summary: 'A risk profile: its versions and statistics',
    description:
      'hits: declarations it hit; checks and confirmed: officers’ decisions; hitRate = confirmed / checks.',
  },
  profile.delete,
  defineRoute({
    ...ADMIN,
    method: 'POST',
    path: '/v1/admin/risk-profiles/{id}/validation',
    params: keyParams('id', ProfileIdParam),
    summary: 'Check a risk profile without storing it',
    description:
      'The same validation as PUT (schema, pattern compiled by the risk engine, id matching the path): 200 with ' +
      'the profile as it would be stored, or the same 400 naming the field. Nothing is stored or audited.',
    tag: 'Admin: risk',
    body: { schema: RiskProfileSchema, name: 'risk profile' },
    responses: { 200: { description: 'The profile is valid', schema: RiskProfileValidationSchema } },
  }),
  riskProfileList,
  audit,
];

/** The admin routes by name, for callers that read their answers (the kinds by their view's routes). */
export const adminRoute = {
  tariffRates: tariff,
  taxRates: taxRate,
  surcharges: surcharge,
  exchangeRates: fx,
  trustedTraders: trusted,
  taxRegistrations: registration,
  referencePrices: price,
  riskProfiles: profile,
  riskProfileList,
  audit,
};

/** Served by functions/quotes. */
export const quoteRoutes = {
  quote: defineRoute({
    method: 'POST',
    path: '/v1/quotes',
    function: 'quotes',
    roles: [],
    anonymousFairUse: true,
    summary: 'Quote duties and taxes for a declaration body',
    description:
      'The assessment clearance would compute on `importDate` (any date, so coming rule changes show), kept 30 days. ' +
      'A declaration naming the `quoteId` is assessed at no more than the quote when the goods, values, currency, ' +
      'countries, collection model and transport/insurance are the same and the import date or the rule versions are.',
    tag: 'Quotes',
    body: { schema: QuoteRequestSchema, name: 'quote request' },
    responses: {
      201: { description: 'The quote', schema: QuoteSchema },
      422: {
        description: 'Reference data missing (`missing` names it) or the consignment would be rejected',
        schema: ProblemSchema,
      },
    },
  }),
  publicRules: defineRoute({
    method: 'GET',
    path: '/v1/public/rules',
    function: 'quotes',
    roles: [],
    summary: 'The rules in force on a date and the changes to come',
    description: 'Thresholds, rates, collection models, restricted goods and dated upcoming changes.',
    tag: 'Public',
    query: PublicRulesQuerySchema,
    responses: { 200: { description: 'The published rules', schema: z.record(z.string(), z.unknown()) } },
  }),
};
