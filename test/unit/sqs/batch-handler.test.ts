import type { Context, DynamoDBRecord, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { logger } from '../../../shared/observability.js';
import { sqsBatchHandler, streamBatchHandler } from '../../../shared/sqs/batch-handler.js';
import {
  DutyMessageSchema,
  declarationEvent,
  InsertedDeclarationSchema,
} from '../../../shared/sqs/records.js';
import { sqsRecord } from '../../fixtures/sqs.js';

const context = { functionName: 'test', awsRequestId: 'req-1' } as Context;

/** An event as the bus delivers it to a queue: the whole event is the message body. */
const busEvent = (detailType: string, detail: Record<string, unknown>) => ({
  version: '0',
  id: `evt-${detailType}`,
  'detail-type': detailType,
  source: 'clearway.nl',
  account: '000000000000',
  time: '2026-07-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});

const base = {
  version: 1,
  declarationId: 'dcl_1',
  platformId: 'acme',
  reference: 'ORDER-1',
  occurredAt: '2026-07-01T10:00:00.000Z',
};
const holdPlaced = busEvent('HoldPlaced', {
  ...base,
  status: 'HELD',
  holdId: 'hold_customs',
  reason: 'X-ray anomaly',
});

describe('sqsBatchHandler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fails only the records that failed, logs each by its message id, and finishes the batch once', async () => {
    // Prepare: one unreadable body, one off its schema, one that the handler refuses, one that goes through
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const handled: string[] = [];
    const prepared: string[][] = [];
    const finish = vi.fn(async () => undefined);
    const handler = sqsBatchHandler({
      body: z.object({ id: z.string() }),
      work: (message) => message.body,
      prepare: async (works) => {
        prepared.push(works.map((work) => work.id));
        return works.map((work) => work.id);
      },
      handle: async (work) => {
        if (work.id === 'refused') throw new Error('refused by the step');
        handled.push(work.id);
      },
      finish,
    });
    const event: SQSEvent = {
      Records: [
        sqsRecord('m-1', '{not json'),
        sqsRecord('m-2', { id: 7 }),
        sqsRecord('m-3', { id: 'refused' }),
        sqsRecord('m-4', { id: 'ok' }),
      ],
    };

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm-1' },
      { itemIdentifier: 'm-2' },
      { itemIdentifier: 'm-3' },
    ]);
    expect(handled).toEqual(['ok']);
    expect(prepared.map((ids) => [...ids].sort())).toEqual([['ok', 'refused']]);
    expect(finish).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.map(([, details]) => (details as { record: string }).record)).toEqual([
      'm-1',
      'm-2',
      'm-3',
    ]);
  });

  it("reads the bus's events through one envelope: a queue's own detail types pass, any other fails alone", async () => {
    // Prepare: a hold event, a release (not this queue's), and a hold whose detail breaks the contract
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const indexed: string[] = [];
    const handler = sqsBatchHandler({
      body: declarationEvent(['HoldPlaced', 'HoldLifted']),
      work: (message) => message.body.detail.declarationId,
      prepare: async () => undefined,
      handle: async (id) => {
        indexed.push(id);
      },
    });
    const released = busEvent('DeclarationReleased', {
      ...base,
      status: 'RELEASED',
      releasedAt: '2026-07-01T10:00:00.000Z',
    });
    const broken = { ...holdPlaced, detail: { ...holdPlaced.detail, holdId: undefined } };

    // Act
    const response = await handler(
      {
        Records: [sqsRecord('m-1', holdPlaced), sqsRecord('m-2', released), sqsRecord('m-3', broken)],
      },
      context,
    );

    // Assess
    expect(indexed).toEqual(['dcl_1']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }]);
  });

  it('retries the whole batch when no record can be read', async () => {
    // Prepare
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const prepare = vi.fn(async () => undefined);
    const handler = sqsBatchHandler({
      body: declarationEvent(),
      work: (message) => message.body,
      prepare,
      handle: async () => undefined,
    });

    // Act
    const outcome = handler({ Records: [sqsRecord('m-1', 'null'), sqsRecord('m-2', '[]')] }, context);

    // Assess
    await expect(outcome).rejects.toThrow(/All records failed processing/);
    expect(prepare).not.toHaveBeenCalled();
  });
});

describe('the duty queue message', () => {
  it("takes the risk step's hand-over, one declaration handed back and a RiskAssessed event sent back, and nothing else", () => {
    // Prepare
    const assessed = busEvent('RiskAssessed', { ...base, status: 'ASSESSED', lane: 'GREEN', score: 0 });

    // Act
    const handOver = DutyMessageSchema.safeParse({
      works: [{ declarationId: 'dcl_2' }, { declarationId: 'dcl_3' }],
    });
    const handedBack = DutyMessageSchema.safeParse({ declarationId: 'dcl_2' });
    const sentBack = DutyMessageSchema.safeParse(assessed);
    const hold = DutyMessageSchema.safeParse(holdPlaced);
    const empty = DutyMessageSchema.safeParse({ declarationId: '' });
    const none = DutyMessageSchema.safeParse({ works: [] });

    // Assess
    expect(handOver.data).toEqual([{ declarationId: 'dcl_2' }, { declarationId: 'dcl_3' }]);
    expect(handedBack.data).toEqual([{ declarationId: 'dcl_2' }]);
    expect(sentBack.data).toEqual([{ declarationId: 'dcl_1' }]);
    expect(hold.success).toBe(false);
    expect(empty.success).toBe(false);
    expect(none.success).toBe(false);
  });
});

describe('streamBatchHandler', () => {
  it("reads a declaration's insert from its stream image, failing alone a record without one", async () => {
    // Prepare
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const evaluated: string[] = [];
    const handler = streamBatchHandler({
      record: InsertedDeclarationSchema,
      work: (record) => record.dynamodb.NewImage.id,
      prepare: async () => undefined,
      handle: async (id) => {
        evaluated.push(id);
      },
    });
    const change = (sequence: string, image?: Record<string, unknown>): DynamoDBRecord => ({
      eventID: `e-${sequence}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/declarations/stream/2026',
      dynamodb: {
        ApproximateCreationDateTime: 1_780_000_000,
        Keys: { pk: { S: 'DECL#dcl_3' }, sk: { S: 'STATE' } },
        SequenceNumber: sequence,
        SizeBytes: 100,
        StreamViewType: 'NEW_IMAGE',
        ...(image ? { NewImage: image } : {}),
      } as DynamoDBRecord['dynamodb'],
    });

    // Act
    const response = await handler(
      {
        Records: [
          change('100', { pk: { S: 'DECL#dcl_3' }, sk: { S: 'STATE' }, id: { S: 'dcl_3' } }),
          change('101'),
        ],
      },
      context,
    );

    // Assess
    expect(evaluated).toEqual(['dcl_3']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '101' }]);
  });
});
