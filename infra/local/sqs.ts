// An in-process SQS-compatible server (local-aws-sqs, JSON and Query protocols) and the creation of
// the topology's queues with their dead-letter queues in it.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import {
  type QueueName,
  type QueueSpec,
  queues as topologyQueues,
  visibilityTimeoutSeconds,
} from '../../shared/topology.js';
import {
  freePort,
  LOCAL_ACCOUNT_ID,
  LOCAL_CREDENTIALS,
  LOCAL_HOST,
  LOCAL_REGION,
  type Log,
  listen,
  silentLog,
} from './util.js';

export interface SqsServerOptions {
  port?: number;
  region?: string;
  accountId?: string;
  log?: Log;
}

export interface LocalSqsServer {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** A client pointed at this server. */
  readonly client: SQSClient;
  /**
   * Calls `listener` after every request that may have made messages visible (SendMessage,
   * SendMessageBatch, ChangeMessageVisibility, message move tasks), so in-process pollers can wake
   * up at once instead of polling. Returns the unsubscribe function.
   */
  onMessagesAvailable(listener: () => void): () => void;
  stop(): Promise<void>;
}

const WAKING_TARGETS = new Set([
  'AmazonSQS.SendMessage',
  'AmazonSQS.SendMessageBatch',
  'AmazonSQS.ChangeMessageVisibility',
  'AmazonSQS.ChangeMessageVisibilityBatch',
  'AmazonSQS.StartMessageMoveTask',
]);
const WAKING_ACTIONS = /Action=(SendMessage|SendMessageBatch|ChangeMessageVisibility|StartMessageMoveTask)/;

export const localSqsClient = (endpoint: string, region: string = LOCAL_REGION): SQSClient =>
  new SQSClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });

/** Starts the SQS server on `port` (a free one when omitted) of 127.0.0.1. */
export const startSqsServer = async (options: SqsServerOptions = {}): Promise<LocalSqsServer> => {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const log = options.log ?? silentLog;
  const port = options.port ?? (await freePort());
  // The service builds queue URLs from hostname and port, so both must be the real ones.
  const { requestHandler } = createRequestHandler({
    port,
    hostname: LOCAL_HOST,
    region,
    accountId,
    emulateQueueCreationLifecycle: false,
    emulateLazyQueues: false,
    validateDlqDestination: true,
  });
  const events = new EventEmitter();
  events.setMaxListeners(0);

  const server: Server = createServer((req, res) => {
    const target = req.headers['x-amz-target'];
    const wakes =
      (typeof target === 'string' && WAKING_TARGETS.has(target)) ||
      (typeof req.url === 'string' && WAKING_ACTIONS.test(req.url));
    if (wakes) res.once('finish', () => setImmediate(() => events.emit('available')));
    requestHandler(req, res).catch((error: unknown) => {
      log.error('SQS server failed to handle a request', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: 'Internal failure' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await listen(server, port);
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const client = localSqsClient(endpoint, region);
  log.debug(`SQS listening on ${endpoint}`);

  return {
    endpoint,
    port,
    region,
    accountId,
    client,
    onMessagesAvailable(listener) {
      events.on('available', listener);
      return () => events.off('available', listener);
    },
    async stop() {
      client.destroy();
      events.removeAllListeners();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};

export interface QueueResources {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}
export type QueueUrls = Record<QueueName, QueueResources>;

export const queueName = (prefix: string, queue: string): string => `${prefix}-${queue}`;

export interface CreateQueueOptions {
  specs?: Partial<Record<QueueName, QueueSpec>>;
  /** Overrides the topology's visibility timeout (six times the consumer's timeout), e.g. for fault tests. */
  visibilityTimeoutSeconds?: number;
  /** Overrides every queue's maxReceiveCount, e.g. for fault tests. */
  maxReceiveCount?: number;
}

const queueArn = async (client: SQSClient, QueueUrl: string): Promise<string> => {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`Queue ${QueueUrl} has no ARN`);
  return arn;
};

/** Creates one queue and its DLQ, with the redrive policy and visibility timeout given. */
export const createQueueWithDlq = async (
  client: SQSClient,
  name: string,
  {
    maxReceiveCount,
    visibilityTimeoutSeconds: visibility,
  }: { maxReceiveCount: number; visibilityTimeoutSeconds: number },
): Promise<QueueResources> => {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq`,
      Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    }),
  );
  if (!dlq.QueueUrl) throw new Error(`CreateQueue ${name}-dlq returned no URL`);
  const dlqArn = await queueArn(client, dlq.QueueUrl);
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibility),
        RedrivePolicy: JSON.stringify({ maxReceiveCount, deadLetterTargetArn: dlqArn }),
      },
    }),
  );
  if (!queue.QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
  return { url: queue.QueueUrl, arn: await queueArn(client, queue.QueueUrl), dlqUrl: dlq.QueueUrl, dlqArn };
};

/** Creates every topology queue as `<prefix>-<queue>` with its DLQ `<prefix>-<queue>-dlq`. */
export const createQueues = async (
  client: SQSClient,
  prefix: string,
  options: CreateQueueOptions = {},
): Promise<QueueUrls> => {
  const specs = { ...topologyQueues, ...options.specs } as Record<QueueName, QueueSpec>;
  const entries = await Promise.all(
    (Object.entries(specs) as [QueueName, QueueSpec][]).map(
      async ([queue, spec]) =>
        [
          queue,
          await createQueueWithDlq(client, queueName(prefix, queue), {
            maxReceiveCount: options.maxReceiveCount ?? spec.maxReceiveCount,
            visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(queue),
          }),
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as QueueUrls;
};

/**
 * Moves every message from `fromUrl` (a DLQ) to `toUrl` (its source queue): body and message
 * attributes are kept; receive counts start again. Returns how many messages moved.
 */
export const moveMessages = async (client: SQSClient, fromUrl: string, toUrl: string): Promise<number> => {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: fromUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return moved;
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: toUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const toDelete = Messages.flatMap((message, index) =>
      ok.has(String(index)) && message.ReceiptHandle
        ? [{ Id: String(index), ReceiptHandle: message.ReceiptHandle }]
        : [],
    );
    if (toDelete.length > 0) {
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: fromUrl, Entries: toDelete }));
    }
    moved += toDelete.length;
    if (toDelete.length < Messages.length) {
      throw new Error(`Could not move ${Messages.length - toDelete.length} message(s) to ${toUrl}`);
    }
  }
};
