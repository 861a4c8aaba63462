// Agencies hold and see only declarations an officer or a risk profile routed to them (DESIGN.md
// section 14): naming a declaration id is not enough to reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { placeDeclarationHold } from '../../../shared/use-cases/place-hold.js';
import { viewDeclaration } from '../../../shared/use-cases/view-declaration.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';
import { agency, type ClearanceWorld, clearanceWorld, officer } from '../clearance/support.js';

describe('agency routing', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('routing');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const place = (
    id: string,
    request: Parameters<typeof placeDeclarationHold>[0]['request'],
    principal = officer(),
  ) => placeDeclarationHold({ id, principal, request }, world.deps);
  const view = (id: string, principal = officer()) => viewDeclaration({ id, principal }, world.deps);

  it('refuses an agency a declaration no one routed to it, as if it did not exist', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration());

    // Act
    const holding = await place(id, { reason: 'Curious' }, agency('MEDICINES')).catch(
      (error: unknown) => error,
    );
    const seeing = await view(id, agency('MEDICINES')).catch((error: unknown) => error);

    // Assess
    expect(holding).toBeInstanceOf(NotFoundError);
    expect(seeing).toBeInstanceOf(NotFoundError);
    expect((await world.store.getState(id))?.holds).toEqual([]);
  });

  it('lets an agency see and hold what an officer routed to it, and nothing routed to another', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration());
    await place(id, { reason: 'Tablets: check the licence', agency: 'MEDICINES' });

    // Act
    const own = await place(id, { reason: 'Sample taken' }, agency('MEDICINES'));
    const seen = await view(id, agency('MEDICINES'));
    const other = await view(id, agency('FOOD_SAFETY')).catch((error: unknown) => error);

    // Assess
    expect(own.body.hold).toMatchObject({ agency: 'MEDICINES', placedBy: 'MEDICINES' });
    expect(seen.id).toBe(id);
    expect(other).toBeInstanceOf(NotFoundError);
  });
});
