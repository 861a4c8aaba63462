import { existsSync, readFileSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARM_UP_TABLE } from '../../../infra/local/dynamodb.js';
import type { LocalHttpEvent } from '../../../infra/local/http.js';
import type { LambdaHandler } from '../../../infra/local/lambda.js';
import type { BatchReport } from '../../../infra/local/poller.js';
import { type Runtime, type RuntimeState, startRuntime } from '../../../infra/local/runtime.js';
import { moveMessages } from '../../../infra/local/sqs.js';
import { routes } from '../../../shared/http/routes/index.js';
import {
  EVENT_BUS_ENV,
  eventSourceMappings,
  type FunctionName,
  functions,
  queueEnvName,
  ROLES,
  tableEnvName,
} from '../../../shared/topology.js';
import { pollUntil } from '../support.js';

describe('startRuntime', () => {
  let runtime: Runtime;
  const invocations: { fn: FunctionName; event: unknown; env: Record<string, string | undefined> }[] = [];
  const batches: BatchReport[] = [];
  let poison = true;

  // Tiny stand-ins for every function: HTTP ones echo, SQS ones record (and fail "poison" once asked).
  const stub =
    (fn: FunctionName): LambdaHandler =>
    async (event: LocalHttpEvent | SQSEvent): Promise<unknown> => {
      invocations.push({
        fn,
        event,
        env: { table: process.env[tableEnvName('declarations')], country: process.env.COUNTRY },
      });
      if ('Records' in event) {
        return {
          batchItemFailures: event.Records.filter((record) => poison && record.body.includes('poison')).map(
            (record) => ({
              itemIdentifier: record.messageId,
            }),
          ),
        } satisfies SQSBatchResponse;
      }
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fn }),
      };
    };

  beforeAll(async () => {
    runtime = await startRuntime({
      country: 'LU',
      stage: 'rt',
      port: 0,
      dataDir: 'memory',
      logLevel: 'silent',
      handlers: Object.fromEntries((Object.keys(functions) as FunctionName[]).map((fn) => [fn, stub(fn)])),
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
      onBatch: (report) => batches.push(report),
    });
  });

  afterAll(async () => {
    const pid = runtime?.dynamodb.pid;
    await runtime?.stop();
    // DynamoDB Local's Java process is gone once stop resolves.
    if (pid) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('starts with every table, queue and the bus wired', async () => {
    const { TableNames = [] } = await runtime.dynamodb.client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(Object.values(runtime.tables)));
    expect(runtime.tables.declarations).toBe('clearway-lu-rt-declarations');
    expect(runtime.queues.risk.url).toContain('clearway-lu-rt-risk');
    expect(runtime.queues.risk.dlqUrl).toContain('clearway-lu-rt-risk-dlq');
  });

  it('warms DynamoDB Local up on a scratch table that it drops again', async () => {
    // The warm-up ran before the runtime answered (it started its own DynamoDB Local).
    const { TableNames = [] } = await runtime.dynamodb.client.send(new ListTablesCommand({}));
    expect(TableNames).not.toContain(WARM_UP_TABLE);
  });

  it('gives the handlers the environment the stack sets', () => {
    expect(runtime.env).toMatchObject({
      COUNTRY: 'LU',
      STAGE: 'rt',
      [tableEnvName('declarations')]: runtime.tables.declarations,
      [queueEnvName('risk')]: runtime.queues.risk.url,
      [EVENT_BUS_ENV]: runtime.busName,
      AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamodb.endpoint,
      AWS_ENDPOINT_URL_SQS: runtime.sqs.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: runtime.bus.endpoint,
      POWERTOOLS_LOG_LEVEL: expect.any(String),
      // Tracing is off locally: no X-Ray context hook on every promise of the process.
      POWERTOOLS_TRACE_DISABLED: 'true',
      AWS_XRAY_MANUAL_MODE: 'true',
    });
    for (const [key, value] of Object.entries(runtime.env)) expect(process.env[key], key).toBe(value);
    expect(runtime.tokens.platform).toBe('local:platform:demo-platform');
    expect(Object.keys(runtime.tokens).sort()).toEqual([...ROLES].sort());
  });

  it('plays the schedules: the scheduled function gets the Scheduled Event of its rule', async () => {
    // Act
    await runtime.scheduler.runNow();

    // Assess
    const scheduled = invocations.filter((invocation) => invocation.fn === 'records');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.event).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: [expect.stringContaining('rule/RecordKeepingEnds')],
    });
    expect(scheduled[0]?.env.table).toBe(runtime.tables.declarations);
  });

  it('serves the topology routes with the local tokens', async () => {
    const route = routes.find((candidate) => candidate.method === 'GET' && candidate.roles.length > 0);
    if (!route) return;
    const role = route.roles[0] ?? 'officer';
    const path = route.path.replace(/\{[^}]+\}/g, 'x-1');
    const ok = await fetch(`${runtime.url}${path}`, {
      headers: { authorization: `Bearer ${runtime.tokens[role]}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ fn: route.function });
    const anonymous = await fetch(`${runtime.url}${path}`);
    expect(anonymous.status).toBe(401);
  });

  it('carries a published event through the bus rules to the consumer function', async () => {
    // Prepare
    const rule = eventSourceMappings.find((mapping) => mapping.queue === 'duty');
    const client = new EventBridgeClient({});

    // Act: the same SDK setup a handler has (endpoint and credentials from env).
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: process.env[EVENT_BUS_ENV],
            Source: 'clearway.lu',
            DetailType: 'RiskAssessed',
            Detail: JSON.stringify({ declarationId: 'dcl_runtime' }),
          },
        ],
      }),
    );
    client.destroy();

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    const delivered = await pollUntil(
      () =>
        invocations.find(
          (item) =>
            item.fn === rule?.function &&
            'Records' in (item.event as SQSEvent) &&
            (item.event as SQSEvent).Records.some((record) => record.body.includes('dcl_runtime')),
        ),
      { description: 'the duty function to receive the event' },
    );
    const record = (delivered.event as SQSEvent).Records[0];
    expect(JSON.parse(record?.body ?? '{}')).toMatchObject({
      'detail-type': 'RiskAssessed',
      detail: { declarationId: 'dcl_runtime' },
    });
    expect(record?.eventSourceARN).toBe(runtime.queues.duty.arn);
    expect(delivered.env).toEqual({ table: runtime.tables.declarations, country: 'LU' });
  });

  it('writes runtime.json, dead-letters a failing message, and redrives it', async () => {
    // Prepare
    expect(existsSync(runtime.stateFile)).toBe(true);
    const state = JSON.parse(readFileSync(runtime.stateFile, 'utf8')) as RuntimeState;
    expect(state).toMatchObject({ pid: process.pid, url: runtime.url, queues: runtime.queues });

    // Act: the poison message fails twice (maxReceiveCount 2) and lands in the DLQ.
    await runtime.sqs.client.send(
      new SendMessageCommand({ QueueUrl: runtime.queues.risk.url, MessageBody: 'poison-1' }),
    );
    await pollUntil(
      () => (batches.filter((batch) => batch.failedMessageIds.length > 0).length >= 2 ? true : undefined),
      { timeoutMs: 10_000, description: 'two failed attempts' },
    );
    poison = false;
    const moved = await pollUntil(
      async () => {
        const count = await moveMessages(runtime.sqs.client, state.queues.risk.dlqUrl, state.queues.risk.url);
        return count > 0 ? count : undefined;
      },
      { timeoutMs: 10_000, description: 'the message in the DLQ' },
    );

    // Assess: back in the source queue, it is processed.
    expect(moved).toBe(1);
    await pollUntil(
      () =>
        batches.find((batch) => batch.outcome === 'succeeded' && batch.queueUrl === runtime.queues.risk.url)
          ? true
          : undefined,
      { description: 'the redriven message to succeed' },
    );
  });

  it('refuses a second runtime in the same process', async () => {
    await expect(
      startRuntime({ country: 'BE', port: 0, dataDir: 'memory', logLevel: 'silent' }),
    ).rejects.toThrow(/already runs in this process/);
  });
});
