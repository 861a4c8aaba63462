import { describe, expect, it } from 'vitest';
import { decide } from '../../../shared/domain/clearance/decisions.js';
import { liftHold, placeHold } from '../../../shared/domain/clearance/holds.js';
import { recordPayment } from '../../../shared/domain/clearance/payments.js';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from '../../../shared/domain/errors.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';

const AT = '2026-07-01T12:00:00.000Z';
const LATER = '2026-07-01T12:05:00.000Z';
const record = (...args: Parameters<typeof anAssessedDeclaration>): DeclarationRecord => {
  const { declaration: _body, ...state } = anAssessedDeclaration(...args);
  return state;
};
const platform = { role: 'platform' as const, subject: 'acme' };
const officer = { role: 'officer' as const, subject: 'officer-1' };
const agency = (subject: string) => ({ role: 'agency' as const, subject });
const nothingDue = anAssessment({ payer: 'INTERMEDIARY' });
const food = { id: 'hold_food', reason: 'Food', agency: 'FOOD_SAFETY', placedBy: 'risk' };

const pay = (current: DeclarationRecord, amount: string, reference = 'P', currency = 'EUR', at = AT) =>
  recordPayment(current, { paymentId: `pay_${reference}`, amount, currency, reference, actor: platform, at });

const thrown = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
};

describe('recordPayment', () => {
  it('adds partial payments and releases when they cover what is due', () => {
    // Act
    const first = pay(record(), '5.00', 'A');
    const second = pay(first.record, '3.77', 'B', 'EUR', LATER);

    // Assess
    expect(first.record.status).toBe('AWAITING_PAYMENT');
    expect(first.value.events.map((event) => event.detailType)).toEqual(['PaymentRecorded']);
    expect(second.record.status).toBe('RELEASED');
    expect(second.value.events.map((event) => event.detailType)).toEqual([
      'PaymentRecorded',
      'DeclarationReleased',
    ]);
  });

  it('writes the amount with the currency minor unit', () => {
    expect(pay(record(), '5', 'A').value.payment.amount).toBe('5.00');
  });

  it('refuses an overpayment with the amount due, and a foreign currency with the right one', () => {
    const over = thrown(() => pay(record(), '8.78'));
    const foreign = thrown(() => pay(record(), '1.00', 'P', 'USD'));
    expect(over).toBeInstanceOf(UnprocessableError);
    expect(over).toMatchObject({ details: { amountDue: '8.77', currency: 'EUR' } });
    expect((over as Error).message).toContain('8.77');
    expect(foreign).toMatchObject({ details: { currency: 'EUR' } });
  });

  it('refuses any payment when nothing is due from the consumer', () => {
    expect(thrown(() => pay(record({ assessment: nothingDue, holds: [food] }), '0.01'))).toMatchObject({
      details: { amountDue: '0.00' },
    });
  });

  it('returns the recorded payment for the same reference, announcing it again', () => {
    // Prepare
    const paid = pay(record(), '8.77', 'ALL');

    // Act
    const again = pay(paid.record, '8.77', 'ALL', 'EUR', LATER);

    // Assess
    expect(again.changed).toBe(false);
    expect(again.record).toBe(paid.record);
    expect(again.value.payment).toEqual(paid.value.payment);
    expect(again.value.events.map((event) => event.detailType)).toEqual([
      'PaymentRecorded',
      'DeclarationReleased',
    ]);
    expect(thrown(() => pay(paid.record, '1.00', 'ALL'))).toBeInstanceOf(ConflictError);
  });

  it('refuses payments on a closed or unassessed declaration, naming the status', () => {
    const released = pay(record(), '8.77').record;
    expect(thrown(() => pay(released, '1.00', 'Q'))).toMatchObject({
      details: { currentStatus: 'RELEASED' },
    });
    expect(thrown(() => pay(record({ assessment: null }), '1.00'))).toMatchObject({
      details: { currentStatus: 'RECEIVED' },
    });
  });
});

describe('placeHold and liftHold', () => {
  const place = (
    current: DeclarationRecord,
    actor: typeof officer | ReturnType<typeof agency>,
    agencyCode?: string,
  ) =>
    placeHold(current, {
      holdId: 'hold_new',
      reason: 'Check',
      ...(agencyCode ? { agency: agencyCode } : {}),
      actor,
      at: AT,
    });

  it('holds an AWAITING_PAYMENT declaration and leaves a RECEIVED one to the duty step', () => {
    const held = place(record(), officer);
    const received = place(record({ assessment: null }), officer);
    expect(held.record.status).toBe('HELD');
    expect(held.value.events.map((event) => event.detailType)).toEqual(['HoldPlaced', 'DeclarationHeld']);
    expect(received.record.status).toBe('RECEIVED');
    expect(received.value.events.map((event) => event.detailType)).toEqual(['HoldPlaced']);
  });

  it('lets an agency hold only for itself, and an officer route to an agency', () => {
    expect(place(record(), agency('MEDICINES')).value.hold.agency).toBe('MEDICINES');
    expect(thrown(() => place(record(), agency('MEDICINES'), 'FOOD_SAFETY'))).toBeInstanceOf(ForbiddenError);
    expect(place(record(), officer, 'FOOD_SAFETY').value.hold).toMatchObject({
      agency: 'FOOD_SAFETY',
      placedBy: 'officer-1',
    });
  });

  it('refuses a hold on a closed declaration, naming the status', () => {
    const released = record({ assessment: nothingDue });
    expect(thrown(() => place(released, officer))).toMatchObject({ details: { currentStatus: 'RELEASED' } });
  });

  it.each([
    { who: 'the agency it is for', actor: agency('FOOD_SAFETY'), hold: food, outcome: 'lifted' },
    { who: 'another agency', actor: agency('MEDICINES'), hold: food, outcome: ForbiddenError },
    { who: 'an officer, for an agency hold', actor: officer, hold: food, outcome: ForbiddenError },
    {
      who: 'an officer, for a customs hold',
      actor: officer,
      hold: { ...food, agency: undefined },
      outcome: 'lifted',
    },
    {
      who: 'an agency, for a customs hold',
      actor: agency('FOOD_SAFETY'),
      hold: { ...food, agency: undefined },
      outcome: ForbiddenError,
    },
  ])('a hold is lifted by $who: $outcome', ({ actor, hold, outcome }) => {
    const { agency: code, ...rest } = hold;
    const current = record({
      assessment: nothingDue,
      holds: [{ ...rest, ...(code ? { agency: code } : {}) }],
    });
    const lift = () => liftHold(current, { holdId: hold.id, actor, at: AT });
    if (outcome === 'lifted') expect(lift().record.status).toBe('RELEASED');
    else expect(thrown(lift)).toBeInstanceOf(outcome);
  });

  it('names the inspector who acted for the agency on the hold and in the history, the agency staying the holder', () => {
    // Prepare
    const inspector = { role: 'agency' as const, subject: 'FOOD_SAFETY', person: 'food-inspector-1' };
    const routed = record({ assessment: anAssessment(), holds: [food] });

    // Act: the inspector holds for the agency, then lifts the routed hold and the own one
    const placed = place(routed, inspector);
    const liftedRouted = liftHold(placed.record, { holdId: food.id, actor: inspector, at: AT });
    const released = liftHold(liftedRouted.record, { holdId: 'hold_new', actor: inspector, at: LATER });

    // Assess
    expect(placed.value.hold).toMatchObject({
      agency: 'FOOD_SAFETY',
      placedBy: 'FOOD_SAFETY',
      placedByPerson: 'food-inspector-1',
    });
    expect(liftedRouted.value.hold).toMatchObject({
      liftedBy: 'FOOD_SAFETY',
      liftedByPerson: 'food-inspector-1',
    });
    expect(released.record.history.at(-1)).toMatchObject({
      from: 'HELD',
      by: 'FOOD_SAFETY',
      person: 'food-inspector-1',
    });
    // Lifted again by a colleague of the same agency: the same hold, already lifted, nothing changes
    const colleague = { ...inspector, person: 'food-inspector-2' };
    const again = liftHold(released.record, { holdId: 'hold_new', actor: colleague, at: LATER });
    expect(again.changed).toBe(false);
    expect(again.value.hold.liftedByPerson).toBe('food-inspector-1');
  });

  it('answers an unknown hold with not found and a second lift with the lifted hold', () => {
    const current = record({ assessment: nothingDue, holds: [food] });
    const lifted = liftHold(current, { holdId: food.id, actor: agency('FOOD_SAFETY'), at: AT });
    const again = liftHold(lifted.record, { holdId: food.id, actor: agency('FOOD_SAFETY'), at: LATER });
    expect(thrown(() => liftHold(current, { holdId: 'nope', actor: officer, at: AT }))).toBeInstanceOf(
      NotFoundError,
    );
    expect(again.changed).toBe(false);
    expect(again.value.hold.liftedAt).toBe(AT);
  });
});

describe('decide', () => {
  const amber = () => record({ lane: 'AMBER', assessment: nothingDue });
  const decision = (current: DeclarationRecord, kind: 'RELEASE' | 'REJECT' | 'SEIZE', findings = {}) =>
    decide(current, { decision: kind, findings, actor: officer, at: AT });

  it('releases on RELEASE, rejects on REJECT and seizes on SEIZE', () => {
    expect(decision(amber(), 'RELEASE').record.status).toBe('RELEASED');
    expect(decision(amber(), 'REJECT').record.status).toBe('REJECTED');
    const seized = decision(amber(), 'SEIZE');
    expect(seized.record.status).toBe('SEIZED');
    expect(seized.value.events).toMatchObject([
      { detailType: 'DeclarationRejected', detail: { status: 'SEIZED' } },
    ]);
  });

  it('keeps findings per profile hit and refuses findings for a profile that did not hit', () => {
    const decided = decision(amber(), 'RELEASE', { 'BUILTIN-VAGUE-DESCRIPTION': { confirmed: true } });
    expect(decided.value.stats).toEqual({ 'BUILTIN-VAGUE-DESCRIPTION': { checks: 1, confirmed: 1 } });
    expect(thrown(() => decision(amber(), 'RELEASE', { OTHER: { confirmed: true } }))).toBeInstanceOf(
      UnprocessableError,
    );
  });

  it('needs a HELD declaration for RELEASE and an open one for anything', () => {
    const awaiting = record();
    expect(thrown(() => decision(awaiting, 'RELEASE'))).toMatchObject({
      details: { currentStatus: 'AWAITING_PAYMENT' },
    });
    expect(thrown(() => decision(awaiting, 'SEIZE'))).toBeInstanceOf(ConflictError);
    const rejected = decision(amber(), 'REJECT').record;
    expect(thrown(() => decision(rejected, 'SEIZE'))).toMatchObject({
      details: { currentStatus: 'REJECTED' },
    });
  });

  it('only an officer decides', () => {
    expect(
      thrown(() => decide(amber(), { decision: 'RELEASE', findings: {}, actor: agency('X'), at: AT })),
    ).toBeInstanceOf(ForbiddenError);
  });
});

describe('liftHold with a repeated hold id', () => {
  it('lifts the standing hold when a lifted one has the same id', () => {
    // Prepare: the duty step held for missing data twice
    const hold = { id: 'hold_reference_data', reason: 'No FX rate', placedBy: 'duty', placedAt: AT };
    const first: DeclarationRecord = {
      ...record({ assessment: nothingDue }),
      status: 'HELD',
      holds: [{ ...hold, liftedAt: AT }, hold],
    };

    // Act
    const lifted = liftHold(first, { holdId: hold.id, actor: officer, at: LATER });

    // Assess
    expect(lifted.changed).toBe(true);
    expect(lifted.record.holds.map((candidate) => candidate.liftedAt)).toEqual([AT, LATER]);
    expect(lifted.record.status).toBe('RELEASED');
  });
});
