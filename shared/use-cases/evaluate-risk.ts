// Risk evaluation of a batch of lodged declarations: gather the facts the profiles need in batched reads,
// evaluate, store the result and announce it. Re-running it for an evaluated declaration only announces
// the stored result again, so duplicate deliveries change nothing.
import type { ConsigneeWindow } from '../adapters/consignee-window.js';
import type { DeclarationStore, TransactionWrite } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import { type ReferenceStore, versionOn } from '../adapters/reference-store.js';
import {
  type DeclarationRecord,
  type Hold,
  type RiskOutcome,
  type StoredDeclaration,
  transition,
} from '../domain/clearance.js';
import type { Declaration } from '../domain/declaration.js';
import { type DomainEvent, domainEvent } from '../domain/events.js';
import { sumMoney } from '../domain/money.js';
import { BUILTIN_PROFILES } from '../domain/risk/builtin-profiles.js';
import { enrich, type ReferencePrice, type Registration } from '../domain/risk/enrich.js';
import {
  type CompiledProfiles,
  compileProfiles,
  evaluate,
  isTrustedTrader,
} from '../domain/risk/evaluate.js';
import { isInForce, profilesInForce, type RiskProfile } from '../domain/risk/profile.js';

export interface StackRules {
  currency: string;
  /** The consignment value at or below which the low-value regime applies, in the stack currency. */
  lowValueThreshold: (date: string) => string;
}

export interface RiskDeps {
  store: Pick<DeclarationStore, 'getMany' | 'save'>;
  reference: ReferenceStore;
  window: ConsigneeWindow;
  publish: PublishEvents;
  rules: StackRules;
  now: () => Date;
  /**
   * The counter updates for the profiles a stored result hit (`hits` per profile), written in the same
   * transaction as the result, so a redelivery never counts a declaration twice.
   */
  profileHits?: (profileIds: string[]) => TransactionWrite[];
}

interface TrustedTrader {
  kind: 'SELLER' | 'PLATFORM' | 'CARRIER';
  name: string;
}

export interface RiskBatch {
  declarations: Map<string, StoredDeclaration>;
  profiles: RiskProfile[];
  compiled: Map<string, CompiledProfiles>;
  trusted: Map<string, { versions: (TrustedTrader & { validFrom: string; validTo?: string })[] }>;
  registrations: Map<string, { versions: (Registration & { validFrom: string; validTo?: string })[] }>;
  /** Every version of every reference price; each declaration uses those in force on its date. */
  referencePrices: (ReferencePrice & { validFrom: string; validTo?: string })[];
  fxRates: Map<string, { versions: { rate: string; validFrom: string; validTo?: string }[] }>;
  events: DomainEvent[];
}

export const ruleDate = (record: Pick<DeclarationRecord, 'createdAt'>, declaration: Declaration): string =>
  declaration.importDate ?? record.createdAt.slice(0, 10);

/** The key that ties a consignee's consignments together: the tax id where given, else name and address. */
export const consigneeKey = (declaration: Declaration): string => {
  const { consignee } = declaration;
  if (consignee.taxId) return `TAX:${consignee.address.country}:${consignee.taxId.toUpperCase()}`;
  const normalised = `${consignee.name}|${consignee.address.postcode}|${consignee.address.country}`;
  return `ADDR:${normalised.toUpperCase().replace(/\s+/g, ' ').trim()}`;
};

export const prepareRiskBatch = async (ids: string[], deps: RiskDeps): Promise<RiskBatch> => {
  const declarations = await deps.store.getMany(ids);
  const bodies = [...declarations.values()].map((stored) => stored.declaration);
  const [stored, trusted, registrations, referencePrices, fxRates] = await Promise.all([
    deps.reference.listAll<RiskProfile>('PROFILE'),
    deps.reference.getMany<TrustedTrader>(
      'TRUSTED',
      [...declarations.values()].flatMap((entry) => [
        `PLATFORM:${entry.platformId}`,
        ...(entry.declaration.seller.id ? [`SELLER:${entry.declaration.seller.id}`] : []),
      ]),
    ),
    deps.reference.getMany<Registration>(
      'TAXREG',
      bodies.flatMap((body) => (body.taxRegistration ? [body.taxRegistration.number] : [])),
    ),
    deps.reference.listAll<ReferencePrice>('REFPRICE'),
    deps.reference.getMany<{ rate: string }>(
      'FX',
      bodies.map((body) => body.currency).filter((currency) => currency !== deps.rules.currency),
    ),
  ]);
  // Stored profiles replace built-in ones with the same id from their validFrom on.
  const profiles = [...BUILTIN_PROFILES, ...stored.flatMap((record) => record.versions)] as RiskProfile[];
  return {
    declarations,
    profiles,
    compiled: new Map(),
    trusted,
    registrations,
    referencePrices: referencePrices.flatMap((record) => record.versions),
    fxRates,
    events: [],
  };
};

const compiledOn = (batch: RiskBatch, date: string): CompiledProfiles => {
  let compiled = batch.compiled.get(date);
  if (!compiled) {
    compiled = compileProfiles(profilesInForce(batch.profiles, date));
    batch.compiled.set(date, compiled);
  }
  return compiled;
};

const eventsFor = (record: DeclarationRecord, risk: RiskOutcome): DomainEvent[] => {
  const base = {
    version: 1 as const,
    declarationId: record.id,
    platformId: record.platformId,
    reference: record.reference,
    status: record.status,
    occurredAt: risk.assessedAt,
  };
  const events: DomainEvent[] = [];
  if (record.status === 'REJECTED') {
    const reason = record.history.at(-1)?.reason ?? 'Rejected by risk profile';
    events.push(domainEvent('DeclarationRejected', { ...base, reason }));
  } else {
    events.push(domainEvent('RiskAssessed', { ...base, lane: risk.lane, score: risk.score }));
  }
  for (const hold of record.holds.filter((candidate) => candidate.placedBy === 'risk')) {
    events.push(
      domainEvent('HoldPlaced', {
        ...base,
        holdId: hold.id,
        reason: hold.reason,
        ...(hold.agency ? { agency: hold.agency } : {}),
      }),
    );
  }
  return events;
};

export const evaluateOne = async (id: string, batch: RiskBatch, deps: RiskDeps): Promise<void> => {
  const stored = batch.declarations.get(id);
  if (!stored) throw new Error(`Declaration ${id} is not stored yet`);
  if (stored.risk) {
    batch.events.push(...eventsFor(stored, stored.risk));
    return;
  }
  const { declaration } = stored;
  const date = ruleDate(stored, declaration);
  const lodgedAt = new Date(stored.createdAt);
  const key = consigneeKey(declaration);

  const fx =
    declaration.currency === deps.rules.currency
      ? '1'
      : versionOn(batch.fxRates.get(declaration.currency)?.versions ?? [], date)?.rate;
  const intrinsic = sumMoney(declaration.items.map((item) => item.value));
  // Without an exchange rate the value comparisons run in the declaration currency; the duty step
  // refuses the declaration for the missing rate anyway.
  const stackValue = fx ? intrinsic.times(fx) : intrinsic;
  const window = await deps.window.totals(key, lodgedAt, id);
  const trustedOn = (traderKey: string) =>
    versionOn(batch.trusted.get(traderKey)?.versions ?? [], date) !== undefined;
  const registration = declaration.taxRegistration
    ? versionOn(batch.registrations.get(declaration.taxRegistration.number)?.versions ?? [], date)
    : undefined;

  const view = enrich(declaration, {
    platformId: stored.platformId,
    referencePrices: batch.referencePrices.filter((price) => isInForce(price, date)),
    consignee72h: { count: window.count, value: window.value },
    sellerTrusted: declaration.seller.id ? trustedOn(`SELLER:${declaration.seller.id}`) : false,
    platformTrusted: trustedOn(`PLATFORM:${stored.platformId}`),
    ...(registration
      ? { registration: { ...registration, number: declaration.taxRegistration?.number ?? '' } }
      : {}),
    lowValueThreshold: deps.rules.lowValueThreshold(date),
    ...(fx ? { fxToStack: fx, stackCurrency: deps.rules.currency } : {}),
    date,
  });
  const compiled = compiledOn(batch, date);
  const result = evaluate(compiled, view, { trusted: isTrustedTrader(view) });

  const at = deps.now().toISOString();
  const risk: RiskOutcome = {
    lane: result.lane,
    score: result.score,
    hits: result.hits.map((hit) => ({ profileId: hit.profileId, reason: hit.reason, score: hit.score })),
    assessedAt: at,
    profileVersions: [...compiled.ids],
  };
  const holds: Hold[] = result.holds.map((hold) => ({
    id: `hold_${hold.profileId.toLowerCase()}`,
    reason: hold.reason,
    ...(hold.agency ? { agency: hold.agency } : {}),
    profileId: hold.profileId,
    placedBy: 'risk',
    placedAt: at,
  }));
  const { declaration: _body, ...current } = stored;
  let next: DeclarationRecord = { ...current, risk, holds: [...current.holds, ...holds] };
  if (result.reject) {
    const reasons = result.hits.filter((hit) => hit.action === 'REJECT').map((hit) => hit.reason);
    next = transition(next, 'REJECTED', 'risk', reasons.join('; ') || 'Rejected by a risk profile', at);
  }
  // The window entry is written first: it is idempotent, and a redelivery after the state was saved
  // would not come back to write it.
  await deps.window.record(key, lodgedAt, id, stackValue.toString());
  const hitProfiles = [...new Set(result.hits.map((hit) => hit.profileId))];
  const saved = await deps.store.save(next, deps.profileHits?.(hitProfiles) ?? []);
  batch.events.push(...eventsFor(saved, risk));
};
