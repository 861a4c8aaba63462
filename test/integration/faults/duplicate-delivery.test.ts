// Duplicate deliveries: every message on the risk, duty and notify queues is handed to two invocations
// (at the same moment or one after the other), as SQS's at-least-once delivery allows. Every
// declaration still ends in its state, written once per step, with the ledger and its aggregates exact
// and every event delivered to the platforms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearAMix, type FaultStack, seeded, startFaultStack } from './support.js';

describe('duplicate deliveries of every queue message', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({
      name: 'dup',
      faults: { duplicateDelivery: true, random: seeded(7) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('clears every declaration once, with the ledger exact and nothing lost', async () => {
    // Prepare: nothing more than the stack's faults

    // Act
    const { states } = await clearAMix(stack, 4, 'DUP');

    // Assess (beyond verifyClearance's invariants): every message really was handled twice. A second
    // risk run hands its result over again and a second duty run announces the stored outcome again, so
    // each declaration's outcome went out (at least) twice, under distinct event ids; notify delivered
    // each event twice.
    expect(states.size).toBe(32);
    const { deliveries } = stack.webhook;
    for (const [id, state] of states) {
      for (const type of [state.status === 'RELEASED' ? 'DeclarationReleased' : 'DeclarationHeld']) {
        const announced = new Set(
          deliveries.filter((d) => d.declarationId === id && d.type === type).map((d) => d.eventId),
        );
        expect(announced.size, `${type} of ${id}`).toBeGreaterThanOrEqual(2);
      }
    }
    const perEvent = new Map<string, number>();
    for (const delivery of deliveries)
      perEvent.set(delivery.eventId, (perEvent.get(delivery.eventId) ?? 0) + 1);
    expect(Math.min(...perEvent.values())).toBeGreaterThanOrEqual(2);
  });
});
