import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toSqsRecord } from '../../../infra/local/poller.js';
import { verifySignature } from '../../../shared/domain/webhooks/signature.js';
import { type HttpHandler, invoke, lambdaContext } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  drainQueue,
  type IsolatedResources,
  localAws,
  pollUntil,
  sqsClient,
} from '../support.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A platform's webhook receiver on localhost: 503 for events of the declarations in `failFor`, else 200. */
const startReceiver = async () => {
  const received: Received[] = [];
  const failFor = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const declarationId = String(
        (JSON.parse(body) as { data?: { declarationId?: string } }).data?.declarationId,
      );
      res.writeHead(failFor.has(declarationId) ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    failFor,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('webhooks', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let webhooks: HttpHandler;
  let notify: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let rival: Awaited<ReturnType<typeof startReceiver>>;
  const sqs = sqsClient();
  const SECRET = 'whsec_0123456789abcdef';

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'hooks', visibilityTimeoutSeconds: 2 });
    restoreEnv = applyEnv(resources.env);
    ({ handler: webhooks } = (await import('../../../functions/webhooks/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: notify } = (await import('../../../functions/notify/handler.js')) as unknown as {
      handler: typeof notify;
    });
    [receiver, rival] = await Promise.all([startReceiver(), startReceiver()]);
  });

  afterAll(async () => {
    await Promise.all([receiver?.stop(), rival?.stop()]);
    restoreEnv?.();
    await resources?.destroy();
  });

  beforeEach(async () => {
    await drainQueue(sqs, resources.queues.notify.url);
    receiver.received.length = 0;
    rival.received.length = 0;
  });

  const put = (as: `platform:${string}`, body: unknown) =>
    invoke(webhooks, { routeKey: 'PUT /v1/webhooks', as, body });

  describe('putWebhook and getWebhook', () => {
    it('stores the settings and never shows the secret in any form', async () => {
      // Act
      const stored = await put('platform:hook-a', { url: receiver.url, secret: SECRET });
      const read = await invoke(webhooks, { routeKey: 'GET /v1/webhooks', as: 'platform:hook-a' });

      // Assess
      expect(stored.statusCode).toBe(200);
      expect(read.statusCode).toBe(200);
      expect(read.body).toEqual({
        url: receiver.url,
        updatedAt: expect.any(String),
        delivery: { status: 'ACTIVE', consecutiveFailures: 0 },
      });
      expect(stored.text).not.toContain(SECRET.slice(-4));
      expect(read.text).not.toContain(SECRET.slice(-4));
    });

    it("answers 404 for a platform that has set none, without showing another platform's", async () => {
      const read = await invoke(webhooks, { routeKey: 'GET /v1/webhooks', as: 'platform:nobody' });
      expect(read.statusCode).toBe(404);
    });

    it.each([
      [{ url: 'http://platform.example/hooks', secret: SECRET }, 'url', /https/],
      [{ url: 'ftp://platform.example/hooks', secret: SECRET }, 'url', /https/],
      [{ url: 'https://user:pass@platform.example/hooks', secret: SECRET }, 'url', /user name/],
      [{ url: 'https://10.0.0.1/hooks', secret: SECRET }, 'url', /not an IP address/],
      [{ url: 'not a url', secret: SECRET }, 'url', /absolute URL/],
      [{ url: 'https://platform.example/hooks', secret: 'short' }, 'secret', /at least 16/],
      [{ url: 'https://platform.example/hooks', secret: 'x'.repeat(257) }, 'secret', /at most 256/],
      [
        { url: 'https://platform.example/hooks', secret: SECRET, events: ['*'] },
        'events',
        /not a known field/,
      ],
      [{ secret: SECRET }, 'url', /required/],
    ])('refuses %o naming %s', async (body, path, message) => {
      const response = await put('platform:hook-a', body);
      expect(response.statusCode).toBe(400);
      expect(response.body.errors).toContainEqual({ path, message: expect.stringMatching(message) });
    });
  });

  describe('notify', () => {
    const eventBody = (platformId: string, declarationId = 'dcl_test') =>
      JSON.stringify({
        version: '0',
        id: `evt-${Math.random().toString(16).slice(2)}`,
        'detail-type': 'DeclarationReleased',
        source: 'clearway.nl',
        account: '000000000000',
        time: '2026-07-01T10:00:00Z',
        region: 'eu-west-1',
        resources: [],
        detail: {
          version: 1,
          declarationId,
          platformId,
          reference: 'R-1',
          status: 'RELEASED',
          occurredAt: '2026-07-01T10:00:00.000Z',
          releasedAt: '2026-07-01T10:00:00.000Z',
        },
      });

    /** Puts a message on the isolated notify queue and receives it, so its receipt handle is real. */
    const received = async (body: string): Promise<SQSRecord> => {
      const queue = resources.queues.notify;
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: 1,
          AttributeNames: ['All'],
        }),
      );
      const message = Messages[0];
      if (!message) throw new Error('No message received');
      return toSqsRecord(message, queue.arn, localAws().region);
    };

    it("POSTs each event to the owning platform's URL with a signature the receiver can verify", async () => {
      // Prepare
      await put('platform:hook-b', { url: receiver.url, secret: SECRET });
      await put('platform:hook-rival', { url: rival.url, secret: `${SECRET}-rival` });
      const record = await received(eventBody('hook-b'));

      // Act
      const response = await notify({ Records: [record] }, lambdaContext('notify'));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(receiver.received).toHaveLength(1);
      expect(rival.received).toHaveLength(0);
      const delivery = receiver.received[0] as Received;
      expect(verifySignature(SECRET, String(delivery.headers['clearway-signature']), delivery.body)).toBe(
        true,
      );
      expect(
        verifySignature(`${SECRET}-rival`, String(delivery.headers['clearway-signature']), delivery.body),
      ).toBe(false);
      expect(JSON.parse(delivery.body)).toMatchObject({
        type: 'DeclarationReleased',
        data: { declarationId: 'dcl_test', platformId: 'hook-b', status: 'RELEASED' },
      });
      expect(delivery.headers['clearway-event-id']).toBe(JSON.parse(record.body).id);
    });

    it('fails only the record whose delivery failed and delays its retry', async () => {
      // Prepare
      await put('platform:hook-c', { url: receiver.url, secret: SECRET });
      receiver.failFor.add('dcl_failing');
      const failing = await received(eventBody('hook-c', 'dcl_failing'));
      const passing = await received(eventBody('hook-c', 'dcl_passing'));

      // Act
      const started = Date.now();
      const response = await notify({ Records: [failing, passing] }, lambdaContext('notify'));

      // Assess: the failed message stays invisible for the backoff (2 s visibility x 2^0), then returns
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
      // What the event-source mapping does with a partial batch response: delete what succeeded.
      await sqs.send(
        new DeleteMessageCommand({
          QueueUrl: resources.queues.notify.url,
          ReceiptHandle: passing.receiptHandle,
        }),
      );
      const quick = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: resources.queues.notify.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        }),
      );
      expect((quick.Messages ?? []).map((message) => message.Body)).not.toContain(failing.body);
      const back = await pollUntil(
        async () => {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: resources.queues.notify.url,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 1,
            }),
          );
          return Messages.find((message) => message.Body === failing.body);
        },
        { timeoutMs: 8_000, description: 'the failed message to come back' },
      );
      expect(back.Body).toBe(failing.body);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    });

    it('fails the whole batch when every delivery fails, so all of it is retried', async () => {
      // Prepare
      await put('platform:hook-d', { url: 'http://127.0.0.1:1/unreachable', secret: SECRET });
      const record = await received(eventBody('hook-d'));

      // Act
      const invocation = notify({ Records: [record] }, lambdaContext('notify'));

      // Assess
      await expect(invocation).rejects.toThrow(/All records failed/);
    });

    it('drops an event of a platform without a webhook and sends nothing anywhere', async () => {
      // Prepare
      const record = await received(eventBody('no-hook'));

      // Act
      const response = await notify({ Records: [record] }, lambdaContext('notify'));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(receiver.received).toHaveLength(0);
      expect(rival.received).toHaveLength(0);
    });
  });
});
