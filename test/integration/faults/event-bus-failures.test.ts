// PutEvents that succeeds in part: EventBridge answers with FailedEntryCount > 0 and an ErrorCode on the
// entries it did not take. The publisher sends again only those entries, so no event is lost and none
// goes out twice, whether it publishes alone or as part of the whole clearance flow.
import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../../infra/local/util.js';
import { domainEvent } from '../../../shared/domain/events.js';
import { type FaultStack, lodgeMix, startFaultStack, verifyClearance } from './support.js';

describe('PutEvents entries that fail', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    // No batch fails here, so none needs to come back soon: a visibility timeout a loaded machine's batch
    // cannot outlast keeps SQS from delivering a message a second time (which would announce it again).
    stack = await startFaultStack({ name: 'bus', visibilityTimeoutSeconds: 30 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** (declarationId, detail-type) of every event the bus accepted about `ids`, with its count. */
  const accepted = (ids: ReadonlySet<string>) => {
    const counts = new Map<string, number>();
    for (const { event } of stack.runtime.bus.recentEvents()) {
      const id = String(event.detail.declarationId);
      if (!ids.has(id)) continue;
      const key = `${id} ${event['detail-type']}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };

  it('sends again only the entries the bus refused, each event accepted once', async () => {
    // Prepare: 25 events (three PutEvents calls); the first six entries the bus sees fail
    const { eventPublisher } = await import('../../../shared/adapters/event-publisher.js');
    const client = new EventBridgeClient({
      endpoint: stack.runtime.bus.endpoint,
      region: stack.runtime.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const requests: PutEventsRequestEntry[][] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        requests.push([...((args.input as { Entries?: PutEventsRequestEntry[] }).Entries ?? [])]);
        return next(args);
      },
      { step: 'initialize', name: 'recordEntries' },
    );
    const ids = Array.from({ length: 25 }, (_, index) => `dcl_publisher_${index}`);
    const events = ids.map((declarationId) =>
      domainEvent('DeclarationReceived', {
        version: 1,
        declarationId,
        platformId: 'bus-platform',
        reference: declarationId,
        status: 'RECEIVED',
        occurredAt: new Date().toISOString(),
      }),
    );
    const before = stack.runtime.bus.injectedFailures().failed;
    stack.runtime.bus.failNextEntries(6);

    // Act
    await eventPublisher(stack.runtime.busName, stack.runtime.country, client)(events);
    client.destroy();

    // Assess: 25 entries in three calls, then the six refused ones again, and nothing else
    expect(stack.runtime.bus.injectedFailures().failed - before).toBe(6);
    const sent = requests.flat().map((entry) => JSON.parse(entry.Detail ?? '{}').declarationId as string);
    expect(sent).toHaveLength(31);
    expect(
      requests
        .slice(0, 3)
        .map((entries) => entries.length)
        .sort(),
    ).toEqual([10, 10, 5]);
    const resent = requests.slice(3).flat();
    expect(resent).toHaveLength(6);
    expect(new Set(resent.map((entry) => entry.Detail)).size).toBe(6);
    const counts = accepted(new Set(ids));
    expect(counts.size).toBe(25);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it('loses and doubles no event of the clearance flow while the bus refuses some entries', async () => {
    // Prepare: a few entries fail now and again while declarations flow; never six times the same one
    // (the publisher's attempts), so no invocation fails and nothing is announced a second time
    const before = stack.runtime.bus.injectedFailures().failed;
    const from = stack.batches.length;
    let arms = 1;
    stack.runtime.bus.failNextEntries(4);
    const rearm = setInterval(() => {
      if (arms < 4 && stack.runtime.bus.injectedFailures().pending === 0) {
        arms += 1;
        stack.runtime.bus.failNextEntries(4);
      }
    }, 150);

    // Act
    const ids = await lodgeMix(stack, 2, 'BUS');
    await stack.settle(stack.expected.map((entry) => entry.id)).finally(() => clearInterval(rearm));
    stack.runtime.bus.failNextEntries(0);

    // Assess: entries were refused, no batch failed, every event of every declaration accepted once
    expect(stack.runtime.bus.injectedFailures().failed - before).toBeGreaterThanOrEqual(4);
    expect(stack.batches.slice(from).filter((batch) => batch.outcome !== 'succeeded')).toEqual([]);
    const counts = accepted(new Set(ids));
    expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    const { states } = await verifyClearance(stack);
    for (const id of ids) {
      const delivered = stack.webhook.deliveries.filter((delivery) => delivery.declarationId === id);
      expect(new Set(delivered.map((delivery) => delivery.eventId)).size).toBe(delivered.length);
      expect(states.get(id)?.version).toBe(1);
    }
  });
});
