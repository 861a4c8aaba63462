// DynamoDB throttling: a fifth of the handlers' DynamoDB calls are refused with
// ProvisionedThroughputExceededException or ThrottlingException (the runtime's
// CLEARWAY_FAULTS=dynamodb-throttle:0.2: a proxy answering in DynamoDB's own error shape). The SDK
// retries them; a call that stays throttled through every attempt fails its record, and SQS delivers the
// record again. Every declaration still ends right, with the ledger and its aggregates exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall } from '../../../infra/local/dynamodb-proxy.js';
import {
  aDeclarationOf,
  type FaultStack,
  lodgeAll,
  lodgeMix,
  retriedMessages,
  seeded,
  startFaultStack,
  verifyClearance,
} from './support.js';

describe('DynamoDB throttling', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({
      name: 'throttle',
      faults: { dynamoDbThrottle: 0.2, random: seeded(5) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('clears every declaration right when a share of DynamoDB calls is throttled', async () => {
    // Prepare: besides the share of every call, one declaration's risk result stays throttled through
    // every attempt the SDK makes, until its record has failed
    const target = aDeclarationOf('vague', 'THR');
    // The risk step records the target's result in its consignee's window (with its profile hit).
    const savesTarget = (call: DynamoDbCall) => {
      const text = JSON.stringify(call.body);
      return text.includes('WINDOW#') && text.includes(target.reference.toUpperCase());
    };
    const persistent = {
      fault: 'ProvisionedThroughputExceededException' as const,
      operations: ['UpdateItem', 'TransactWriteItems'],
      matches: savesTarget,
    };
    stack.dynamoDb.rules.push(persistent);

    // Act
    await lodgeAll(stack, 'throttled-platform', [{ kind: 'vague', declaration: target }]);
    await lodgeMix(stack, 2, 'THR');
    await expect
      .poll(() => retriedMessages(stack, 'risk').failed.length, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    stack.dynamoDb.rules.splice(0, Infinity);
    await stack.settle(stack.expected.map((entry) => entry.id));

    // Assess: both kinds of throttling happened; the target's record failed, came back and succeeded
    const injected = stack.runtime.dynamoDbFaults?.injected() ?? {};
    expect(injected.ProvisionedThroughputExceededException).toBeGreaterThan(0);
    expect(injected.ThrottlingException).toBeGreaterThan(0);
    expect(stack.dynamoDb.injectedBy(persistent)).toBeGreaterThanOrEqual(2);
    const { failed, neverSucceeded } = retriedMessages(stack, 'risk');
    expect(failed.length).toBeGreaterThan(0);
    expect(neverSucceeded).toEqual([]);
    await verifyClearance(stack);
  });
});
