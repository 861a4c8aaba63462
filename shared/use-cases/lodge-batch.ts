// Lodging up to a thousand declarations in one request. Each is validated and stored on its own terms
// (202 new, 200 lodged before with the same body, 400 invalid, 409 reference taken by another body),
// each stored by one conditional PutItem, many in flight (nothing is read first: the conditions find the
// declarations lodged before). Each stored insert starts its own risk step (the table's stream).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DeclarationRecord } from '../domain/clearance/record.js';
import {
  type Declaration,
  type FieldError,
  parseDeclaration,
  toFieldErrors,
} from '../domain/declaration/declaration.js';
import type { DeclarationIdOf } from '../domain/declaration/identity.js';
import type { LodgementResult } from '../domain/declaration/lodgement.js';
import { type DestinationsOn, destinationError } from '../domain/declaration/territory.js';
import { IncompleteBatchError } from '../domain/errors.js';
import { lodgedRecord } from './lodge-declaration.js';
import type { CreateManyResult, DeclarationStore } from './ports/declarations.js';
import type { CountRefusals } from './ports/refusals.js';

/** Declarations stored per createMany call (each its own PutItem), and calls in flight at once. */
const GROUP_SIZE = 100;
const CONCURRENT_GROUPS = 10;

export interface LodgeBatchDeps {
  store: Pick<DeclarationStore, 'createMany'>;
  now: () => Date;
  /** The stack's keyed id of a filer's declaration. */
  declarationIdOf: DeclarationIdOf;
  /** Counts the declarations refused at intake for the data-quality report. */
  countRefusals?: CountRefusals;
  /** The destinations the stack clears on a date; a declaration for another is refused. */
  destinationsOn: DestinationsOn;
}

export interface LodgeBatchResult {
  results: LodgementResult[];
  accepted: number;
  rejected: number;
}

interface Candidate {
  index: number;
  record: DeclarationRecord;
  declaration: Declaration;
}

const conflictWith = (id: string, message: string): LodgementResult['errors'] => [
  { path: 'reference', message: `${message} (declaration ${id}); use a new reference` },
];

export const lodgeBatch = async (
  command: { platformId: string; declarations: readonly unknown[] },
  deps: LodgeBatchDeps,
): Promise<LodgeBatchResult> => {
  // Each declaration is checked on its own: one that is not valid is refused alone.
  const raws = command.declarations;
  const entries: LodgeEntry[] = withinTerritory(
    raws.map((raw, index) => {
      const parsed = parseDeclaration(raw);
      return parsed.success
        ? { index, declaration: parsed.data }
        : { index, errors: toFieldErrors(parsed.error) };
    }),
    deps,
  );
  const [lodged] = await Promise.all([
    lodgeEntries({ platformId: command.platformId, entries }, deps),
    countRefused(command.platformId, entries, raws, deps),
  ]);
  return lodged;
};

/**
 * Refuses the entries whose destination the stack does not clear; `pathOf` says where the request names it
 * (a post's item names it in the addressee's address).
 */
export const withinTerritory = (
  entries: readonly LodgeEntry[],
  deps: Pick<LodgeBatchDeps, 'destinationsOn' | 'now'>,
  pathOf: (index: number) => string = () => 'destinationCountry',
): LodgeEntry[] => {
  const today = deps.now().toISOString().slice(0, 10);
  return entries.map((entry) => {
    if (!entry.declaration) return entry;
    const outside = destinationError(entry.declaration, today, deps.destinationsOn, pathOf(entry.index));
    return outside ? { index: entry.index, errors: [outside] } : entry;
  });
};

/** Counts the entries refused as invalid (not those refused for a taken reference) for data quality. */
export const countRefused = async (
  filer: string,
  entries: readonly LodgeEntry[],
  raws: readonly unknown[],
  deps: Pick<LodgeBatchDeps, 'countRefusals'>,
): Promise<void> => {
  if (!deps.countRefusals) return;
  const refusals = entries.flatMap((entry) =>
    entry.errors ? [{ raw: raws[entry.index], errors: entry.errors }] : [],
  );
  await deps.countRefusals(filer, refusals);
};

/** One declaration of a batch as validated: the declaration to store, or why it was refused. */
export type LodgeEntry =
  | { index: number; declaration: Declaration; errors?: never }
  | { index: number; errors: FieldError[]; declaration?: never };

/**
 * Stores the valid entries of a batch (the declarations and postal routes both lodge through it) and
 * answers one result per entry, in the entries' order.
 */
export const lodgeEntries = async (
  command: { platformId: string; entries: readonly LodgeEntry[] },
  deps: LodgeBatchDeps,
): Promise<LodgeBatchResult> => {
  const at = deps.now().toISOString();
  const results: LodgementResult[] = [];

  const settle = (candidate: Candidate, outcome: Exclude<CreateManyResult, { failure: unknown }>) => {
    const { index, record } = candidate;
    if (outcome.created) {
      results[index] = { index, status: 202, id: record.id };
    } else if ('conflict' in outcome) {
      results[index] = {
        index,
        status: 409,
        id: record.id,
        errors: [{ path: 'reference', message: outcome.conflict.message }],
      };
    } else if (outcome.existing.bodyHash !== record.bodyHash) {
      results[index] = {
        index,
        status: 409,
        id: record.id,
        errors: conflictWith(record.id, 'was already lodged with a different body'),
      };
    } else {
      results[index] = { index, status: 200, id: record.id };
    }
  };

  const writing: Promise<void>[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = false;
  const store = async (group: Candidate[]) => {
    while (inFlight.size >= CONCURRENT_GROUPS) await Promise.race(inFlight).catch(() => undefined);
    // A group that could not be stored fails the request (below): store no more.
    if (failed) return;
    const write = (async () => {
      const created = await deps.store.createMany(
        group.map(({ record, declaration }) => ({ record, declaration })),
      );
      let failure: { reason: unknown } | undefined;
      group.forEach((candidate, position) => {
        const outcome = created[position];
        if (!outcome) throw new Error(`createMany returned no outcome for declaration ${candidate.index}`);
        if ('failure' in outcome) failure ??= { reason: outcome.failure };
        else settle(candidate, outcome);
      });
      // The others of the group are stored (and on their way to the risk step); this one was not: the
      // request fails (below).
      if (failure) throw failure.reason;
    })().finally(() => inFlight.delete(write));
    // Awaited together below; a failure must not surface as an unhandled rejection meanwhile.
    write.catch(() => {
      failed = true;
    });
    inFlight.add(write);
    writing.push(write);
    // Let the group's request go out (it is written to the socket on a later turn of the event loop)
    // while the next group is validated: DynamoDB works on one while this process checks the other.
    await nextTurn();
  };

  // Validate each declaration; the first valid occurrence of a reference is the one stored, later ones
  // are compared with it once its outcome is known. Groups go to the store as they fill up.
  const candidates = new Map<string, Candidate>();
  const repeats: Candidate[] = [];
  let group: Candidate[] = [];
  for (const entry of command.entries) {
    const { index, declaration } = entry;
    if (!declaration) {
      results[index] = { index, status: 400, errors: entry.errors };
      continue;
    }
    const record = lodgedRecord(command.platformId, declaration, deps.declarationIdOf, at);
    const candidate = { index, record, declaration };
    if (candidates.has(record.id)) {
      repeats.push(candidate);
      continue;
    }
    candidates.set(record.id, candidate);
    group.push(candidate);
    if (group.length === GROUP_SIZE) {
      await store(group);
      group = [];
    }
  }
  if (group.length > 0) await store(group);
  const written = await Promise.allSettled(writing);
  const failure = written.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    // What the other groups stored is kept and cleared like any lodgement; the caller learns how far the
    // batch got and may send it again as it is (stored declarations then answer 200).
    const stored = results.filter((result) => result?.status === 202 || result?.status === 200).length;
    throw new IncompleteBatchError(stored, failure.reason);
  }

  for (const repeat of repeats) {
    const first = candidates.get(repeat.record.id) as Candidate;
    const firstResult = results[first.index] as LodgementResult;
    const { index, record } = repeat;
    if (record.bodyHash !== first.record.bodyHash) {
      results[index] = {
        index,
        status: 409,
        id: record.id,
        errors: conflictWith(
          record.id,
          `is used by declaration ${first.index} of this batch with a different body`,
        ),
      };
    } else if (firstResult.status === 409) {
      results[index] = { ...firstResult, index };
    } else {
      results[index] = { index, status: 200, id: record.id };
    }
  }

  const accepted = results.filter((result) => result.status === 202 || result.status === 200).length;
  return { results, accepted, rejected: results.length - accepted };
};
