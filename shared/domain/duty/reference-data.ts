// Reference data the caller supplies to the engine (loaded from the admin tables): tariff rates,
// exchange rates, tax registrations, origin surcharges and, for CN, the consignee's annual total.
// Lookups index each array once (cached by array identity), so a caller that reuses arrays pays once.
import type * as z from 'zod';
import type { IsoDate, OriginSurchargeRule } from '../../countries/types.js';
import type { TaxScheme } from '../declaration/declaration.js';
import { dayBefore, isInForce, versionOn } from '../reference/versions.js';

/** Admin tariff rate for an HS prefix of 2 to 10 digits; the longest prefix valid on the date wins. */
export interface TariffRate {
  hsCode: string;
  /** Ad valorem rate on the customs value, "0.12". */
  dutyRate?: string;
  /** Specific duty in the stack currency per item or per kilogram of net mass. */
  specific?: { amount: string; per: 'ITEM' | 'KG' };
  validFrom: IsoDate;
  validTo?: IsoDate;
}

/** One unit of `currency` is `rate` units of the stack currency; the latest validFrom on or before the date applies. */
export interface ExchangeRate {
  currency: string;
  rate: string;
  validFrom: IsoDate;
}

/** A collection-scheme number in the registry (IOSS and others). */
export interface TaxRegistration {
  number: string;
  scheme: z.infer<typeof TaxScheme>;
  holder: string;
  /** The holder's verified identifier (absent on records stored before it). */
  holderId?: string;
  validFrom: IsoDate;
  validTo?: IsoDate;
}

/** An extra duty by origin; same shape as the pack's dated surcharges. */
export type OriginSurcharge = OriginSurchargeRule;

/**
 * A surcharge as the administration stored it: one version of the id `code`. `ruleVersion` names the
 * version in the assessment's ruleSet.
 */
export type AdminSurcharge = OriginSurchargeRule & { ruleVersion?: string };

/** CN: the consignee's cross-border retail purchases in the year before this declaration, in CNY. */
export interface AnnualTotal {
  taxId: string;
  year: number;
  amount: string;
}

export interface ReferenceData {
  tariffRates?: readonly TariffRate[];
  exchangeRates?: readonly ExchangeRate[];
  taxRegistrations?: readonly TaxRegistration[];
  /**
   * The administration's surcharges, every version of every id. They add to the pack's dated surcharges;
   * from the first version of an id on, they replace the pack's surcharge with that code.
   */
  surcharges?: readonly AdminSurcharge[];
  annualTotal?: AnnualTotal;
  /** The administration's goods-specific rates of the stack's own tax, by HS prefix (longest wins). */
  taxRates?: readonly AdminTaxRate[];
}

/** A tax rate an administration set for an HS prefix: it wins over the pack's goods rates. */
export interface AdminTaxRate {
  hsPrefix: string;
  rate: string;
  validFrom: IsoDate;
  validTo?: IsoDate;
  legalBasis: string;
}

/** How an assessment's ruleSet names the administration's versions it applied. */
export const taxRateVersionId = (rate: Pick<AdminTaxRate, 'hsPrefix' | 'validFrom'>): string =>
  `TAXRATE/${rate.hsPrefix}@${rate.validFrom}`;
export const surchargeVersionId = (surcharge: Pick<OriginSurchargeRule, 'code' | 'validFrom'>): string =>
  `SURCHARGE/${surcharge.code}@${surcharge.validFrom}`;

const taxRateIndexes = new WeakMap<readonly AdminTaxRate[], Map<string, AdminTaxRate[]>>();

/** The administration's rate for an HS code on a date: the longest prefix in force. */
export const adminTaxRateOn = (
  rates: readonly AdminTaxRate[] | undefined,
  hsCode: string,
  date: IsoDate,
): AdminTaxRate | undefined => {
  if (!rates || rates.length === 0) return undefined;
  let byPrefix = taxRateIndexes.get(rates);
  if (!byPrefix) {
    byPrefix = groupBy(rates, (rate) => rate.hsPrefix);
    taxRateIndexes.set(rates, byPrefix);
  }
  for (let length = hsCode.length; length >= 2; length -= 1) {
    const found = versionOn(byPrefix.get(hsCode.slice(0, length)), date);
    if (found) return found;
  }
  return undefined;
};

/** The keys under which the tariff table may hold a rate for an HS code, longest first. */
export const tariffPrefixes = (hsCode: string): string[] => {
  const prefixes: string[] = [];
  for (let length = hsCode.length; length >= 2; length -= 1) prefixes.push(hsCode.slice(0, length));
  return prefixes;
};

const groupBy = <T>(records: readonly T[], key: (record: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const group = groups.get(key(record));
    if (group) group.push(record);
    else groups.set(key(record), [record]);
  }
  return groups;
};

interface TariffIndex {
  byPrefix: Map<string, TariffRate[]>;
  /** Answers already found, by date and then HS code: two lookups, no key built per line. */
  found: Map<IsoDate, Map<string, TariffRate | null>>;
  /** How many answers `found` holds, to keep it bounded. */
  size: number;
}

const tariffIndexes = new WeakMap<readonly TariffRate[], TariffIndex>();
const fxIndexes = new WeakMap<readonly ExchangeRate[], Map<string, ExchangeRate[]>>();

/** The tariff rate in force for an HS code: the longest prefix with a record valid on the date. */
export const tariffRateOn = (
  rates: readonly TariffRate[] | undefined,
  hsCode: string,
  date: IsoDate,
): TariffRate | undefined => {
  if (!rates || rates.length === 0) return undefined;
  let index = tariffIndexes.get(rates);
  if (!index) {
    index = { byPrefix: groupBy(rates, (rate) => rate.hsCode), found: new Map(), size: 0 };
    tariffIndexes.set(rates, index);
  }
  let onDate = index.found.get(date);
  const known = onDate?.get(hsCode);
  if (known !== undefined) return known ?? undefined;
  let found: TariffRate | undefined;
  for (let length = hsCode.length; length >= 2 && !found; length -= 1) {
    found = versionOn(index.byPrefix.get(hsCode.slice(0, length)), date);
  }
  if (index.size < 10_000) {
    if (!onDate) {
      onDate = new Map();
      index.found.set(date, onDate);
    }
    onDate.set(hsCode, found ?? null);
    index.size += 1;
  }
  return found;
};

/** The exchange rate in force for a currency: the latest validFrom on or before the date. */
export const exchangeRateOn = (
  rates: readonly ExchangeRate[] | undefined,
  currency: string,
  date: IsoDate,
): ExchangeRate | undefined => {
  if (!rates || rates.length === 0) return undefined;
  let index = fxIndexes.get(rates);
  if (!index) {
    index = groupBy(rates, (rate) => rate.currency);
    fxIndexes.set(rates, index);
  }
  return versionOn(index.get(currency), date);
};

/** The registry's record of a number, and whether it is valid for the scheme on the date. */
export const registrationOn = (
  registrations: readonly TaxRegistration[] | undefined,
  number: string,
  scheme: string,
  date: IsoDate,
): { record?: TaxRegistration; valid: boolean } => {
  let record: TaxRegistration | undefined;
  for (const candidate of registrations ?? []) {
    if (candidate.number !== number) continue;
    if (candidate.scheme === scheme && isInForce(candidate, date)) return { record: candidate, valid: true };
    record ??= candidate;
  }
  return record ? { record, valid: false } : { valid: false };
};

const surchargeIndexes = new WeakMap<readonly OriginSurcharge[], Map<string, OriginSurcharge[]>>();

/** The surcharges on goods of an origin under an HS code on a date (indexed by origin, once per array). */
export const surchargesOn = <S extends OriginSurcharge>(
  surcharges: readonly S[],
  origin: string,
  hsCode: string,
  date: IsoDate,
): S[] => {
  let byOrigin = surchargeIndexes.get(surcharges);
  if (!byOrigin) {
    byOrigin = new Map();
    for (const surcharge of surcharges) {
      for (const country of surcharge.originCountries) {
        const list = byOrigin.get(country);
        if (list) list.push(surcharge);
        else byOrigin.set(country, [surcharge]);
      }
    }
    surchargeIndexes.set(surcharges, byOrigin);
  }
  return ((byOrigin.get(origin) ?? []) as S[]).filter(
    (surcharge) =>
      isInForce(surcharge, date) &&
      (surcharge.hsPrefixes === undefined ||
        surcharge.hsPrefixes.some((prefix) => hsCode.startsWith(prefix))),
  );
};

const mergedSurcharges = new WeakMap<
  readonly AdminSurcharge[],
  WeakMap<readonly OriginSurcharge[], readonly AdminSurcharge[]>
>();

/**
 * The pack's dated surcharges with the administration's: an admin id that is also a pack code replaces
 * the pack's surcharge from the admin's first version on (the pack's applies on the days before it), so
 * ending the admin's version ends the surcharge; other admin ids add to the pack's. Each admin version
 * carries the id the assessment's ruleSet names it by. Cached by the arrays' identity.
 */
export const surchargesWith = (
  pack: readonly OriginSurcharge[],
  admin: readonly AdminSurcharge[] | undefined,
): readonly AdminSurcharge[] => {
  if (!admin || admin.length === 0) return pack;
  let byPack = mergedSurcharges.get(admin);
  const cached = byPack?.get(pack);
  if (cached) return cached;
  const firstAdminDay = new Map<string, IsoDate>();
  for (const surcharge of admin) {
    const first = firstAdminDay.get(surcharge.code);
    if (first === undefined || surcharge.validFrom < first)
      firstAdminDay.set(surcharge.code, surcharge.validFrom);
  }
  const merged: AdminSurcharge[] = [];
  for (const surcharge of pack) {
    const from = firstAdminDay.get(surcharge.code);
    if (from === undefined) merged.push(surcharge);
    else if (surcharge.validFrom < from) {
      const last = dayBefore(from);
      merged.push(
        surcharge.validTo !== undefined && surcharge.validTo <= last
          ? surcharge
          : { ...surcharge, validTo: last },
      );
    }
  }
  for (const surcharge of admin) merged.push({ ...surcharge, ruleVersion: surchargeVersionId(surcharge) });
  if (!byPack) {
    byPack = new WeakMap();
    mergedSurcharges.set(admin, byPack);
  }
  byPack.set(pack, merged);
  return merged;
};
