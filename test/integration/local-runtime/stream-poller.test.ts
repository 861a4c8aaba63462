import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQueueWithDlq, type QueueResources } from '../../../infra/local/sqs.js';
import {
  type StreamPollerMapping,
  type StreamPollers,
  startStreamPollers,
} from '../../../infra/local/stream-poller.js';
import { documentClient, dynamoDbClient, localAws, pollUntil, sqsClient, uniqueSuffix } from '../support.js';

describe('stream pollers (Lambda event-source mappings on a DynamoDB stream)', () => {
  let dynamodb: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  let sqs: SQSClient;
  let queue: QueueResources;
  let pollers: StreamPollers | undefined;
  const tables: string[] = [];

  const freshTable = async () => {
    const TableName = `stream-poller-${uniqueSuffix()}`;
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    tables.push(TableName);
    return TableName;
  };

  /** A handler that records each batch's records (partition key and step) and how many ran at once. */
  const recorder = () => {
    const seen: { pk: string; step: number }[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const handler = async (event: DynamoDBStreamEvent) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      // Long enough that batches of other lanes start meanwhile.
      await sleep(40);
      for (const record of event.Records) {
        const image = record.dynamodb?.NewImage ?? {};
        seen.push({ pk: String(image.pk?.S), step: Number(image.step?.N) });
      }
      running -= 1;
      return { batchItemFailures: [] };
    };
    return { handler, seen, mostAtOnce: () => mostAtOnce };
  };

  const mapping = (
    tableName: string,
    handler: StreamPollerMapping['handler'],
    parallelizationFactor: number,
  ): StreamPollerMapping => ({
    functionName: 'test-stream-consumer',
    tableName,
    partitionKey: 'pk',
    batchSize: 10,
    parallelizationFactor,
    filter: { eventName: ['INSERT', 'MODIFY'] },
    maxRetryAttempts: 2,
    parkIn: { queueUrl: queue.dlqUrl, message: (image) => ({ pk: (image.pk as { S?: string }).S }) },
    timeoutSeconds: 5,
    handler,
  });

  /** Writes `partitions` items, then moves each through `steps` more updates: records per item in order. */
  const writeSteps = async (TableName: string, partitions: number, steps: number) => {
    const keys = Array.from({ length: partitions }, (_, index) => `P${index}`);
    for (let from = 0; from < keys.length; from += 25) {
      await documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [TableName]: keys
              .slice(from, from + 25)
              .map((pk) => ({ PutRequest: { Item: { pk, sk: 'S', step: 0 } } })),
          },
        }),
      );
    }
    for (let step = 1; step <= steps; step += 1) {
      await Promise.all(
        keys.map((pk) =>
          documents.send(
            new UpdateCommand({
              TableName,
              Key: { pk, sk: 'S' },
              UpdateExpression: 'SET step = :step',
              ExpressionAttributeValues: { ':step': step },
            }),
          ),
        ),
      );
    }
    return keys;
  };

  beforeAll(async () => {
    dynamodb = dynamoDbClient();
    documents = documentClient();
    sqs = sqsClient();
    queue = await createQueueWithDlq(sqs, `stream-poller-${uniqueSuffix()}`, {
      visibilityTimeoutSeconds: 5,
      maxReceiveCount: 3,
    });
  });

  afterEach(async () => {
    await pollers?.stop();
    pollers = undefined;
  });

  afterAll(async () => {
    for (const TableName of tables) await dynamodb.send(new DeleteTableCommand({ TableName }));
    dynamodb.destroy();
    sqs.destroy();
  });

  const start = (
    tableName: string,
    handler: StreamPollerMapping['handler'],
    parallelizationFactor: number,
    servingSince?: () => number | undefined,
  ) => {
    pollers = startStreamPollers({
      dynamodb,
      endpoint: localAws().endpoints.dynamodb,
      sqs,
      mappings: [mapping(tableName, handler, parallelizationFactor)],
      region: localAws().region,
      ...(servingSince ? { servingSince } : {}),
    });
  };

  const run = async (parallelizationFactor: number) => {
    const tableName = await freshTable();
    const keys = await writeSteps(tableName, 40, 2);
    const { handler, seen, mostAtOnce } = recorder();
    start(tableName, handler as StreamPollerMapping['handler'], parallelizationFactor);
    await pollUntil(() => (seen.length >= keys.length * 3 ? true : undefined), {
      timeoutMs: 20_000,
      description: 'every record handed to the consumer',
    });
    return { keys, seen, mostAtOnce: mostAtOnce() };
  };

  it('hands a shard to as many batches at once as the parallelization factor, each item in order', async () => {
    const { keys, seen, mostAtOnce } = await run(4);
    expect(seen).toHaveLength(keys.length * 3);
    for (const pk of keys) {
      expect(seen.filter((record) => record.pk === pk).map((record) => record.step)).toEqual([0, 1, 2]);
    }
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(4);
  });

  it('hands a shard to one batch at a time with a parallelization factor of 1', async () => {
    const { keys, seen, mostAtOnce } = await run(1);
    expect(seen).toHaveLength(keys.length * 3);
    expect(mostAtOnce).toBe(1);
  });

  it('starts no batch while a long request to the API has its head start, and goes on once it ends', async () => {
    // Prepare: the API has been serving for a second whenever asked (a long request is being answered)
    const tableName = await freshTable();
    const keys = await writeSteps(tableName, 10, 0);
    const { handler, seen } = recorder();
    let serving = true;

    // Act
    start(tableName, handler as StreamPollerMapping['handler'], 4, () =>
      serving ? Date.now() - 1_000 : undefined,
    );
    await sleep(500);
    const whileServing = seen.length;
    serving = false;
    await pollUntil(() => (seen.length >= keys.length ? true : undefined), {
      timeoutMs: 10_000,
      description: 'every record handed on once the API is idle',
    });

    // Assess
    expect(whileServing).toBe(0);
    expect(seen.map((record) => record.pk).sort()).toEqual([...keys].sort());
  });
});
