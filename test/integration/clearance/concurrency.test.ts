// The proof that concurrent clearance actions never lose a transition: payment, agency lift and officer
// decision race on the same declarations; whatever order the writes land in, each action is recorded
// once, the declaration is released exactly once and its history is one unbroken chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerReader } from '../../../shared/adapters/ledger-store.js';
import { decideCheck } from '../../../shared/use-cases/decide-check.js';
import { liftDeclarationHold } from '../../../shared/use-cases/lift-hold.js';
import { recordDeclarationPayment } from '../../../shared/use-cases/record-payment.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';
import { documentClient } from '../support.js';
import {
  agency,
  type ClearanceWorld,
  clearanceWorld,
  historyIsAChain,
  officer,
  platform,
} from './support.js';

describe('clearance actions racing on one declaration', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('race');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  it('records a payment, a lift and a decision made at the same moment, and releases once', async () => {
    // Prepare: five AMBER declarations with EUR 8.77 due and a food safety hold each
    const seeded = await Promise.all(
      Array.from({ length: 5 }, () =>
        world.seed(
          anAssessedDeclaration({
            lane: 'AMBER',
            holds: [{ id: 'hold_food', reason: 'Food', agency: 'FOOD_SAFETY', placedBy: 'risk' }],
          }),
        ),
      ),
    );
    const ids = seeded.map((stored) => stored.id);

    // Act
    const results = await Promise.allSettled(
      ids.flatMap((id) => [
        recordDeclarationPayment(
          { id, principal: platform(), request: { amount: '8.77', currency: 'EUR', reference: 'PAY' } },
          world.deps,
        ),
        liftDeclarationHold({ id, holdId: 'hold_food', principal: agency('FOOD_SAFETY') }, world.deps),
        decideCheck(
          {
            id,
            principal: officer(),
            request: { decision: 'RELEASE', findings: { 'BUILTIN-VAGUE-DESCRIPTION': { confirmed: false } } },
          },
          world.deps,
        ),
      ]),
    );

    // Assess
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    for (const id of ids) {
      const stored = await world.store.getState(id);
      expect(stored?.status).toBe('RELEASED');
      expect(stored?.payments).toHaveLength(1);
      expect(stored?.holds[0]?.liftedBy).toBe('FOOD_SAFETY');
      expect(stored?.decision?.decision).toBe('RELEASE');
      expect(stored?.version).toBe(3);
      expect(historyIsAChain(stored?.history ?? [])).toBe(true);
      expect(stored?.history.filter((entry) => entry.to === 'RELEASED')).toHaveLength(1);
      const types = world.eventsOf(id).map((event) => event.detailType);
      expect(types.filter((type) => type === 'DeclarationReleased')).toHaveLength(1);
      expect(types.filter((type) => type === 'PaymentRecorded')).toHaveLength(1);
      expect(types.filter((type) => type === 'HoldLifted')).toHaveLength(1);
    }
    // One release-time observation per declaration, written with the write that released it.
    const today = new Date().toISOString().slice(0, 10);
    const statistics = await ledgerReader(world.resources.tables.ledger, documentClient()).statisticsItems([
      today,
    ]);
    const releases = statistics
      .filter((item) => item.sk.startsWith('RT#'))
      .flatMap((item) => Object.entries(item.numbers).filter(([name]) => /^h\d+$/.test(name)))
      .reduce((total, [, count]) => total + Number(count), 0);
    expect(releases).toBe(ids.length);
  });
});
