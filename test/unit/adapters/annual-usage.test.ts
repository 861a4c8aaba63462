// The CN consignee's annual total as the duty step writes it: summed exactly, conditional on the version read.
import { describe, expect, it } from 'vitest';
import { annualUsageWrite, type DutyReference } from '../../../shared/adapters/duty-reference.js';

const reference = (): DutyReference => ({ shared: {}, annualTotals: new Map() });

describe('annualUsageWrite', () => {
  it('creates the total once, then adds to it exactly under the version it read', () => {
    const read = reference();
    const usage = { taxId: '110101199001011234', year: 2026 };

    const first = annualUsageWrite(read, { ...usage, amount: '25999.99' }, 'declarations');
    const second = annualUsageWrite(read, { ...usage, amount: '0.01' }, 'declarations');

    expect(first.Put).toMatchObject({
      Item: { pk: `ANNUAL#${usage.taxId}`, sk: 'Y#2026', amount: '25999.99', version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(second.Put).toMatchObject({
      Item: { amount: '26000', version: 2 },
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': 1 },
    });
    expect(read.annualTotals.get(`${usage.taxId}/2026`)?.amount).toBe('26000');
  });
});
