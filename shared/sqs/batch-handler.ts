// The shape every queue consumer shares: Powertools partial batch processing, with a batch-wide `prepare`
// step (batched reads for every record at once) and a `finish` step (batched publishing). A record that
// fails alone is reported alone; a failure in prepare or finish retries the whole batch, which is safe
// because every step is idempotent.
import {
  BatchProcessor,
  EventType,
  ParsingError,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parse } from '@aws-lambda-powertools/parser';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
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
import type * as z from 'zod';
import { type DeclarationKeys, logger, metrics, tracer, withDeclarationKeys } from '../observability.js';
import { countDeadLettered } from '../step-metrics.js';

export interface BatchConsumer<Work, Batch, Parsed> {
  /**
   * The whole record's schema (Powertools parser), built once: the batch processor checks each record with
   * it, and one that does not match fails alone.
   */
  schema: z.ZodType<Parsed>;
  /** What the step needs of a parsed record; a throw fails only that record. */
  work: (record: Parsed) => Work;
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

/** Logs a failed record by its key; one failing on its last receive is counted as going to the DLQ. */
const reportFailure = (record: unknown, key: string, error: unknown, maxReceiveCount: number | undefined) => {
  const receives = receivesOf(record);
  if (maxReceiveCount !== undefined && (receives ?? 0) >= maxReceiveCount) {
    logger.error('Record failed on its last receive; it goes to the dead-letter queue', {
      record: key,
      receives,
      error: error as Error,
    });
    countDeadLettered(1);
  } else {
    logger.warn('Record failed; it will be delivered again', { record: key, error: error as Error });
  }
};

/**
 * One partial-batch handler for every event source: `keyOf` names a record the way the source reports a
 * failure (an SQS message id, a stream sequence number). The batch processor parses each record with the
 * consumer's schema (Powertools parser); `prepare` runs once every record is parsed or has failed to, with
 * the work of those that parsed. Each failed record is logged with its key.
 */
const partialBatchHandler = <Event extends { Records: unknown[] }, Response, Work, Batch, Parsed>(
  eventType: (typeof EventType)[keyof typeof EventType],
  keyOf: (record: unknown) => string,
  consumer: BatchConsumer<Work, Batch, Parsed>,
) =>
  middy<Event, Response, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      // The batch is prepared once every record has been parsed or has failed to: a barrier the records'
      // handlers wait at (the processor handles them in parallel).
      const works: Work[] = [];
      let unsettled = event.Records.length;
      let allParsed: () => void = () => undefined;
      const parsed = new Promise<void>((resolve) => {
        allParsed = resolve;
      });
      const settle = () => {
        unsettled -= 1;
        if (unsettled === 0) allParsed();
      };
      let prepared: Promise<Batch> | undefined;
      const batchOf = () => {
        prepared ??= parsed.then(() => consumer.prepare(works));
        return prepared;
      };
      const processor = new BatchProcessor(eventType, {
        // The parser integration's own `parser` imports the parser module again for every record, which
        // costs about 0.3 ms a record under the local runtime (tsx); this one parses the same way, with the
        // schema built once.
        parser: async (record, _type, _logger, config) => {
          const result = parse(record, undefined, config.schema ?? consumer.schema, true);
          if (result.success) return result.data as typeof record;
          const error = new ParsingError(result.error.message);
          reportFailure(record, keyOf(record), error, consumer.maxReceiveCount);
          settle();
          throw error;
        },
        schema: consumer.schema,
        logger,
      });
      const response = await processPartialResponse(
        event as Parameters<typeof processPartialResponse>[0],
        async (record: Parsed) => {
          let work: Work;
          try {
            work = consumer.work(record);
            works.push(work);
          } catch (error) {
            reportFailure(record, keyOf(record), error, consumer.maxReceiveCount);
            throw error;
          } finally {
            settle();
          }
          const batch = await batchOf();
          await withDeclarationKeys(consumer.describe?.(work, batch) ?? {}, async () => {
            try {
              await consumer.handle(work, batch);
            } catch (error) {
              reportFailure(record, keyOf(record), error, consumer.maxReceiveCount);
              throw error;
            }
          });
        },
        processor,
        { context },
      );
      // Nothing was prepared when no record parsed; then there is nothing to finish either.
      if (prepared) await consumer.finish?.(await prepared);
      const failed = response.batchItemFailures.length;
      metrics.addMetric('RecordsProcessed', MetricUnit.Count, event.Records.length - failed);
      metrics.addMetric('RecordsFailed', MetricUnit.Count, failed);
      return response as Response;
    });

/** An SQS message as the batch processor parsed it: the record, its body read by the consumer's schema. */
export type SqsMessage<Body> = Omit<SQSRecord, 'body'> & { body: Body };

/**
 * A queue consumer whose messages' bodies are JSON read by `body`. The record schema is built here, once
 * per consumer: a zod schema built per record would be compiled again for every record.
 */
export const sqsBatchHandler = <Work, Batch, Body>(
  consumer: Omit<BatchConsumer<Work, Batch, SqsMessage<Body>>, 'schema'> & { body: z.ZodType<Body> },
) =>
  partialBatchHandler<SQSEvent, SQSBatchResponse, Work, Batch, SqsMessage<Body>>(
    EventType.SQS,
    (record) => (record as SQSRecord).messageId,
    {
      ...consumer,
      schema: SqsRecordSchema.extend({ body: JSONStringified(consumer.body) }) as unknown as z.ZodType<
        SqsMessage<Body>
      >,
    },
  );

/**
 * The same shape for a DynamoDB stream consumer (a Lambda event-source mapping on a table's stream): a
 * record that fails alone is reported by its sequence number, and Lambda retries from there.
 */
export const streamBatchHandler = <Work, Batch, Record>(
  consumer: Omit<BatchConsumer<Work, Batch, Record>, 'schema'> & { record: z.ZodType<Record> },
) =>
  partialBatchHandler<DynamoDBStreamEvent, DynamoDBBatchResponse, Work, Batch, Record>(
    EventType.DynamoDBStreams,
    (record) => (record as DynamoDBRecord).dynamodb?.SequenceNumber ?? '',
    { ...consumer, schema: consumer.record },
  );
