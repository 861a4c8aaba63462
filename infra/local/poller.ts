// Pollers that play Lambda's SQS event-source mappings: receive up to `batchSize` messages (within
// the batching window), invoke the function with an SQSEvent built as Lambda builds it, then delete
// what succeeded. Failed messages stay in the queue, reappear after the visibility timeout and move to
// the dead-letter queue after maxReceiveCount receives (done by the SQS server's redrive policy).
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { eventSourceMappings, type FunctionName, functions, type QueueName } from '../../shared/topology.js';
import { type FaultOptions, withFaults } from './faults.js';
import { FunctionTimeoutError, invokeHandler, type LambdaHandler } from './lambda.js';
import type { QueueResources } from './sqs.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type Log, silentLog, sleep } from './util.js';

export interface PollerMapping {
  functionName: string;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  maxConcurrency: number;
  timeoutSeconds: number;
  memoryMb?: number;
  handler: LambdaHandler;
}

export type BatchOutcome = 'succeeded' | 'partiallyFailed' | 'failed' | 'timedOut' | 'invalidResponse';

export interface BatchReport {
  functionName: string;
  /** The queue's URL, or the stream's ARN for a stream mapping's batch. */
  queueUrl: string;
  /** What the batch came from (default: a queue). */
  source?: 'queue' | 'stream';
  messageIds: string[];
  /** Messages left in the queue for another attempt. */
  failedMessageIds: string[];
  /** Receive count of each message in this batch, by message id. */
  receiveCounts: Record<string, number>;
  outcome: BatchOutcome;
  error?: string;
  durationMs: number;
}

export interface StartPollersOptions {
  sqs: SQSClient;
  mappings: PollerMapping[];
  region?: string;
  accountId?: string;
  log?: Log;
  /** Called after every batch has been processed and its messages deleted. */
  onBatch?: (report: BatchReport) => void;
  /** Subscribes to "messages may be available" signals (see LocalSqsServer.onMessagesAvailable). */
  wake?: (listener: () => void) => () => void;
  /** Pause between empty receives; shorter without a wake signal. */
  idlePollMs?: number;
  /** Opt-in fault injection (duplicate deliveries, crashes after writing); see faults.ts. */
  faults?: FaultOptions;
  /**
   * Since when (epoch ms) requests that callers wait on (the HTTP API's) have been served without a
   * pause, undefined while none is: batches then start late (see `run`).
   */
  servingSince?: () => number | undefined;
}

export interface Pollers {
  /** Stops receiving, lets every batch in flight finish (and its deletes happen), then resolves. */
  stop(): Promise<void>;
  /** Batches currently being processed, over all mappings. */
  inFlight(): number;
}

/** How long the HTTP API may keep the pollers from starting batches (see `run`). */
const SERVING_DEFERRAL_MS = 2_000;
/** The API serving for less than this keeps no poller waiting: single requests take a few ms. */
const SERVING_GRACE_MS = 50;
/** How often a mapping that holds off checks whether the API is still serving. */
const SERVING_CHECK_MS = 10;
/**
 * Resolves once no long request to the HTTP API has a head start on queued work (see `run`): at once when
 * the API is idle, has served for less than SERVING_GRACE_MS, or has served without a pause for
 * SERVING_DEFERRAL_MS already.
 */
export const afterApiHeadStart = async (
  servingSince: (() => number | undefined) | undefined,
  signal: AbortSignal,
): Promise<void> => {
  for (;;) {
    const servingFor = Date.now() - (servingSince?.() ?? Number.POSITIVE_INFINITY);
    if (signal.aborted || servingFor < SERVING_GRACE_MS || servingFor >= SERVING_DEFERRAL_MS) return;
    await sleep(SERVING_CHECK_MS, signal);
  }
};

/** Lambda stops gathering a batch at 6 MB of payload. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
const MAX_RECEIVE = 10;

/** The topology's event-source mappings, resolved to queues and handler functions. */
export const topologyPollerMappings = (
  queues: Record<QueueName, Pick<QueueResources, 'url' | 'arn'>>,
  handlers: Partial<Record<FunctionName, LambdaHandler>>,
  prefix?: string,
): PollerMapping[] =>
  eventSourceMappings.flatMap((mapping) => {
    const handler = handlers[mapping.function];
    if (!handler) return [];
    const spec = functions[mapping.function];
    return [
      {
        functionName: prefix ? `${prefix}-${mapping.function}` : mapping.function,
        queueUrl: queues[mapping.queue].url,
        queueArn: queues[mapping.queue].arn,
        batchSize: mapping.batchSize,
        maxBatchingWindowSeconds: mapping.maxBatchingWindowSeconds,
        maxConcurrency: mapping.maxConcurrency,
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        handler,
      },
    ];
  });

const toMessageAttributes = (message: Message): SQSMessageAttributes => {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    result[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
};

const OPTIONAL_ATTRIBUTES = [
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
  'DeadLetterQueueSourceArn',
] as const;

/** One SQS message as the record Lambda puts in an SQSEvent. */
export const toSqsRecord = (message: Message, queueArn: string, region: string): SQSRecord => {
  const attributes = message.Attributes ?? {};
  const recordAttributes: SQSRecordAttributes = {
    ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
    SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
    SenderId: attributes.SenderId ?? LOCAL_ACCOUNT_ID,
    ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  };
  for (const name of OPTIONAL_ATTRIBUTES) {
    const value = (attributes as Record<string, string | undefined>)[name];
    if (value !== undefined) recordAttributes[name] = value;
  }
  const messageAttributes = toMessageAttributes(message);
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: recordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
};

/**
 * Lambda's reading of a partial batch response: nothing, or an empty/absent `batchItemFailures`,
 * means every record succeeded; an identifier that is missing, empty or not in the batch fails the
 * whole batch.
 */
export const failedItems = (result: unknown, messageIds: ReadonlySet<string>): Set<string> | 'all' => {
  if (result === null || result === undefined || typeof result !== 'object') return new Set();
  const list = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return 'all';
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !messageIds.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
};

/** Starts one poller per mapping. */
export const startPollers = (options: StartPollersOptions): Pollers => {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const log = options.log ?? silentLog;
  const idlePollMs = options.idlePollMs ?? (options.wake ? 1_000 : 100);
  const stopController = new AbortController();
  const stopSignal = stopController.signal;
  let inFlightTotal = 0;

  // Wake-ups: a counter, so a signal that arrives while a receive is running is not lost.
  let wakeCount = 0;
  const sleepers = new Set<() => void>();
  const unsubscribe = options.wake?.(() => {
    wakeCount++;
    for (const wakeUp of sleepers) wakeUp();
  });
  const idle = (seen: number) =>
    new Promise<void>((resolve) => {
      if (wakeCount !== seen || stopSignal.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        stopSignal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, idlePollMs);
      sleepers.add(done);
      stopSignal.addEventListener('abort', done, { once: true });
    });

  const receive = async (mapping: PollerMapping, max: number, waitSeconds: number): Promise<Message[]> => {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: mapping.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        // Both spellings: receive counts and timestamps only come back when asked for.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      // Only long waits are cut short on stop; a short receive is allowed to finish so no message is
      // left invisible until its visibility timeout.
      waitSeconds > 0 ? { abortSignal: stopSignal } : {},
    );
    return Messages;
  };

  /** Gathers a batch: one quick receive, then, with a batching window, more until full or the window ends. */
  const collectBatch = async (mapping: PollerMapping): Promise<Message[]> => {
    const batch = await receive(mapping, Math.min(MAX_RECEIVE, mapping.batchSize), 0);
    const windowMs = mapping.maxBatchingWindowSeconds * 1000;
    if (batch.length === 0 || windowMs === 0) return batch;
    const deadline = Date.now() + windowMs;
    let bytes = batch.reduce((total, message) => total + Buffer.byteLength(message.Body ?? ''), 0);
    while (batch.length < mapping.batchSize && bytes < MAX_BATCH_BYTES && !stopSignal.aborted) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const more = await receive(
        mapping,
        Math.min(MAX_RECEIVE, mapping.batchSize - batch.length),
        Math.min(20, Math.floor(remaining / 1000)),
      ).catch((error: unknown) => {
        if (stopSignal.aborted) return [] as Message[];
        throw error;
      });
      for (const message of more) bytes += Buffer.byteLength(message.Body ?? '');
      batch.push(...more);
    }
    return batch;
  };

  const deleteMessages = async (mapping: PollerMapping, messages: Message[]) => {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      try {
        const result = await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: mapping.queueUrl,
            Entries: chunk.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle ?? '',
            })),
          }),
        );
        for (const failure of result.Failed ?? []) {
          log.warn(`${mapping.functionName}: could not delete a message: ${failure.Message ?? failure.Code}`);
        }
      } catch (error) {
        log.warn(
          `${mapping.functionName}: could not delete messages: ${error instanceof Error ? error.message : error}`,
        );
      }
    }
  };

  const processBatch = async (mapping: PollerMapping, messages: Message[]): Promise<void> => {
    const started = Date.now();
    const messageIds = messages.map((message) => message.MessageId ?? '');
    const records = messages.map((message) => toSqsRecord(message, mapping.queueArn, region));
    let outcome: BatchOutcome = 'succeeded';
    let failed = new Set<string>();
    let error: string | undefined;
    try {
      const result = await withFaults(options.faults, () =>
        invokeHandler(
          mapping.handler,
          { Records: records },
          {
            functionName: mapping.functionName,
            timeoutSeconds: mapping.timeoutSeconds,
            ...(mapping.memoryMb !== undefined ? { memoryMb: mapping.memoryMb } : {}),
            region,
            accountId,
          },
        ),
      );
      const items = failedItems(result, new Set(messageIds));
      if (items === 'all') {
        outcome = 'invalidResponse';
        failed = new Set(messageIds);
        error = 'The partial batch response names an unknown or empty itemIdentifier';
        log.warn(`${mapping.functionName}: ${error}; the whole batch will be retried`);
      } else if (items.size > 0) {
        outcome = 'partiallyFailed';
        failed = items;
      }
    } catch (thrown) {
      outcome = thrown instanceof FunctionTimeoutError ? 'timedOut' : 'failed';
      failed = new Set(messageIds);
      error = thrown instanceof Error ? thrown.message : String(thrown);
      log.warn(`${mapping.functionName}: batch of ${messages.length} failed: ${error}`);
    }
    await deleteMessages(
      mapping,
      messages.filter((message) => !failed.has(message.MessageId ?? '')),
    );
    if (options.onBatch) {
      try {
        options.onBatch({
          functionName: mapping.functionName,
          queueUrl: mapping.queueUrl,
          messageIds,
          failedMessageIds: messageIds.filter((id) => failed.has(id)),
          receiveCounts: Object.fromEntries(
            records.map((record) => [record.messageId, Number(record.attributes.ApproximateReceiveCount)]),
          ),
          outcome,
          ...(error !== undefined ? { error } : {}),
          durationMs: Date.now() - started,
        });
      } catch (listenerError) {
        log.warn(
          `onBatch listener failed: ${listenerError instanceof Error ? listenerError.message : listenerError}`,
        );
      }
    }
  };

  // Lambda runs each invocation on compute of its own; here every function shares this process and
  // DynamoDB Local's one JVM. So a long request to the HTTP API, whose caller waits, gets a head start:
  // once the API has been serving for SERVING_GRACE_MS, mappings start no batch (a batch of 1000
  // lodgements fills the risk and notify queues while it is written, and consuming them at once would
  // slow its own answer) until it is idle or has been serving without a pause for SERVING_DEFERRAL_MS:
  // short requests keep nobody waiting, and under sustained load the pipeline runs alongside the API
  // as before. Batches already running go on.
  const run = async (mapping: PollerMapping) => {
    const inFlight = new Set<Promise<void>>();
    while (!stopSignal.aborted) {
      if (inFlight.size >= mapping.maxConcurrency) {
        await Promise.race(inFlight);
        continue;
      }
      await afterApiHeadStart(options.servingSince, stopSignal);
      if (stopSignal.aborted) break;
      const seen = wakeCount;
      let messages: Message[];
      try {
        messages = await collectBatch(mapping);
      } catch (error) {
        if (stopSignal.aborted) break;
        log.warn(
          `${mapping.functionName}: receive failed: ${error instanceof Error ? error.message : error}`,
        );
        await sleep(1_000, stopSignal);
        continue;
      }
      if (messages.length === 0) {
        await idle(seen);
        continue;
      }
      inFlightTotal++;
      const batch = processBatch(mapping, messages).finally(() => {
        inFlightTotal--;
        inFlight.delete(batch);
      });
      inFlight.add(batch);
    }
    await Promise.allSettled([...inFlight]);
  };

  for (const mapping of options.mappings) {
    if (mapping.batchSize < 1 || mapping.maxConcurrency < 1) {
      throw new Error(`${mapping.functionName}: batchSize and maxConcurrency must be at least 1`);
    }
  }
  const loops = options.mappings.map((mapping) =>
    run(mapping).catch((error: unknown) => log.error(`${mapping.functionName}: poller stopped`, error)),
  );

  let stopping: Promise<void> | undefined;
  return {
    inFlight: () => inFlightTotal,
    stop() {
      stopping ??= (async () => {
        stopController.abort();
        unsubscribe?.();
        await Promise.all(loops);
      })();
      return stopping;
    },
  };
};
