// `clearway lodge` while the API answers 503 for a while: DynamoDB throttles every write that
// stores this test's declarations (through the fault proxy in front of the handlers) until the CLI has
// been told "busy" and waited, then recovers. The CLI sends the refused batches again after Retry-After
// and ends with every declaration lodged once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCall, DynamoDbFaultRule } from '../../../infra/local/dynamodb-proxy.js';
import { spawnCli } from '../../fixtures/cli.js';
import { declarationFile, writeDeclarationFile } from '../../fixtures/lodge-files.js';
import { type FaultStack, startFaultStack } from './support.js';

const PLATFORM = `cli-busy-${process.pid}`;

describe('clearway lodge while the API is busy', () => {
  let stack: FaultStack;
  let dir: string;

  beforeAll(async () => {
    stack = await startFaultStack({ name: 'cli-busy' });
    dir = mkdtempSync(join(tmpdir(), 'clearway-cli-busy-'));
  });

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the batches again after Retry-After and lodges everything once', async () => {
    // Prepare: every write storing this platform's declarations is throttled, through all of the SDK's
    // attempts, so the batch route answers 503 with Retry-After
    const file = declarationFile(600, `BUSY-${process.pid}`);
    const input = join(dir, 'busy.jsonl');
    writeDeclarationFile(input, file);
    const throttled: DynamoDbFaultRule = {
      fault: 'ThrottlingException',
      operations: ['BatchExecuteStatement', 'PutItem', 'TransactWriteItems'],
      matches: (call: DynamoDbCall) => JSON.stringify(call.body).includes(PLATFORM),
    };
    stack.dynamoDb.rules.push(throttled);

    // Act
    const run = spawnCli([
      'lodge',
      input,
      '--json',
      '--chunk-size',
      '200',
      '--api',
      stack.runtime.url,
      '--token',
      `local:platform:${PLATFORM}`,
    ]);
    await run.waitFor(/^retry HTTP 503; sending again in [\d.]+ s$/m);
    // Busy a while longer: the CLI keeps waiting and sending again
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    stack.dynamoDb.rules.splice(stack.dynamoDb.rules.indexOf(throttled), 1);
    const result = await run.done;

    // Assess
    expect(stack.dynamoDb.injectedBy(throttled)).toBeGreaterThan(0);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ total: 600, refused: 0, conflicts: 0, notSent: 0 });
    // A batch answered 503 may have stored some of its groups of declarations before the one that failed:
    // sent again, those answer 200 (lodged before), never a second declaration
    expect((summary.accepted ?? 0) + (summary.alreadyLodged ?? 0)).toBe(600);
    const stored = await stack.states(
      file.references.map((reference) => stack.runtime.declarationIdOf(PLATFORM, reference)),
    );
    expect(stored.size).toBe(600);
    const retries = result.stderr.match(/^retry HTTP 503/gm) ?? [];
    expect(retries.length).toBeGreaterThan(1);
  });
});
