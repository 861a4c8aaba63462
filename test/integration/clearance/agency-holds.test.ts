import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyHoldIndex } from '../../../shared/adapters/agency-hold-index.js';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { ForbiddenError, ValidationError } from '../../../shared/domain/errors.js';
import { indexAgencyHolds } from '../../../shared/use-cases/index-agency-holds.js';
import { liftDeclarationHold } from '../../../shared/use-cases/lift-hold.js';
import { holdCursors, listAgencyHolds } from '../../../shared/use-cases/list-agency-holds.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';
import { documentClient } from '../support.js';
import { agency, type ClearanceWorld, clearanceWorld, officer } from './support.js';

describe('the single window: indexAgencyHolds and listAgencyHolds', () => {
  let world: ClearanceWorld;
  let deps: Parameters<typeof listAgencyHolds>[1] & Parameters<typeof indexAgencyHolds>[2];
  const code = `AGENCY_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

  beforeAll(async () => {
    world = await clearanceWorld('window');
    const table = world.resources.tables.declarations;
    deps = {
      store: world.store,
      index: agencyHoldIndex(table, documentClient()),
      cursors: holdCursors(randomBytes(32)),
    };
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const reindex = async (id: string) => indexAgencyHolds(id, await world.store.getStates([id]), deps);
  const routed = async (at: string) => {
    const stored = await world.seed(
      anAssessedDeclaration({
        at,
        assessment: anAssessment({ payer: 'INTERMEDIARY' }),
        holds: [{ id: 'hold_routed', reason: 'Routed', agency: code, placedBy: 'risk' }],
      }),
    );
    await reindex(stored.id);
    return stored.id;
  };

  it('lists the standing holds routed to an agency, newest first, page by page', async () => {
    // Prepare
    const older = await routed('2026-07-01T09:00:00.000Z');
    const newer = await routed('2026-07-01T11:00:00.000Z');

    // Act
    const first = await listAgencyHolds({ principal: agency(code), query: { limit: 1 } }, deps);
    const second = await listAgencyHolds(
      { principal: agency(code), query: { limit: 1, cursor: first.cursor ?? '' } },
      deps,
    );
    const asOfficer = await listAgencyHolds({ principal: officer(), query: { agency: code } }, deps);

    // Assess
    expect(first.items.map((item) => item.declarationId)).toEqual([newer]);
    expect(first.items[0]).toMatchObject({ holdId: 'hold_routed', status: 'HELD', reason: 'Routed' });
    expect(second.items.map((item) => item.declarationId)).toEqual([older]);
    expect(asOfficer.items.map((item) => item.declarationId)).toEqual([newer, older]);
  });

  it('moves a lifted hold out of the standing list, even when an older event is handled last', async () => {
    // Prepare
    const id = await routed('2026-07-01T12:00:00.000Z');
    const before = (await world.store.getState(id)) as DeclarationRecord;
    await liftDeclarationHold({ id, holdId: 'hold_routed', principal: agency(code) }, world.deps);

    // Act: the lift is indexed, then the placement's (older) state arrives late
    await reindex(id);
    await indexAgencyHolds(id, new Map([[id, before]]), deps);
    const standing = await listAgencyHolds({ principal: agency(code), query: {} }, deps);
    const lifted = await listAgencyHolds({ principal: agency(code), query: { state: 'LIFTED' } }, deps);

    // Assess
    expect(standing.items.map((item) => item.declarationId)).not.toContain(id);
    expect(lifted.items.find((item) => item.declarationId === id)).toMatchObject({
      liftedBy: code,
      status: 'RELEASED',
    });
  });

  it("refuses another agency's list and an officer's list without an agency", async () => {
    const other = await listAgencyHolds({ principal: agency('OTHER'), query: { agency: code } }, deps).catch(
      (error: unknown) => error,
    );
    const unnamed = await listAgencyHolds({ principal: officer(), query: {} }, deps).catch(
      (error: unknown) => error,
    );
    expect(other).toBeInstanceOf(ForbiddenError);
    expect(unnamed).toBeInstanceOf(ValidationError);
  });
});
