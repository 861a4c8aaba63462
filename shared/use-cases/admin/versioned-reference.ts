// The administration's reference data (DESIGN.md section 3, /v1/admin), what every kind shares: each kind
// (tariff rates, exchange rates, ... one module each beside this one) is a timeline of versions (see
// domain/reference/versions.ts). Every change is written under a revision condition together with its
// audit entry; a change that lost a race to another admin is re-applied to what that admin wrote.
import { actedBy, type Principal } from '../../domain/caller.js';
import type { FieldError } from '../../domain/declaration/declaration.js';
import { ConflictError, NotFoundError, RevisionConflictError, ValidationError } from '../../domain/errors.js';
import type { AdminKind, EndQuery } from '../../domain/reference/admin.js';
import {
  checkEndDate,
  dayBefore,
  endVersions,
  type Period,
  putVersion,
  removeFutureVersion,
  type TimelineChange,
} from '../../domain/reference/versions.js';
import { retryOptimistic } from '../../lib/optimistic.js';
import type { ProfileStatsReader } from '../ports/profile-stats.js';
import type { ReferenceWriter, StoredRecord } from '../ports/reference.js';

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

export const today = (deps: Pick<AdminDeps, 'now'>) => deps.now().toISOString().slice(0, 10);

export const invalid = (errors: FieldError[], what: string): ValidationError =>
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

export const withPeriod = <T extends Period>(body: T): Period => ({
  validFrom: body.validFrom,
  ...(body.validTo !== undefined ? { validTo: body.validTo } : {}),
});

// ---------------------------------------------------------------------------------------------
// Operations on any kind
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
export const applyChange = async <V extends Period>(
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
export const endChange =
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
