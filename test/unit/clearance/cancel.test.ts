import { describe, expect, it, vi } from 'vitest';
import type { StateEffect } from '../../../shared/domain/clearance/effects.js';
import type { DeclarationRecord, StoredDeclaration } from '../../../shared/domain/clearance/record.js';
import { ConflictError, VersionConflictError } from '../../../shared/domain/errors.js';
import type { DomainEvent } from '../../../shared/domain/events.js';
import { cancelDeclaration } from '../../../shared/use-cases/cancel-declaration.js';
import { CLEARANCE_ATTEMPTS, type LedgerPort } from '../../../shared/use-cases/clearance-command.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';

const PLATFORM = { role: 'platform' as const, subject: 'acme' };
const NOW = '2026-07-02T09:00:00.000Z';

/** A store holding one declaration; `save` keeps the state in memory and records the effects given with it. */
const storeOf = (stored: StoredDeclaration) => {
  const { declaration, ...initial } = stored;
  let state: DeclarationRecord = initial;
  const saved: { record: DeclarationRecord; effects: readonly StateEffect[] }[] = [];
  return {
    saved,
    store: {
      get: vi.fn(async () => ({ ...state, declaration })),
      getState: vi.fn(async () => state),
      save: vi.fn(async (record: DeclarationRecord, effects: readonly StateEffect[] = []) => {
        state = { ...record, version: record.version + 1 };
        saved.push({ record, effects });
        return state;
      }),
    },
  };
};

const ledger: Pick<LedgerPort, 'forExtinguishment' | 'debtLegalBasis'> = {
  forExtinguishment: (record) => [
    { kind: 'LEDGER', entries: [], deltas: [{ pk: `X#${record.id}`, sk: 'TEST', add: {} }] },
  ],
  debtLegalBasis: () => 'UCC Art. 124(1)(d)',
};

const cancel = (stored: StoredDeclaration, overrides: { store?: unknown } = {}) => {
  const world = storeOf(stored);
  const published: DomainEvent[] = [];
  const run = cancelDeclaration(
    { id: stored.id, principal: PLATFORM, reason: 'Order cancelled by the buyer' },
    {
      store: (overrides.store ?? world.store) as ReturnType<typeof storeOf>['store'],
      publish: async (events) => {
        published.push(...events);
      },
      now: () => new Date(NOW),
      ledger,
      backoff: async () => {},
    },
  );
  return { run, world, published };
};

describe('cancelDeclaration', () => {
  it('refuses while a customs check awaits an officer (UCC Art. 174), naming the status and the check', async () => {
    // Prepare
    const stored = anAssessedDeclaration({ lane: 'AMBER', assessment: null });

    // Act
    const { run, world } = cancel(stored);

    // Assess
    const error = await run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).details).toEqual({
      currentStatus: 'RECEIVED',
      openChecks: [{ kind: 'RISK_CHECK', lane: 'AMBER' }],
    });
    expect(world.store.save).not.toHaveBeenCalled();
  });

  it('refuses while a hold stands, even on a green lane', async () => {
    const stored = anAssessedDeclaration({
      holds: [{ id: 'hold_1', reason: 'Food safety', agency: 'FOOD_SAFETY', placedBy: 'risk' }],
    });
    expect(stored.status).toBe('HELD');

    const { run } = cancel(stored);

    await expect(run).rejects.toMatchObject({
      details: {
        currentStatus: 'HELD',
        openChecks: [{ kind: 'HOLD', holdId: 'hold_1', reason: 'Food safety', agency: 'FOOD_SAFETY' }],
      },
    });
  });

  it('allows cancelling before the risk step ran: nothing was assessed, nothing is extinguished', async () => {
    const { risk: _risk, ...unassessed } = anAssessedDeclaration({ assessment: null });

    const { run, world, published } = cancel(unassessed);
    const result = await run;

    expect(result.record.status).toBe('CANCELLED');
    expect(world.saved[0]?.effects).toEqual([]);
    expect(published.map((event) => event.detailType)).toEqual(['DeclarationCancelled']);
  });

  it('allows cancelling while only payment is awaited, and ends the debt in the same write', async () => {
    // Prepare: EUR 8.77 due at import from the consumer, unpaid
    const stored = anAssessedDeclaration();
    expect(stored.status).toBe('AWAITING_PAYMENT');

    // Act
    const { run, world, published } = cancel(stored);
    const result = await run;

    // Assess
    expect(result.record.status).toBe('CANCELLED');
    expect(world.saved).toHaveLength(1);
    expect(world.saved[0]?.effects).toEqual([
      { kind: 'LEDGER', entries: [], deltas: [{ pk: `X#${stored.id}`, sk: 'TEST', add: {} }] },
    ]);
    expect(published.map((event) => event.detailType)).toEqual(['DeclarationCancelled', 'DebtExtinguished']);
    expect(published[1]?.detail).toMatchObject({
      declarationId: stored.id,
      status: 'CANCELLED',
      currency: 'EUR',
      extinguished: '8.77',
      refunded: '0.00',
      legalBasis: 'UCC Art. 124(1)(d)',
    });
  });

  it('answers a second cancellation with the cancelled declaration and writes nothing more', async () => {
    const stored = anAssessedDeclaration();
    const world = storeOf(stored);
    const deps = { store: world.store, publish: vi.fn(), now: () => new Date(NOW), ledger };
    const command = { id: stored.id, principal: PLATFORM };

    await cancelDeclaration(command, deps);
    const again = await cancelDeclaration(command, deps);

    expect(again.changed).toBe(false);
    expect(world.store.save).toHaveBeenCalledTimes(1);
    expect(deps.publish).toHaveBeenCalledTimes(1);
  });

  it('refuses a released declaration with 409', async () => {
    const stored = anAssessedDeclaration({ assessment: undefined });
    const { payments: _p, ...released } = { ...stored, status: 'RELEASED' as const };
    const { run } = cancel({ ...released, payments: [] });
    await expect(run).rejects.toMatchObject({ details: { currentStatus: 'RELEASED' } });
  });

  it('gives up after repeated conflicting writes', async () => {
    const stored = anAssessedDeclaration();
    const world = storeOf(stored);
    const save = vi.fn().mockRejectedValue(new VersionConflictError(stored.id));
    const { run } = cancel(stored, { store: { ...world.store, save } });
    await expect(run).rejects.toThrow(VersionConflictError);
    expect(save).toHaveBeenCalledTimes(CLEARANCE_ATTEMPTS);
  });
});
