// The post's customs responses: the consumer records each response an event means once, however often
// the event is delivered, announces it once as PostalResponseIssued, and a post polls its own.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DetailType, domainEvent, type EventDetail } from '../../../shared/domain/events.js';
import { postalRoutes } from '../../../shared/http/routes/postal.js';
import { type AnswerBody, answerAs } from '../../fixtures/api.js';
import { type HttpHandler, invoke, lambdaContext } from '../../fixtures/http.js';
import {
  applyEnv,
  collectMessages,
  createIsolatedResources,
  drainQueue,
  type IsolatedResources,
  localAws,
  pollUntil,
  sqsClient,
  uniqueSuffix,
} from '../support.js';

type Consumer = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

/** An EventBridge event as an SQS target receives it. */
const envelopeOf = <T extends DetailType>(detailType: T, detail: EventDetail<T>) =>
  JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'clearway.nl',
    account: '000000000000',
    time: detail.occurredAt,
    region: 'eu-west-1',
    resources: [],
    detail: domainEvent(detailType, detail).detail,
  });

const sqsRecord = (body: string): SQSRecord => ({
  messageId: randomUUID(),
  receiptHandle: randomUUID(),
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:postal-responses',
  awsRegion: 'eu-west-1',
});

/** A customs response as the post reads it, typed by the route's documented schema. */
type Response = AnswerBody<typeof postalRoutes.responses, 200>['items'][number];

describe('postal customs responses', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let consumer: Consumer;
  let postal: HttpHandler;
  const sqs = sqsClient();
  const run = uniqueSuffix();
  const post = `PostNL-${run}`;
  const otherPost = `BPost-${run}`;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'postrsp' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: consumer } = (await import('../../../functions/postalResponses/handler.js')) as unknown as {
      handler: Consumer;
    });
    ({ handler: postal } = (await import('../../../functions/postal/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const deliver = (bodies: string[]) =>
    consumer({ Records: bodies.map(sqsRecord) }, lambdaContext('postal-responses'));

  const poll = (as: string, query: Record<string, string> = {}) =>
    invoke(postal, { routeKey: 'GET /v1/postal/responses', as: `post:${as}`, query });

  /** Every response of a post, page by page with `limit`, following the cursors. */
  const pollAll = async (as: string, limit: number) => {
    const items: Response[] = [];
    let since: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const page = answerAs(
        postalRoutes.responses,
        await poll(as, { limit: String(limit), ...(since ? { since } : {}) }),
        200,
      );
      const found = page.items;
      items.push(...found);
      since = page.cursor;
      if (found.length < limit) break;
    }
    return { items, cursor: since };
  };

  const base = (declarationId: string, itemId: string, status: string, occurredAt: string) => ({
    version: 1 as const,
    declarationId,
    platformId: `post:${post}`,
    reference: itemId,
    status: status as 'RELEASED',
    occurredAt,
  });

  it('records each response once under repeated deliveries and lists them in order, paged without duplicates', async () => {
    // Prepare: a duty-due item that is released, a held one and a seized one to be returned, each event
    // delivered three times across batches; a platform's release answers nothing
    const at = new Date(Date.now() - 60_000).toISOString();
    const dutyDue = [
      envelopeOf('DutyAssessed', {
        ...base(`dcl_due_${run}`, 'RR000000011NL', 'RELEASED', at),
        currency: 'EUR',
        dueAtImport: '5.46',
        collectedAtCheckout: '0.00',
        payer: 'INTERMEDIARY',
      }),
      envelopeOf('DeclarationReleased', {
        ...base(`dcl_due_${run}`, 'RR000000011NL', 'RELEASED', at),
        releasedAt: at,
      }),
    ];
    const held = envelopeOf('DeclarationHeld', {
      ...base(`dcl_held_${run}`, 'RR000000025NL', 'HELD', at),
      reason: 'Held for a documentary check',
    });
    const seized = envelopeOf('DeclarationRejected', {
      ...base(`dcl_seized_${run}`, 'RR000000039NL', 'SEIZED', at),
      reason: 'Seized by officer o-1',
      disposal: 'RETURN',
    });
    const platformsOwn = envelopeOf('DeclarationReleased', {
      ...base(`dcl_platform_${run}`, 'REF-1', 'RELEASED', at),
      platformId: `acme-${run}`,
      releasedAt: at,
    });

    // Act
    const first = await deliver([...dutyDue, held, dutyDue[0] as string, platformsOwn]);
    const second = await Promise.all([deliver([...dutyDue, held, seized]), deliver([seized, held])]);

    // Assess: nothing failed; four responses, each once, in the order recorded
    expect(first.batchItemFailures).toEqual([]);
    expect(second.flatMap((result) => result.batchItemFailures)).toEqual([]);
    const all = await pollUntil(
      async () => {
        const listed = await pollAll(post, 100);
        return listed.items.length >= 4 ? listed : undefined;
      },
      { timeoutMs: 10_000, description: 'four responses listed' },
    );
    expect(all.items).toHaveLength(4);
    const byCode = new Map(all.items.map((item) => [item.code, item]));
    expect(byCode.get('DUTY_DUE')).toEqual({
      itemId: 'RR000000011NL',
      declarationId: `dcl_due_${run}`,
      code: 'DUTY_DUE',
      amountDue: '5.46',
      currency: 'EUR',
      payer: 'INTERMEDIARY',
      at,
    });
    expect(byCode.get('RELEASED')).toMatchObject({ itemId: 'RR000000011NL', at });
    expect(byCode.get('HELD')).toMatchObject({
      itemId: 'RR000000025NL',
      reason: 'Held for a documentary check',
    });
    expect(byCode.get('RETURN')).toMatchObject({ itemId: 'RR000000039NL', reason: 'Seized by officer o-1' });
    // The seized item's response was recorded last (the first batch did not carry it).
    expect(all.items.at(-1)?.code).toBe('RETURN');

    // Paging by one gives the same responses in the same order.
    const paged = await pollAll(post, 1);
    expect(paged.items).toEqual(all.items);

    // At the end of the feed the cursor stays valid and answers nothing new.
    const after = await poll(post, { since: String(all.cursor) });
    expect(after.statusCode).toBe(200);
    expect(after.body.items).toEqual([]);
  });

  it("lets a post see only its own responses and refuses another post's cursor", async () => {
    // Act
    const own = await poll(post);
    const other = await poll(otherPost);
    const borrowed = await poll(otherPost, { since: String(own.body.cursor) });
    const tampered = await poll(post, { since: `${String(own.body.cursor)}x` });

    // Assess
    expect(answerAs(postalRoutes.responses, own, 200).items.length).toBeGreaterThan(0);
    expect(other.statusCode).toBe(200);
    expect(other.body.items).toEqual([]);
    expect(borrowed.statusCode).toBe(400);
    expect(borrowed.text).toContain('since');
    expect(tampered.statusCode).toBe(400);
  });

  it('announces each new response once as a PostalResponseIssued event for the webhook', async () => {
    // Prepare: the shared bus routes every event to the shared notify queue, which nothing else reads
    const notifyQueue = localAws().queues.notify.url;
    const at = new Date().toISOString();
    const id = `dcl_announced_${run}`;
    const released = envelopeOf('DeclarationReleased', {
      ...base(id, 'RR000000042NL', 'RELEASED', at),
      releasedAt: at,
    });

    // Act: the same event three times
    await deliver([released]);
    await deliver([released, released]);

    // Assess
    const announced = await collectMessages(sqs, notifyQueue, {
      count: 1,
      match: (message) => {
        const event = JSON.parse(message.Body ?? '{}') as {
          'detail-type'?: string;
          detail?: { declarationId?: string };
        };
        return event['detail-type'] === 'PostalResponseIssued' && event.detail?.declarationId === id;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const more = (await drainQueue(sqs, notifyQueue)).filter((message) => message.Body?.includes(id));
    expect(more).toEqual([]);
    const detail = (JSON.parse(announced[0]?.Body ?? '{}') as { detail: Record<string, unknown> }).detail;
    expect(detail).toMatchObject({
      platformId: `post:${post}`,
      itemId: 'RR000000042NL',
      code: 'RELEASED',
      at,
      responseId: `${id}#RELEASED#${at}`,
    });
  });

  it("routes only events about posts' items to the responses queue", async () => {
    // Prepare
    const { eventPublisher } = await import('../../../shared/adapters/event-publisher.js');
    const { busName } = localAws();
    const queue = localAws().queues.postalResponses.url;
    const publish = eventPublisher(busName, 'NL');
    const at = new Date().toISOString();
    const postId = `dcl_routed_post_${run}`;
    const platformId = `dcl_routed_platform_${run}`;

    // Act
    await publish([
      domainEvent('DeclarationReleased', {
        ...base(postId, 'RR000000056NL', 'RELEASED', at),
        releasedAt: at,
      }),
      domainEvent('DeclarationReleased', {
        ...base(platformId, 'REF-2', 'RELEASED', at),
        platformId: `acme-${run}`,
        releasedAt: at,
      }),
      domainEvent('DeclarationReceived', { ...base(postId, 'RR000000056NL', 'RECEIVED' as never, at) }),
    ]);

    // Assess
    const routed = await collectMessages(sqs, queue, {
      count: 1,
      match: (message) => message.Body?.includes(postId) ?? false,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rest = await drainQueue(sqs, queue);
    expect(routed.map((message) => JSON.parse(message.Body ?? '{}')['detail-type'])).toEqual([
      'DeclarationReleased',
    ]);
    expect(rest.filter((message) => message.Body?.includes(run))).toEqual([]);
  });
});
