// The shape every queue consumer shares: Powertools partial batch processing, with a batch-wide `prepare`
// step (batched reads for every record at once) and a `finish` step (batched publishing). A record that
// fails alone is reported alone; a failure in prepare or finish retries the whole batch, which is safe
// because every step is idempotent.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { type DeclarationKeys, logger, metrics, tracer, withDeclarationKeys } from '../observability.js';
import { countDeadLettered } from '../step-metrics.js';

export interface BatchConsumer<Work, Batch, Record = SQSRecord> {
  /** Reads one message; a throw fails only that record. */
  parse: (record: Record) => Work;
  /** Loads what the whole batch needs in as few requests as possible. */
  prepare: (work: Work[]) => Promise<Batch>;
  /** Handles one record; a throw fails only that record. */
  handle: (work: Work, batch: Batch) => Promise<void>;
  /** Runs once after every record was handled, e.g. to publish the events they produced. */
  finish?: (batch: Batch) => Promise<void>;
  /** The declaration and filer a record is about: its log keys and trace annotations while it is handled. */
  describe?: (work: Work, batch: Batch) => DeclarationKeys;
  /**
   * Receives after which the queue moves a message to its dead-letter queue (shared/topology.ts): a record
   * that fails on its last receive is counted as MessagesToDlq.
   */
  maxReceiveCount?: number;
}

/** How many times the queue has delivered a record (SQS only; a stream record says nothing). */
const receivesOf = (record: unknown): number | undefined => {
  const count = (record as Partial<SQSRecord>).attributes?.ApproximateReceiveCount;
  return count === undefined ? undefined : Number(count);
};

/**
 * One partial-batch handler for every event source: `keyOf` names a record the way the source reports a
 * failure (an SQS message id, a stream sequence number). Each failed record is logged with its key.
 */
const partialBatchHandler = <Event extends { Records: Source[] }, Response, Source, Work, Batch>(
  eventType: (typeof EventType)[keyof typeof EventType],
  keyOf: (record: Source) => string,
  consumer: BatchConsumer<Work, Batch, Source>,
) => {
  const processor = new BatchProcessor(eventType);
  return middy<Event, Response, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const parsed = new Map<string, { work: Work } | { error: unknown }>();
      for (const record of event.Records) {
        try {
          parsed.set(keyOf(record), { work: consumer.parse(record) });
        } catch (error) {
          parsed.set(keyOf(record), { error });
        }
      }
      const works = [...parsed.values()].flatMap((entry) => ('work' in entry ? [entry.work] : []));
      const batch = await consumer.prepare(works);
      const response = await processPartialResponse(
        event as Parameters<typeof processPartialResponse>[0],
        async (record: Source) => {
          const key = keyOf(record);
          const entry = parsed.get(key);
          const keys = entry && 'work' in entry ? consumer.describe?.(entry.work, batch) : undefined;
          await withDeclarationKeys(keys ?? {}, async () => {
            try {
              if (!entry || 'error' in entry) throw entry?.error ?? new Error('Unparsed record');
              await consumer.handle(entry.work, batch);
            } catch (error) {
              const receives = receivesOf(record);
              const last =
                consumer.maxReceiveCount !== undefined && (receives ?? 0) >= consumer.maxReceiveCount;
              if (last) {
                logger.error('Record failed on its last receive; it goes to the dead-letter queue', {
                  record: key,
                  receives,
                  error: error as Error,
                });
                countDeadLettered(1);
              } else {
                logger.warn('Record failed; it will be delivered again', {
                  record: key,
                  error: error as Error,
                });
              }
              throw error;
            }
          });
        },
        processor,
        { context },
      );
      await consumer.finish?.(batch);
      const failed = response.batchItemFailures.length;
      metrics.addMetric('RecordsProcessed', MetricUnit.Count, event.Records.length - failed);
      metrics.addMetric('RecordsFailed', MetricUnit.Count, failed);
      return response as Response;
    });
};

export const sqsBatchHandler = <Work, Batch>(consumer: BatchConsumer<Work, Batch>) =>
  partialBatchHandler<SQSEvent, SQSBatchResponse, SQSRecord, Work, Batch>(
    EventType.SQS,
    (record) => record.messageId,
    consumer,
  );

/**
 * The same shape for a DynamoDB stream consumer (a Lambda event-source mapping on a table's stream): a
 * record that fails alone is reported by its sequence number, and Lambda retries from there.
 */
export const streamBatchHandler = <Work, Batch>(consumer: BatchConsumer<Work, Batch, DynamoDBRecord>) =>
  partialBatchHandler<DynamoDBStreamEvent, DynamoDBBatchResponse, DynamoDBRecord, Work, Batch>(
    EventType.DynamoDBStreams,
    (record) => record.dynamodb?.SequenceNumber ?? '',
    consumer,
  );
