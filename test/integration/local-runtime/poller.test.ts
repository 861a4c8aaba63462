import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../../infra/local/lambda.js';
import {
  type BatchReport,
  type PollerMapping,
  type Pollers,
  startPollers,
} from '../../../infra/local/poller.js';
import { createQueueWithDlq, type QueueResources } from '../../../infra/local/sqs.js';
import { drainQueue, localAws, pollUntil, sqsClient, uniqueSuffix } from '../support.js';

describe('SQS pollers (Lambda event-source mappings)', () => {
  let sqs: SQSClient;
  let pollers: Pollers | undefined;

  const freshQueue = (visibilityTimeoutSeconds = 1, maxReceiveCount = 3) =>
    createQueueWithDlq(sqs, `poller-${uniqueSuffix()}`, { visibilityTimeoutSeconds, maxReceiveCount });

  const send = async (queue: QueueResources, bodies: string[]) => {
    for (let start = 0; start < bodies.length; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: bodies.slice(start, start + 10).map((body, index) => ({
            Id: String(index),
            MessageBody: body,
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
          })),
        }),
      );
    }
  };

  const mapping = (
    queue: QueueResources,
    handler: LambdaHandler,
    overrides: Partial<PollerMapping> = {},
  ): PollerMapping => ({
    functionName: 'test-consumer',
    queueUrl: queue.url,
    queueArn: queue.arn,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
    timeoutSeconds: 5,
    handler,
    ...overrides,
  });

  const start = (mappings: PollerMapping[], onBatch?: (report: BatchReport) => void) => {
    pollers = startPollers({ sqs, mappings, region: localAws().region, ...(onBatch ? { onBatch } : {}) });
    return pollers;
  };

  beforeAll(() => {
    sqs = sqsClient();
  });

  afterEach(async () => {
    await pollers?.stop();
    pollers = undefined;
  });

  afterAll(() => sqs.destroy());

  it('delivers batches of the configured size, as Lambda-shaped SQS events', async () => {
    // Prepare
    const queue = await freshQueue(30);
    await send(
      queue,
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    const events: SQSEvent[] = [];
    const handler: LambdaHandler = async (event: SQSEvent) => {
      events.push(event);
      return { batchItemFailures: [] } satisfies SQSBatchResponse;
    };

    // Act
    start([mapping(queue, handler, { batchSize: 4, maxConcurrency: 1 })]);
    await pollUntil(() => (events.flatMap((event) => event.Records).length >= 10 ? true : undefined), {
      description: 'all 10 records',
    });

    // Assess
    expect(events.map((event) => event.Records.length)).toEqual([4, 4, 2]);
    for (const event of events) expect(SqsSchema.safeParse(event).success).toBe(true);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: localAws().region,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: expect.stringMatching(/^\d+$/) },
      messageAttributes: {
        kind: { stringValue: 'test', dataType: 'String', stringListValues: [], binaryListValues: [] },
      },
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(record?.attributes.ApproximateFirstReceiveTimestamp).toMatch(/^\d+$/);
    expect(record?.attributes.SenderId).toBeTruthy();
    await pollers?.stop();
    expect(await drainQueue(sqs, queue.url)).toEqual([]);
  });

  it('collects a full batch within the batching window', async () => {
    // Prepare
    const queue = await freshQueue(30);
    const sizes: number[] = [];

    // Act: the first message opens a 2 s window; nine more arrive within it.
    start([
      mapping(
        queue,
        async (event: SQSEvent) => {
          sizes.push(event.Records.length);
        },
        { maxBatchingWindowSeconds: 2 },
      ),
    ]);
    await send(queue, ['first']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send(
      queue,
      Array.from({ length: 9 }, (_, i) => `later-${i}`),
    );
    await pollUntil(() => (sizes.reduce((a, b) => a + b, 0) >= 10 ? true : undefined), {
      description: '10 records',
    });

    // Assess
    expect(sizes).toEqual([10]);
  });

  it('deletes the records that succeeded and redelivers only the ones reported as failed', async () => {
    // Prepare
    const queue = await freshQueue(1);
    await send(queue, ['ok-1', 'bad', 'ok-2']);
    const seen: { body: string; receiveCount: string }[] = [];
    let failedOnce = false;
    const handler: LambdaHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        seen.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount });
        if (record.body === 'bad' && !failedOnce) {
          failedOnce = true;
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    };

    // Act
    start([mapping(queue, handler)]);
    await pollUntil(() => (seen.filter((item) => item.body === 'bad').length >= 2 ? true : undefined), {
      description: 'the failed record to come back',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // Assess: the failed record came back once, with its receive count raised; the others never did.
    expect(seen.filter((item) => item.body === 'bad').map((item) => item.receiveCount)).toEqual(['1', '2']);
    expect(seen.filter((item) => item.body.startsWith('ok')).map((item) => item.receiveCount)).toEqual([
      '1',
      '1',
    ]);
  });

  it('moves a record that keeps failing to the DLQ after maxReceiveCount while its batch-mates succeed', async () => {
    // Prepare
    const queue = await freshQueue(1, 3);
    await send(queue, ['poison', 'ok-1', 'ok-2', 'ok-3']);
    const okDeliveries: string[] = [];
    const poisonCounts: string[] = [];
    const reports: BatchReport[] = [];
    const handler: LambdaHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => ({
      batchItemFailures: event.Records.flatMap((record) => {
        if (record.body !== 'poison') {
          okDeliveries.push(record.body);
          return [];
        }
        poisonCounts.push(record.attributes.ApproximateReceiveCount);
        return [{ itemIdentifier: record.messageId }];
      }),
    });

    // Act
    start([mapping(queue, handler)], (report) => reports.push(report));
    const dead = await pollUntil(
      async () => {
        const messages = await drainQueue(sqs, queue.dlqUrl);
        return messages.length > 0 ? messages : undefined;
      },
      { timeoutMs: 15_000, description: 'the poison message in the DLQ' },
    );

    // Assess
    expect(dead.map((message) => message.Body)).toEqual(['poison']);
    expect(dead[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(queue.arn);
    expect(poisonCounts).toEqual(['1', '2', '3']);
    expect(okDeliveries.sort()).toEqual(['ok-1', 'ok-2', 'ok-3']);
    expect(reports[0]?.outcome).toBe('partiallyFailed');
  });

  it('deletes nothing when the handler throws, times out or names an unknown record', async () => {
    // Prepare
    const queue = await freshQueue(1, 10);
    await send(queue, ['a', 'b']);
    const reports: BatchReport[] = [];
    let call = 0;
    const handler: LambdaHandler = async () => {
      call++;
      if (call === 1) throw new Error('boom');
      if (call === 2) return new Promise((resolve) => setTimeout(resolve, 2_000));
      if (call === 3) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      return { batchItemFailures: [] };
    };

    // Act
    start([mapping(queue, handler, { timeoutSeconds: 0.5 })], (report) => reports.push(report));
    await pollUntil(() => (reports.some((report) => report.outcome === 'succeeded') ? true : undefined), {
      timeoutMs: 15_000,
      description: 'a successful attempt',
    });

    // Assess: every failed attempt had both records, and the last attempt saw them for the 4th time.
    const attempts = reports.filter((report) => report.messageIds.length > 0);
    expect(attempts.slice(0, 4).map((report) => report.outcome)).toEqual([
      'failed',
      'timedOut',
      'invalidResponse',
      'succeeded',
    ]);
    for (const report of attempts.slice(0, 3)) expect(report.failedMessageIds).toHaveLength(2);
    expect(Object.values(attempts[3]?.receiveCounts ?? {})).toEqual([4, 4]);
  });

  it('runs at most maxConcurrency batches at once and drains in-flight batches on stop', async () => {
    // Prepare
    const queue = await freshQueue(30);
    await send(
      queue,
      Array.from({ length: 8 }, (_, i) => `m${i}`),
    );
    let running = 0;
    let peak = 0;
    let finished = 0;
    const handler: LambdaHandler = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 300));
      running--;
      finished++;
    };

    // Act
    const started = start([mapping(queue, handler, { batchSize: 1, maxConcurrency: 2 })]);
    await pollUntil(() => (finished >= 1 ? true : undefined), { description: 'a first batch' });
    await started.stop();
    const finishedAtStop = finished;

    // Assess
    expect(peak).toBe(2);
    expect(running).toBe(0);
    expect(started.inFlight()).toBe(0);
    const left = await drainQueue(sqs, queue.url);
    expect(left.length + finishedAtStop).toBe(8);
  });

  describe('while the HTTP API serves requests', () => {
    /** A handler that takes `ms` per batch and records when each started and how many ran at once. */
    const timed = (ms: number) => {
      const record = { started: [] as number[], running: 0, peak: 0, finished: 0 };
      const handler: LambdaHandler = async () => {
        record.started.push(Date.now());
        record.running++;
        record.peak = Math.max(record.peak, record.running);
        await new Promise((resolve) => setTimeout(resolve, ms));
        record.running--;
        record.finished++;
      };
      return { record, handler };
    };

    it('holds batches back and starts them at full concurrency once the API is idle', async () => {
      // Prepare
      const queue = await freshQueue(30);
      await send(
        queue,
        Array.from({ length: 6 }, (_, i) => `m${i}`),
      );
      const { record, handler } = timed(200);
      let serving = true;
      // A request that has been running for a while, as a batch of 1000 lodgements does
      const since = Date.now() - 200;

      // Act
      pollers = startPollers({
        sqs,
        mappings: [mapping(queue, handler, { batchSize: 1, maxConcurrency: 3 })],
        region: localAws().region,
        servingSince: () => (serving ? since : undefined),
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const startedWhileServing = record.started.length;
      serving = false;
      await pollUntil(() => (record.finished === 6 ? true : undefined), { description: 'every message' });

      // Assess
      expect(startedWhileServing).toBe(0);
      expect(record.peak).toBe(3);
    });

    it('holds batches back for two seconds of serving at most, then runs them as usual', async () => {
      // Prepare
      const queue = await freshQueue(30);
      await send(
        queue,
        Array.from({ length: 3 }, (_, i) => `m${i}`),
      );
      const { record, handler } = timed(300);
      const startedAt = Date.now();

      // Act: an API that never stops serving, busy for a while already
      pollers = startPollers({
        sqs,
        mappings: [mapping(queue, handler, { batchSize: 1, maxConcurrency: 3 })],
        region: localAws().region,
        servingSince: () => startedAt - 500,
      });
      await pollUntil(() => (record.finished === 3 ? true : undefined), {
        description: 'every message',
        timeoutMs: 15_000,
      });

      // Assess
      expect((record.started[0] ?? 0) - startedAt).toBeGreaterThanOrEqual(1_400);
      expect(record.peak).toBe(3);
    });
  });
});
