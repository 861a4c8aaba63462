// Helpers for integration tests: SDK clients pointed at the emulators started by global-setup.ts,
// fresh uniquely named tables and queues when a test file needs isolation, the environment the
// handlers expect, and polling with a deadline.
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createTables, type TableNames } from '../../infra/local/dynamodb.js';
import { handlerEnvironment } from '../../infra/local/runtime.js';
import { createQueues, type QueueUrls } from '../../infra/local/sqs.js';
import { LOCAL_CREDENTIALS, waitUntil } from '../../infra/local/util.js';
import { type DeclarationIdOf, declarationIds } from '../../shared/domain/declaration/identity.js';
import { stackKeys } from '../../shared/lib/stack-keys.js';
import { resourcePrefix } from '../../shared/topology.js';
import type { LocalAwsContext } from './global-setup.js';

export type { LocalAwsContext };

/** Endpoints and shared resource names provided by the integration global setup. */
export const localAws = (): LocalAwsContext => {
  const context = inject('localAws');
  if (!context) throw new Error('localAws was not provided: run this test in the integration project');
  return context;
};

const clientConfig = (endpoint: string, region: string) => ({
  endpoint,
  region,
  credentials: LOCAL_CREDENTIALS,
});

export const dynamoDbClient = (context: LocalAwsContext = localAws()): DynamoDBClient =>
  new DynamoDBClient(clientConfig(context.endpoints.dynamodb, context.region));

export const documentClient = (context: LocalAwsContext = localAws()): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(dynamoDbClient(context), { marshallOptions: { removeUndefinedValues: true } });

export const sqsClient = (context: LocalAwsContext = localAws()): SQSClient =>
  new SQSClient(clientConfig(context.endpoints.sqs, context.region));

export const eventBridgeClient = (context: LocalAwsContext = localAws()): EventBridgeClient =>
  new EventBridgeClient(clientConfig(context.endpoints.eventBridge, context.region));

/** Declaration ids as the handlers of this run derive them, under the run's stack secret. */
export const testDeclarationIds = (context: LocalAwsContext = localAws()): DeclarationIdOf =>
  declarationIds(stackKeys(context.stackSecret).for('declaration-id'));

/** A short random suffix for names and ids that must not collide between test files. */
export const uniqueSuffix = (): string => randomBytes(4).toString('hex');

export interface IsolatedResources {
  prefix: string;
  tables: TableNames;
  queues: QueueUrls;
  /** The environment handlers read, pointing at these tables and queues (and the shared bus). */
  env: Record<string, string>;
  /** Deletes the tables and queues. */
  destroy(): Promise<void>;
}

export interface IsolationOptions {
  /** Becomes part of the names, e.g. the test file's subject. */
  name?: string;
  /** Overrides every queue's visibility timeout so failed messages come back within seconds. */
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

/**
 * A fresh set of the topology's tables and queues, named `clearway-nl-<name><random>-...`, for a
 * test file that must not see other files' data. Call `destroy()` in afterAll.
 */
export const createIsolatedResources = async (options: IsolationOptions = {}): Promise<IsolatedResources> => {
  const context = localAws();
  const stage = `${(options.name ?? 't')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12)}${uniqueSuffix()}`;
  const prefix = resourcePrefix(context.country, stage);
  const dynamodb = dynamoDbClient(context);
  const sqs = sqsClient(context);
  const [tables, queues] = await Promise.all([
    createTables(dynamodb, prefix),
    createQueues(sqs, prefix, {
      ...(options.visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
        : {}),
      ...(options.maxReceiveCount !== undefined ? { maxReceiveCount: options.maxReceiveCount } : {}),
    }),
  ]);
  return {
    prefix,
    tables,
    queues,
    env: handlerEnv({ tables, queues }),
    async destroy() {
      await Promise.allSettled([
        ...Object.values(tables).map((TableName) => dynamodb.send(new DeleteTableCommand({ TableName }))),
        ...Object.values(queues).flatMap((queue) => [
          sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url })),
          sqs.send(new DeleteQueueCommand({ QueueUrl: queue.dlqUrl })),
        ]),
      ]);
      dynamodb.destroy();
      sqs.destroy();
    },
  };
};

/**
 * The environment the stack gives every function (table names, queue URLs, bus name, endpoints,
 * COUNTRY, STAGE, region, dummy credentials), for the shared resources or the ones given.
 */
export const handlerEnv = (
  overrides: { tables?: TableNames; queues?: QueueUrls; busName?: string } = {},
  context: LocalAwsContext = localAws(),
): Record<string, string> =>
  handlerEnvironment({
    country: context.country,
    stage: context.stage,
    region: context.region,
    tables: overrides.tables ?? context.tables,
    queues: overrides.queues ?? context.queues,
    busName: overrides.busName ?? context.busName,
    stackSecretId: context.stackSecretId,
    webhookKeyId: context.webhookKeyId,
    endpoints: context.endpoints,
  });

/**
 * Sets `env` on process.env (do it before importing a handler: handlers read it at module load) and
 * returns a function that restores what was there.
 */
export const applyEnv = (env: Record<string, string>): (() => void) => {
  const before = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of before) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
};

/**
 * Calls `probe` until it returns something other than undefined, failing after `timeoutMs`. Filter on
 * your own ids in the probe; never retry a whole test to green.
 */
export const pollUntil = <T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 100, description = 'the condition' } = {},
): Promise<T> => waitUntil(probe, { timeoutMs, intervalMs, description });

/** Receives (and deletes) every message currently visible in a queue. */
export const drainQueue = async (sqs: SQSClient, QueueUrl: string): Promise<Message[]> => {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
};

/**
 * Polls a queue until `match` has found `count` messages (deleting what it receives), or fails after
 * `timeoutMs`. Returns the matching messages.
 */
export const collectMessages = async (
  sqs: SQSClient,
  QueueUrl: string,
  {
    count,
    match = () => true,
    timeoutMs = 10_000,
  }: { count: number; match?: (message: Message) => boolean; timeoutMs?: number },
): Promise<Message[]> => {
  const found: Message[] = [];
  await pollUntil(
    async () => {
      found.push(...(await drainQueue(sqs, QueueUrl)).filter(match));
      return found.length >= count ? true : undefined;
    },
    { timeoutMs, description: `${count} message(s) in ${QueueUrl}` },
  );
  return found;
};
