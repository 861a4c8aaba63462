// Plays the topology's schedules (EventBridge `rate` rules) locally: each scheduled function is invoked
// at its rate with the event a scheduled rule sends, as on AWS. A run that fails is logged and the
// schedule goes on, like a rule whose target failed.
import { randomUUID } from 'node:crypto';
import type { FunctionName, Schedule } from '../../shared/topology.js';
import { type FunctionSettings, invokeHandler, type LambdaHandler } from './lambda.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type Log } from './util.js';

/** The event EventBridge sends a scheduled rule's target. */
export const scheduledEvent = (schedule: Schedule, at: Date, region = LOCAL_REGION) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: LOCAL_ACCOUNT_ID,
  time: at.toISOString(),
  region,
  resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${schedule.name}`],
  detail: {},
});

export interface Scheduler {
  /** Runs every schedule once now (what the next tick would do), resolving when all runs ended. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export const startSchedules = (options: {
  schedules: readonly Schedule[];
  handlers: Partial<Record<FunctionName, LambdaHandler>>;
  settings: (fn: FunctionName) => FunctionSettings;
  log: Log;
}): Scheduler => {
  const running = new Set<Promise<unknown>>();
  const run = (schedule: Schedule): Promise<unknown> => {
    const handler = options.handlers[schedule.function];
    if (!handler) return Promise.resolve();
    const invocation = invokeHandler(
      handler,
      scheduledEvent(schedule, new Date()),
      options.settings(schedule.function),
    ).catch((error: unknown) => options.log.error(`Schedule ${schedule.name} failed`, error));
    running.add(invocation);
    void invocation.finally(() => running.delete(invocation));
    return invocation;
  };
  const timers = options.schedules.map((schedule) => {
    const timer = setInterval(() => void run(schedule), schedule.everyMinutes * 60_000);
    timer.unref();
    return timer;
  });
  return {
    runNow: async () => {
      await Promise.all(options.schedules.map(run));
    },
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
};
