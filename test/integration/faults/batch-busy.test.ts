// A batch that a busy DynamoDB stops part way: the declarations stored stay stored, and the
// 503 says so (how many, and that sending the same batch again is safe). Sent again, the stored ones answer
// 200 and the rest 202: every declaration lodged once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall, DynamoDbFaultRule } from '../../../infra/local/dynamodb-proxy.js';
import { aFileDeclaration } from '../../fixtures/lodge-files.js';
import { type FaultStack, startFaultStack } from './support.js';

const PLATFORM = `batch-busy-${process.pid}`;

describe('a batch stopped part way by a busy service', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({ name: 'batch-busy' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 503 naming what was stored, and the same batch sent again lodges the rest once', async () => {
    // Prepare: 300 declarations go to the store, 25 to a request (conditional inserts); every request
    // holding the last one is throttled through all of the SDK's attempts
    const references = Array.from({ length: 300 }, (_, index) => `BATCH-BUSY-${process.pid}-${index + 1}`);
    const declarations = references.map((reference, index) => aFileDeclaration(reference, index));
    const lastGroup = `"BATCH-BUSY-${process.pid}-300"`;
    const throttled: DynamoDbFaultRule = {
      fault: 'ThrottlingException',
      operations: ['BatchExecuteStatement', 'TransactWriteItems', 'PutItem'],
      matches: (call: DynamoDbCall) => JSON.stringify(call.body).includes(lastGroup),
    };
    stack.dynamoDb.rules.push(throttled);
    const send = () =>
      fetch(`${stack.runtime.url}/v1/declarations/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer local:platform:${PLATFORM}`, 'content-type': 'application/json' },
        body: JSON.stringify({ declarations }),
      });

    // Act
    const busy = await send();
    const problem = (await busy.json()) as { detail: string; stored: number; retryAfterSeconds: number };
    const storedWhileBusy = await stack.states(
      references.map((reference) => stack.runtime.declarationIdOf(PLATFORM, reference)),
    );
    stack.dynamoDb.rules.splice(stack.dynamoDb.rules.indexOf(throttled), 1);
    const again = await send();

    // Assess: the problem tells the truth: all but the last request's 25 stored, kept, and safe to send
    // again
    expect(stack.dynamoDb.injectedBy(throttled)).toBeGreaterThan(0);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(busy.headers.get('content-type')).toBe('application/problem+json');
    expect(problem.stored).toBe(275);
    expect(storedWhileBusy.size).toBe(275);
    expect(problem.detail).toContain('275 declarations of this batch were stored');
    expect(problem.detail).toContain('send the same batch again');
    expect(problem.detail).not.toContain('nothing was changed');
    expect(again.status).toBe(207);
    const { results } = (await again.json()) as { results: { index: number; status: number; id: string }[] };
    expect(results.filter((result) => result.status === 200)).toHaveLength(275);
    expect(results.filter((result) => result.status === 202)).toHaveLength(25);
    for (const result of results) {
      expect(result.status === 200).toBe(storedWhileBusy.has(result.id));
    }
    const stored = await stack.states(
      references.map((reference) => stack.runtime.declarationIdOf(PLATFORM, reference)),
    );
    expect(stored.size).toBe(300);
  });
});
