import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BusEvent,
  failNextEntriesAt,
  type LocalEventBus,
  recentEventsAt,
  startEventBus,
  topologyRules,
} from '../../../infra/local/event-bus.js';
import { createQueues, createQueueWithDlq, type QueueResources } from '../../../infra/local/sqs.js';
import { LOCAL_CREDENTIALS } from '../../../infra/local/util.js';
import { eventSource } from '../../../shared/domain/events.js';
import { matchesPattern } from '../../../shared/lib/event-pattern.js';
import { busRules } from '../../../shared/topology.js';
import { drainQueue, localAws, sqsClient, uniqueSuffix } from '../support.js';

describe('local event bus', () => {
  const busName = `bus-${uniqueSuffix()}`;
  let sqs: SQSClient;
  let bus: LocalEventBus;
  let events: EventBridgeClient;
  let riskOnly: QueueResources;
  let highValue: QueueResources;
  let everything: QueueResources;

  const entry = (
    detailType: string,
    detail: Record<string, unknown>,
    source = 'clearway.test',
  ): PutEventsRequestEntry => ({
    EventBusName: busName,
    Source: source,
    DetailType: detailType,
    Detail: JSON.stringify(detail),
  });

  const bodies = async (queue: QueueResources) =>
    (await drainQueue(sqs, queue.url)).map((message) => JSON.parse(message.Body ?? '') as BusEvent);

  beforeAll(async () => {
    const context = localAws();
    sqs = sqsClient();
    const suffix = uniqueSuffix();
    const options = { maxReceiveCount: 3, visibilityTimeoutSeconds: 30 };
    [riskOnly, highValue, everything] = await Promise.all([
      createQueueWithDlq(sqs, `bus-risk-${suffix}`, options),
      createQueueWithDlq(sqs, `bus-high-${suffix}`, options),
      createQueueWithDlq(sqs, `bus-all-${suffix}`, options),
    ]);
    bus = await startEventBus({
      busName,
      sqs,
      region: context.region,
      rules: [
        {
          name: 'RiskOnly',
          pattern: { source: ['clearway.test'], 'detail-type': ['RiskAssessed'] },
          targetQueueUrl: riskOnly.url,
        },
        {
          name: 'HighValue',
          pattern: { detail: { value: [{ numeric: ['>', 100] }] } },
          targetQueueUrl: highValue.url,
        },
        {
          name: 'Everything',
          pattern: { source: [{ prefix: 'clearway.' }] },
          targetQueueUrl: everything.url,
        },
      ],
    });
    events = new EventBridgeClient({
      endpoint: bus.endpoint,
      region: context.region,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    events?.destroy();
    await bus?.stop();
  });

  it('routes an event to exactly the rule targets whose patterns match', async () => {
    // Prepare
    const id = uniqueSuffix();

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          entry('RiskAssessed', { id, value: 50 }),
          entry('DutyAssessed', { id, value: 500 }),
          entry('RiskAssessed', { id, value: 101 }),
          entry('RiskAssessed', { id, value: 1000 }, 'other.source'),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(4);
    for (const item of result.Entries ?? []) expect(item.EventId).toMatch(/^[0-9a-f-]{36}$/);
    const summary = (list: BusEvent[]) =>
      list.map((event) => `${event['detail-type']}:${event.detail.value}`).sort();
    expect(summary(await bodies(riskOnly))).toEqual(['RiskAssessed:101', 'RiskAssessed:50']);
    expect(summary(await bodies(highValue))).toEqual([
      'DutyAssessed:500',
      'RiskAssessed:1000',
      'RiskAssessed:101',
    ]);
    expect(summary(await bodies(everything))).toEqual([
      'DutyAssessed:500',
      'RiskAssessed:101',
      'RiskAssessed:50',
    ]);
  });

  it('sends the whole EventBridge event as the SQS message body', async () => {
    // Prepare
    const id = uniqueSuffix();
    const time = new Date('2026-07-01T10:00:00Z');

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            ...entry('RiskAssessed', { id, nested: { a: [1, 2] } }),
            Resources: ['arn:aws:s3:::x'],
            Time: time,
          },
        ],
      }),
    );

    // Assess
    const [event] = await bodies(riskOnly);
    expect(EventBridgeSchema.safeParse(event).success).toBe(true);
    expect(event).toEqual({
      version: '0',
      id: result.Entries?.[0]?.EventId,
      'detail-type': 'RiskAssessed',
      source: 'clearway.test',
      account: localAws().accountId,
      time: '2026-07-01T10:00:00Z',
      region: localAws().region,
      resources: ['arn:aws:s3:::x'],
      detail: { id, nested: { a: [1, 2] } },
    });
    await drainQueue(sqs, everything.url);
  });

  it('fails the injected number of entries with FailedEntryCount and delivers the rest', async () => {
    // Prepare
    bus.failNextEntries(2);
    const id = uniqueSuffix();

    // Act
    const result = await events.send(
      new PutEventsCommand({ Entries: [1, 2, 3].map((n) => entry('DutyAssessed', { id, n })) }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.slice(0, 2)).toEqual([
      { ErrorCode: 'InternalFailure', ErrorMessage: expect.any(String) },
      { ErrorCode: 'InternalFailure', ErrorMessage: expect.any(String) },
    ]);
    expect(result.Entries?.[2]?.EventId).toBeDefined();
    expect((await bodies(everything)).map((event) => event.detail.n)).toEqual([3]);
  });

  it('offers the same fault injection and the recent events over HTTP', async () => {
    // Prepare
    await failNextEntriesAt(bus.endpoint, 1);
    const id = uniqueSuffix();

    // Act
    const first = await events.send(new PutEventsCommand({ Entries: [entry('DutyAssessed', { id })] }));
    const second = await events.send(new PutEventsCommand({ Entries: [entry('DutyAssessed', { id })] }));

    // Assess
    expect(first.FailedEntryCount).toBe(1);
    expect(second.FailedEntryCount).toBe(0);
    const recent = await recentEventsAt(bus.endpoint);
    const mine = recent.filter((item) => item.event.detail.id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.matchedRules).toEqual(['Everything']);
    await drainQueue(sqs, everything.url);
  });

  it('rejects malformed entries one by one, as EventBridge does', async () => {
    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: busName, Source: 'clearway.test', DetailType: 'X', Detail: 'not json' },
          { EventBusName: busName, Source: 'clearway.test', DetailType: 'X', Detail: '[1,2]' },
          { EventBusName: busName, DetailType: 'X', Detail: '{}' },
          { EventBusName: busName, Source: 'clearway.test', Detail: '{}' },
          entry('Fine', { ok: true }),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.map((item) => item.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'ok',
    ]);
    await drainQueue(sqs, everything.url);
  });

  it('rejects a request for another bus, more than 10 entries, or over 256 KB', async () => {
    await expect(
      events.send(new PutEventsCommand({ Entries: [{ ...entry('X', {}), EventBusName: 'someone-else' }] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry('X', {})) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      events.send(new PutEventsCommand({ Entries: [entry('X', { big: 'x'.repeat(256 * 1024) })] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses to start with an invalid rule pattern and names the rule', async () => {
    await expect(
      startEventBus({
        busName,
        sqs,
        rules: [{ name: 'Broken', pattern: { source: 'not-an-array' }, targetQueueUrl: riskOnly.url }],
      }),
    ).rejects.toThrow(/Broken/);
  });

  it("routes the topology's events to the topology's queues", async () => {
    // Prepare: a bus with the topology's rules over queues of this test alone.
    const context = localAws();
    const queues = await createQueues(sqs, `clearway-${uniqueSuffix()}-test`);
    const topologyBus = await startEventBus({
      busName,
      sqs,
      region: context.region,
      rules: topologyRules(context.country, queues),
    });
    const client = new EventBridgeClient({
      endpoint: topologyBus.endpoint,
      region: context.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const source = eventSource(context.country);

    // Act: a risk result and two releases, one of a platform's declaration and one of a post's item
    const sent = [
      { type: 'RiskAssessed', platformId: 'platform-a' },
      { type: 'DeclarationReleased', platformId: 'platform-a' },
      { type: 'DeclarationReleased', platformId: 'post:PostNL' },
    ].map(({ type, platformId }) => ({
      source,
      'detail-type': type,
      detail: { declarationId: `dcl_${platformId}`, platformId },
    }));
    const result = await client.send(
      new PutEventsCommand({
        Entries: sent.map((event) => ({
          EventBusName: busName,
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
    client.destroy();
    await topologyBus.stop();

    // Assess: each queue holds exactly what the topology's patterns select.
    expect(result.FailedEntryCount).toBe(0);
    const label = (event: { 'detail-type': string; detail: { platformId: string } }) =>
      `${event['detail-type']} ${event.detail.platformId}`;
    for (const rule of busRules) {
      const pattern = rule.pattern(context.country);
      const expected = sent.filter((event) => matchesPattern(pattern, event)).map(label);
      const received = (await drainQueue(sqs, queues[rule.target.queue].url)).map((message) =>
        label(JSON.parse(message.Body ?? '{}') as BusEvent & { detail: { platformId: string } }),
      );
      expect(received.sort(), rule.name).toEqual(expected.sort());
    }
    expect(
      busRules.find((rule) => rule.name === 'PostalItemEventsToResponses')?.pattern(context.country),
    ).toBeDefined();
    expect(busRules.find((rule) => rule.name === 'RiskAssessedToDuty')?.target.queue).toBe('duty');
  });
});
