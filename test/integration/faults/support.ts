// The fault-injection tier's stack: one local runtime per test file (`startRuntime`, in process) on the
// integration run's shared DynamoDB Local, with its own tables, in-process SQS queues, event bus, pollers
// and HTTP API, so a file can turn faults on and off without touching another file's resources:
// - the pollers' faults (duplicate delivery, crash after writing): `stack.faults`, changed at will;
// - DynamoDB faults in front of the handlers (throttling, transaction conflicts, lost answers):
//   `stack.dynamoDb.rules`, through the runtime's `handlerDynamoDbEndpoint` proxy;
// - the bus's failed entries: `stack.runtime.bus`.
// Then `settle` waits until the pipeline is idle and `verifyClearance` checks what must hold whatever
// happened: every declaration in its state, the ledger and every aggregate exact, nothing lost.
//
// Only infra/local, shared/domain and fixtures are imported here: the handlers are loaded by the runtime,
// after it has set their environment, as on a cold start.
import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import {
  type DynamoDbFaultRule,
  type DynamoDbFaults,
  type DynamoDbProxy,
  dynamoDbFaults,
  startDynamoDbProxy,
} from '../../../infra/local/dynamodb-proxy.js';
import type { FaultOptions } from '../../../infra/local/faults.js';
import type { BatchReport } from '../../../infra/local/poller.js';
import { type Runtime, startRuntime } from '../../../infra/local/runtime.js';
import { LOCAL_CREDENTIALS, LOCAL_HOST } from '../../../infra/local/util.js';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import type { DeclarationRecord, Status } from '../../../shared/domain/clearance/record.js';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { Decimal } from '../../../shared/domain/money.js';
import type { QueueName } from '../../../shared/topology.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { bookedFacts } from '../../fixtures/ledger-facts.js';
import { localAws, pollUntil, uniqueSuffix } from '../support.js';

/** The queues of the clearance flow whose consumers these tests are about. */
export const FLOW_QUEUES: readonly QueueName[] = ['risk', 'duty', 'notify'];

// ---------------------------------------------------------------------------------------------------
// Workload: declarations whose end state is known

export type Kind = 'payable' | 'account' | 'vague' | 'food';

interface KindSpec {
  status: Status;
  /** Risk profiles the declaration hits. */
  hits: string[];
  /**
   * Event types a platform must have received about it, in any order, at least once each (and
   * DutyAssessed when something is due at import and the declaration is not released).
   */
  events: string[];
}

export const KINDS: Record<Kind, KindSpec> = {
  // Duty and VAT due at import from the consumer.
  payable: {
    status: 'AWAITING_PAYMENT',
    hits: [],
    events: ['DeclarationHeld'],
  },
  // Charged to the platform's deferment account: released at once.
  account: {
    status: 'RELEASED',
    hits: [],
    events: ['DeclarationReleased'],
  },
  // AMBER: a documentary check stands.
  vague: {
    status: 'HELD',
    hits: ['BUILTIN-VAGUE-DESCRIPTION'],
    events: ['DeclarationHeld'],
  },
  // An agency hold (single window) for the food safety authority.
  food: {
    status: 'HELD',
    hits: ['BUILTIN-AGENCY-FOOD'],
    events: ['HoldPlaced', 'DeclarationHeld'],
  },
};

export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/**
 * A declaration of `kind`, each with a consignee of its own (so the consignment-splitting profile,
 * which counts a consignee's recent consignments, never depends on the order of processing).
 */
export const aDeclarationOf = (kind: Kind, tag = 'F'): Declaration => {
  const reference = aReference(`${tag}-${kind}`);
  const base: Partial<Declaration> = {
    reference,
    consignee: {
      name: `Consignee ${reference}`,
      address: { line1: `Street ${reference}`, city: 'Utrecht', postcode: '3511 AB', country: 'NL' },
    },
  };
  switch (kind) {
    case 'payable':
      return aDeclaration(base);
    case 'account':
      return aDeclaration({ ...base, collectionModel: 'DEFERRED_ACCOUNT' });
    case 'vague':
      return aDeclaration({ ...base, items: [anItem({ description: 'misc items' })] });
    case 'food':
      return aDeclaration({
        ...base,
        items: [anItem({ description: 'roasted coffee beans', hsCode: '090121', netMassKg: '1.00' })],
      });
  }
};

/** `perKind` declarations of every kind, interleaved. */
export const aMixOf = (perKind: number, tag = 'F'): { kind: Kind; declaration: Declaration }[] =>
  Array.from({ length: perKind }, () =>
    KIND_NAMES.map((kind) => ({ kind, declaration: aDeclarationOf(kind, tag) })),
  ).flat();

/** A seeded generator (mulberry32): fault draws that are the same on every run. */
export const seeded = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

// ---------------------------------------------------------------------------------------------------
// A platform's webhook endpoint

export interface Delivery {
  eventId: string;
  type: string;
  declarationId: string;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  stop(): Promise<void>;
}

const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        type: string;
        data: { declarationId: string };
      };
      deliveries.push({
        eventId: String(req.headers['clearway-event-id']),
        type: body.type,
        declarationId: body.data.declarationId,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOCAL_HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${LOCAL_HOST}:${port}/hooks`,
    deliveries,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

// ---------------------------------------------------------------------------------------------------
// The stack

export interface FaultStackOptions {
  /** Part of the stage name, e.g. the test file's subject. */
  name: string;
  /** The pollers' faults; the object stays the runtime's, so changing it turns faults on and off. */
  faults?: FaultOptions;
  /** DynamoDB faults in front of the handlers; `stack.dynamoDb.rules` can be changed at any time. */
  dynamoDb?: DynamoDbFaultRule[];
  /** Receives before a message is dead-lettered; default 30, so faults alone never park work. */
  maxReceiveCount?: number;
  /** Default 1 second, so failed messages come back at once. */
  visibilityTimeoutSeconds?: number;
}

/** A lodged declaration and what it must end as. */
export interface Expectation {
  id: string;
  kind: Kind;
  /** Goods lines: the statistics count one item per line. */
  lines: number;
  /** Written into the table rather than lodged through intake. */
  withoutIntake?: boolean;
}

export interface FaultStack {
  runtime: Runtime;
  /** Every declaration lodged (`lodgeAll`, `lodgeMix`) or seeded, with what it must end as. */
  expected: Expectation[];
  faults: FaultOptions;
  dynamoDb: DynamoDbFaults;
  /** Every batch the pollers processed, in order. */
  batches: BatchReport[];
  webhook: WebhookReceiver;
  /** Reads DynamoDB directly (not through the fault proxy), numbers as exact NumberValues. */
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** Lodges declarations as a platform does: a batch, sent again after a 5xx until accepted. */
  lodge(platformId: string, declarations: Declaration[]): Promise<string[]>;
  /** Sets the platform's webhook to this stack's receiver. */
  registerWebhook(platformId: string): Promise<void>;
  /** Declarations' states (without bodies), by id. */
  states(ids: readonly string[]): Promise<Map<string, DeclarationRecord>>;
  /** Messages in a queue (or its dead-letter queue), visible or in flight. */
  depth(queue: QueueName, dlq?: boolean): Promise<number>;
  /** Waits until no declaration is RECEIVED and the flow's queues and pollers are idle. */
  settle(ids: readonly string[], timeoutMs?: number): Promise<Map<string, DeclarationRecord>>;
  /** Every item of a table of this stack. */
  scan(table: 'declarations' | 'ledger' | 'risk'): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export const startFaultStack = async (options: FaultStackOptions): Promise<FaultStack> => {
  const context = localAws();
  const faults: FaultOptions = options.faults ?? {};
  const dynamoDb = dynamoDbFaults(options.dynamoDb ?? [], faults.random);
  const batches: BatchReport[] = [];
  let proxy: DynamoDbProxy | undefined;
  const webhook = await startWebhookReceiver();
  const runtime = await startRuntime({
    country: context.country,
    stage: `f${options.name.toLowerCase().replace(/[^a-z0-9]/g, '')}${uniqueSuffix()}`,
    port: 0,
    dataDir: 'memory',
    dynamoDbEndpoint: context.endpoints.dynamodb,
    logLevel: 'silent',
    handlerLogLevel: 'SILENT',
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
    maxReceiveCount: options.maxReceiveCount ?? 30,
    faults,
    onBatch: (report) => batches.push(report),
    handlerDynamoDbEndpoint: async (endpoint) => {
      proxy = await startDynamoDbProxy({ target: endpoint, ...dynamoDb.hooks });
      return proxy.endpoint;
    },
  }).catch(async (error: unknown) => {
    await webhook.stop();
    throw error;
  });
  const clientConfig = { region: runtime.region, credentials: LOCAL_CREDENTIALS };
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...clientConfig, endpoint: context.endpoints.dynamodb }),
    { unmarshallOptions: { wrapNumbers: true } },
  );
  const sqs = new SQSClient({ ...clientConfig, endpoint: runtime.sqs.endpoint });

  const request = async (method: string, path: string, platformId: string, body: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer local:platform:${platformId}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** Sends again while the answer is 503 (a service busy; repeating is safe), as a client should. */
  const requestUntilServed = async (method: string, path: string, platformId: string, body: unknown) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await request(method, path, platformId, body);
      if (response.status !== 503 || attempt >= 20) return response;
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  };

  const lodge = async (platformId: string, declarations: Declaration[]): Promise<string[]> => {
    const response = await requestUntilServed('POST', '/v1/declarations/batch', platformId, { declarations });
    expect(response.status, await response.clone().text()).toBe(207);
    const { results } = (await response.json()) as { results: { status: number; id?: string }[] };
    expect(results.map((result) => result.status).filter((status) => status >= 300)).toEqual([]);
    return results.map((result) => String(result.id));
  };

  const store = declarationStore(runtime.tables.declarations, documents);
  const states = (ids: readonly string[]) => store.getStates([...ids]);

  const depth = async (queue: QueueName, dlq = false) => {
    const resources = runtime.queues[queue];
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq ? resources.dlqUrl : resources.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };

  const settle = async (ids: readonly string[], timeoutMs = 45_000) => {
    let idleBefore = false;
    return pollUntil(
      async () => {
        const current = await states(ids);
        const pending = ids.filter((id) => current.get(id)?.status === 'RECEIVED' || !current.has(id));
        const queued = await Promise.all(FLOW_QUEUES.map((queue) => depth(queue)));
        const idle =
          pending.length === 0 && queued.every((count) => count === 0) && runtime.pollers.inFlight() === 0;
        // Idle twice in a row: a batch that just ended may still be publishing what follows.
        const settled = idle && idleBefore;
        idleBefore = idle;
        return settled ? current : undefined;
      },
      { timeoutMs, intervalMs: 250, description: `${ids.length} declarations to settle` },
    );
  };

  const scan = async (table: 'declarations' | 'ledger' | 'risk') => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({ TableName: runtime.tables[table], ExclusiveStartKey, ConsistentRead: true }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  return {
    runtime,
    expected: [],
    faults,
    dynamoDb,
    batches,
    webhook,
    documents,
    sqs,
    lodge,
    async registerWebhook(platformId) {
      const response = await requestUntilServed('PUT', '/v1/webhooks', platformId, {
        url: webhook.url,
        secret: `secret-of-${platformId}-for-tests`,
      });
      expect(response.status, await response.text()).toBe(200);
    },
    states,
    depth,
    settle,
    scan,
    async stop() {
      documents.destroy();
      sqs.destroy();
      await runtime.stop();
      await proxy?.stop();
      await webhook.stop();
    },
  };
};

// ---------------------------------------------------------------------------------------------------
// What must hold whatever the faults were

const sum = (values: readonly unknown[]) =>
  values.reduce<Decimal>((total, value) => total.plus(String(value ?? 0)), new Decimal(0));

/** Every numeric attribute of the item whose name starts with `prefix`, added up. */
const measures = (item: Record<string, unknown>, prefix: string) =>
  sum(
    Object.entries(item)
      .filter(([name]) => name.startsWith(prefix))
      .map(([, value]) => value),
  );

/**
 * For every declaration the stack lodged: it is in its kind's end state with one unbroken history,
 * written once at lodgement and once at its outcome; the ledger holds exactly one assessment fact for it that adds up
 * to its assessment; every revenue and statistics aggregate equals the sum of the ledger (each
 * consignment and goods line counted once); each profile hit and consignee window entry is counted once;
 * no flow message is left or dead-lettered; every event a platform must get reached its webhook.
 */
export const verifyClearance = async (stack: FaultStack) => {
  const { expected } = stack;
  const ids = expected.map((entry) => entry.id);
  const states = await stack.states(ids);

  // States: the right end state, reached once
  for (const { id, kind } of expected) {
    const state = states.get(id);
    expect(state?.status, `${kind} ${id}`).toBe(KINDS[kind].status);
    expect(
      state?.history.map((entry) => `${entry.from}>${entry.to}`),
      id,
    ).toEqual(['null>RECEIVED', 'RECEIVED>ASSESSED', `ASSESSED>${KINDS[kind].status}`]);
    // Written twice: at lodgement and at its outcome (by the duty step, with the risk result)
    expect(state?.version, id).toBe(1);
    expect(state?.risk?.hits.map((hit) => hit.profileId).sort(), id).toEqual([...KINDS[kind].hits].sort());
  }

  // The ledger: one assessment fact per declaration, adding up to its assessment
  const ledger = await stack.scan('ledger');
  // Besides its assessment, a declaration too large for one transaction leaves a marker per extra part.
  const markers = ledger.filter((item) => String(item.pk).startsWith('LEDGER#'));
  expect(markers.filter((item) => !/^FACT#PART#\d+$/.test(String(item.sk)))).toEqual([]);
  const facts = bookedFacts(ledger);
  expect(facts.map((fact) => fact.fact)).toEqual(facts.map(() => 'ASSESSMENT'));
  expect(facts.map((fact) => fact.declarationId).sort()).toEqual([...ids].sort());
  let assessed = new Decimal(0);
  let declared = new Decimal(0);
  for (const fact of facts) {
    const state = states.get(fact.declarationId);
    const ofKind = (kind: string) =>
      sum(fact.entries.filter((entry) => entry.kind === kind).map((e) => e.amount));
    expect(ofKind('ASSESSED').toFixed(2)).toBe(state?.assessment?.totals.dueAtImport);
    expect(ofKind('CHECKOUT_DECLARED').toFixed(2)).toBe(state?.assessment?.totals.collectedAtCheckout);
    assessed = assessed.plus(ofKind('ASSESSED'));
    declared = declared.plus(ofKind('CHECKOUT_DECLARED'));
  }
  expect(assessed.greaterThan(0)).toBe(true);

  // Aggregates: the sum of the ledger, each declaration counted once
  const revenue = ledger.filter((item) => String(item.pk).startsWith('REV#'));
  expect(sum(revenue.map((cell) => measures(cell, 'A:'))).toFixed(2)).toBe(assessed.toFixed(2));
  expect(sum(revenue.map((cell) => measures(cell, 'K:'))).toFixed(2)).toBe(declared.toFixed(2));
  expect(sum(revenue.map((cell) => measures(cell, 'C:'))).toFixed(2)).toBe('0.00');
  const statistics = ledger.filter(
    (item) => String(item.pk).startsWith('STAT#') && String(item.sk).startsWith('C#'),
  );
  expect(sum(statistics.map((cell) => cell.cAll)).toNumber()).toBe(ids.length);
  expect(sum(statistics.map((cell) => cell.items)).toNumber()).toBe(
    expected.reduce((total, entry) => total + entry.lines, 0),
  );
  const dutyAssessed = sum([...states.values()].map((state) => state.assessment?.totals.duty));
  expect(sum(statistics.map((cell) => cell.duty)).toFixed(2)).toBe(dutyAssessed.toFixed(2));

  // Counters kept by the risk step: a hit per declaration per profile, a window entry per consignment
  const riskRecords = await stack.scan('risk');
  const hitsExpected = new Map<string, number>();
  for (const { kind } of expected) {
    for (const profile of KINDS[kind].hits) hitsExpected.set(profile, (hitsExpected.get(profile) ?? 0) + 1);
  }
  const hitsCounted = new Map(
    riskRecords
      .filter((item) => String(item.pk).startsWith('PROFILESTATS#'))
      .map((item) => [String(item.profileId), Number(item.hits)]),
  );
  expect(hitsCounted).toEqual(hitsExpected);
  const windowEntries = riskRecords
    .filter((item) => String(item.pk).startsWith('WINDOW#'))
    .flatMap((item) => Object.keys(item).filter((name) => name.startsWith('c_')))
    .map((name) => name.slice('c_'.length));
  expect(windowEntries.sort()).toEqual([...ids].sort());

  // Nothing left behind, nothing dead-lettered
  for (const queue of FLOW_QUEUES) {
    expect(await stack.depth(queue), queue).toBe(0);
    expect(await stack.depth(queue, true), `${queue} DLQ`).toBe(0);
  }

  // Nothing lost on the way to the platforms
  for (const { id, kind } of expected) {
    const received = new Set(
      stack.webhook.deliveries.filter((delivery) => delivery.declarationId === id).map((d) => d.type),
    );
    // What is due at import is announced (someone must collect it): by the release itself, else by
    // DutyAssessed.
    const state = states.get(id);
    const due = new Decimal(state?.assessment?.totals.dueAtImport ?? '0').greaterThan(0);
    const events = [...KINDS[kind].events, ...(due && state?.status !== 'RELEASED' ? ['DutyAssessed'] : [])];
    expect([...received].sort(), id).toEqual(events.sort());
  }
  return { states, ledger, riskRecords };
};

/**
 * Messages of a consumer's batches (since index `from` of stack.batches) that failed or crashed at some
 * point, and those of them never handled successfully afterwards (both lists of message ids).
 */
export const retriedMessages = (stack: FaultStack, consumer: string, from = 0) => {
  const batches = stack.batches.slice(from).filter((batch) => batch.functionName.endsWith(`-${consumer}`));
  const failed = new Set(batches.flatMap((batch) => batch.failedMessageIds));
  const succeeded = new Set(
    batches.flatMap((batch) => batch.messageIds.filter((id) => !batch.failedMessageIds.includes(id))),
  );
  return { failed: [...failed], neverSucceeded: [...failed].filter((id) => !succeeded.has(id)) };
};

/**
 * Lodges declarations for a platform whose webhook points at the stack's receiver, and records what
 * each must end as. Returns the ids in order.
 */
export const lodgeAll = async (
  stack: FaultStack,
  platformId: string,
  entries: readonly { kind: Kind; declaration: Declaration }[],
): Promise<string[]> => {
  await stack.registerWebhook(platformId);
  const ids = await stack.lodge(
    platformId,
    entries.map((entry) => entry.declaration),
  );
  entries.forEach(({ kind, declaration }, index) => {
    stack.expected.push({ id: ids[index] as string, kind, lines: declaration.items.length });
  });
  return ids;
};

/** Lodges `perKind` of every kind for two platforms; returns the ids. */
export const lodgeMix = async (stack: FaultStack, perKind: number, tag: string): Promise<string[]> => {
  const lodged = await Promise.all(
    ['a', 'b'].map((platform) =>
      lodgeAll(stack, `${tag.toLowerCase()}-${platform}`, aMixOf(perKind, `${tag}${platform}`)),
    ),
  );
  return lodged.flat();
};

/** Lodges a mix, waits for the stack to settle and checks every invariant over all it lodged. */
export const clearAMix = async (stack: FaultStack, perKind: number, tag: string) => {
  const ids = await lodgeMix(stack, perKind, tag);
  await stack.settle(stack.expected.map((entry) => entry.id));
  return { ids, ...(await verifyClearance(stack)) };
};
