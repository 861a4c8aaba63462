// A filer's dead webhook endpoint cannot slow delivery to anyone else (DESIGN.md section 14): after a
// failure its deliveries wait without a request to it, after eight failures in a row it is parked with a
// visible status and its events are kept, and the filer resumes it. Real stores on DynamoDB Local; the
// endpoint and the clock are the test's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveryStore, webhookStore } from '../../../shared/adapters/webhook-store.js';
import { PARK_AFTER_FAILURES } from '../../../shared/domain/webhooks/health.js';
import { declarationEvent } from '../../../shared/sqs/records.js';
import {
  DeliveryFailedError,
  deliverEvent,
  EndpointBackingOffError,
  type PostWebhook,
} from '../../../shared/use-cases/deliver-event.js';
import { getWebhook, resumeWebhook } from '../../../shared/use-cases/webhooks.js';
import { createIsolatedResources, documentClient, type IsolatedResources, uniqueSuffix } from '../support.js';

const event = (platformId: string, declarationId: string) =>
  declarationEvent().parse({
    version: '0',
    id: `evt-${declarationId}`,
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
      reference: declarationId,
      status: 'RELEASED',
      occurredAt: '2026-07-01T10:00:00.000Z',
      releasedAt: '2026-07-01T10:00:00.000Z',
    },
  });

describe('webhook delivery isolation', () => {
  let resources: IsolatedResources;
  const dead = `dead-${uniqueSuffix()}`;
  const healthy = `healthy-${uniqueSuffix()}`;
  let clock = new Date('2026-12-07T12:00:00Z');
  const calls: string[] = [];
  const requeued: string[] = [];

  const post: PostWebhook = async ({ url }) => {
    calls.push(url);
    if (url.includes('dead')) throw new Error('connect ECONNREFUSED');
    return { status: 204 };
  };

  let deps: Parameters<typeof deliverEvent>[1];
  let webhookDeps: Parameters<typeof resumeWebhook>[1];

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'isolation' });
    const table = resources.tables.reference;
    const store = webhookStore(table, documentClient(), {
      sealer: { seal: async (_, secret) => `sealed:${secret}`, open: async (_, sealed) => sealed.slice(7) },
    });
    const delivery = webhookDeliveryStore(table, documentClient());
    for (const platformId of [dead, healthy])
      await store.put({
        platformId,
        url: `https://${platformId}.example/hooks`,
        secret: 'whsec_0123456789abcdef',
        updatedAt: clock.toISOString(),
      });
    deps = { webhooks: store, delivery, post, now: () => clock };
    webhookDeps = {
      store,
      delivery,
      now: () => clock,
      receivers: 'public',
      requeue: async (bodies) => {
        requeued.push(...bodies);
      },
    };
  });

  afterAll(async () => {
    await resources?.destroy();
  });

  const outcome = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);
  const deadCalls = () => calls.filter((url) => url.includes(dead)).length;

  it('holds a failing endpoint back without a request while others are delivered, parks it, and resumes it', async () => {
    // Act 1: the first failure, then a burst while backing off
    const first = await outcome(deliverEvent(event(dead, 'dcl_d0'), deps));
    clock = new Date(clock.getTime() + 1_000);
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, index) => outcome(deliverEvent(event(dead, `dcl_b${index}`), deps))),
    );
    const others = await Promise.all(
      Array.from({ length: 3 }, (_, index) => deliverEvent(event(healthy, `dcl_h${index}`), deps)),
    );

    // Assess 1
    expect(first).toBeInstanceOf(DeliveryFailedError);
    expect(burst.every((result) => result instanceof EndpointBackingOffError)).toBe(true);
    expect(deadCalls()).toBe(1);
    expect(others).toEqual(Array.from({ length: 3 }, () => ({ delivered: true, status: 204 })));
    const backingOff = await getWebhook({ platformId: dead }, webhookDeps);
    expect(backingOff.delivery).toMatchObject({ status: 'BACKING_OFF', consecutiveFailures: 1 });

    // Act 2: each retry after its wait fails again, until the endpoint is parked
    let last: unknown;
    for (let attempt = 2; attempt <= PARK_AFTER_FAILURES; attempt += 1) {
      clock = new Date(clock.getTime() + 3_600_000);
      last = await outcome(deliverEvent(event(dead, `dcl_d${attempt}`), deps));
    }
    const afterParking = await deliverEvent(event(dead, 'dcl_late'), deps);

    // Assess 2
    expect(last).toEqual({ delivered: false, reason: 'PARKED' });
    expect(afterParking).toEqual({ delivered: false, reason: 'PARKED' });
    expect(deadCalls()).toBe(PARK_AFTER_FAILURES);
    const parked = await getWebhook({ platformId: dead }, webhookDeps);
    expect(parked.delivery).toMatchObject({ status: 'PARKED', consecutiveFailures: PARK_AFTER_FAILURES });

    // Act 3: the filer resumes
    const resumed = await resumeWebhook({ platformId: dead }, webhookDeps);

    // Assess 3: the two parked events go back to the queue once, and the endpoint is active again
    expect(resumed).toMatchObject({ requeued: 2, delivery: { status: 'ACTIVE', consecutiveFailures: 0 } });
    expect(requeued.map((body) => (JSON.parse(body) as { id: string }).id).sort()).toEqual([
      `evt-dcl_d${PARK_AFTER_FAILURES}`,
      'evt-dcl_late',
    ]);
    expect(await webhookDeps.delivery.parked(dead)).toEqual([]);
    expect((await getWebhook({ platformId: dead }, webhookDeps)).delivery.status).toBe('ACTIVE');
  });
});
