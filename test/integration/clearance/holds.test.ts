import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { liftDeclarationHold } from '../../../shared/use-cases/lift-hold.js';
import { placeDeclarationHold } from '../../../shared/use-cases/place-hold.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';
import { agency, type ClearanceWorld, clearanceWorld, historyIsAChain, officer } from './support.js';

const foodHold = {
  id: 'hold_builtin-agency-food',
  reason: 'Cheese',
  agency: 'FOOD_SAFETY',
  placedBy: 'risk',
};

describe('placeDeclarationHold and liftDeclarationHold', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('holds');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const place = (
    id: string,
    request: Parameters<typeof placeDeclarationHold>[0]['request'],
    principal = officer(),
  ) => placeDeclarationHold({ id, principal, request }, world.deps);
  const lift = (id: string, holdId: string, principal = officer(), note?: string) =>
    liftDeclarationHold({ id, holdId, principal, note }, world.deps);

  it('keeps an agency-routed declaration held until that agency lifts, then releases it', async () => {
    // Prepare: green, nothing due, a food safety hold from risk routing
    const { id } = await world.seed(
      anAssessedDeclaration({
        holds: [foodHold],
        assessment: anAssessment({ payer: 'INTERMEDIARY' }),
        declaration: { collectionModel: 'INTERMEDIARY_ON_DELIVERY' },
      }),
    );
    expect((await world.store.getState(id))?.status).toBe('HELD');

    // Act
    const byOfficer = await lift(id, foodHold.id).catch((error: unknown) => error);
    const byOtherAgency = await lift(id, foodHold.id, agency('MEDICINES')).catch((error: unknown) => error);
    const lifted = await lift(id, foodHold.id, agency('FOOD_SAFETY'), 'Samples within limits');

    // Assess
    expect(byOfficer).toBeInstanceOf(ForbiddenError);
    expect(byOtherAgency).toBeInstanceOf(NotFoundError);
    expect(lifted.declaration.status).toBe('RELEASED');
    expect(lifted.hold).toMatchObject({ liftedBy: 'FOOD_SAFETY', liftNote: 'Samples within limits' });
    expect(world.eventsOf(id).map((event) => event.detailType)).toEqual([
      'HoldLifted',
      'DeclarationReleased',
    ]);
  });

  it('holds an unpaid declaration placed by an officer, and an agency holds only for itself', async () => {
    // Prepare: EUR 8.77 due, AWAITING_PAYMENT
    const { id } = await world.seed(anAssessedDeclaration());

    // Act
    const placed = await place(id, { reason: 'X-ray anomaly' });
    const repeated = await place(id, { reason: 'X-ray anomaly' });
    await place(id, { reason: 'Tablets: check the licence', agency: 'MEDICINES' });
    const forAnother = await place(id, { reason: 'Check', agency: 'FOOD_SAFETY' }, agency('MEDICINES')).catch(
      (error: unknown) => error,
    );
    const own = await place(id, { reason: 'Pills in parcel' }, agency('MEDICINES'));

    // Assess
    expect(placed.created).toBe(true);
    expect(placed.body.declaration.status).toBe('HELD');
    expect(repeated.created).toBe(false);
    expect(repeated.body.hold.id).toBe(placed.body.hold.id);
    expect(forAnother).toBeInstanceOf(ForbiddenError);
    expect(own.body.hold).toMatchObject({ agency: 'MEDICINES', placedBy: 'MEDICINES' });
    const stored = await world.store.getState(id);
    expect(stored?.history.at(-1)).toMatchObject({ from: 'AWAITING_PAYMENT', to: 'HELD' });
    expect(stored?.holds).toHaveLength(3);
  });

  it('sends a declaration held for missing reference data back to assessment once the hold is lifted', async () => {
    // Prepare: the duty step held it unassessed
    const stored = anAssessedDeclaration({ assessment: null });
    const { declaration: _body, ...record } = stored;
    await world.seed(stored);
    const { id } = stored;
    await world.store.save({
      ...record,
      holds: [
        {
          id: 'hold_reference_data',
          reason: 'No FX rate for USD',
          placedBy: 'duty',
          placedAt: record.createdAt,
        },
      ],
      status: 'HELD',
      history: [
        ...record.history,
        { at: record.createdAt, from: 'RECEIVED', to: 'HELD', by: 'duty', reason: 'No FX rate' },
      ],
    });

    // Act
    const lifted = await lift(id, 'hold_reference_data');

    // Assess
    expect(lifted.declaration.status).toBe('RECEIVED');
    expect(world.eventsOf(id).map((event) => event.detailType)).toEqual(['HoldLifted', 'RiskAssessed']);
  });

  it('loses no lift when agencies and officers act at the same moment', async () => {
    // Prepare: three agency holds and a customs hold on a green declaration with nothing due
    const agencies = ['FOOD_SAFETY', 'MEDICINES', 'PRODUCT_SAFETY'];
    const { id } = await world.seed(
      anAssessedDeclaration({
        declaration: { collectionModel: 'INTERMEDIARY_ON_DELIVERY' },
        assessment: anAssessment({ payer: 'INTERMEDIARY' }),
        holds: [
          ...agencies.map((code) => ({ id: `hold_${code}`, reason: code, agency: code, placedBy: 'risk' })),
          { id: 'hold_customs', reason: 'Customs', placedBy: 'officer-2' },
        ],
      }),
    );

    // Act
    const results = await Promise.allSettled([
      ...agencies.map((code) => lift(id, `hold_${code}`, agency(code))),
      lift(id, 'hold_customs'),
    ]);

    // Assess
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const stored = await world.store.getState(id);
    expect(stored?.holds.every((hold) => hold.liftedAt)).toBe(true);
    expect(stored?.status).toBe('RELEASED');
    expect(stored?.history.filter((entry) => entry.to === 'RELEASED')).toHaveLength(1);
    expect(historyIsAChain(stored?.history ?? [])).toBe(true);
    expect(world.eventsOf(id).filter((event) => event.detailType === 'HoldLifted')).toHaveLength(4);
  });
});
