// Holds: customs and the other border agencies (the single window) stop a declaration's release until
// they lift their hold. An agency holds only for itself and lifts only its own holds; a hold placed for an
// agency (by risk routing or by an officer) is that agency's to lift, so the goods are not released before
// the agency has done its check.

import { actedBy } from '../caller.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { type DomainEvent, domainEvent, eventBase } from '../events.js';
import { type DeclarationRecord, type Hold, InvalidTransitionError, TERMINAL, transition } from './record.js';
import { type ActionResult, type Actor, eventsCausedAt, settle, transitionEvents } from './release.js';

export interface PlaceHoldCommand {
  /** A fresh id for the hold, used only when a new hold is placed. */
  holdId: string;
  reason: string;
  agency?: string;
  actor: Actor;
  at: string;
}

/**
 * Routed to an agency: a hold for it was placed by someone else (an officer or a risk profile). Only then
 * may the agency see the declaration and place holds of its own on it.
 */
export const isRoutedTo = (record: Pick<DeclarationRecord, 'holds'>, agency: string): boolean =>
  record.holds.some((hold) => hold.agency === agency && hold.placedBy !== agency);

/** The agency a hold is for: an agency always holds for itself; an officer names one or none. */
export const holdAgency = (actor: Actor, agency: string | undefined): string | undefined => {
  if (actor.role === 'agency') {
    if (agency !== undefined && agency !== actor.subject) {
      throw new ForbiddenError(
        `The agency ${actor.subject} may only place holds for itself, not for ${agency}`,
      );
    }
    return actor.subject;
  }
  if (actor.role !== 'officer') throw new ForbiddenError(`The ${actor.role} role may not place holds`);
  return agency;
};

const holdEvent = (type: 'HoldPlaced' | 'HoldLifted', record: DeclarationRecord, hold: Hold, at: string) =>
  domainEvent(type, {
    ...eventBase(record, at),
    holdId: hold.id,
    reason: hold.reason,
    ...(hold.agency ? { agency: hold.agency } : {}),
  });

/**
 * Places a hold. Placing the same standing hold again (same agency, reason and placer) returns the hold
 * already there, so a retried request holds once. An ASSESSED or AWAITING_PAYMENT declaration becomes
 * HELD; a RECEIVED one keeps its status (the duty step holds it once assessed); a closed one refuses.
 */
export const placeHold = (
  record: DeclarationRecord,
  command: PlaceHoldCommand,
): ActionResult<{ hold: Hold; events: DomainEvent[] }> => {
  const agency = holdAgency(command.actor, command.agency);
  if (TERMINAL.has(record.status)) throw new InvalidTransitionError(record.status, 'HELD');
  const existing = record.holds.find(
    (hold) =>
      !hold.liftedAt &&
      hold.agency === agency &&
      hold.reason === command.reason &&
      hold.placedBy === command.actor.subject,
  );
  if (existing) {
    const events = [
      holdEvent('HoldPlaced', record, existing, existing.placedAt),
      ...eventsCausedAt(record, existing.placedAt),
    ];
    return { record, changed: false, value: { hold: existing, events } };
  }
  const acted = actedBy(command.actor);
  const hold: Hold = {
    id: command.holdId,
    reason: command.reason,
    ...(agency ? { agency } : {}),
    placedBy: acted.by,
    ...(acted.person ? { placedByPerson: acted.person } : {}),
    placedAt: command.at,
  };
  let next: DeclarationRecord = { ...record, holds: [...record.holds, hold], updatedAt: command.at };
  if (next.status === 'ASSESSED' || next.status === 'AWAITING_PAYMENT') {
    const placed = agency ? `Hold placed for ${agency}` : 'Hold placed by customs';
    next = transition(next, 'HELD', acted, `${placed}: ${hold.reason}`, command.at);
  }
  return {
    record: next,
    changed: true,
    value: {
      hold,
      events: [
        holdEvent('HoldPlaced', next, hold, command.at),
        ...transitionEvents(record, next, command.at),
      ],
    },
  };
};

export interface LiftHoldCommand {
  holdId: string;
  actor: Actor;
  at: string;
  note?: string;
}

/**
 * Lifts a hold and runs the release rules again. A hold for an agency is lifted only by that agency
 * (another agency or an officer gets 403); a customs hold (no agency) only by an officer. Lifting a hold
 * already lifted changes nothing.
 */
export const liftHold = (
  record: DeclarationRecord,
  command: LiftHoldCommand,
): ActionResult<{ hold: Hold; events: DomainEvent[] }> => {
  // A hold id can repeat when a step places its hold again (the duty step's reference-data hold after
  // a re-assessment): the standing one is the one to lift.
  const standing = record.holds.findIndex(
    (candidate) => candidate.id === command.holdId && !candidate.liftedAt,
  );
  const index =
    standing >= 0 ? standing : record.holds.findIndex((candidate) => candidate.id === command.holdId);
  const hold = record.holds[index];
  if (!hold) throw new NotFoundError(`Declaration ${record.id} has no hold ${command.holdId}`);
  const { actor } = command;
  if (hold.agency !== undefined && !(actor.role === 'agency' && actor.subject === hold.agency)) {
    throw new ForbiddenError(`Hold ${hold.id} is for ${hold.agency}: only that agency can lift it`);
  }
  if (hold.agency === undefined && actor.role !== 'officer') {
    throw new ForbiddenError(`Hold ${hold.id} is a customs hold: only an officer can lift it`);
  }
  if (hold.liftedAt) {
    const events = [
      holdEvent('HoldLifted', record, hold, hold.liftedAt),
      ...eventsCausedAt(record, hold.liftedAt),
    ];
    return { record, changed: false, value: { hold, events } };
  }
  const acted = actedBy(actor);
  const lifted: Hold = {
    ...hold,
    liftedAt: command.at,
    liftedBy: acted.by,
    ...(acted.person ? { liftedByPerson: acted.person } : {}),
    ...(command.note ? { liftNote: command.note } : {}),
  };
  const withLift: DeclarationRecord = {
    ...record,
    holds: record.holds.map((candidate, position) => (position === index ? lifted : candidate)),
    updatedAt: command.at,
  };
  const next = settle(withLift, acted, command.at);
  return {
    record: next,
    changed: true,
    value: {
      hold: lifted,
      events: [
        holdEvent('HoldLifted', next, lifted, command.at),
        ...transitionEvents(record, next, command.at),
      ],
    },
  };
};
