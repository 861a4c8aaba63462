// The local runtime plays the topology's schedules as EventBridge does: the scheduled function gets a
// Scheduled Event at its rate; a failing run is logged and the schedule goes on.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSchedules } from '../../../infra/local/scheduler.js';
import { createLog } from '../../../infra/local/util.js';
import { schedules } from '../../../shared/topology.js';

describe('startSchedules', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const settings = () => ({ functionName: 'clearway-nl-test-records', timeoutSeconds: 5 });

  it('invokes the scheduled function with a Scheduled Event at its rate, and stops', async () => {
    // Prepare
    vi.useFakeTimers();
    const events: Record<string, unknown>[] = [];
    const scheduler = startSchedules({
      schedules,
      handlers: { records: async (event) => events.push(event) },
      settings,
      log: createLog('silent'),
    });

    // Act: one day passes, then the scheduler stops
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      resources: [expect.stringContaining('rule/RecordKeepingEnds')],
    });
  });

  it('logs a failing run and keeps the schedule', async () => {
    // Prepare
    let runs = 0;
    const errors: string[] = [];
    const log = { ...createLog('silent'), error: (message: string) => errors.push(message) };
    const scheduler = startSchedules({
      schedules,
      handlers: {
        records: async () => {
          runs += 1;
          throw new Error('table busy');
        },
      },
      settings,
      log,
    });

    // Act
    await scheduler.runNow();
    await scheduler.runNow();
    await scheduler.stop();

    // Assess
    expect(runs).toBe(2);
    expect(errors).toEqual(['Schedule RecordKeepingEnds failed', 'Schedule RecordKeepingEnds failed']);
  });
});
