// The e2e tier drives the runtime exactly as `npm start` runs it: a child process, in memory, on a free
// port, stopped with SIGTERM the way a developer's Ctrl-C would.
import { type SpawnedRuntime, spawnRuntime } from '../../infra/local/spawn.js';

export type RuntimeProcess = SpawnedRuntime;

/**
 * A runtime of a stack that began in January 2026, so its public statistics publish the months before
 * this in-memory runtime's tables were created (the tests ask for the last closed month).
 */
export const TEST_LIFETIME_START = '2026-01';

export const startRuntimeProcess = (
  env: Record<string, string> = {},
  country = 'NL',
): Promise<RuntimeProcess> =>
  spawnRuntime({ country, env: { CLEARWAY_LIFETIME_START: TEST_LIFETIME_START, ...env }, timeoutMs: 60_000 });

/** Polls until `done` accepts the probed value, or fails with the last value seen when the deadline passes. */
export const eventually = async <T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`Condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
};
