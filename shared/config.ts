// Configuration read from the environment once, at cold start. A missing variable fails loudly here
// instead of surfacing later as an obscure SDK error.
import * as z from 'zod';
import { FAIR_USE_ENV, type FairUseLimits } from './domain/fair-use.js';
import {
  EVENT_BUS_ENV,
  type FunctionSpec,
  LIFETIME_START_ENV,
  type QueueName,
  queueEnvName,
  STACK_SECRET_ENV,
  type TableName,
  tableEnvName,
  WEBHOOK_KEY_ENV,
  WEBHOOK_RECEIVERS_ENV,
} from './topology.js';

const required = (name: string) =>
  z.string({ error: `environment variable ${name} is required` }).min(1, `${name} must not be empty`);

export interface FunctionConfig {
  country: string;
  stage: string;
  tables: Partial<Record<TableName, string>>;
  queues: Partial<Record<QueueName, string>>;
  eventBusName?: string;
  /** Id (ARN or name) of the stack's secret, for functions that read it. */
  stackSecretId?: string;
  /** The stack's first month (`YYYY-MM`) when configured (STACK_LIFETIME_START). */
  lifetimeStart?: string;
  /** Fair-use limits, for functions that count requests (they hold the limits table). */
  fairUse?: FairUseLimits;
  /** Whether webhooks may reach this machine over http (the local runtime only). */
  webhookReceivers?: 'public' | 'public-or-loopback';
  /** The KMS key (id, ARN or alias) sealing webhook secrets. */
  webhookKeyId?: string;
}

export const loadConfig = (spec: FunctionSpec, env: NodeJS.ProcessEnv = process.env): FunctionConfig => {
  const tableNames = Object.keys(spec.tables) as TableName[];
  const shape: Record<string, z.ZodType<string | undefined>> = {
    COUNTRY: required('COUNTRY').regex(/^[A-Z]{2}$/, 'COUNTRY must be an ISO alpha-2 code such as NL'),
    STAGE: required('STAGE'),
  };
  for (const table of tableNames) shape[tableEnvName(table)] = required(tableEnvName(table));
  for (const queue of spec.sendsTo) shape[queueEnvName(queue)] = required(queueEnvName(queue));
  if (spec.publishesEvents) shape[EVENT_BUS_ENV] = required(EVENT_BUS_ENV);
  if (spec.readsStackSecret) shape[STACK_SECRET_ENV] = required(STACK_SECRET_ENV);

  const countsFairUse = spec.tables.limits !== undefined;
  if (countsFairUse) {
    for (const name of Object.values(FAIR_USE_ENV))
      shape[name] = required(name).regex(/^[1-9]\d{0,9}$/, `${name} must be a positive whole number`);
  }
  if (spec.reachesWebhooks) shape[WEBHOOK_KEY_ENV] = required(WEBHOOK_KEY_ENV);
  if (spec.reachesWebhooks)
    shape[WEBHOOK_RECEIVERS_ENV] = z.enum(['public', 'public-or-loopback'], {
      error: `${WEBHOOK_RECEIVERS_ENV} must be public or public-or-loopback`,
    });
  shape[LIFETIME_START_ENV] = z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, `${LIFETIME_START_ENV} must be a month such as 2026-01`)
    .optional();
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const values = parsed.data;
  const at = (name: string): string => values[name] ?? '';
  return {
    country: at('COUNTRY'),
    stage: at('STAGE'),
    tables: Object.fromEntries(tableNames.map((table) => [table, at(tableEnvName(table))])),
    queues: Object.fromEntries(spec.sendsTo.map((queue) => [queue, at(queueEnvName(queue))])),
    ...(spec.publishesEvents ? { eventBusName: at(EVENT_BUS_ENV) } : {}),
    ...(spec.readsStackSecret ? { stackSecretId: at(STACK_SECRET_ENV) } : {}),
    ...(values[LIFETIME_START_ENV] ? { lifetimeStart: values[LIFETIME_START_ENV] } : {}),
    ...(spec.reachesWebhooks
      ? {
          webhookReceivers: at(WEBHOOK_RECEIVERS_ENV) as FunctionConfig['webhookReceivers'] & string,
          webhookKeyId: at(WEBHOOK_KEY_ENV),
        }
      : {}),
    ...(countsFairUse
      ? {
          fairUse: Object.fromEntries(
            Object.entries(FAIR_USE_ENV).map(([limit, name]) => [limit, Number(at(name))]),
          ) as unknown as FairUseLimits,
        }
      : {}),
  };
};

/** The configured name of a table the function was granted; a programming error if it was not. */
export const tableName = (config: FunctionConfig, table: TableName): string => {
  const name = config.tables[table];
  if (!name) throw new Error(`This function has no access to the ${table} table`);
  return name;
};

export const queueUrl = (config: FunctionConfig, queue: QueueName): string => {
  const url = config.queues[queue];
  if (!url) throw new Error(`This function cannot send to the ${queue} queue`);
  return url;
};

export const busName = (config: FunctionConfig): string => {
  if (!config.eventBusName) throw new Error('This function cannot publish events');
  return config.eventBusName;
};

export const stackSecretId = (config: FunctionConfig): string => {
  if (!config.stackSecretId) throw new Error('This function cannot read the stack secret');
  return config.stackSecretId;
};
