import { describe, expect, it } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { assessmentEvents } from '../../../shared/use-cases/assess-duty.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';

const record = (...args: Parameters<typeof anAssessedDeclaration>): DeclarationRecord => {
  const { declaration: _body, ...state } = anAssessedDeclaration(...args);
  return state;
};

describe('the events announcing an outcome (assessmentEvents)', () => {
  it('announces a green release with duty collected on delivery as one event that says what is due', () => {
    const released = record({ assessment: anAssessment({ payer: 'INTERMEDIARY' }) });

    const events = assessmentEvents(released);

    expect(released.status).toBe('RELEASED');
    expect(events.map((event) => event.detailType)).toEqual(['DeclarationReleased']);
    expect(events[0]?.detail).toMatchObject({
      currency: 'EUR',
      dueAtImport: '8.77',
      collectedAtCheckout: '0.00',
      payer: 'INTERMEDIARY',
      lane: 'GREEN',
    });
  });

  it('announces a release with nothing due at import without amounts', () => {
    const totals = {
      duty: '0.00',
      tax: '0.00',
      fees: '0.00',
      collectedAtCheckout: '4.20',
      dueAtImport: '0.00',
    };
    const released = record({ assessment: anAssessment({ payer: 'SELLER', totals }) });

    const events = assessmentEvents(released);

    expect(events.map((event) => event.detailType)).toEqual(['DeclarationReleased']);
    expect(events[0]?.detail).not.toHaveProperty('dueAtImport');
  });

  it('keeps DutyAssessed for an assessment that does not release (awaiting payment)', () => {
    const awaiting = record({ assessment: anAssessment({ payer: 'CONSUMER' }) });

    const events = assessmentEvents(awaiting);

    expect(awaiting.status).toBe('AWAITING_PAYMENT');
    expect(events.map((event) => event.detailType)).toEqual(['DutyAssessed', 'DeclarationHeld']);
    expect(events[0]?.detail).toMatchObject({ dueAtImport: '8.77', payer: 'CONSUMER' });
  });
});
