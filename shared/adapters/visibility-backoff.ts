// Exponential backoff for SQS redeliveries: before a record is reported as failed, its message is made
// invisible for the queue's visibility timeout times 2^(receives - 1), capped. A queue with the usual
// timeout retries after 3, 6, 12 ... minutes; a queue set up with a short timeout for fault tests retries
// within seconds, with the same code.
import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { backoffDelay } from '../lib/backoff.js';
import { logger } from '../observability.js';
import { sqs } from './aws-clients.js';

/** The longest a failed message waits before its next attempt. */
export const MAX_BACKOFF_SECONDS = 3600;

export const backoffSeconds = (visibilityTimeout: number, receiveCount: number): number =>
  backoffDelay({ first: visibilityTimeout, max: MAX_BACKOFF_SECONDS, jitter: 'none' }, receiveCount - 1);

export type DelayRetry = (
  record: Pick<SQSRecord, 'eventSourceARN' | 'receiptHandle' | 'attributes'>,
) => Promise<void>;

export const visibilityBackoff = (client: SQSClient = sqs()): DelayRetry => {
  const queues = new Map<string, Promise<{ url: string; visibilityTimeout: number }>>();
  const queueOf = (arn: string) => {
    let queue = queues.get(arn);
    if (!queue) {
      const [, , , , account, name] = arn.split(':');
      queue = (async () => {
        const { QueueUrl } = await client.send(
          new GetQueueUrlCommand({
            QueueName: name,
            ...(account ? { QueueOwnerAWSAccountId: account } : {}),
          }),
        );
        if (!QueueUrl) throw new Error(`No URL for queue ${arn}`);
        const { Attributes } = await client.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
        );
        return { url: QueueUrl, visibilityTimeout: Number(Attributes?.VisibilityTimeout ?? 30) };
      })();
      queue.catch(() => queues.delete(arn));
      queues.set(arn, queue);
    }
    return queue;
  };
  return async (record) => {
    try {
      const queue = await queueOf(record.eventSourceARN);
      const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: backoffSeconds(queue.visibilityTimeout, receives),
        }),
      );
    } catch (error) {
      // The queue's own visibility timeout still brings the message back: backoff is an optimisation.
      logger.warn('Could not delay the retry of a failed message', { error: error as Error });
    }
  };
};
