import { describe, expect, it } from 'vitest';
import { consigneeWindow } from '../../../shared/adapters/consignee-window.js';
import { windowTotals } from '../../../shared/domain/risk/consignee-window.js';

describe('windowTotals', () => {
  const at = new Date('2026-06-04T12:00:00.000Z');

  it('counts the consignments lodged in the 72 hours before, not the one evaluated nor later ones', () => {
    // Prepare
    const entries = [
      { declarationId: 'dcl_self', at: at.toISOString(), value: '100' },
      { declarationId: 'dcl_edge', at: '2026-06-01T12:00:00.000Z', value: '10.50' },
      { declarationId: 'dcl_inside', at: '2026-06-03T08:00:00.000Z', value: '20' },
      { declarationId: 'dcl_too_old', at: '2026-06-01T11:59:59.999Z', value: '1000' },
      { declarationId: 'dcl_same_instant', at: at.toISOString(), value: '1000' },
      { declarationId: 'dcl_later', at: '2026-06-04T12:00:00.001Z', value: '1000' },
      { declarationId: 'dcl_inside', at: '2026-06-03T08:00:00.000Z', value: '20' },
    ];

    // Act
    const totals = windowTotals(entries, at, 'dcl_self');

    // Assess
    expect(totals).toEqual({ count: 2, value: '30.5' });
  });
});

describe('consigneeWindow.recordWrites', () => {
  it('sets one entry per declaration on the consignee item and removes expired ones, in one write', () => {
    // Prepare
    const window = consigneeWindow('declarations', {} as never);
    const added = [
      { declarationId: 'dcl_a', at: '2026-06-04T12:00:00.000Z', value: '5' },
      { declarationId: 'dcl_b', at: '2026-06-04T13:00:00.000Z', value: '6' },
    ];
    const known = [
      { declarationId: 'dcl_old', at: '2026-05-30T00:00:00.000Z', value: '1' },
      { declarationId: 'dcl_recent', at: '2026-06-03T00:00:00.000Z', value: '2' },
    ];

    // Act
    const writes = window.recordWrites('TAX:NL:123', added, known);

    // Assess
    const update = writes[0]?.Update;
    expect(update?.Key).toEqual({ pk: 'WINDOW#TAX:NL:123', sk: 'RECENT' });
    expect(update?.UpdateExpression).toBe('SET #a0 = :a0, #a1 = :a1, expiresAt = :expires REMOVE #r0');
    expect(update?.ExpressionAttributeNames).toEqual({
      '#a0': 'c_dcl_a',
      '#a1': 'c_dcl_b',
      '#r0': 'c_dcl_old',
    });
    expect(writes).toHaveLength(1);
  });
});
