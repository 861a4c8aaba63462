// The reference data the administration maintains through /v1/admin (DESIGN.md section 3): what each
// route accepts, the key it is stored under and the version it becomes. One zod schema per body gives
// validation, types and the OpenAPI document. The stored version is exactly what the readers expect
// (shared/adapters/reference-store.ts, duty-reference.ts, use-cases/evaluate-risk.ts).
import * as z from 'zod';
import {
  countryCode,
  TaxScheme as DeclaredTaxScheme,
  decimalString,
  isoDate,
} from '../declaration/declaration.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../declaration/text.js';
import { isCurrencyCode } from '../money.js';
import { type RiskProfile, RiskProfileSchema } from '../risk/profile.js';
import type { Period } from './versions.js';

/** The kinds of reference data, as the reference table names them. */
export type AdminKind =
  | 'TARIFF'
  | 'FX'
  | 'TAXREG'
  | 'TRUSTED'
  | 'REFPRICE'
  | 'PROFILE'
  | 'TAXRATE'
  | 'SURCHARGE';

export const ADMIN_KINDS = [
  'TARIFF',
  'FX',
  'TAXREG',
  'TRUSTED',
  'REFPRICE',
  'PROFILE',
  'TAXRATE',
  'SURCHARGE',
] as const satisfies readonly AdminKind[];

const periodChecks = <T extends { validFrom: string; validTo?: string | undefined }>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  if (value.validTo !== undefined && value.validTo < value.validFrom) {
    ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be on or after validFrom' });
  }
};

const positiveDecimal = decimalString.refine((value) => /[1-9]/.test(value), 'must be greater than zero');

const currencyCode = z
  .string()
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code in capitals, e.g. "USD"')
  .meta({ example: 'USD' });

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isPlainText, PLAIN_TEXT_MESSAGE);

const validTo = isoDate
  .optional()
  .meta({ description: 'Last day in force (inclusive); absent: until further notice' });

// ---------------------------------------------------------------------------------------------
// Keys (path parameters)
// ---------------------------------------------------------------------------------------------

export const HsPrefixParam = z
  .string()
  .regex(/^\d{2,10}$/, 'must be 2 to 10 digits (an HS chapter, heading, subheading or national code)');

/** Ids as platforms declare them (seller.id) or as the stack knows them (platform id): no "/" or ":". */
export const TraderIdParam = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine(
    (id) => !/[/:]/.test(id) && id.trim() === id,
    'must not contain "/" or ":" nor start or end with a space',
  );

export const RegistrationNumberParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"');

export const ProfileIdParam = RiskProfileSchema.shape.id;

export const CurrencyParam = z
  .string()
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code in capitals, e.g. "USD"');

/** Surcharge ids read as duty-line codes: capitals, digits and "_" (the pack's own: SECTION_122_SURCHARGE). */
export const SurchargeIdParam = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be 2 to 64 capitals, digits or "_", starting with a letter');

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

export const DutyRate = decimalString
  .refine((value) => Number(value) <= 10, 'must be a fraction from 0 to 10 ("0.05" is 5 %)')
  .meta({ description: 'Ad valorem rate as a fraction: "0.05" is 5 %', example: '0.05' });

export const TariffRateRequestSchema = z
  .strictObject({
    dutyRate: DutyRate.optional(),
    specific: z
      .strictObject({
        amount: positiveDecimal.meta({ description: 'In the stack currency' }),
        per: z.enum(['ITEM', 'KG']),
      })
      .optional()
      .meta({ description: 'Specific duty per item or per kilogram of net mass' }),
    validFrom: isoDate,
    validTo,
  })
  .superRefine((body, ctx) => {
    periodChecks(body, ctx);
    if (body.dutyRate === undefined && body.specific === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dutyRate'],
        message: 'is required unless specific is given: give dutyRate, specific or both',
      });
    }
  })
  .meta({
    id: 'TariffRateRequest',
    description: 'A tariff rate version for an HS prefix (longest prefix wins)',
  });
export type TariffRateRequest = z.infer<typeof TariffRateRequestSchema>;

export const ExchangeRateRequestSchema = z
  .strictObject({
    rate: positiveDecimal.meta({
      description: 'One unit of the currency in stack-currency units',
      example: '0.92',
    }),
    validFrom: isoDate,
  })
  .meta({ id: 'ExchangeRateRequest', description: 'An exchange rate from validFrom until the next one' });
export type ExchangeRateRequest = z.infer<typeof ExchangeRateRequestSchema>;

export const TraderKind = z.enum(['SELLER', 'PLATFORM', 'CARRIER', 'POST']);
export type TraderKind = z.infer<typeof TraderKind>;

/** A filer as the stack authenticates it: the subject of a platform's or a post's token. */
const FilerId = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'must be a filer id (letters, digits, "_", ".", "@", "-")');

export const TrustedTraderRequestSchema = z
  .strictObject({
    kind: TraderKind,
    name: text(256),
    authorisedFilers: z
      .array(FilerId)
      .max(100, 'must list at most 100 filers')
      .refine((filers) => new Set(filers).size === filers.length, 'must not repeat a filer')
      .meta({
        description:
          'Platforms and posts (token subjects) authorised to file for this operator; trust applies only to their declarations',
        example: ['acme'],
      }),
    validFrom: isoDate,
    validTo,
  })
  .superRefine(periodChecks)
  .meta({
    id: 'TrustedTraderRequest',
    description:
      'A trusted trader under the identifier the administration verified (EORI, VAT or national number): non-restricted hits count half when an authorised filer lodges',
  });
export type TrustedTraderRequest = z.infer<typeof TrustedTraderRequestSchema>;

export const TaxRegistrationRequestSchema = z
  .strictObject({
    scheme: DeclaredTaxScheme,
    holder: text(256).meta({ description: "The holder's name, for people reading the registry" }),
    holderId: text(64).meta({
      description:
        "The holder's identifier as the administration verified it; a declaration's seller.id (or its filer) must equal it",
      example: 'NL123456789B01',
    }),
    validFrom: isoDate,
    validTo,
  })
  .superRefine(periodChecks)
  .meta({ id: 'TaxRegistrationRequest', description: 'A collection-scheme number in the registry' });
export type TaxRegistrationRequest = z.infer<typeof TaxRegistrationRequestSchema>;

export const ReferencePriceRequestSchema = z
  .strictObject({
    price: positiveDecimal.meta({ description: 'Reference price of one unit' }),
    currency: currencyCode,
    validFrom: isoDate,
    validTo,
  })
  .superRefine(periodChecks)
  .meta({
    id: 'ReferencePriceRequest',
    description: 'Reference unit price for an HS prefix (undervaluation)',
  });
export type ReferencePriceRequest = z.infer<typeof ReferencePriceRequestSchema>;

const legalBasis = text(1024).meta({
  description: 'The law that sets it: act, article, notice or order, as people cite it',
  example: 'Wet op de omzetbelasting 1968, Tabel I, post a.6',
});

export const TaxRateRequestSchema = z
  .strictObject({
    rate: decimalString
      // A string that is no decimal at all has its error already.
      .refine((value) => !(Number(value) > 1), 'must be a fraction from 0 to 1 ("0.09" is 9 %)')
      .meta({ description: 'The tax rate as a fraction: "0.09" is 9 %', example: '0.09' }),
    validFrom: isoDate,
    validTo,
    legalBasis,
  })
  .superRefine(periodChecks)
  .meta({
    id: 'TaxRateRequest',
    description:
      "A rate of the stack's own tax (VAT, GST, HST, consumption tax) for goods under an HS prefix: the longest prefix in force wins over the pack's goods rates, at import and at checkout",
  });
export type TaxRateRequest = z.infer<typeof TaxRateRequestSchema>;

export const SurchargeRequestSchema = z
  .strictObject({
    description: text(512),
    originCountries: z
      .array(countryCode)
      .min(1, 'must name at least one origin country')
      .max(300, 'must list at most 300 countries')
      .refine((codes) => new Set(codes).size === codes.length, 'must not repeat a country')
      .meta({ description: 'Goods originating in these countries pay it', example: ['CN', 'HK'] }),
    hsPrefixes: z
      .array(HsPrefixParam)
      .min(1, 'must name at least one HS prefix, or be left out for every good')
      .max(1000, 'must list at most 1000 prefixes')
      .optional()
      .meta({ description: 'Only goods under these HS prefixes; absent: every good', example: ['8541'] }),
    rate: DutyRate.optional(),
    specific: z
      .strictObject({
        amount: positiveDecimal.meta({ description: 'In the stack currency' }),
        per: z.literal('ITEM'),
      })
      .optional()
      .meta({ description: 'A fixed amount per item (unit of quantity)' }),
    validFrom: isoDate,
    validTo,
    legalBasis,
  })
  .superRefine((body, ctx) => {
    periodChecks(body, ctx);
    if (body.rate === undefined && body.specific === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rate'],
        message: 'is required unless specific is given: give rate, specific or both',
      });
    }
  })
  .meta({
    id: 'SurchargeRequest',
    description:
      "An extra duty on goods of some origins, a duty line named by the surcharge id. From its first stored version on, an id replaces the pack's surcharge of the same id",
  });
export type SurchargeRequest = z.infer<typeof SurchargeRequestSchema>;

/** IOSS numbers are "IM", a 3-digit identifier of the member state of identification and 7 digits. */
export const registrationNumberProblem = (scheme: string, number: string): string | undefined =>
  scheme === 'IOSS' && !/^IM\d{10}$/.test(number)
    ? 'is not an IOSS number: "IM" followed by 10 digits, e.g. IM5280000001'
    : undefined;

// ---------------------------------------------------------------------------------------------
// Stored versions: what the readers expect
// ---------------------------------------------------------------------------------------------

export type TariffVersion = Pick<TariffRateRequest, 'dutyRate' | 'specific'> & Period;
export type ExchangeRateVersion = { rate: string } & Period;
export type TrustedTraderVersion = { kind: TraderKind; name: string; authorisedFilers: string[] } & Period;
export type TaxRegistrationVersion = {
  scheme: TaxRegistrationRequest['scheme'];
  holder: string;
  holderId: string;
} & Period;
/** The risk step reads reference prices as `{hsPrefix, price, currency}` per version. */
export type ReferencePriceVersion = { hsPrefix: string; price: string; currency: string } & Period;
export type RiskProfileVersion = RiskProfile;
/** The duty engine reads tax rates as `{rate, legalBasis}` per version, keyed by HS prefix. */
export type TaxRateVersion = { rate: string; legalBasis: string } & Period;
export type SurchargeVersion = Omit<SurchargeRequest, 'validFrom' | 'validTo'> & Period;

/** The key a trusted trader is stored under; the risk step looks up `SELLER:<id>` and `PLATFORM:<id>`. */
export const trustedTraderKey = (kind: TraderKind, id: string): string => `${kind}:${id}`;

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export const EndQuerySchema = z
  .strictObject({
    validFrom: isoDate.optional().meta({ description: 'Remove this version, which has not started yet' }),
    validTo: isoDate
      .optional()
      .meta({ description: 'End after this day (default yesterday: no longer in force from today)' }),
  })
  .refine((query) => query.validFrom === undefined || query.validTo === undefined, {
    path: ['validFrom'],
    message: 'give either validFrom (remove a future version) or validTo (end), not both',
  });

export type EndQuery = z.infer<typeof EndQuerySchema>;

export const TrustedTraderEndQuerySchema = z
  .strictObject({
    kind: TraderKind.optional().meta({
      description: 'Only this kind; default every kind the id is trusted as',
    }),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
  })
  .refine((query) => query.validFrom === undefined || query.validTo === undefined, {
    path: ['validFrom'],
    message: 'give either validFrom (remove a future version) or validTo (end), not both',
  });

export type TrustedTraderEndQuery = z.infer<typeof TrustedTraderEndQuerySchema>;

export const AUDIT_MAX_DAYS = 366;
export const AUDIT_DEFAULT_DAYS = 30;
export const AUDIT_MAX_LIMIT = 1000;

export const AuditQuerySchema = z
  .strictObject({
    from: isoDate.optional().meta({ description: `Default ${AUDIT_DEFAULT_DAYS} days before \`to\`` }),
    to: isoDate.optional().meta({ description: 'Default today (UTC)' }),
    kind: z.enum(ADMIN_KINDS).optional(),
    key: z.string().min(1).max(128).optional(),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(AUDIT_MAX_LIMIT, `must be at most ${AUDIT_MAX_LIMIT}`)
      .optional(),
    cursor: z.string().min(1).max(512).optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['from'],
    message: 'must not be after `to`',
  });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const periodFields = { validFrom: z.string(), validTo: z.string().optional() };

export const recordViewSchema = <Key extends string, Version extends z.ZodType>(
  id: string,
  keyName: Key,
  version: Version,
) =>
  z
    .object({
      ...({ [keyName]: z.string() } as { [K in Key]: z.ZodString }),
      revision: z.number().int().meta({ description: 'Changes with every write; 0 when nothing is stored' }),
      versions: z.array(version).meta({ description: 'Every version, by validFrom' }),
    })
    .meta({ id });

export const TariffRateViewSchema = recordViewSchema(
  'TariffRate',
  'hsCode',
  z.object({
    dutyRate: z.string().optional(),
    specific: z.object({ amount: z.string(), per: z.string() }).optional(),
    ...periodFields,
  }),
);
export const ExchangeRateViewSchema = recordViewSchema(
  'ExchangeRate',
  'currency',
  z.object({ rate: z.string(), validFrom: z.string() }),
);
export const TaxRegistrationViewSchema = recordViewSchema(
  'TaxRegistration',
  'number',
  z.object({ scheme: z.string(), holder: z.string(), holderId: z.string(), ...periodFields }),
);
export const ReferencePriceViewSchema = recordViewSchema(
  'ReferencePrice',
  'hsPrefix',
  z.object({ hsPrefix: z.string(), price: z.string(), currency: z.string(), ...periodFields }),
);
export const TaxRateViewSchema = recordViewSchema(
  'TaxRate',
  'hsPrefix',
  z.object({ rate: z.string(), legalBasis: z.string(), ...periodFields }),
);
export const SurchargeViewSchema = recordViewSchema(
  'Surcharge',
  'id',
  z.object({
    description: z.string(),
    originCountries: z.array(z.string()),
    hsPrefixes: z.array(z.string()).optional(),
    rate: z.string().optional(),
    specific: z.object({ amount: z.string(), per: z.literal('ITEM') }).optional(),
    legalBasis: z.string(),
    ...periodFields,
  }),
);
export const TrustedTraderViewSchema = z
  .object({
    id: z.string(),
    records: z.array(
      z.object({
        kind: TraderKind,
        key: z.string().meta({ example: 'SELLER:SELLER-1' }),
        revision: z.number().int(),
        versions: z.array(
          z.object({
            kind: TraderKind,
            name: z.string(),
            authorisedFilers: z.array(z.string()),
            ...periodFields,
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'TrustedTrader', description: 'The trader, per kind it is trusted as' });

export const ProfileStatsSchema = z
  .object({
    hits: z.number().int().meta({ description: 'Declarations the profile hit' }),
    checks: z.number().int().meta({ description: 'Checks of hit declarations that officers closed' }),
    confirmed: z.number().int().meta({ description: 'Checks that confirmed a finding' }),
    hitRate: z.number().nullable().meta({ description: 'confirmed / checks; null before the first check' }),
  })
  .meta({ id: 'RiskProfileStats' });

export const RiskProfileViewSchema = z
  .object({
    id: z.string(),
    builtin: z
      .boolean()
      .meta({ description: 'Shipped with the stack; stored versions override it from their validFrom' }),
    revision: z.number().int(),
    inForce: RiskProfileSchema.nullable().meta({ description: 'The version in force today' }),
    versions: z.array(RiskProfileSchema).meta({ description: 'Stored versions, by validFrom' }),
    builtinVersion: RiskProfileSchema.optional(),
    stats: ProfileStatsSchema,
  })
  .meta({ id: 'RiskProfileView' });

export const RiskProfileListSchema = z
  .object({ items: z.array(RiskProfileViewSchema) })
  .meta({ id: 'RiskProfileList' });

export const RiskProfileValidationSchema = z
  .object({ valid: z.literal(true), profile: RiskProfileSchema })
  .meta({ id: 'RiskProfileValidation' });

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({
      subject: z.string(),
      role: z.string(),
      person: z
        .string()
        .optional()
        .meta({ description: 'The staff member who acted, when the subject is not a person' }),
    }),
    action: z.enum(['PUT', 'DELETE']),
    kind: z.string(),
    key: z.string(),
    before: z
      .array(z.record(z.string(), z.unknown()))
      .meta({ description: 'The versions the change touched' }),
    after: z
      .array(z.record(z.string(), z.unknown()))
      .meta({ description: 'Those versions after the change' }),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditListSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    items: z.array(AuditEntrySchema),
    cursor: z.string().nullable(),
  })
  .meta({ id: 'AuditList' });
