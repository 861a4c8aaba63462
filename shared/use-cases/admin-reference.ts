// The administration's reference data (DESIGN.md section 3, /v1/admin): tariff rates, exchange rates,
// trusted traders, tax registrations, reference prices and risk profiles. Every change is a new timeline
// of versions (see domain/reference-versions.ts) written under a revision condition together with its
// audit entry; a change that lost a race to another admin is re-applied to what that admin wrote.
import { actedBy, type Principal } from '../domain/caller.js';
import type { FieldError } from '../domain/declaration/declaration.js';
import { ConflictError, NotFoundError, RevisionConflictError, ValidationError } from '../domain/errors.js';
import {
  type AdminKind,
  AUDIT_DEFAULT_DAYS,
  AUDIT_MAX_DAYS,
  type AuditQuery,
  type EndQuery,
  type ExchangeRateRequest,
  type ExchangeRateVersion,
  type ReferencePriceRequest,
  type ReferencePriceVersion,
  registrationNumberProblem,
  type SurchargeRequest,
  type SurchargeVersion,
  type TariffRateRequest,
  type TariffVersion,
  type TaxRateRequest,
  type TaxRateVersion,
  type TaxRegistrationRequest,
  type TaxRegistrationVersion,
  TraderKind,
  type TrustedTraderEndQuery,
  type TrustedTraderRequest,
  type TrustedTraderVersion,
  trustedTraderKey,
} from '../domain/reference/admin.js';
import {
  checkEndDate,
  dayBefore,
  endVersions,
  type Period,
  putVersion,
  removeFutureVersion,
  shiftDate,
  type TimelineChange,
} from '../domain/reference/versions.js';
import { BUILTIN_PROFILES } from '../domain/risk/builtin-profiles.js';
import { compileProfiles } from '../domain/risk/evaluate.js';
import { profilesInForce, type RiskProfile } from '../domain/risk/profile.js';
import { hitRate, type ProfileCounters } from '../domain/risk/profile-stats.js';
import { retryOptimistic } from '../lib/optimistic.js';
import type { ProfileStatsReader } from './ports/profile-stats.js';
import type { ReferenceWriter, StoredRecord } from './ports/reference.js';

/** The person behind an admin's token when it is not the subject itself; the audit names them too. */
const personOf = (principal: Principal): { person?: string } => {
  const { person } = actedBy(principal);
  return person ? { person } : {};
};

export interface AdminDeps {
  writer: Pick<ReferenceWriter, 'read' | 'readMany' | 'listAll' | 'write' | 'auditPage'>;
  stats: Pick<ProfileStatsReader, 'getMany'>;
  /** The stack currency: exchange rates convert into it. */
  stackCurrency: string;
  now: () => Date;
}

/** Attempts at a read-modify-write before a persistent race is reported as 409. */
const MAX_ATTEMPTS = 3;

const today = (deps: Pick<AdminDeps, 'now'>) => deps.now().toISOString().slice(0, 10);

const invalid = (errors: FieldError[], what: string): ValidationError =>
  new ValidationError(
    errors,
    `The ${what} is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
  );

/**
 * One kind of reference data. The edge has checked the path key and the body with the route's schemas;
 * what is left here are the checks that need the stack or span the key and the body.
 */
export interface KindSpec<V extends Period, Request = never> {
  kind: AdminKind;
  /** In messages: "tariff rate". */
  noun: string;
  /** The path parameter, also the key field of the view. */
  keyName: string;
  /** Refuses a key this stack does not take (an exchange rate into the stack currency itself). */
  checkKey?: (key: string, deps: Pick<AdminDeps, 'stackCurrency'>) => void;
  toVersion: (request: Request, key: string) => V;
  /** The stored key; the path key unless the body refines it (trusted traders: `<kind>:<id>`). */
  storageKey?: (key: string, version: V) => string;
  periods: boolean;
  /** Versions that have started cannot be replaced, only followed (risk profiles). */
  protectStarted: boolean;
}

const keyOf = <V extends Period, R>(
  spec: KindSpec<V, R>,
  key: string,
  deps: Pick<AdminDeps, 'stackCurrency'>,
): string => {
  spec.checkKey?.(key, deps);
  return key;
};

const withPeriod = <T extends Period>(body: T): Period => ({
  validFrom: body.validFrom,
  ...(body.validTo !== undefined ? { validTo: body.validTo } : {}),
});

// ---------------------------------------------------------------------------------------------
// The kinds
// ---------------------------------------------------------------------------------------------

export const TARIFF_RATES: KindSpec<TariffVersion, TariffRateRequest> = {
  kind: 'TARIFF',
  noun: 'tariff rate',
  keyName: 'hsCode',
  toVersion: (parsed) => {
    return {
      ...(parsed.dutyRate !== undefined ? { dutyRate: parsed.dutyRate } : {}),
      ...(parsed.specific !== undefined ? { specific: parsed.specific } : {}),
      ...withPeriod(parsed),
    };
  },
  periods: true,
  protectStarted: false,
};

export const EXCHANGE_RATES: KindSpec<ExchangeRateVersion, ExchangeRateRequest> = {
  kind: 'FX',
  noun: 'exchange rate',
  keyName: 'currency',
  checkKey: (currency, deps) => {
    if (currency === deps.stackCurrency) {
      throw invalid(
        [
          {
            path: 'currency',
            message: `is the stack currency; rates convert other currencies into ${currency}`,
          },
        ],
        'currency',
      );
    }
  },
  toVersion: (parsed) => ({ rate: parsed.rate, validFrom: parsed.validFrom }),
  periods: false,
  protectStarted: false,
};

export const TRUSTED_TRADERS: KindSpec<TrustedTraderVersion, TrustedTraderRequest> = {
  kind: 'TRUSTED',
  noun: 'trusted trader',
  keyName: 'id',
  toVersion: (parsed) => {
    return {
      kind: parsed.kind,
      name: parsed.name,
      authorisedFilers: parsed.authorisedFilers,
      ...withPeriod(parsed),
    };
  },
  storageKey: (id, version) => trustedTraderKey(version.kind, id),
  periods: true,
  protectStarted: false,
};

export const TAX_REGISTRATIONS: KindSpec<TaxRegistrationVersion, TaxRegistrationRequest> = {
  kind: 'TAXREG',
  noun: 'tax registration',
  keyName: 'number',
  toVersion: (parsed, number) => {
    const problem = registrationNumberProblem(parsed.scheme, number);
    if (problem) throw invalid([{ path: 'number', message: problem }], 'tax registration');
    return {
      scheme: parsed.scheme,
      holder: parsed.holder,
      holderId: parsed.holderId,
      ...withPeriod(parsed),
    };
  },
  periods: true,
  protectStarted: false,
};

export const REFERENCE_PRICES: KindSpec<ReferencePriceVersion, ReferencePriceRequest> = {
  kind: 'REFPRICE',
  noun: 'reference price',
  keyName: 'hsPrefix',
  toVersion: (parsed, hsPrefix) => {
    return { hsPrefix, price: parsed.price, currency: parsed.currency, ...withPeriod(parsed) };
  },
  periods: true,
  protectStarted: false,
};

export const TAX_RATES: KindSpec<TaxRateVersion, TaxRateRequest> = {
  kind: 'TAXRATE',
  noun: 'tax rate',
  keyName: 'hsPrefix',
  toVersion: (parsed) => {
    return { rate: parsed.rate, legalBasis: parsed.legalBasis, ...withPeriod(parsed) };
  },
  periods: true,
  protectStarted: false,
};

export const SURCHARGES: KindSpec<SurchargeVersion, SurchargeRequest> = {
  kind: 'SURCHARGE',
  noun: 'surcharge',
  keyName: 'id',
  toVersion: (parsed) => {
    return {
      description: parsed.description,
      originCountries: parsed.originCountries,
      ...(parsed.hsPrefixes !== undefined ? { hsPrefixes: parsed.hsPrefixes } : {}),
      ...(parsed.rate !== undefined ? { rate: parsed.rate } : {}),
      ...(parsed.specific !== undefined ? { specific: parsed.specific } : {}),
      legalBasis: parsed.legalBasis,
      ...withPeriod(parsed),
    };
  },
  periods: true,
  protectStarted: false,
};

export const RISK_PROFILES: KindSpec<RiskProfile, RiskProfile> = {
  kind: 'PROFILE',
  noun: 'risk profile',
  keyName: 'id',
  toVersion: (profile, id) => {
    if (profile.id !== id) {
      throw invalid([{ path: 'id', message: `must be the id in the path (${id})` }], 'risk profile');
    }
    // The risk step compiles every profile in force: one it could not compile would stop it.
    compileProfiles([profile]);
    return profile;
  },
  periods: true,
  protectStarted: true,
};

// ---------------------------------------------------------------------------------------------
// Generic operations
// ---------------------------------------------------------------------------------------------

export interface RecordView<V> {
  revision: number;
  versions: V[];
  [keyName: string]: unknown;
}

const viewOf = <V extends Period>(
  spec: KindSpec<V>,
  key: string,
  record: StoredRecord<V>,
): RecordView<V> => ({
  [spec.keyName]: key,
  revision: record.revision,
  versions: record.versions,
});

const unchanged = <V>(a: readonly V[], b: readonly V[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Reads the record, computes the change and writes it with its audit entry; re-reads and re-applies when
 * another admin wrote first. `change` returns undefined when there is nothing to change.
 */
const applyChange = async <V extends Period>(
  kind: AdminKind,
  storageKey: string,
  action: 'PUT' | 'DELETE',
  principal: Principal,
  deps: AdminDeps,
  change: (record: StoredRecord<V>) => TimelineChange<V> | undefined,
): Promise<{ before: StoredRecord<V>; after: StoredRecord<V> }> =>
  retryOptimistic(
    async () => {
      const record = await deps.writer.read<V>(kind, storageKey);
      const next = change(record);
      if (!next || unchanged(next.versions, record.versions)) return { before: record, after: record };
      const after = await deps.writer.write(record, next.versions, {
        at: deps.now().toISOString(),
        actor: { subject: principal.subject, role: principal.role, ...personOf(principal) },
        action,
        before: next.before as unknown as Record<string, unknown>[],
        after: next.after as unknown as Record<string, unknown>[],
      });
      return { before: record, after };
    },
    {
      attempts: MAX_ATTEMPTS,
      lostRace: (error) => error instanceof RevisionConflictError,
      exhausted: () =>
        new ConflictError(`The ${kind} record ${storageKey} is being changed by others; retry`),
    },
  );

export interface PutCommand<Request> {
  key: string;
  request: Request;
  principal: Principal;
}

/** PUT: adds or replaces the version with the body's validFrom. 201 when the key had no record. */
export const putReference = async <V extends Period, R>(
  spec: KindSpec<V, R>,
  command: PutCommand<R>,
  deps: AdminDeps,
): Promise<{ created: boolean; view: RecordView<V> }> => {
  const key = keyOf(spec, command.key, deps);
  const version = spec.toVersion(command.request, key);
  const storageKey = spec.storageKey?.(key, version) ?? key;
  const options = {
    periods: spec.periods,
    ...(spec.protectStarted ? { protectStarted: { today: today(deps) } } : {}),
  };
  const { before, after } = await applyChange<V>(
    spec.kind,
    storageKey,
    'PUT',
    command.principal,
    deps,
    (record) => putVersion(record.versions, version, options),
  );
  return { created: !before.stored, view: viewOf(spec, key, after) };
};

/** A version checked exactly as `putReference` checks it, stored nowhere. */
export const validateReference = <V extends Period, R>(
  spec: KindSpec<V, R>,
  command: { key: string; request: R },
  deps: AdminDeps,
): V => spec.toVersion(command.request, keyOf(spec, command.key, deps));

export const getReference = async <V extends Period, R>(
  spec: KindSpec<V, R>,
  command: { key: string },
  deps: AdminDeps,
): Promise<RecordView<V>> => {
  const key = keyOf(spec, command.key, deps);
  const record = await deps.writer.read<V>(spec.kind, key);
  if (!record.stored) throw new NotFoundError(`No ${spec.noun} is stored for ${key}`);
  return viewOf(spec, key, record);
};

/** The change a DELETE makes: remove a future version (`validFrom`) or end the timeline (`validTo`). */
const endChange =
  <V extends Period>(query: EndQuery, day: string) =>
  (record: StoredRecord<V>): TimelineChange<V> | undefined => {
    if (query.validFrom !== undefined) return removeFutureVersion(record.versions, query.validFrom, day);
    const lastDay = query.validTo ?? dayBefore(day);
    checkEndDate(lastDay, day);
    return endVersions(record.versions, lastDay);
  };

/**
 * DELETE: `?validFrom=` removes a version that has not started; otherwise the timeline ends after
 * `?validTo=` (default yesterday: nothing applies from today on). The record is kept for the days it
 * applied; it disappears only when no version remains.
 */
export const endReference = async <V extends Period, R>(
  spec: KindSpec<V, R>,
  command: { key: string; query: EndQuery; principal: Principal },
  deps: AdminDeps,
): Promise<RecordView<V>> => {
  const key = keyOf(spec, command.key, deps);
  const { query } = command;
  const day = today(deps);
  const { before, after } = await applyChange<V>(
    spec.kind,
    key,
    'DELETE',
    command.principal,
    deps,
    (record) => (record.stored ? endChange<V>(query, day)(record) : undefined),
  );
  if (!before.stored) throw new NotFoundError(`No ${spec.noun} is stored for ${key}`);
  return viewOf(spec, key, after);
};

// ---------------------------------------------------------------------------------------------
// Trusted traders: one record per kind the id is trusted as
// ---------------------------------------------------------------------------------------------

const TRADER_KINDS = TraderKind.options;

const traderView = (id: string, records: StoredRecord<TrustedTraderVersion>[]) => ({
  id,
  records: records.map((record) => ({
    kind: record.key.slice(0, record.key.indexOf(':')) as TrustedTraderVersion['kind'],
    key: record.key,
    revision: record.revision,
    versions: record.versions,
  })),
});

export const getTrustedTrader = async (command: { key: string }, deps: AdminDeps) => {
  const id = command.key;
  const records = await deps.writer.readMany<TrustedTraderVersion>(
    'TRUSTED',
    TRADER_KINDS.map((kind) => trustedTraderKey(kind, id)),
  );
  const view = traderView(
    id,
    records.filter((record) => record.stored),
  );
  if (view.records.length === 0) throw new NotFoundError(`No trusted trader is stored for ${id}`);
  return view;
};

/** DELETE a trusted trader: as DELETE of other kinds, for `?kind=` or every kind the id is stored as. */
export const endTrustedTrader = async (
  command: { key: string; query: TrustedTraderEndQuery; principal: Principal },
  deps: AdminDeps,
) => {
  const id = command.key;
  const { kind, ...query } = command.query;
  const day = today(deps);
  const kinds = kind ? [kind] : TRADER_KINDS;
  const stored = (
    await deps.writer.readMany<TrustedTraderVersion>(
      'TRUSTED',
      kinds.map((each) => trustedTraderKey(each, id)),
    )
  ).filter((record) => record.stored);
  if (stored.length === 0) throw new NotFoundError(`No trusted trader is stored for ${id}`);
  const records: StoredRecord<TrustedTraderVersion>[] = [];
  for (const record of stored) {
    const { after } = await applyChange<TrustedTraderVersion>(
      'TRUSTED',
      record.key,
      'DELETE',
      command.principal,
      deps,
      (current) => (current.stored ? endChange<TrustedTraderVersion>(query, day)(current) : undefined),
    );
    records.push(after);
  }
  return traderView(id, records);
};

// ---------------------------------------------------------------------------------------------
// Risk profiles: stored versions over the built-in ones, with their statistics
// ---------------------------------------------------------------------------------------------

const BUILTINS: ReadonlyMap<string, RiskProfile> = new Map(
  (BUILTIN_PROFILES as readonly RiskProfile[]).map((profile) => [profile.id, profile]),
);

const profileView = (
  id: string,
  record: StoredRecord<RiskProfile> | undefined,
  counters: ProfileCounters,
  day: string,
) => {
  const builtin = BUILTINS.get(id);
  const versions = record?.versions ?? [];
  const inForce = profilesInForce([...(builtin ? [builtin] : []), ...versions], day)[0] ?? null;
  return {
    id,
    builtin: builtin !== undefined,
    revision: record?.revision ?? 0,
    inForce,
    versions,
    ...(builtin ? { builtinVersion: builtin } : {}),
    stats: { ...counters, hitRate: hitRate(counters) },
  };
};

export const getRiskProfile = async (command: { key: string }, deps: AdminDeps) => {
  const id = command.key;
  const [record, stats] = await Promise.all([
    deps.writer.read<RiskProfile>('PROFILE', id),
    deps.stats.getMany([id]),
  ]);
  if (!record.stored && !BUILTINS.has(id)) throw new NotFoundError(`No risk profile ${id}`);
  return profileView(
    id,
    record.stored ? record : undefined,
    stats.get(id) ?? { hits: 0, checks: 0, confirmed: 0 },
    today(deps),
  );
};

export const listRiskProfiles = async (deps: AdminDeps) => {
  const records = await deps.writer.listAll<RiskProfile>('PROFILE');
  const byId = new Map(records.map((record) => [record.key, record]));
  const ids = [...new Set([...BUILTINS.keys(), ...byId.keys()])].sort();
  const stats = await deps.stats.getMany(ids);
  const day = today(deps);
  return {
    items: ids.map((id) =>
      profileView(id, byId.get(id), stats.get(id) ?? { hits: 0, checks: 0, confirmed: 0 }, day),
    ),
  };
};

export const endRiskProfile = async (
  command: { key: string; query: EndQuery; principal: Principal },
  deps: AdminDeps,
) => {
  const id = command.key;
  const record = await deps.writer.read<RiskProfile>('PROFILE', id);
  if (!record.stored && BUILTINS.has(id)) {
    throw new ConflictError(
      `${id} is a built-in profile: it cannot be ended, only overridden by a version with the same id (PUT)`,
    );
  }
  await endReference(RISK_PROFILES, command, deps);
  // Removing a profile's only version leaves nothing stored: the answer is then the empty profile, not a
  // 404 that would make a successful DELETE look failed.
  const [after, stats] = await Promise.all([
    deps.writer.read<RiskProfile>('PROFILE', id),
    deps.stats.getMany([id]),
  ]);
  return profileView(
    id,
    after.stored ? after : undefined,
    stats.get(id) ?? { hits: 0, checks: 0, confirmed: 0 },
    today(deps),
  );
};

// ---------------------------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------------------------

const encodeCursor = (sk: string) => Buffer.from(sk, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[^#]+#[0-9a-f-]{36}$/.test(sk)) {
    throw invalid([{ path: 'cursor', message: 'is not a cursor this API returned' }], 'query');
  }
  return sk;
};

/** The earliest day a YYYY-MM-DD date can name. */
const EARLIEST_DAY = '0000-01-01';

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** GET /v1/admin/audit: every change between two dates, newest first, paged. */
export const listAudit = async (command: { query: AuditQuery }, deps: AdminDeps) => {
  const { query } = command;
  const to = query.to ?? today(deps);
  // The default start stops at the first day of year 0: before it a date no longer has four digits.
  const defaultFrom = shiftDate(to, -AUDIT_DEFAULT_DAYS);
  const from = query.from ?? (defaultFrom < EARLIEST_DAY ? EARLIEST_DAY : defaultFrom);
  if (from > to) throw invalid([{ path: 'from', message: `must not be after ${to}` }], 'query');
  if (!(daysBetween(from, to) < AUDIT_MAX_DAYS)) {
    throw invalid([{ path: 'from', message: `must be less than ${AUDIT_MAX_DAYS} days before to` }], 'query');
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const page = await deps.writer.auditPage({
    from,
    to,
    limit: query.limit ?? 100,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.key ? { key: query.key } : {}),
    ...(after ? { after } : {}),
  });
  return { from, to, items: page.items, cursor: page.last ? encodeCursor(page.last) : null };
};
