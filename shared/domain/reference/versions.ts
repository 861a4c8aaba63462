// Versioning of the reference data the administration maintains (tariff rates, exchange rates, trusted
// traders, tax registrations, reference prices, risk profiles). Each key holds a timeline of versions,
// sorted by validFrom and never overlapping. `isInForce` and `versionOn` are the one reading of a
// timeline: the duty engine, the rule packs, the risk step and the published rules all use them.
//
//  - PUT a version: a version with the same validFrom is replaced (a correction); otherwise the new one is
//    inserted. The version before it ends the day before it starts (if it ran on past that day), and a new
//    version without validTo runs until the day before the next one starts. A validTo reaching into the
//    next version is a conflict: end it earlier or remove that version first.
//  - End a key (DELETE): nothing applies after `validTo` (default yesterday, so not from today on): the
//    version in force on that day ends then, versions starting later are removed. Days already past stay
//    as they were applied.
//  - Remove a future version (DELETE ?validFrom=): only a version that has not started yet; the version
//    before it gets back the end the removed one had, so no gap opens where nothing applies.
//
// Pure: dates are YYYY-MM-DD strings, which compare as dates.
import type { FieldError } from '../declaration/declaration.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';

export interface Period {
  validFrom: string;
  /** Last day in force (inclusive); absent while in force indefinitely. */
  validTo?: string;
}

/** A change to one key's timeline: the new timeline and the versions it touched, before and after. */
export interface TimelineChange<V extends Period> {
  versions: V[];
  before: V[];
  after: V[];
}

export const shiftDate = (date: string, days: number): string => {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
};

export const dayBefore = (date: string): string => shiftDate(date, -1);
export const dayAfter = (date: string): string => shiftDate(date, 1);

const byValidFrom = <V extends Period>(a: V, b: V): number =>
  a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0;

export const sortedVersions = <V extends Period>(versions: readonly V[]): V[] =>
  [...versions].sort(byValidFrom);

/** Whether a version applies on a date: from validFrom to validTo, both days included. */
export const isInForce = (
  version: { validFrom: string; validTo?: string | undefined },
  date: string,
): boolean => version.validFrom <= date && (version.validTo === undefined || date <= version.validTo);

/**
 * The version in force on a date: of the versions whose period includes it, the one with the latest
 * validFrom (the first of equals). On a timeline, where versions never overlap, that is the only one.
 */
export const versionOn = <T extends { validFrom: string; validTo?: string | undefined }>(
  versions: readonly T[] | undefined,
  date: string,
): T | undefined => {
  let chosen: T | undefined;
  for (const version of versions ?? []) {
    if (isInForce(version, date) && (!chosen || version.validFrom > chosen.validFrom)) chosen = version;
  }
  return chosen;
};

const withValidTo = <V extends Period>(version: V, validTo: string | undefined): V => {
  const { validTo: _previous, ...rest } = version;
  return (validTo === undefined ? rest : { ...rest, validTo }) as V;
};

const conflict = (message: string, errors: FieldError[]): ConflictError =>
  new ConflictError(message, { errors });

export interface PutOptions {
  /** The kind has periods (validTo); exchange rates have none: the latest validFrom applies. */
  periods: boolean;
  /**
   * Versions that have started (validFrom on or before `today`) may not be replaced nor cut short on days
   * already past, only followed by a new version from today on (risk profiles: every change is a new
   * version, and what applied stays as it was applied).
   */
  protectStarted?: { today: string };
}

/** Adds or replaces the version with `next.validFrom`; see the header for the rules. */
export const putVersion = <V extends Period>(
  current: readonly V[],
  next: V,
  options: PutOptions,
): TimelineChange<V> => {
  const sorted = sortedVersions(current);
  const existing = sorted.find((version) => version.validFrom === next.validFrom);
  if (existing && options.protectStarted && existing.validFrom <= options.protectStarted.today) {
    throw conflict(
      `The version from ${existing.validFrom} is already in force and is kept as it was applied`,
      [
        {
          path: 'validFrom',
          message: `a version from ${existing.validFrom} has started; publish a new version from ${options.protectStarted.today} or later`,
        },
      ],
    );
  }
  const others = sorted.filter((version) => version.validFrom !== next.validFrom);
  const previous = others.filter((version) => version.validFrom < next.validFrom).at(-1);
  const following = others.find((version) => version.validFrom > next.validFrom);

  let added = next;
  let closed: V | undefined;
  if (options.periods) {
    if (following) {
      if (next.validTo === undefined) added = withValidTo(next, dayBefore(following.validFrom));
      else if (next.validTo >= following.validFrom) {
        throw conflict(`The version would overlap the version from ${following.validFrom}`, [
          {
            path: 'validTo',
            message: `must be before ${following.validFrom}, when the next version starts (or remove that version first)`,
          },
        ]);
      }
    }
    if (previous && (previous.validTo === undefined || previous.validTo >= next.validFrom)) {
      closed = withValidTo(previous, dayBefore(next.validFrom));
    }
  }
  const today = options.protectStarted?.today;
  if (today !== undefined && closed?.validTo !== undefined && closed.validTo < dayBefore(today)) {
    throw conflict(`The version from ${closed.validFrom} applied until today and is kept as it was applied`, [
      {
        path: 'validFrom',
        message: `would end the version in force since ${closed.validFrom} on a past day; start the new version ${today} or later`,
      },
    ]);
  }
  const versions = sortedVersions([
    ...others.map((version) => (version === previous && closed ? closed : version)),
    added,
  ]);
  return {
    versions,
    before: [...(previous && closed ? [previous] : []), ...(existing ? [existing] : [])],
    after: [...(closed ? [closed] : []), added],
  };
};

/**
 * Ends a key's timeline after `lastDay`: the version in force that day ends then, later versions are
 * removed. Returns undefined when nothing changes (already ended by then).
 */
export const endVersions = <V extends Period>(
  current: readonly V[],
  lastDay: string,
): TimelineChange<V> | undefined => {
  const before: V[] = [];
  const after: V[] = [];
  const versions: V[] = [];
  for (const version of sortedVersions(current)) {
    if (version.validFrom > lastDay) {
      before.push(version);
    } else if (version.validTo === undefined || version.validTo > lastDay) {
      const ended = withValidTo(version, lastDay);
      before.push(version);
      after.push(ended);
      versions.push(ended);
    } else {
      versions.push(version);
    }
  }
  return before.length === 0 ? undefined : { versions, before, after };
};

/** The earliest last day an end may name: yesterday, so nothing already applied before today changes. */
export const checkEndDate = (lastDay: string, today: string): void => {
  const earliest = dayBefore(today);
  if (lastDay < earliest) {
    throw new ValidationError(
      [
        {
          path: 'validTo',
          message: `must be ${earliest} or later: days already past are kept as applied (PUT a corrected version instead)`,
        },
      ],
      'The end date is in the past',
    );
  }
};

/** Removes a version that has not started yet; the version before it takes over its period. */
export const removeFutureVersion = <V extends Period>(
  current: readonly V[],
  validFrom: string,
  today: string,
): TimelineChange<V> => {
  const sorted = sortedVersions(current);
  const removed = sorted.find((version) => version.validFrom === validFrom);
  if (!removed) throw new NotFoundError(`There is no version from ${validFrom}`);
  if (removed.validFrom <= today) {
    throw conflict(`The version from ${validFrom} has started and is kept as it was applied`, [
      {
        path: 'validFrom',
        message: 'names a version that has started; end it with ?validTo=<last day> instead',
      },
    ]);
  }
  const rest = sorted.filter((version) => version !== removed);
  const previous = rest.filter((version) => version.validFrom < validFrom).at(-1);
  const reopened =
    previous && previous.validTo === dayBefore(validFrom)
      ? withValidTo(previous, removed.validTo)
      : undefined;
  return {
    versions: rest.map((version) => (version === previous && reopened ? reopened : version)),
    before: [...(previous && reopened ? [previous] : []), removed],
    after: reopened ? [reopened] : [],
  };
};
