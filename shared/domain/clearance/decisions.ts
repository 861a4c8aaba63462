// An officer's decision closes the check risk ordered (lane AMBER or RED): RELEASE lets the declaration go
// once no hold stands and nothing is due; REJECT and SEIZE close it for good. The findings, per risk
// profile that hit, feed the profiles' statistics: how often a profile's hits were checked and confirmed.

import { ConflictError, ForbiddenError, UnprocessableError } from '../errors.js';
import type { DomainEvent } from '../events.js';
import {
  type Decision,
  type DecisionRecord,
  type DeclarationRecord,
  type Finding,
  TERMINAL,
  transition,
} from './record.js';
import { type ActionResult, type Actor, eventsCausedAt, settle, transitionEvents } from './release.js';

export interface DecisionCommand {
  decision: Decision;
  findings: Record<string, Finding>;
  disposal?: 'RETURN' | 'DESTROY' | undefined;
  actor: Actor;
  at: string;
}

/** What one decision adds to a risk profile's statistics. */
export interface ProfileStats {
  checks: number;
  confirmed: number;
}

export type ProfileStatDeltas = Record<string, ProfileStats>;

const statsOf = (decision: DecisionRecord | undefined): ProfileStatDeltas =>
  Object.fromEntries(
    Object.entries(decision?.findings ?? {}).map(([profileId, finding]) => [
      profileId,
      { checks: 1, confirmed: finding.confirmed ? 1 : 0 },
    ]),
  );

/**
 * The change to each profile's counters when a declaration's decision goes from `before` to `after`: a
 * first decision adds its findings; a later one (a RELEASE escalated to REJECT) replaces them, so each
 * declaration counts once per profile however often it is decided. Profiles with no change are left out.
 */
export const profileStatDeltas = (
  before: DecisionRecord | undefined,
  after: DecisionRecord | undefined,
): ProfileStatDeltas => {
  const old = statsOf(before);
  const now = statsOf(after);
  const deltas: ProfileStatDeltas = {};
  for (const profileId of new Set([...Object.keys(old), ...Object.keys(now)])) {
    const checks = (now[profileId]?.checks ?? 0) - (old[profileId]?.checks ?? 0);
    const confirmed = (now[profileId]?.confirmed ?? 0) - (old[profileId]?.confirmed ?? 0);
    if (checks !== 0 || confirmed !== 0) deltas[profileId] = { checks, confirmed };
  }
  return deltas;
};

const sameFindings = (a: Record<string, Finding> = {}, b: Record<string, Finding> = {}): boolean => {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const other = b[key];
    return other !== undefined && other.confirmed === a[key]?.confirmed && other.notes === a[key]?.notes;
  });
};

const TO: Record<'REJECT' | 'SEIZE', 'REJECTED' | 'SEIZED'> = { REJECT: 'REJECTED', SEIZE: 'SEIZED' };

/**
 * Applies an officer's decision. The same decision with the same findings again changes nothing. RELEASE
 * needs a HELD declaration (the only status in which a check is open); REJECT and SEIZE follow the status
 * machine (SEIZE only from HELD). Findings may only name profiles that hit the declaration.
 */
export const decide = (
  record: DeclarationRecord,
  command: DecisionCommand,
): ActionResult<{ decision: DecisionRecord; stats: ProfileStatDeltas; events: DomainEvent[] }> => {
  if (command.actor.role !== 'officer') throw new ForbiddenError('Only an officer decides on a check');
  const previous = record.decision;
  if (
    previous &&
    previous.decision === command.decision &&
    previous.disposal === command.disposal &&
    sameFindings(previous.findings, command.findings)
  ) {
    const events = eventsCausedAt(record, previous.at);
    return { record, changed: false, value: { decision: previous, stats: {}, events } };
  }
  if (TERMINAL.has(record.status)) {
    throw new ConflictError(`The declaration is ${record.status}; its clearance is closed`, {
      currentStatus: record.status,
    });
  }
  const hit = new Set((record.risk?.hits ?? []).map((candidate) => candidate.profileId));
  const unknown = Object.keys(command.findings).filter((profileId) => !hit.has(profileId));
  if (unknown.length > 0) {
    throw new UnprocessableError(
      `Findings are kept per risk profile that hit this declaration; ${unknown.join(', ')} did not hit it` +
        (hit.size > 0 ? ` (hits: ${[...hit].join(', ')})` : ' (it has no hits)'),
      { hits: [...hit] },
    );
  }
  const decision: DecisionRecord = {
    decision: command.decision,
    by: command.actor.subject,
    at: command.at,
    findings: command.findings,
    ...(command.disposal ? { disposal: command.disposal } : {}),
  };
  const decided: DeclarationRecord = { ...record, decision, updatedAt: command.at };
  let next: DeclarationRecord;
  if (command.decision === 'RELEASE') {
    if (record.status !== 'HELD') {
      throw new ConflictError(
        `The declaration is ${record.status}; a RELEASE decision closes a check on a HELD declaration`,
        { currentStatus: record.status },
      );
    }
    next = settle(decided, command.actor.subject, command.at);
  } else {
    const reason = `${command.decision === 'SEIZE' ? 'Seized' : 'Rejected'} by officer ${command.actor.subject}`;
    next = transition(decided, TO[command.decision], command.actor.subject, reason, command.at);
  }
  return {
    record: next,
    changed: true,
    value: {
      decision,
      stats: profileStatDeltas(previous, decision),
      events: transitionEvents(record, next, command.at),
    },
  };
};
