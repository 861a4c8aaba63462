// `npx tsx infra/local/check-sqs.ts`: checks what the in-process SQS server does natively with the real
// @aws-sdk/client-sqs (JSON protocol): send/receive, long polling, receive counts, redrive to the DLQ.
// The local runtime relies on every line this prints as "ok".
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { createQueueWithDlq, startSqsServer } from './sqs.js';

const results: string[] = [];
const check = (name: string, ok: boolean, detail: string) => {
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  if (!ok) process.exitCode = 1;
};

const server = await startSqsServer();
const { client } = server;
try {
  const queue = await createQueueWithDlq(client, 'check', {
    maxReceiveCount: 2,
    visibilityTimeoutSeconds: 1,
  });
  check('create queue + DLQ', queue.url.includes('/check') && queue.dlqArn.endsWith(':check-dlq'), queue.url);

  // Long polling: an empty queue holds the request for WaitTimeSeconds.
  let started = Date.now();
  const empty = await client.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1 }));
  let elapsed = Date.now() - started;
  check('long polling waits on an empty queue', !empty.Messages?.length && elapsed >= 900, `${elapsed} ms`);

  // A message sent during a long poll is returned. (Difference from SQS: the server keeps collecting
  // until MaxNumberOfMessages or WaitTimeSeconds; SQS returns as soon as it has something.)
  started = Date.now();
  const polling = client.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      WaitTimeSeconds: 2,
      MaxNumberOfMessages: 1,
      AttributeNames: ['All'],
    }),
  );
  setTimeout(
    () => void client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'first' })),
    300,
  );
  const first = await polling;
  elapsed = Date.now() - started;
  check(
    'long polling returns a message sent while waiting',
    first.Messages?.[0]?.Body === 'first' && elapsed < 1500,
    `${elapsed} ms with MaxNumberOfMessages 1`,
  );

  // Receive counts only come back when asked for.
  await client.send(
    new SendMessageCommand({
      QueueUrl: queue.url,
      MessageBody: 'counted',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
    }),
  );
  const bare = await client.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 0 }));
  check(
    'no Attributes unless asked',
    bare.Messages?.[0] !== undefined && bare.Messages[0].Attributes === undefined,
    JSON.stringify(bare.Messages?.[0]?.Attributes ?? null),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  const viaSystemNames = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  check(
    'MessageSystemAttributeNames alone',
    true,
    `Attributes ${viaSystemNames.Messages?.[0]?.Attributes ? 'returned' : 'NOT returned: ask with AttributeNames too'}`,
  );

  // Redrive: 'first' was received once, 'counted' twice; maxReceiveCount 2 moves both to the DLQ once
  // their visibility timeout ends without a delete.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  const third = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      WaitTimeSeconds: 0,
      MaxNumberOfMessages: 10,
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  const counts = (third.Messages ?? []).map((m) => `${m.Body}:${m.Attributes?.ApproximateReceiveCount}`);
  check('ApproximateReceiveCount with AttributeNames', counts.length > 0, counts.join(', '));
  check(
    'message attributes come back',
    third.Messages?.some((m) => m.MessageAttributes?.kind?.StringValue === 'test') ?? false,
    JSON.stringify(third.Messages?.map((m) => m.MessageAttributes ?? null)),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_300));
  const dlq = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.dlqUrl,
      WaitTimeSeconds: 0,
      MaxNumberOfMessages: 10,
      AttributeNames: ['All'],
    }),
  );
  const moved = (dlq.Messages ?? []).map((m) => `${m.Body} (from ${m.Attributes?.DeadLetterQueueSourceArn})`);
  check(
    'redrive to the DLQ after maxReceiveCount receives',
    moved.length === 2,
    moved.join(', ') || 'nothing moved',
  );

  // Batches.
  await client.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `batch-${i}` })),
    }),
  );
  started = Date.now();
  const batch = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }),
  );
  check(
    'receive of 10 with WaitTimeSeconds 0',
    batch.Messages?.length === 10,
    `${batch.Messages?.length ?? 0} messages in ${Date.now() - started} ms`,
  );
  const attributes = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }),
  );
  check(
    'queue attributes',
    attributes.Attributes?.VisibilityTimeout === '1',
    `VisibilityTimeout ${attributes.Attributes?.VisibilityTimeout}, RedrivePolicy ${attributes.Attributes?.RedrivePolicy}`,
  );
} finally {
  await server.stop();
  process.stdout.write(`${results.join('\n')}\n`);
}
