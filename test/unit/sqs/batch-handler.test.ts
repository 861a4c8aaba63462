import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/observability.js';
import { sqsBatchHandler } from '../../../shared/sqs/batch-handler.js';

const record = (messageId: string, body: string): SQSRecord =>
  ({
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:test',
    awsRegion: 'eu-west-1',
  }) as SQSRecord;

const context = { functionName: 'test', awsRequestId: 'req-1' } as Context;

describe('sqsBatchHandler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fails only the records that failed, logs each by its message id, and finishes the batch once', async () => {
    // Prepare: one unreadable body, one that the handler refuses, one that goes through
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const handled: string[] = [];
    const finish = vi.fn(async () => undefined);
    const handler = sqsBatchHandler<{ id: string }, string[]>({
      parse: (message) => JSON.parse(message.body) as { id: string },
      prepare: async (works) => works.map((work) => work.id),
      handle: async (work) => {
        if (work.id === 'refused') throw new Error('refused by the step');
        handled.push(work.id);
      },
      finish,
    });
    const event: SQSEvent = {
      Records: [record('m-1', '{not json'), record('m-2', '{"id":"refused"}'), record('m-3', '{"id":"ok"}')],
    };

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect(handled).toEqual(['ok']);
    expect(finish).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.map(([, details]) => (details as { record: string }).record)).toEqual([
      'm-1',
      'm-2',
    ]);
  });
});
