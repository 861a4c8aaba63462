import { describe, expect, it } from 'vitest';
import { type FairUseCharge, FairUseExceededError, windowAt } from '../../../shared/domain/fair-use.js';
import { type CountFairUse, fairUseGate } from '../../../shared/use-cases/fair-use.js';

/** Counters in memory, with the same condition the DynamoDB adapter writes. */
const memoryCounter = () => {
  const counts = new Map<string, { requests: number; declarations: number }>();
  const count: CountFairUse = async (charge: FairUseCharge, window) => {
    const key = `${charge.key}#${window.start}`;
    const current = counts.get(key) ?? { requests: 0, declarations: 0 };
    if (
      current.requests + charge.requests > charge.maxRequests ||
      current.declarations + charge.declarations > charge.maxDeclarations
    )
      return { admitted: false, ...current };
    counts.set(key, {
      requests: current.requests + charge.requests,
      declarations: current.declarations + charge.declarations,
    });
    return { admitted: true };
  };
  return { count, counts };
};

const limits = { windowSeconds: 60, requests: 2, declarations: 10, anonymousQuotes: 1 };
const platform = { role: 'platform' as const, subject: 'acme' };

describe('windowAt', () => {
  it('puts a moment in its fixed window and asks to retry when the window ends', () => {
    const window = windowAt(new Date('2026-12-07T12:00:45.200Z'), 60);
    expect(new Date(window.start * 1000).toISOString()).toBe('2026-12-07T12:00:00.000Z');
    expect(window.retryAfterSeconds).toBe(15);
    expect(window.expiresAt).toBe(window.start + 120);
  });
});

describe('fairUseGate', () => {
  const at = () => new Date('2026-12-07T12:00:10Z');

  it('admits a caller up to its requests in a window and refuses the next, naming the limit', async () => {
    const gate = fairUseGate(limits, memoryCounter().count, at);
    const request = { caller: platform, anonymousCounted: false, sourceIp: '192.0.2.1', declarations: 0 };

    await gate.admit(request);
    await gate.admit(request);
    const refused = await gate.admit(request).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(FairUseExceededError);
    expect(refused).toMatchObject({ limit: 'requests', allowed: 2, retryAfterSeconds: 50 });
  });

  it('refuses declarations past the limit even when requests are left', async () => {
    const gate = fairUseGate(limits, memoryCounter().count, at);
    await gate.admit({ caller: platform, anonymousCounted: false, sourceIp: '192.0.2.1', declarations: 8 });
    const refused = await gate
      .admit({ caller: platform, anonymousCounted: false, sourceIp: '192.0.2.1', declarations: 3 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ limit: 'declarations', allowed: 10 });
  });

  it('counts anonymous calls per address only on routes that count them', async () => {
    const { count, counts } = memoryCounter();
    const gate = fairUseGate(limits, count, at);
    await gate.admit({ caller: undefined, anonymousCounted: false, sourceIp: '192.0.2.1', declarations: 0 });
    await gate.admit({ caller: undefined, anonymousCounted: true, sourceIp: '192.0.2.1', declarations: 0 });
    const refused = await gate
      .admit({ caller: undefined, anonymousCounted: true, sourceIp: '192.0.2.1', declarations: 0 })
      .catch((error: unknown) => error);
    await gate.admit({ caller: undefined, anonymousCounted: true, sourceIp: '192.0.2.2', declarations: 0 });

    expect(refused).toMatchObject({ limit: 'anonymousQuotes', allowed: 1 });
    expect([...counts.keys()].map((key) => key.split('#')[0])).toEqual([
      'source:192.0.2.1',
      'source:192.0.2.2',
    ]);
  });
});
