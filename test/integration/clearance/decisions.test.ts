import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileStatsReader } from '../../../shared/adapters/profile-stats.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { decideCheck } from '../../../shared/use-cases/decide-check.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';
import { documentClient } from '../support.js';
import { type ClearanceWorld, clearanceWorld, historyIsAChain, officer } from './support.js';

describe('decideCheck', () => {
  let world: ClearanceWorld;
  let counters: ReturnType<typeof profileStatsReader>;

  beforeAll(async () => {
    world = await clearanceWorld('decisions');
    counters = profileStatsReader(world.resources.tables.risk, documentClient());
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const decide = (id: string, request: Parameters<typeof decideCheck>[0]['request']) =>
    decideCheck({ id, principal: officer(), request }, world.deps);
  const nothingDue = anAssessment({ payer: 'INTERMEDIARY' });
  /** A profile id of this test alone, so counters start at zero. */
  const profile = (name: string) => `TEST-${name}-${world.resources.prefix.slice(-8)}`;

  it('releases an AMBER declaration on RELEASE and counts the check and its finding per profile', async () => {
    // Prepare
    const [vague, splitting] = [profile('VAGUE'), profile('SPLIT')];
    const { id } = await world.seed(
      anAssessedDeclaration({ lane: 'AMBER', hits: [vague, splitting], assessment: nothingDue }),
    );

    // Act
    const decided = await decide(id, {
      decision: 'RELEASE',
      findings: {
        [vague]: { confirmed: false, notes: 'Invoice names the goods' },
        [splitting]: { confirmed: true },
      },
    });

    // Assess
    expect(decided.declaration.status).toBe('RELEASED');
    const stats = await counters.getMany([vague, splitting]);
    expect(stats.get(vague)).toMatchObject({ checks: 1, confirmed: 0 });
    expect(stats.get(splitting)).toMatchObject({ checks: 1, confirmed: 1 });
    expect(world.eventsOf(id).map((event) => event.detailType)).toEqual(['DeclarationReleased']);
  });

  it('moves the counters, not adds to them, when a RELEASE is escalated to SEIZE', async () => {
    // Prepare: a food hold keeps the declaration HELD after the RELEASE
    const vague = profile('ESCALATE');
    const { id } = await world.seed(
      anAssessedDeclaration({
        lane: 'AMBER',
        hits: [vague],
        assessment: nothingDue,
        holds: [{ id: 'hold_food', reason: 'Food', agency: 'FOOD_SAFETY', placedBy: 'risk' }],
      }),
    );
    const released = await decide(id, { decision: 'RELEASE', findings: { [vague]: { confirmed: false } } });

    // Act
    const repeated = await decide(id, { decision: 'RELEASE', findings: { [vague]: { confirmed: false } } });
    const seized = await decide(id, { decision: 'SEIZE', findings: { [vague]: { confirmed: true } } });

    // Assess
    expect(released.declaration.status).toBe('HELD');
    expect(repeated.declaration.status).toBe('HELD');
    expect(seized.declaration.status).toBe('SEIZED');
    expect((await counters.getMany([vague])).get(vague)).toMatchObject({ checks: 1, confirmed: 1 });
    const stored = await world.store.getState(id);
    expect(stored?.history.at(-1)).toMatchObject({ from: 'HELD', to: 'SEIZED', by: 'officer-1' });
    expect(world.eventsOf(id).slice(-2)).toMatchObject([
      { detailType: 'DeclarationRejected', detail: { status: 'SEIZED' } },
      { detailType: 'DebtExtinguished', detail: { status: 'SEIZED' } },
    ]);
  });

  it('refuses a decision on a closed declaration, naming its status', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration({ lane: 'AMBER', assessment: nothingDue }));
    await decide(id, { decision: 'REJECT', findings: {} });

    // Act
    const again = await decide(id, { decision: 'RELEASE', findings: {} }).catch((error: unknown) => error);

    // Assess
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ details: { currentStatus: 'REJECTED' } });
  });

  it('counts every check exactly once when officers decide many declarations of one profile at once', async () => {
    // Prepare
    const shared = profile('HOT');
    const seeded = await Promise.all(
      Array.from({ length: 6 }, () =>
        world.seed(anAssessedDeclaration({ lane: 'RED', hits: [shared], assessment: nothingDue })),
      ),
    );

    // Act
    const results = await Promise.allSettled(
      seeded.map(({ id }, index) =>
        decide(id, { decision: 'RELEASE', findings: { [shared]: { confirmed: index % 2 === 0 } } }),
      ),
    );

    // Assess
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect((await counters.getMany([shared])).get(shared)).toMatchObject({ checks: 6, confirmed: 3 });
    for (const { id } of seeded) {
      const stored = await world.store.getState(id);
      expect(stored?.status).toBe('RELEASED');
      expect(historyIsAChain(stored?.history ?? [])).toBe(true);
    }
  });
});
