import { describe, expect, it } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { settle, statusEvent } from '../../../shared/domain/clearance/release.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';

const AT = '2026-07-01T12:00:00.000Z';
const record = (...args: Parameters<typeof anAssessedDeclaration>): DeclarationRecord => {
  const { declaration: _body, ...state } = anAssessedDeclaration(...args);
  return state;
};
const nothingDue = anAssessment({ payer: 'INTERMEDIARY' });
const food = { id: 'hold_food', reason: 'Food', agency: 'FOOD_SAFETY', placedBy: 'risk' };

describe('the release rules after an action (settle)', () => {
  it.each([
    { case: 'green, nothing due', state: { assessment: nothingDue }, expected: 'RELEASED' },
    { case: 'green, duty due from the consumer', state: {}, expected: 'AWAITING_PAYMENT' },
    { case: 'a hold stands', state: { assessment: nothingDue, holds: [food] }, expected: 'HELD' },
    { case: 'AMBER check open', state: { lane: 'AMBER' as const, assessment: nothingDue }, expected: 'HELD' },
    { case: 'RED check open, duty due', state: { lane: 'RED' as const }, expected: 'HELD' },
  ])('places an assessed declaration: $case -> $expected', ({ state, expected }) => {
    expect(record(state).status).toBe(expected);
  });

  it('releases an AMBER declaration once the officer decided RELEASE and the hold is lifted', () => {
    // Prepare
    const held = record({ lane: 'AMBER', assessment: nothingDue, holds: [food] });
    const decided = { ...held, decision: { decision: 'RELEASE' as const, by: 'o', at: AT } };

    // Act
    const stillHeld = settle(decided, 'o', AT);
    const released = settle(
      { ...decided, holds: [{ ...food, placedAt: AT, liftedAt: AT }] },
      'FOOD_SAFETY',
      AT,
    );

    // Assess
    expect(stillHeld).toBe(decided);
    expect(released.status).toBe('RELEASED');
    expect(released.history.at(-1)).toMatchObject({ from: 'HELD', to: 'RELEASED', by: 'FOOD_SAFETY' });
  });

  it('goes from HELD to AWAITING_PAYMENT when the last hold goes but duty is unpaid', () => {
    const held = record({ holds: [food] });
    const next = settle({ ...held, holds: [{ ...food, placedAt: AT, liftedAt: AT }] }, 'FOOD_SAFETY', AT);
    expect(next.status).toBe('AWAITING_PAYMENT');
  });

  it('leaves RECEIVED to the duty step and terminal statuses alone', () => {
    const received = record({ assessment: null });
    const cancelled = { ...record({ assessment: nothingDue, holds: [food] }), status: 'CANCELLED' as const };
    expect(settle(received, 'o', AT)).toBe(received);
    expect(settle(cancelled, 'o', AT)).toBe(cancelled);
  });

  it('sends an unassessed HELD declaration back to RECEIVED once no hold stands, announced as RiskAssessed', () => {
    // Prepare
    const base = record({ assessment: null });
    const held: DeclarationRecord = {
      ...base,
      status: 'HELD',
      holds: [{ ...food, placedAt: AT, liftedAt: AT }],
    };

    // Act
    const next = settle(held, 'officer-1', AT);

    // Assess
    expect(next.status).toBe('RECEIVED');
    expect(statusEvent(next, AT)).toMatchObject({ detailType: 'RiskAssessed', detail: { lane: 'GREEN' } });
  });
});

describe('statusEvent', () => {
  it.each([
    ['RELEASED', 'DeclarationReleased'],
    ['HELD', 'DeclarationHeld'],
    ['AWAITING_PAYMENT', 'DeclarationHeld'],
    ['REJECTED', 'DeclarationRejected'],
    ['SEIZED', 'DeclarationRejected'],
    ['CANCELLED', 'DeclarationCancelled'],
  ] as const)('announces %s as %s, with the status in the detail', (status, detailType) => {
    const event = statusEvent({ ...record(), status }, AT);
    expect(event).toMatchObject({ detailType, detail: { status, occurredAt: AT, version: 1 } });
  });
});
