// The one backoff schedule and the one optimistic retry every store, queue, webhook and CLI retry uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BackoffSchedule, backoffDelay } from '../../../shared/lib/backoff.js';
import { retryOptimistic } from '../../../shared/lib/optimistic.js';

class LostRace extends Error {}

describe('backoffDelay', () => {
  const schedules = fc.record({
    first: fc.integer({ min: 1, max: 1000 }),
    max: fc.integer({ min: 1, max: 100_000 }),
    jitter: fc.constantFrom('full' as const, 'half' as const, 'none' as const),
  });

  it('doubles from the first wait, never passes the cap, and jitters within the step', () => {
    fc.assert(
      fc.property(
        schedules,
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (schedule, retry, r) => {
          const step = Math.min(schedule.max, schedule.first * 2 ** retry);
          const wait = backoffDelay(schedule as BackoffSchedule, retry, () => r);
          expect(wait).toBeLessThanOrEqual(step);
          expect(wait).toBeGreaterThanOrEqual(
            schedule.jitter === 'half' ? step / 2 : schedule.jitter === 'none' ? step : 0,
          );
        },
      ),
    );
  });

  it('keeps the numbers each retry had: SQS redeliveries, webhook endpoints and the CLI', () => {
    const none = (first: number, max: number): BackoffSchedule => ({ first, max, jitter: 'none' });
    expect([0, 1, 2, 3].map((retry) => backoffDelay(none(180, 3600), retry))).toEqual([180, 360, 720, 1440]);
    expect(backoffDelay(none(30, 3600), 10)).toBe(3600);
    expect(backoffDelay({ first: 500, max: 30_000, jitter: 'half' }, 2, () => 0)).toBe(1000);
  });
});

describe('retryOptimistic', () => {
  it('runs the attempt again after each lost race, pausing in between, until it wins', async () => {
    // Prepare
    const paused: number[] = [];
    let runs = 0;

    // Act
    const result = await retryOptimistic(
      async (attempt) => {
        runs += 1;
        if (attempt < 3) throw new LostRace();
        return `won on ${attempt}`;
      },
      {
        attempts: 5,
        lostRace: (error) => error instanceof LostRace,
        pause: async (n) => void paused.push(n),
      },
    );

    // Assess
    expect(result).toBe('won on 3');
    expect(runs).toBe(3);
    expect(paused).toEqual([1, 2]);
  });

  it('reports the exhausted error after the last lost race, and any other error at once', async () => {
    const options = {
      attempts: 3,
      lostRace: (error: unknown) => error instanceof LostRace,
      exhausted: () => new Error('being changed by others'),
      pause: async () => undefined,
    };
    let runs = 0;
    await expect(
      retryOptimistic(async () => {
        runs += 1;
        throw new LostRace();
      }, options),
    ).rejects.toThrow('being changed by others');
    expect(runs).toBe(3);

    runs = 0;
    await expect(
      retryOptimistic(async () => {
        runs += 1;
        throw new TypeError('a fault of its own');
      }, options),
    ).rejects.toThrow(TypeError);
    expect(runs).toBe(1);
  });
});
