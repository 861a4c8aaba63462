// Risk evaluation of a batch of lodged declarations: gather the facts the profiles need in batched reads
// (the consignees' recent consignments included), evaluate, and store every result with what it causes
// (the consignees' window entries, the profiles' hit counters, pre-summed) in one transaction for the
// batch. When that transaction is refused (a redelivered or concurrently handled declaration), each
// declaration is saved on its own. Re-running it for an evaluated declaration only announces the stored
// result again, so duplicate deliveries change nothing.
import { type ConsigneeWindow, type WindowEntry, windowTotals } from '../adapters/consignee-window.js';
import type { DeclarationStore, TransactionWrite } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import { type ReferenceStore, versionOn } from '../adapters/reference-store.js';
import {
  type DeclarationRecord,
  type Hold,
  type RiskOutcome,
  type StoredDeclaration,
  transition,
} from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
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
  store: Pick<DeclarationStore, 'getMany' | 'getState' | 'stateWrites'>;
  reference: ReferenceStore;
  window: ConsigneeWindow;
  publish: PublishEvents;
  rules: StackRules;
  now: () => Date;
  /**
   * The counter updates for the profiles stored results hit (hits per profile, summed over the results),
   * written in the same transaction as the results, so a redelivery never counts a declaration twice.
   */
  profileHits?: (hits: ReadonlyMap<string, number>) => TransactionWrite[];
  /** Runs one TransactWriteItems; throws when it is refused (a condition failed). */
  transact: (writes: TransactionWrite[]) => Promise<unknown>;
}

interface TrustedTrader {
  kind: 'SELLER' | 'PLATFORM' | 'CARRIER' | 'POST';
  name: string;
  /** Filers whose declarations the trust applies to (absent on records stored before it: none). */
  authorisedFilers?: string[];
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
  /** Recorded consignments per consignee key, as read for the batch. */
  windows: Map<string, WindowEntry[]>;
  events: DomainEvent[];
  /** Results written by the batch transaction, by declaration id. */
  saved: Map<string, DeclarationRecord>;
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

/** A transaction holds at most 100 writes. */
const MAX_TRANSACTION_ITEMS = 100;

export const prepareRiskBatch = async (ids: string[], deps: RiskDeps): Promise<RiskBatch> => {
  const declarations = await deps.store.getMany(ids);
  const pending = [...declarations.values()].filter((stored) => !stored.risk);
  const bodies = [...declarations.values()].map((stored) => stored.declaration);
  const [stored, trusted, registrations, referencePrices, fxRates, windows] = await Promise.all([
    deps.reference.listAll<RiskProfile>('PROFILE'),
    deps.reference.getMany<TrustedTrader>(
      'TRUSTED',
      [...declarations.values()].flatMap((entry) => [
        `PLATFORM:${entry.platformId}`,
        `POST:${entry.platformId}`,
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
    pending.length > 0
      ? deps.window.read(pending.map((entry) => consigneeKey(entry.declaration)))
      : Promise.resolve(new Map<string, WindowEntry[]>()),
  ]);
  // Stored profiles replace built-in ones with the same id from their validFrom on.
  const profiles = [...BUILTIN_PROFILES, ...stored.flatMap((record) => record.versions)] as RiskProfile[];
  const batch: RiskBatch = {
    declarations,
    profiles,
    compiled: new Map(),
    trusted,
    registrations,
    referencePrices: referencePrices.flatMap((record) => record.versions),
    fxRates,
    windows,
    events: [],
    saved: new Map(),
  };

  // The consignments of this batch count toward each other's windows (those lodged earlier, within 72 h).
  const entries = new Map<string, WindowEntry>();
  const peers = new Map<string, WindowEntry[]>();
  for (const entry of pending) {
    if (entries.has(entry.id)) continue;
    try {
      const windowEntry = windowEntryOf(entry, batch, deps);
      entries.set(entry.id, windowEntry);
      const key = consigneeKey(entry.declaration);
      peers.set(key, [...(peers.get(key) ?? []), windowEntry]);
    } catch {
      // handled in evaluateOne, where it fails this record alone
    }
  }
  const changes: RiskChange[] = [];
  for (const [id, entry] of entries) {
    const stored = declarations.get(id);
    if (!stored) continue;
    const key = consigneeKey(stored.declaration);
    try {
      changes.push(
        decide(stored, entry, [...(windows.get(key) ?? []), ...(peers.get(key) ?? [])], batch, deps),
      );
    } catch {
      // handled in evaluateOne, where it fails this record alone
    }
  }
  for (const group of transactionGroups(changes, deps)) {
    try {
      await deps.transact(riskWrites(group, batch, deps));
      for (const change of group) batch.saved.set(change.next.id, change.next);
    } catch {
      // each declaration of the group is saved on its own in evaluateOne
    }
  }
  return batch;
};

/** A declaration's risk result, ready to be written with what it causes. */
interface RiskChange {
  /** The state written (version already incremented) and its writes (the state, conditional on the version). */
  next: DeclarationRecord;
  writes: TransactionWrite[];
  consignee: string;
  entry: WindowEntry;
  hitProfiles: string[];
}

/** The writes of several results: their states, one window update per consignee, summed hit counters. */
const riskWrites = (changes: readonly RiskChange[], batch: RiskBatch, deps: RiskDeps): TransactionWrite[] => {
  const byConsignee = new Map<string, WindowEntry[]>();
  const hits = new Map<string, number>();
  for (const change of changes) {
    byConsignee.set(change.consignee, [...(byConsignee.get(change.consignee) ?? []), change.entry]);
    for (const profileId of change.hitProfiles) hits.set(profileId, (hits.get(profileId) ?? 0) + 1);
  }
  return [
    ...changes.flatMap((change) => change.writes),
    ...[...byConsignee].flatMap(([key, added]) =>
      deps.window.recordWrites(key, added, batch.windows.get(key) ?? []),
    ),
    ...(hits.size > 0 ? (deps.profileHits?.(hits) ?? []) : []),
  ];
};

/**
 * Groups results into transactions of at most 100 writes: per result its state (and body, when it moves)
 * and window entry, an update per consignee and one per profile hit.
 */
const transactionGroups = (changes: readonly RiskChange[], deps: RiskDeps): RiskChange[][] => {
  const groups: RiskChange[][] = [];
  let current: RiskChange[] = [];
  const size = (group: readonly RiskChange[]) =>
    group.reduce((total, change) => total + change.writes.length + 1, 0) +
    new Set(group.map((change) => change.consignee)).size +
    (deps.profileHits ? new Set(group.flatMap((change) => change.hitProfiles)).size : 0);
  for (const change of changes) {
    if (current.length > 0 && size([...current, change]) > MAX_TRANSACTION_ITEMS) {
      groups.push(current);
      current = [];
    }
    current.push(change);
  }
  if (current.length > 0) groups.push(current);
  return groups;
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

/** The consignment as the consignee window records it: lodgement time and intrinsic value in the stack currency. */
const windowEntryOf = (stored: StoredDeclaration, batch: RiskBatch, deps: RiskDeps): WindowEntry => {
  const { declaration } = stored;
  const fx = fxToStack(declaration, ruleDate(stored, declaration), batch, deps);
  const intrinsic = sumMoney(declaration.items.map((item) => item.value));
  // Without an exchange rate the value comparisons run in the declaration currency; the duty step
  // refuses the declaration for the missing rate anyway.
  const stackValue = fx ? intrinsic.times(fx) : intrinsic;
  return {
    declarationId: stored.id,
    at: new Date(stored.createdAt).toISOString(),
    value: stackValue.toString(),
  };
};

const fxToStack = (
  declaration: Declaration,
  date: string,
  batch: RiskBatch,
  deps: RiskDeps,
): string | undefined =>
  declaration.currency === deps.rules.currency
    ? '1'
    : versionOn(batch.fxRates.get(declaration.currency)?.versions ?? [], date)?.rate;

/** Evaluates a pending declaration against the profiles in force, its consignee's window given. */
const decide = (
  stored: StoredDeclaration,
  entry: WindowEntry,
  window: readonly WindowEntry[],
  batch: RiskBatch,
  deps: RiskDeps,
): RiskChange => {
  const { declaration } = stored;
  const id = stored.id;
  const date = ruleDate(stored, declaration);
  const fx = fxToStack(declaration, date, batch, deps);
  const totals = windowTotals(window, new Date(stored.createdAt), id);
  // Trust follows the registration's verified id and holds only for the filers it authorises, so naming
  // another platform's trusted seller changes nothing.
  const trustedOn = (traderKey: string) =>
    versionOn(batch.trusted.get(traderKey)?.versions ?? [], date)?.authorisedFilers?.includes(
      stored.platformId,
    ) === true;
  const registration = declaration.taxRegistration
    ? versionOn(batch.registrations.get(declaration.taxRegistration.number)?.versions ?? [], date)
    : undefined;

  const view = enrich(declaration, {
    platformId: stored.platformId,
    referencePrices: batch.referencePrices.filter((price) => isInForce(price, date)),
    consignee72h: { count: totals.count, value: totals.value },
    sellerTrusted: declaration.seller.id ? trustedOn(`SELLER:${declaration.seller.id}`) : false,
    platformTrusted: trustedOn(`PLATFORM:${stored.platformId}`) || trustedOn(`POST:${stored.platformId}`),
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
    hits: result.hits.map((hit) => ({
      profileId: hit.profileId,
      reason: hit.reason,
      score: hit.score,
      ...(hit.publicReason !== undefined ? { publicReason: hit.publicReason } : {}),
    })),
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
  let record: DeclarationRecord = { ...current, risk, holds: [...current.holds, ...holds] };
  if (result.reject) {
    const reasons = result.hits.filter((hit) => hit.action === 'REJECT').map((hit) => hit.reason);
    record = transition(record, 'REJECTED', 'risk', reasons.join('; ') || 'Rejected by a risk profile', at);
  }
  const { next, writes } = deps.store.stateWrites(record, declaration);
  return {
    next,
    writes,
    consignee: consigneeKey(declaration),
    entry,
    hitProfiles: [...new Set(result.hits.map((hit) => hit.profileId))],
  };
};

export const evaluateOne = async (id: string, batch: RiskBatch, deps: RiskDeps): Promise<void> => {
  const written = batch.saved.get(id);
  if (written?.risk) {
    batch.events.push(...eventsFor(written, written.risk));
    return;
  }
  const stored = batch.declarations.get(id);
  if (!stored) throw new Error(`Declaration ${id} is not stored yet`);
  if (stored.risk) {
    batch.events.push(...eventsFor(stored, stored.risk));
    return;
  }
  // Not saved with the batch: evaluate again against a fresh read of the window, and save it alone.
  const key = consigneeKey(stored.declaration);
  const window = (await deps.window.read([key])).get(key) ?? [];
  const change = decide(stored, windowEntryOf(stored, batch, deps), window, batch, deps);
  try {
    await deps.transact(riskWrites([change], { ...batch, windows: new Map([[key, window]]) }, deps));
  } catch (error) {
    // Refused: if another delivery of this message got there first, announce what it wrote.
    const now = await deps.store.getState(id);
    if (now?.risk) {
      batch.saved.set(id, now);
      batch.events.push(...eventsFor(now, now.risk));
      return;
    }
    throw error;
  }
  batch.saved.set(id, change.next);
  if (change.next.risk) batch.events.push(...eventsFor(change.next, change.next.risk));
};
