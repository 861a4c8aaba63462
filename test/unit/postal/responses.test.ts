import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DetailType, domainEvent } from '../../../shared/domain/events.js';
import {
  POSTAL_RESPONSE_CODES,
  postalResponsesOf,
  RESPONSE_SOURCES,
  responseKey,
} from '../../../shared/domain/postal/responses.js';

const AT = '2026-07-02T10:00:00.000Z';
const base = (platformId = 'post:PostNL', status = 'RELEASED' as const) => ({
  version: 1 as const,
  declarationId: 'd-1',
  platformId,
  reference: 'RR123456785NL',
  status,
  occurredAt: AT,
});

describe('postalResponsesOf', () => {
  it('answers RELEASED at the release time', () => {
    const event = domainEvent('DeclarationReleased', { ...base(), releasedAt: AT, lane: 'GREEN' });
    expect(postalResponsesOf(event.detailType, event.detail)).toEqual([
      { itemId: 'RR123456785NL', declarationId: 'd-1', code: 'RELEASED', at: AT },
    ]);
  });

  it('answers HELD with the reason', () => {
    const event = domainEvent('DeclarationHeld', {
      ...base('post:PostNL', 'HELD' as never),
      reason: 'Documentary check (AMBER)',
    });
    expect(postalResponsesOf(event.detailType, event.detail)).toMatchObject([
      { code: 'HELD', reason: 'Documentary check (AMBER)' },
    ]);
  });

  it('answers DUTY_DUE with amount, currency and payer when something is due at import', () => {
    const event = domainEvent('DutyAssessed', {
      ...base(),
      currency: 'EUR',
      dueAtImport: '5.46',
      collectedAtCheckout: '0.00',
      payer: 'INTERMEDIARY',
    });
    expect(postalResponsesOf(event.detailType, event.detail)).toEqual([
      {
        itemId: 'RR123456785NL',
        declarationId: 'd-1',
        code: 'DUTY_DUE',
        amountDue: '5.46',
        currency: 'EUR',
        payer: 'INTERMEDIARY',
        at: AT,
      },
    ]);
  });

  it('answers DUTY_DUE then RELEASED for a release that says something is due at import', () => {
    const released = '2026-07-02T10:00:01.000Z';
    const event = domainEvent('DeclarationReleased', {
      ...base(),
      releasedAt: released,
      lane: 'GREEN',
      currency: 'EUR',
      dueAtImport: '3.00',
      collectedAtCheckout: '0.00',
      payer: 'INTERMEDIARY',
    });
    expect(postalResponsesOf(event.detailType, event.detail)).toEqual([
      {
        itemId: 'RR123456785NL',
        declarationId: 'd-1',
        code: 'DUTY_DUE',
        amountDue: '3.00',
        currency: 'EUR',
        payer: 'INTERMEDIARY',
        at: AT,
      },
      { itemId: 'RR123456785NL', declarationId: 'd-1', code: 'RELEASED', at: released },
    ]);
    const nothingDue = domainEvent('DeclarationReleased', { ...event.detail, dueAtImport: '0.00' });
    expect(postalResponsesOf(nothingDue.detailType, nothingDue.detail).map((r) => r.code)).toEqual([
      'RELEASED',
    ]);
  });

  it('answers nothing for an assessment with nothing due at import', () => {
    const event = domainEvent('DutyAssessed', {
      ...base(),
      currency: 'EUR',
      dueAtImport: '0.00',
      collectedAtCheckout: '4.20',
      payer: 'SELLER',
    });
    expect(postalResponsesOf(event.detailType, event.detail)).toEqual([]);
  });

  it('answers REFUSED for a rejection and the disposal for a seizure (DESTROY by default)', () => {
    const rejected = domainEvent('DeclarationRejected', {
      ...base('post:PostNL', 'REJECTED' as never),
      reason: 'Rejected by officer o-1',
    });
    const seized = domainEvent('DeclarationRejected', {
      ...base('post:PostNL', 'SEIZED' as never),
      reason: 'Seized by officer o-1',
    });
    const returned = domainEvent('DeclarationRejected', {
      ...base('post:PostNL', 'SEIZED' as never),
      reason: 'Seized by officer o-1',
      disposal: 'RETURN',
    });
    expect(postalResponsesOf(rejected.detailType, rejected.detail)[0]?.code).toBe('REFUSED');
    expect(postalResponsesOf(seized.detailType, seized.detail)[0]?.code).toBe('DESTROY');
    expect(postalResponsesOf(returned.detailType, returned.detail)[0]?.code).toBe('RETURN');
  });

  it("never answers for a platform's declaration, whatever the event", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RESPONSE_SOURCES),
        fc.string({ minLength: 1 }).filter((id) => !id.startsWith('post:')),
        (detailType: DetailType, platformId) => {
          const detail = {
            ...base(platformId),
            releasedAt: AT,
            reason: 'r',
            currency: 'EUR',
            dueAtImport: '1.00',
            collectedAtCheckout: '0.00',
            payer: 'INTERMEDIARY',
          };
          expect(postalResponsesOf(detailType, detail)).toEqual([]);
        },
      ),
    );
  });

  it('gives the same key for the same event and different keys for different facts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POSTAL_RESPONSE_CODES),
        fc.constantFrom(...POSTAL_RESPONSE_CODES),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
        (codeA, codeB, atA, atB) => {
          const a = { itemId: 'i', declarationId: 'd', code: codeA, at: atA.toISOString() };
          const b = { itemId: 'i', declarationId: 'd', code: codeB, at: atB.toISOString() };
          expect(responseKey(a)).toBe(responseKey({ ...a }));
          const same = codeA === codeB && a.at === b.at;
          expect(responseKey(a) === responseKey(b)).toBe(same);
        },
      ),
    );
  });
});
