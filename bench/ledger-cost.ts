// What a declaration costs in DynamoDB (and around it) on the local runtime, and what that implies on AWS
// at list prices. Runs its own in-process runtime with a metering proxy between the handlers and
// DynamoDB Local (cost/dynamodb-meter.ts), lodges a declaration mix (cost/declaration-mix.ts) and prices
// the usage (cost/prices.ts). SQS, EventBridge and Lambda figures come from the pollers' batch reports.
//
//   measureLedgerCost({ declarations: 500 }) -> LedgerCostReport
//   npx tsx bench/ledger-cost.ts [declarations]   prints the report as JSON
import { randomUUID } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchReport } from '../infra/local/poller.js';
import { type Runtime, startRuntime } from '../infra/local/runtime.js';
import { LOCAL_CREDENTIALS } from '../infra/local/util.js';
import { decodeRecord } from '../shared/adapters/record-codec.js';
import { functions } from '../shared/topology.js';
import { benchDeclaration } from './cost/declaration-mix.js';
import { type DynamoDbMeter, emptyUsage, startDynamoDbMeter } from './cost/dynamodb-meter.js';
import { PRICES } from './cost/prices.js';

export interface LedgerCostOptions {
  /** Declarations to lodge (default 500). */
  declarations?: number;
  /** Declarations per POST /v1/declarations/batch (default 100). */
  batchSize?: number;
  /** `realistic` (default): a few large platforms, mostly single-line consignments from one origin;
   * `diverse`: every dimension varies from one consignment to the next (worst case for pre-summing). */
  mix?: 'realistic' | 'diverse';
  /** Longest wait for the pipeline to finish (default 180 s). */
  timeoutMs?: number;
}

export interface LedgerCostReport {
  declarations: number;
  /** Declarations the duty step assessed (the rest were held or rejected). */
  assessed: number;
  durationMs: number;
  dynamodb: {
    requestsPerDeclaration: Record<string, number>;
    writeRequestsPerDeclaration: number;
    /** Items written to every table (declaration state and ledger); index copies not counted. */
    itemsWrittenPerDeclaration: number;
    /** Write units per declaration as AWS bills them, in total and by table. */
    writeUnitsPerDeclaration: number;
    writeUnitsPerDeclarationByTable: Record<string, number>;
    /** By partition family (`ledger:REV`, `declarations:byDay:DAY`...): what the scale model spreads. */
    writeUnitsPerDeclarationByFamily: Record<string, number>;
    /** What DynamoDB Local reported (it sizes transactions as a whole, so lower). */
    reportedWriteUnitsPerDeclaration: number;
    readUnitsPerDeclaration: number;
    /** The ledger path: ledger facts and aggregate updates, amortized over the declarations. */
    ledger: {
      transactionsPerDeclaration: number;
      itemsPerDeclaration: number;
      writeUnitsPerDeclaration: number;
      /** The same as DynamoDB Local reported it (it sizes a transaction's items per table as a whole). */
      reportedWriteUnitsPerDeclaration: number;
      /** Extra units the state write costs for being in the ledger's transaction. */
      transactionalSurchargePerDeclaration: number;
    };
  };
  sqs: { requestsPerDeclaration: number };
  eventBridge: { eventsPerDeclaration: number };
  lambda: {
    invocationsPerDeclaration: number;
    gbSecondsPerDeclaration: number;
    /** Per function: invocations and milliseconds of run time per declaration (on this machine). */
    byFunction: Record<string, { invocationsPerDeclaration: number; msPerDeclaration: number }>;
  };
  /** USD per million declarations at list prices. */
  costPerMillionDeclarations: {
    dynamodbWrites: number;
    dynamodbReads: number;
    ledgerWrites: number;
    sqs: number;
    eventBridge: number;
    lambda: number;
    total: number;
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

const waitFor = async (check: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

/**
 * Lodges declarations through the local runtime's HTTP API, waits until risk, duty and notify have
 * handled all of them, and reports what DynamoDB, SQS, EventBridge and Lambda did per declaration.
 * Starts (and stops) its own in-process runtime: call it when no other runtime runs in this process.
 */
export const measureLedgerCost = async (options: LedgerCostOptions = {}): Promise<LedgerCostReport> => {
  const count = options.declarations ?? 500;
  const batchSize = options.batchSize ?? 100;
  const mix = options.mix ?? 'realistic';
  const timeoutMs = options.timeoutMs ?? 180_000;
  const batches: BatchReport[] = [];
  let meter: DynamoDbMeter | undefined;
  let runtime: Runtime | undefined;
  const started = Date.now();
  try {
    runtime = await startRuntime({
      dataDir: 'memory',
      port: 0,
      logLevel: 'warn',
      onBatch: (report) => batches.push(report),
      handlerDynamoDbEndpoint: async (endpoint) => {
        meter = await startDynamoDbMeter(endpoint, () => runtime?.tables);
        return meter.endpoint;
      },
    });
    const live = runtime;
    const direct = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: live.dynamodb.endpoint,
        region: live.region,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const run = randomUUID().slice(0, 8);
    const ids: string[] = [];
    let httpInvocations = 0;
    let httpMs = 0;
    // Each platform lodges its consignments in batches, in the order they were generated.
    const lodge = async (platform: string, declarations: unknown[]) => {
      const posted = Date.now();
      const response = await fetch(`${live.url}/v1/declarations/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer local:platform:${platform}`, 'content-type': 'application/json' },
        body: JSON.stringify({ declarations }),
      });
      httpMs += Date.now() - posted;
      httpInvocations += 1;
      const body = (await response.json()) as { results?: { id?: string }[] };
      ids.push(...(body.results ?? []).flatMap((result) => (result.id ? [result.id] : [])));
    };
    const pending = new Map<string, unknown[]>();
    for (let index = 0; index < count; index += 1) {
      const { platformId, declaration } = benchDeclaration(run, index, mix);
      const queue = [...(pending.get(platformId) ?? []), declaration];
      pending.set(platformId, queue.length >= batchSize ? [] : queue);
      if (queue.length >= batchSize) await lodge(platformId, queue);
    }
    for (const [platform, declarations] of pending)
      if (declarations.length > 0) await lodge(platform, declarations);

    // Done when no declaration is RECEIVED and every queue is empty (read directly, unmetered).
    const ours = new Set(ids);
    // A declaration's current state is its outcome item (the lodgement item stays as lodged).
    let states: { id: string; status: string; assessment?: unknown }[] = [];
    await waitFor(
      async () => {
        const found: typeof states = [];
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await direct.send(
            new ScanCommand({
              TableName: live.tables.declarations,
              FilterExpression: 'sk = :outcome',
              ExpressionAttributeValues: { ':outcome': 'OUTCOME' },
              ProjectionExpression: 'id, #record',
              ExpressionAttributeNames: { '#record': 'record' },
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? [])
            if (ours.has(String(item.id))) found.push(decodeRecord(item.record as Uint8Array));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        states = found;
        return found.length === ids.length && found.every((state) => state.status !== 'RECEIVED');
      },
      timeoutMs,
      'the duty step to assess every declaration',
    );
    await waitFor(
      async () => {
        for (const queue of Object.values(live.queues)) {
          const { Attributes = {} } = await live.sqs.client.send(
            new GetQueueAttributesCommand({
              QueueUrl: queue.url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          if (
            Number(Attributes.ApproximateNumberOfMessages ?? 0) +
              Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) >
            0
          )
            return false;
        }
        return live.pollers.inFlight() === 0;
      },
      timeoutMs,
      'the queues to drain',
    );
    direct.destroy();

    const usage = (meter as DynamoDbMeter | undefined)?.usage() ?? emptyUsage();
    const perDeclaration = (value: number) => round(value / ids.length);
    const sumOf = (record: Record<string, number>) =>
      Object.values(record).reduce((total, value) => total + value, 0);
    const byFunction = (name: string) => batches.filter((report) => report.functionName.endsWith(`-${name}`));
    const messages = (name: string, source?: 'queue') =>
      byFunction(name)
        .filter((report) => source === undefined || report.source !== 'stream')
        .reduce((total, report) => total + report.messageIds.length, 0);
    const tableName = (name: string) => {
      const [physical = name, part] = name.split(':');
      const logical = Object.entries(live.tables).find(([, table]) => table === physical)?.[0] ?? physical;
      return part ? `${logical}:${part}` : logical;
    };

    // SQS: each risk batch (from the declarations table's stream, whose reads a Lambda trigger does not
    // pay for) hands its results to the duty queue in one SendMessageBatch (a message or two carrying
    // every result: shared/use-cases/evaluate-risk.ts); EventBridge sends one message per event to the
    // notify queue; every queue batch is one receive and one DeleteMessageBatch. (Empty long polls are
    // per poller, not per declaration, and left out.)
    const handOvers = byFunction('risk').filter((report) => report.messageIds.length > 0).length;
    const queueBatches = batches.filter((report) => report.source !== 'stream').length;
    const sqsRequests = messages('risk', 'queue') + handOvers + messages('notify') + 2 * queueBatches;
    const events = messages('notify');
    const gbSeconds =
      batches.reduce((total, report) => {
        const fn = report.functionName.split('-').pop() as keyof typeof functions;
        return total + (report.durationMs / 1000) * ((functions[fn]?.memoryMb ?? 1024) / 1024);
      }, 0) +
      (httpMs / 1000) * (functions.intake.memoryMb / 1024);
    const invocations = batches.length + httpInvocations;

    const writeUnits = sumOf(usage.awsWriteUnits);
    const report: LedgerCostReport = {
      declarations: ids.length,
      assessed: states.filter((state) => state.assessment).length,
      durationMs: Date.now() - started,
      dynamodb: {
        requestsPerDeclaration: Object.fromEntries(
          Object.entries(usage.requests).map(([operation, calls]) => [operation, perDeclaration(calls)]),
        ),
        writeRequestsPerDeclaration: perDeclaration(usage.writeRequests),
        itemsWrittenPerDeclaration: perDeclaration(sumOf(usage.itemsWritten)),
        writeUnitsPerDeclaration: perDeclaration(writeUnits),
        writeUnitsPerDeclarationByFamily: Object.fromEntries(
          Object.entries(usage.writeUnitsByFamily).map(([name, units]) => {
            const [physical = name, ...rest] = name.split(':');
            const logical =
              Object.entries(live.tables).find(([, table]) => table === physical)?.[0] ?? physical;
            return [[logical, ...rest].join(':'), perDeclaration(units)];
          }),
        ),
        writeUnitsPerDeclarationByTable: Object.fromEntries(
          Object.entries(usage.awsWriteUnits).map(([table, units]) => [
            tableName(table),
            perDeclaration(units),
          ]),
        ),
        reportedWriteUnitsPerDeclaration: perDeclaration(usage.reportedWriteUnits),
        readUnitsPerDeclaration: perDeclaration(usage.reportedReadUnits),
        ledger: {
          transactionsPerDeclaration: perDeclaration(usage.ledgerTransactions),
          itemsPerDeclaration: perDeclaration(usage.ledgerItems),
          writeUnitsPerDeclaration: perDeclaration(usage.ledgerWriteUnits),
          reportedWriteUnitsPerDeclaration: perDeclaration(usage.reportedLedgerWriteUnits),
          transactionalSurchargePerDeclaration: perDeclaration(usage.transactionalSurchargeUnits),
        },
      },
      sqs: { requestsPerDeclaration: perDeclaration(sqsRequests) },
      eventBridge: { eventsPerDeclaration: perDeclaration(events) },
      lambda: {
        invocationsPerDeclaration: perDeclaration(invocations),
        gbSecondsPerDeclaration: round(gbSeconds / ids.length, 6),
        byFunction: {
          ...Object.fromEntries(
            [...new Set(batches.map((report) => report.functionName.split('-').pop() ?? ''))].map((fn) => {
              const reports = byFunction(fn);
              return [
                fn,
                {
                  invocationsPerDeclaration: perDeclaration(reports.length),
                  msPerDeclaration: perDeclaration(
                    reports.reduce((total, report) => total + report.durationMs, 0),
                  ),
                },
              ];
            }),
          ),
          intake: {
            invocationsPerDeclaration: perDeclaration(httpInvocations),
            msPerDeclaration: perDeclaration(httpMs),
          },
        },
      },
      costPerMillionDeclarations: {
        dynamodbWrites: 0,
        dynamodbReads: 0,
        ledgerWrites: 0,
        sqs: 0,
        eventBridge: 0,
        lambda: 0,
        total: 0,
      },
    };
    const cost = report.costPerMillionDeclarations;
    cost.dynamodbWrites = round((writeUnits / ids.length) * PRICES.dynamodbWriteRequestUnit, 2);
    cost.dynamodbReads = round((usage.reportedReadUnits / ids.length) * PRICES.dynamodbReadRequestUnit, 2);
    cost.ledgerWrites = round(
      ((usage.ledgerWriteUnits + usage.transactionalSurchargeUnits) / ids.length) *
        PRICES.dynamodbWriteRequestUnit,
      2,
    );
    cost.sqs = round((sqsRequests / ids.length) * PRICES.sqsRequest, 2);
    cost.eventBridge = round((events / ids.length) * PRICES.eventBridgeEvent, 2);
    cost.lambda = round(
      (invocations / ids.length) * PRICES.lambdaRequest + (gbSeconds / ids.length) * PRICES.lambdaGbSecond,
      2,
    );
    cost.total = round(
      cost.dynamodbWrites + cost.dynamodbReads + cost.sqs + cost.eventBridge + cost.lambda,
      2,
    );
    return report;
  } finally {
    await runtime?.stop();
    await (meter as DynamoDbMeter | undefined)?.stop();
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolvePath(process.argv[1])).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const declarations = Number(process.argv[2] ?? 500);
  const mix = process.argv[3] === 'diverse' ? 'diverse' : 'realistic';
  measureLedgerCost({ declarations, mix })
    .then((report) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
