// Risk evaluation of a batch of lodged declarations: gather the facts the profiles need in batched reads
// (the consignees' recent consignments included), evaluate, and hand each result to the duty step (SQS),
// which writes it with the outcome in one transaction. The risk step itself writes only what it keeps
// across declarations: the consignees' window entries (idempotent: keyed by declaration) and, where a
// profile hit, the profiles' hit counters, in one transaction with window entries that must not exist
// yet, so a redelivery never counts a declaration twice. A redelivery evaluates again and hands the
// result on again; the duty step takes the first and ignores the rest.
import type {
  DeclarationRecord,
  Hold,
  RiskOutcome,
  RiskResult,
  StoredDeclaration,
} from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { sumMoney } from '../domain/money.js';
import { isInForce, versionOn } from '../domain/reference/versions.js';
import { BUILTIN_PROFILES } from '../domain/risk/builtin-profiles.js';
import { type WindowEntry, windowTotals } from '../domain/risk/consignee-window.js';
import { enrich, type ReferencePrice, type Registration } from '../domain/risk/enrich.js';
import {
  type CompiledProfiles,
  compileProfiles,
  evaluate,
  isTrustedTrader,
} from '../domain/risk/evaluate.js';
import { profilesInForce, type RiskProfile } from '../domain/risk/profile.js';
import type { DeclarationStore } from './ports/declarations.js';
import type { SendMessages } from './ports/queue.js';
import type { ReferenceStore } from './ports/reference.js';
import { MAX_COUNTED_RECORDS, type RiskRecords, type WindowUpdate } from './ports/risk.js';

export interface StackRules {
  currency: string;
  /** The consignment value at or below which the low-value regime applies, in the stack currency. */
  lowValueThreshold: (date: string) => string;
}

/** What the duty step receives from the risk step for one declaration (several share one SQS message). */
export interface DutyWork {
  declarationId: string;
  /** Absent when the declaration carries its risk result already (it went back to the duty step). */
  result?: RiskResult;
}

export interface RiskDeps {
  store: Pick<DeclarationStore, 'getMany'>;
  reference: ReferenceStore;
  /** The consignees' windows and the profiles' hit counters. */
  records: RiskRecords;
  rules: StackRules;
  now: () => Date;
  /** Hands results to the duty step (its queue). */
  handOver: SendMessages;
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
  /** Recorded consignments per consignee, as read for the batch. */
  windows: Map<string, WindowEntry[]>;
  /** Results whose window entries (and hit counters) the batch recorded, by declaration id. */
  recorded: Map<string, RiskResult>;
  /** What goes to the duty step once the batch is handled. */
  handOver: DutyWork[];
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

/**
 * What the step loads for a batch of declarations: each one's current state and body (only the state for
 * those handed over `lodged`, as the stream carries them), the reference data the profiles use and the
 * consignees' windows.
 */
export const prepareRiskBatch = async (
  ids: string[],
  deps: RiskDeps,
  lodged?: ReadonlyMap<string, StoredDeclaration>,
): Promise<RiskBatch> => {
  const declarations = await deps.store.getMany(ids, lodged);
  const pending = [...declarations.values()].filter(needsEvaluation);
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
      ? deps.records.readWindows(pending.map((entry) => consigneeKey(entry.declaration)))
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
    recorded: new Map(),
    handOver: [],
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
  // Results without hits record only their window entries (idempotent, no transaction); those with hits
  // record theirs with the hit counters, in one transaction per group.
  const quiet = changes.filter((change) => change.hitProfiles.length === 0);
  const hit = changes.filter((change) => change.hitProfiles.length > 0);
  await Promise.all([
    (async () => {
      if (quiet.length === 0) return;
      try {
        await deps.records.recordWindows(riskRecords(quiet, batch).updates);
        for (const change of quiet) batch.recorded.set(change.id, change.result);
      } catch {
        // each declaration is recorded on its own in evaluateOne
      }
    })(),
    ...countedGroups(hit).map(async (group) => {
      try {
        const { updates, hits } = riskRecords(group, batch);
        await deps.records.recordCounted(updates, hits);
        for (const change of group) batch.recorded.set(change.id, change.result);
      } catch {
        // each declaration of the group is recorded on its own in evaluateOne
      }
    }),
  ]);
  return batch;
};

/** A lodged declaration the risk step has not evaluated: still RECEIVED, without a stored result. */
const needsEvaluation = (stored: StoredDeclaration): boolean => stored.status === 'RECEIVED' && !stored.risk;

/** A declaration's risk result, ready to be recorded with what it causes. */
interface RiskChange {
  id: string;
  result: RiskResult;
  consignee: string;
  entry: WindowEntry;
  hitProfiles: string[];
}

/**
 * What several results record: one window update per consignee and the hit counters summed per profile
 * (counted only with window entries that must be new, so a redelivery is refused instead of counted again).
 */
const riskRecords = (
  changes: readonly RiskChange[],
  batch: Pick<RiskBatch, 'windows'>,
): { updates: WindowUpdate[]; hits: Map<string, number> } => {
  const byConsignee = new Map<string, WindowEntry[]>();
  const hits = new Map<string, number>();
  for (const change of changes) {
    byConsignee.set(change.consignee, [...(byConsignee.get(change.consignee) ?? []), change.entry]);
    for (const profileId of change.hitProfiles) hits.set(profileId, (hits.get(profileId) ?? 0) + 1);
  }
  return {
    updates: [...byConsignee].map(([consignee, added]) => ({
      consignee,
      added,
      known: batch.windows.get(consignee) ?? [],
    })),
    hits,
  };
};

/** Groups results into counted recordings of at most MAX_COUNTED_RECORDS consignees and profiles. */
const countedGroups = (changes: readonly RiskChange[]): RiskChange[][] => {
  const groups: RiskChange[][] = [];
  let current: RiskChange[] = [];
  const size = (group: readonly RiskChange[]) =>
    new Set(group.map((change) => change.consignee)).size +
    new Set(group.flatMap((change) => change.hitProfiles)).size;
  for (const change of changes) {
    if (current.length > 0 && size([...current, change]) > MAX_COUNTED_RECORDS) {
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
  const rejection = result.reject
    ? result.hits
        .filter((hit) => hit.action === 'REJECT')
        .map((hit) => hit.reason)
        .join('; ') || 'Rejected by a risk profile'
    : undefined;
  return {
    id,
    result: { risk, holds, ...(rejection !== undefined ? { rejection } : {}) },
    consignee: consigneeKey(declaration),
    entry,
    hitProfiles: [...new Set(result.hits.map((hit) => hit.profileId))],
  };
};

export const evaluateOne = async (id: string, batch: RiskBatch, deps: RiskDeps): Promise<void> => {
  const recorded = batch.recorded.get(id);
  if (recorded) {
    batch.handOver.push({ declarationId: id, result: recorded });
    return;
  }
  const stored = batch.declarations.get(id);
  if (!stored) throw new Error(`Declaration ${id} is not stored yet`);
  // Past the risk step already (a late redelivery): nothing to decide.
  if (stored.status !== 'RECEIVED') return;
  // Back from a hold with its result kept: the duty step assesses it with that result.
  if (stored.risk) {
    batch.handOver.push({ declarationId: id });
    return;
  }
  // Not recorded with the batch: evaluate again against a fresh read of the window, and record it alone.
  const key = consigneeKey(stored.declaration);
  const window = (await deps.records.readWindows([key])).get(key) ?? [];
  const change = decide(stored, windowEntryOf(stored, batch, deps), window, batch, deps);
  const windows = new Map([[key, window]]);
  if (change.hitProfiles.length === 0) {
    await deps.records.recordWindows(riskRecords([change], { windows }).updates);
  } else {
    try {
      const { updates, hits } = riskRecords([change], { windows });
      await deps.records.recordCounted(updates, hits);
    } catch (error) {
      // Refused because its window entry exists: an earlier delivery counted it already.
      const counted = (await deps.records.readWindows([key]))
        .get(key)
        ?.some((entry) => entry.declarationId === id);
      if (!counted) throw error;
    }
  }
  batch.recorded.set(id, change.result);
  batch.handOver.push({ declarationId: id, result: change.result });
};

/**
 * Bytes of the declarations' work one hand-over message carries at most (SQS takes 256 KiB): a risk batch
 * of a hundred declarations is one message or two.
 */
export const MAX_HANDOVER_BYTES = 192 * 1024;

/**
 * The batch's results as duty messages: as few as fit, so the duty step assesses, books and pre-sums many
 * declarations in each transaction without waiting to gather them (no batching window: a lone
 * declaration goes on at once, in a message of its own).
 */
export const handOverMessages = (works: DutyWork[]): { works: DutyWork[] }[] => {
  const messages: { works: DutyWork[] }[] = [];
  let bytes = 0;
  for (const work of works) {
    const size = Buffer.byteLength(JSON.stringify(work), 'utf8');
    const current = messages.at(-1);
    if (current && bytes + size <= MAX_HANDOVER_BYTES) {
      current.works.push(work);
      bytes += size;
    } else {
      messages.push({ works: [work] });
      bytes = size;
    }
  }
  return messages;
};

/** Hands the batch's results to the duty step. */
export const handOverRiskBatch = async (batch: RiskBatch, deps: RiskDeps): Promise<void> => {
  if (batch.handOver.length > 0) await deps.handOver(handOverMessages(batch.handOver));
};
