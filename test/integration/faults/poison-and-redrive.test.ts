// The risk function's batches (issue 5, item 5): Powertools batch processing with partial batch
// responses, so a bad record fails alone and never its batch-mates; a record that keeps failing moves to
// the dead-letter queue after maxReceiveCount receives (3 here); `npm run redrive -- risk` moves it back
// once the cause is gone, and it then succeeds.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type Message, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall } from '../../../infra/local/dynamodb-proxy.js';
import { toSqsRecord } from '../../../infra/local/poller.js';
import { PROJECT_ROOT } from '../../../infra/local/runtime.js';
import { newRecord } from '../../../shared/domain/clearance/record.js';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { bodyHashOf } from '../../../shared/domain/declaration/identity.js';
import { lambdaContext } from '../../fixtures/http.js';
import { drainQueue } from '../support.js';
import {
  aDeclarationOf,
  type FaultStack,
  type Kind,
  lodgeAll,
  startFaultStack,
  verifyClearance,
} from './support.js';

const POISON = [
  'not json {',
  JSON.stringify({ declarationId: 'dcl_never_lodged_anywhere' }),
  JSON.stringify({ id: 'a message of another shape' }),
];

/** `npm run redrive -- <args>`, as a developer runs it; resolves with its exit code and output. */
const npmRedrive = (args: string[]) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'redrive', '--', ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });

describe('the risk function under poison messages, and redrive', () => {
  let stack: FaultStack;
  let risk: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
  let seed: (platformId: string, entries: { kind: Kind; declaration: Declaration }[]) => Promise<string[]>;

  beforeAll(async () => {
    stack = await startFaultStack({ name: 'poison', maxReceiveCount: 3 });
    // The handler and store as the runtime loaded them (their environment is set by now).
    ({ handler: risk } = (await import('../../../functions/risk/handler.js')) as unknown as {
      handler: typeof risk;
    });
    const { declarationStore } = await import('../../../shared/adapters/declaration-store.js');
    const store = declarationStore(stack.runtime.tables.declarations);
    /** Stores declarations as intake would, without queueing them for risk (the test sends the work). */
    seed = async (platformId, entries) => {
      await stack.registerWebhook(platformId);
      const at = new Date().toISOString();
      return Promise.all(
        entries.map(async ({ kind, declaration }) => {
          const record = newRecord({
            id: stack.runtime.declarationIdOf(platformId, declaration.reference),
            reference: declaration.reference,
            platformId,
            bodyHash: bodyHashOf(declaration),
            at,
          });
          await store.create(record, declaration);
          stack.expected.push({ id: record.id, kind, lines: declaration.items.length, withoutIntake: true });
          return record.id;
        }),
      );
    };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const riskWork = (ids: string[]) => ids.map((declarationId) => JSON.stringify({ declarationId }));
  const kinds: Kind[] = ['payable', 'account', 'vague', 'food', 'payable', 'vague', 'food'];

  it('answers a batch with bad records by failing those records alone', async () => {
    // Prepare: seven stored declarations and three poison messages in one batch, as Lambda builds it
    const ids = await seed(
      'poison-direct',
      kinds.map((kind) => ({ kind, declaration: aDeclarationOf(kind, 'PSD') })),
    );
    const bodies = [...riskWork(ids.slice(0, 4)), ...POISON, ...riskWork(ids.slice(4))];
    const messages: Message[] = bodies.map((Body) => ({
      MessageId: randomUUID(),
      ReceiptHandle: randomUUID(),
      Body,
      Attributes: { ApproximateReceiveCount: '1' },
    }));
    const event: SQSEvent = {
      Records: messages.map((message) =>
        toSqsRecord(message, stack.runtime.queues.risk.arn, stack.runtime.region),
      ),
    };

    // Act
    const response = await risk(event, lambdaContext('risk'));

    // Assess: exactly the poison records reported; every other declaration evaluated, once
    const poisonIds = messages
      .filter((message) => POISON.includes(message.Body ?? ''))
      .map((m) => m.MessageId);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [...poisonIds].sort(),
    );
    await stack.settle(stack.expected.map((entry) => entry.id));
    await verifyClearance(stack);
  });

  it('dead-letters a record that keeps failing after three receives, while its batch-mates clear', async () => {
    // Prepare: the same mix, queued as one SendMessageBatch so the poller receives it as one batch
    const ids = await seed(
      'poison-queue',
      kinds.map((kind) => ({ kind, declaration: aDeclarationOf(kind, 'PSQ') })),
    );
    const from = stack.batches.length;
    const bodies = [...riskWork(ids.slice(0, 4)), ...POISON, ...riskWork(ids.slice(4))];

    // Act
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.runtime.queues.risk.url,
        Entries: bodies.map((MessageBody, index) => ({ Id: String(index), MessageBody })),
      }),
    );
    await expect.poll(() => stack.depth('risk', true), { timeout: 15_000 }).toBe(POISON.length);
    await stack.settle(stack.expected.map((entry) => entry.id));

    // Assess: the first batch failed the poison records only; they came back until dead-lettered
    // The risk queue's batches (the declarations' inserts also reach the step, from the table's stream).
    const batches = stack.batches
      .slice(from)
      .filter((batch) => batch.functionName.endsWith('-risk') && batch.source !== 'stream');
    const first = batches[0];
    expect(first?.messageIds).toHaveLength(bodies.length);
    expect(first?.outcome).toBe('partiallyFailed');
    expect(first?.failedMessageIds).toHaveLength(POISON.length);
    const receives = new Map<string, number>();
    for (const batch of batches) {
      for (const id of batch.failedMessageIds) {
        receives.set(id, Math.max(receives.get(id) ?? 0, batch.receiveCounts[id] ?? 0));
      }
    }
    expect([...receives.values()]).toEqual([3, 3, 3]);
    const dead = await drainQueue(stack.sqs, stack.runtime.queues.risk.dlqUrl);
    expect(dead.map((message) => message.Body).sort()).toEqual([...POISON].sort());
    await verifyClearance(stack);
  });

  it('moves a dead-lettered declaration back with npm run redrive, where it then clears', async () => {
    // Prepare: every write of one declaration's risk result fails (DynamoDB answers HTTP 500, through
    // every attempt of the SDK) until its stream record is parked in the dead-letter queue
    const declaration = aDeclarationOf('food', 'RDR');
    const id = stack.runtime.declarationIdOf('redrive-platform', declaration.reference);
    // The risk step records its result in the consignee's window (with the agency profile's hit).
    const savesIt = (call: DynamoDbCall) => {
      const text = JSON.stringify(call.body);
      return text.includes('WINDOW#') && text.includes(declaration.reference.toUpperCase());
    };
    stack.dynamoDb.rules.splice(0, Infinity, {
      fault: 'InternalServerError',
      operations: ['UpdateItem', 'TransactWriteItems'],
      matches: savesIt,
    });
    await lodgeAll(stack, 'redrive-platform', [{ kind: 'food', declaration }]);
    await expect.poll(() => stack.depth('risk', true), { timeout: 30_000 }).toBe(1);
    const stuck = (await stack.states([id])).get(id);

    // Act: the cause goes away; the dead letter is moved back by the script
    stack.dynamoDb.rules.splice(0, Infinity);
    const redrive = await npmRedrive(['risk', '--state', stack.runtime.stateFile]);
    await stack.settle(stack.expected.map((entry) => entry.id));

    // Assess
    expect(stuck?.status).toBe('RECEIVED');
    expect(stuck?.risk).toBeUndefined();
    expect(redrive.code, redrive.output).toBe(0);
    expect(redrive.output).toMatch(/risk: moved 1 message\(s\)/);
    await verifyClearance(stack);
  });
});
