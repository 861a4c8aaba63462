import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTransition,
  InvalidTransitionError,
  newRecord,
  Status,
  TERMINAL,
  transition,
} from '../../../shared/domain/clearance/record.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';

const STATUSES = Status.options;
const AT = '2026-07-01T12:00:00.000Z';

/** The contract's status machine (DESIGN.md section 3, Status), written out pair by pair. */
const ALLOWED: Record<Status, Status[]> = {
  RECEIVED: ['ASSESSED', 'HELD', 'REJECTED', 'CANCELLED'],
  ASSESSED: ['RELEASED', 'AWAITING_PAYMENT', 'HELD', 'REJECTED', 'CANCELLED'],
  AWAITING_PAYMENT: ['RELEASED', 'HELD', 'REJECTED', 'CANCELLED'],
  HELD: ['RECEIVED', 'ASSESSED', 'RELEASED', 'AWAITING_PAYMENT', 'REJECTED', 'SEIZED', 'CANCELLED'],
  RELEASED: [],
  REJECTED: [],
  SEIZED: [],
  CANCELLED: [],
};

const inStatus = (status: Status) => {
  const { declaration: _body, ...record } = anAssessedDeclaration();
  return { ...record, status };
};

describe('transition', () => {
  const pairs = STATUSES.flatMap((from) =>
    STATUSES.map((to) => ({ from, to, allowed: ALLOWED[from].includes(to) })),
  );

  it.each(pairs.filter((pair) => pair.allowed))('moves $from to $to with a history entry', ({ from, to }) => {
    // Prepare
    const record = inStatus(from);
    const before = structuredClone(record);

    // Act
    const next = transition(record, to, 'officer-1', 'Because', AT);

    // Assess
    expect(next.status).toBe(to);
    expect(next.history.at(-1)).toEqual({ at: AT, from, to, by: 'officer-1', reason: 'Because' });
    expect(next.history.slice(0, -1)).toEqual(record.history);
    expect(record).toEqual(before);
  });

  it.each(pairs.filter((pair) => !pair.allowed))(
    'refuses $from to $to, naming the current status',
    ({ from, to }) => {
      // Prepare
      const record = inStatus(from);

      // Act
      const attempt = () => transition(record, to, 'officer-1', 'Because', AT);

      // Assess
      expect(attempt).toThrow(InvalidTransitionError);
      expect(attempt).toThrow(`The declaration is ${from}`);
      try {
        attempt();
      } catch (error) {
        expect((error as InvalidTransitionError).details).toEqual({ currentStatus: from });
      }
    },
  );

  it('never moves a terminal status, and keeps the history a chain whatever is attempted', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATUSES), { maxLength: 30 }), (attempts) => {
        let record = newRecord({ id: 'dcl_1', reference: 'R', platformId: 'acme', bodyHash: 'h', at: AT });
        for (const to of attempts) {
          const from = record.status;
          if (canTransition(from, to)) record = transition(record, to, 'x', 'y', AT);
          else expect(() => transition(record, to, 'x', 'y', AT)).toThrow(InvalidTransitionError);
          if (TERMINAL.has(from)) expect(record.status).toBe(from);
        }
        record.history.forEach((entry, index) => {
          if (index > 0) expect(entry.from).toBe(record.history[index - 1]?.to);
        });
        expect(record.history.at(-1)?.to).toBe(record.status);
      }),
    );
  });
});
