// Sends messages to an SQS queue in batches of ten (several batches in flight at once), retrying only the
// entries SQS reports as failed.
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SendMessages } from '../use-cases/ports/queue.js';
import { sqs } from './aws-clients.js';
import { chunk, mapConcurrent, retryFailed } from './retry.js';

/** SendMessageBatch calls in flight at once for one large send. */
const CONCURRENT_CALLS = 8;

export const queueSender =
  (queueUrl: string, client: SQSClient = sqs()): SendMessages =>
  async (bodies) => {
    const entries: SendMessageBatchRequestEntry[] = bodies.map((body, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(body),
    }));
    await mapConcurrent(chunk(entries, 10), CONCURRENT_CALLS, (batch) =>
      retryFailed(
        batch,
        async (pending) => {
          const result = await client.send(
            new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
          );
          const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
          return pending.filter((entry) => failed.has(entry.Id));
        },
        'SendMessageBatch',
      ),
    );
  };
