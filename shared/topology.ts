// The one description of Clearway's wiring: tables, queues, bus rules, event-source mappings, functions
// and HTTP routes. The CDK stacks and the local runtime both build from it, so local == deployed.

import { DETAIL_TYPES, eventSource } from './domain/events.js';
import { POSTAL_FILER_PREFIX, RESPONSE_SOURCES } from './domain/postal/responses.js';
import type { HttpFunctionName } from './http/contract.js';
import type { EventPattern } from './lib/event-pattern.js';

export type TableName = 'declarations' | 'ledger' | 'reference' | 'risk' | 'limits';
export type QueueName = 'risk' | 'duty' | 'notify' | 'singlewindow' | 'postalResponses';
export type FunctionName =
  | HttpFunctionName
  | 'risk'
  | 'duty'
  | 'notify'
  | 'singlewindow'
  | 'postalResponses'
  | 'records';
export { ROLES, type Role } from './domain/caller.js';

export interface IndexSpec {
  name: string;
  partitionKey: string;
  sortKey: string;
  /**
   * Attributes copied into the index besides the keys: what a query on it reads. Every write that changes
   * one of them writes the index too, so the index holds only what a list shows, not the whole item.
   */
  projected: readonly string[];
}

/** The summary a declaration list shows, as top-level attributes of the state item (see declaration-store). */
const DECLARATION_SUMMARY = [
  'id',
  'reference',
  'platformId',
  'status',
  'createdAt',
  'updatedAt',
  'summaryLane',
  'summaryTotals',
  'goodsValue',
] as const;

export interface TableSpec {
  partitionKey: string;
  sortKey?: string;
  /** Global secondary indexes. */
  indexes: IndexSpec[];
  timeToLiveAttribute?: string;
  /** Holds money or personal data: encrypted with a customer-managed key on AWS. */
  sensitive: boolean;
  /** A change stream, whose records carry the item as written: what `streamMappings` consume. */
  stream?: 'NEW_IMAGE';
}

export const tables: Record<TableName, TableSpec> = {
  declarations: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byPlatform', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projected: DECLARATION_SUMMARY },
      { name: 'byDay', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projected: DECLARATION_SUMMARY },
    ],
    timeToLiveAttribute: 'expiresAt',
    sensitive: true,
    // The accepted write drives the pipeline: a new declaration's own item starts its risk step.
    stream: 'NEW_IMAGE',
  },
  ledger: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    sensitive: true,
  },
  reference: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    // Holds platforms' webhook secrets.
    sensitive: true,
  },
  // What the risk step remembers between declarations: each consignee's recent consignments (the
  // splitting profile) and each profile's hit and check counters. Written for every declaration, so kept
  // apart from the declarations, whose stream would otherwise carry every one of these writes too.
  risk: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    // Consignee windows name declarations and their values.
    sensitive: true,
  },
  // Fair-use counters: one item per caller and window, deleted by TTL once the window is over.
  limits: {
    partitionKey: 'pk',
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    sensitive: false,
  },
};

export interface QueueSpec {
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
}

export const queues: Record<QueueName, QueueSpec> = {
  risk: { maxReceiveCount: 5 },
  duty: { maxReceiveCount: 5 },
  // Webhook deliveries back off exponentially between receives (see functions/notify): eight receives
  // span about an hour before an undeliverable event is parked in the dead-letter queue.
  notify: { maxReceiveCount: 8 },
  singlewindow: { maxReceiveCount: 5 },
  postalResponses: { maxReceiveCount: 5 },
};

export interface EventSourceMapping {
  queue: QueueName;
  function: FunctionName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Caps concurrent batches so a consumer cannot outrun DynamoDB or a partner endpoint. */
  maxConcurrency: number;
}

export const eventSourceMappings: EventSourceMapping[] = [
  { queue: 'risk', function: 'risk', batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 10 },
  { queue: 'duty', function: 'duty', batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 10 },
  { queue: 'notify', function: 'notify', batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 5 },
  {
    queue: 'singlewindow',
    function: 'singlewindow',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
  },
  {
    queue: 'postalResponses',
    function: 'postalResponses',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
  },
];

/**
 * A table's change stream feeding a function (a Lambda event-source mapping on the stream): only the
 * records the filter matches reach it, in batches, with partial batch failures reported by sequence
 * number; a batch that keeps failing is split in two (bisect) and retried, and after `maxRetryAttempts`
 * its records are parked in `parkIn`'s dead-letter queue. Locally, infra/local/stream-poller.ts plays it.
 */
export interface StreamMapping {
  table: TableName;
  function: FunctionName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Batches of one shard processed at once (Lambda's parallelization factor). */
  parallelizationFactor: number;
  /** An EventBridge-style pattern over the stream record, as Lambda event filtering takes it. */
  filter: EventPattern;
  maxRetryAttempts: number;
  parkIn: QueueName;
  /**
   * The sort key of the item, in a record's partition, whose existence shows the work the record started
   * is done (the local runtime, whose SQS dies with it, only moves its position past such records).
   * Without it, the record's item no longer matching `filter` shows it.
   */
  doneWhenWritten?: string;
}

export const streamMappings: StreamMapping[] = [
  {
    // A declaration is accepted by one conditional PutItem; that insert, and only it, starts the risk step
    // (a crash between the write and any send can no longer strand it).
    table: 'declarations',
    function: 'risk',
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    parallelizationFactor: 4,
    filter: {
      eventName: ['INSERT'],
      dynamodb: { NewImage: { sk: { S: ['STATE'] }, status: { S: ['RECEIVED'] } } },
    },
    maxRetryAttempts: 20,
    parkIn: 'risk',
    // The lodgement item is never rewritten: the declaration has left RECEIVED once its outcome is written.
    doneWhenWritten: 'OUTCOME',
  },
];

export interface BusRule {
  name: string;
  description: string;
  pattern: (country: string) => EventPattern;
  target: { queue: QueueName };
}

export const busRules: BusRule[] = [
  {
    // The risk step hands its results to the duty step directly (SQS); this rule carries only the
    // declarations sent back to the duty step once the holds that stopped their assessment are lifted.
    name: 'RiskAssessedToDuty',
    description: 'Assess duty and taxes again once the holds that stopped an assessment are lifted',
    pattern: (country) => ({ source: [eventSource(country)], 'detail-type': ['RiskAssessed'] }),
    target: { queue: 'duty' },
  },
  {
    name: 'DeclarationEventsToNotify',
    description: "Deliver every declaration event to the owning platform's webhook",
    pattern: (country) => ({ source: [eventSource(country)], 'detail-type': [...DETAIL_TYPES] }),
    target: { queue: 'notify' },
  },
  {
    name: 'HoldEventsToSingleWindow',
    description: "Keep each agency's list of the holds routed to it (the single window)",
    pattern: (country) => ({ source: [eventSource(country)], 'detail-type': ['HoldPlaced', 'HoldLifted'] }),
    target: { queue: 'singlewindow' },
  },
  {
    name: 'PostalItemEventsToResponses',
    description: "Turn the status changes of posts' items into their customs responses",
    pattern: (country) => ({
      source: [eventSource(country)],
      'detail-type': [...RESPONSE_SOURCES],
      detail: { platformId: [{ prefix: POSTAL_FILER_PREFIX }] },
    }),
    target: { queue: 'postalResponses' },
  },
];

export interface Schedule {
  name: string;
  description: string;
  /** How often the function runs (EventBridge `rate`); the local runtime plays the same rate. */
  everyMinutes: number;
  function: FunctionName;
}

export const schedules: Schedule[] = [
  {
    name: 'RecordKeepingEnds',
    description: "Pseudonymise the consignee of declarations whose pack's record-keeping period is over",
    everyMinutes: 24 * 60,
    function: 'records',
  },
];

/** `count`: UpdateItem only (fair-use counters), nothing else on the table. */
export type Access = 'read' | 'readWrite' | 'count';

export interface FunctionSpec {
  /** Path of the handler module, relative to the project root; it exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  tables: Partial<Record<TableName, Access>>;
  sendsTo: QueueName[];
  publishesEvents: boolean;
  /**
   * Packages whose files the function reads at run time (not code): installed next to the bundle
   * instead of being bundled, e.g. the API reference page's static assets.
   */
  runtimeFiles?: string[];
  /**
   * A directory of built files (relative to the project root) the function serves: copied next to the
   * bundle on AWS, read in place locally; the function finds it at `ASSETS_DIR`.
   */
  assets?: string;
  /**
   * Reads the stack's secret at cold start (keys for declaration ids and cursor seals): given its id in
   * `STACK_SECRET_ID` and read access to it, nothing more.
   */
  readsStackSecret?: boolean;
  /** Registers or calls webhook URLs: told which receivers the stack may reach (`WEBHOOK_RECEIVERS`). */
  reachesWebhooks?: boolean;
  /** Seals (encrypt only) or opens (decrypt only) webhook secrets with the webhook key. */
  webhookSecrets?: 'seal' | 'open';
}

export const functions: Record<FunctionName, FunctionSpec> = {
  query: {
    entry: 'functions/query/handler.ts',
    description:
      'Answers revenue, account statements, statistics and data quality from the ledger aggregates ' +
      '(and the refusal counters intake keeps beside the declarations)',
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: { ledger: 'read', declarations: 'read', limits: 'count' },
    sendsTo: [],
    publishesEvents: false,
  },
  singlewindow: {
    entry: 'functions/singlewindow/handler.ts',
    description: 'Keeps the list of holds routed to each agency from the hold events',
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { declarations: 'readWrite' },
    sendsTo: [],
    publishesEvents: false,
  },
  clearance: {
    entry: 'functions/clearance/handler.ts',
    description:
      "Payments, holds and their lifting, officers' decisions and returns: release after lodgement",
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { declarations: 'readWrite', ledger: 'readWrite', risk: 'readWrite', limits: 'count' },
    sendsTo: [],
    publishesEvents: true,
    readsStackSecret: true,
  },
  intake: {
    entry: 'functions/intake/handler.ts',
    description: 'Validates and stores lodged declarations (their insert starts the risk step)',
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: { declarations: 'readWrite', reference: 'read', limits: 'count' },
    sendsTo: [],
    publishesEvents: false,
    readsStackSecret: true,
  },
  postal: {
    entry: 'functions/postal/handler.ts',
    description:
      'Takes postal items from posts (CN23 as JSON, ITMATT as XML), lodges them as declarations and ' +
      'answers their customs responses',
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: { declarations: 'readWrite', limits: 'count' },
    sendsTo: [],
    publishesEvents: false,
    readsStackSecret: true,
  },
  postalResponses: {
    entry: 'functions/postalResponses/handler.ts',
    description: "Records posts' customs responses from their items' events and announces each once",
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { declarations: 'readWrite' },
    sendsTo: [],
    publishesEvents: true,
  },
  risk: {
    entry: 'functions/risk/handler.ts',
    description: 'Evaluates risk profiles for batches of declarations and hands the results to the duty step',
    timeoutSeconds: 30,
    memoryMb: 1024,
    tables: { declarations: 'readWrite', reference: 'read', risk: 'readWrite' },
    sendsTo: ['duty'],
    publishesEvents: false,
  },
  duty: {
    entry: 'functions/duty/handler.ts',
    description: 'Assesses duties and taxes, books the ledger and decides release',
    timeoutSeconds: 30,
    memoryMb: 1024,
    tables: { declarations: 'readWrite', ledger: 'readWrite', reference: 'read' },
    // Declarations of a message that failed go back to the queue one message each.
    sendsTo: ['duty'],
    publishesEvents: true,
  },
  declarations: {
    entry: 'functions/declarations/handler.ts',
    description: 'Reads declarations and applies officer, agency and platform actions to them',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { declarations: 'readWrite', ledger: 'readWrite', reference: 'read', limits: 'count' },
    sendsTo: [],
    publishesEvents: true,
    readsStackSecret: true,
  },
  notify: {
    entry: 'functions/notify/handler.ts',
    description:
      "Delivers declaration events to each platform's webhook, signed, with retries and backoff; parks a dead endpoint's events",
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { reference: 'readWrite' },
    sendsTo: [],
    publishesEvents: false,
    reachesWebhooks: true,
    webhookSecrets: 'open',
  },
  webhooks: {
    entry: 'functions/webhooks/handler.ts',
    description: "Stores and shows a platform's webhook settings",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { reference: 'readWrite', limits: 'count' },
    sendsTo: ['notify'],
    publishesEvents: false,
    reachesWebhooks: true,
    webhookSecrets: 'seal',
  },
  openapi: {
    entry: 'functions/openapi/handler.ts',
    description: 'Serves the OpenAPI document and the rendered API reference',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: {},
    sendsTo: [],
    publishesEvents: false,
    runtimeFiles: ['swagger-ui-dist'],
  },
  admin: {
    entry: 'functions/admin/handler.ts',
    description:
      'Maintains the reference data (tariffs, exchange rates, registries, risk profiles), versioned and audited',
    timeoutSeconds: 10,
    memoryMb: 512,
    // Risk: read only, for the risk profiles' hit and check counters.
    tables: { reference: 'readWrite', risk: 'read', limits: 'count' },
    sendsTo: [],
    publishesEvents: false,
    // Seals the audit log's paging cursors.
    readsStackSecret: true,
  },
  console: {
    entry: 'functions/console/handler.ts',
    description: "Serves the administration's console and the public statistics page (static files)",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: {},
    sendsTo: [],
    publishesEvents: false,
    assets: 'console/dist',
  },
  records: {
    entry: 'functions/records/handler.ts',
    description:
      "Once a day: pseudonymises the consignee of declarations whose pack's record-keeping period is over",
    timeoutSeconds: 900,
    memoryMb: 512,
    tables: { declarations: 'readWrite' },
    sendsTo: [],
    publishesEvents: false,
    readsStackSecret: true,
  },
  quotes: {
    entry: 'functions/quotes/handler.ts',
    description: 'Quotes duties and taxes for a declaration body and publishes the rules in force',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { reference: 'readWrite', limits: 'count' },
    sendsTo: [],
    publishesEvents: false,
  },
};

// HTTP routes are described by their contracts (shared/http/routes): function, roles, schemas and responses.
// They are not re-exported here: every function loads this module, and each needs only its own routes.

/** Visibility timeout of a queue: six times its consumer's timeout, as AWS recommends. */
export const visibilityTimeoutSeconds = (queue: QueueName): number => {
  const mapping = eventSourceMappings.find((candidate) => candidate.queue === queue);
  const consumerTimeout = mapping ? functions[mapping.function].timeoutSeconds : 30;
  return consumerTimeout * 6;
};

/** Environment variable names, shared by the stacks and the local runtime. */
export const tableEnvName = (table: TableName): string => `${table.toUpperCase()}_TABLE_NAME`;
export const queueEnvName = (queue: QueueName): string => `${queue.toUpperCase()}_QUEUE_URL`;
export const EVENT_BUS_ENV = 'EVENT_BUS_NAME';
export const STACK_SECRET_ENV = 'STACK_SECRET_ID';
/**
 * Which webhook receivers a stack may reach: `public` (https to public addresses only; every deployed
 * stack) or `public-or-loopback` (also http to this machine; the local runtime, for test receivers).
 */
export const WEBHOOK_RECEIVERS_ENV = 'WEBHOOK_RECEIVERS';
/** The KMS key that seals webhook secrets: the webhooks function encrypts with it, notify decrypts. */
export const WEBHOOK_KEY_ENV = 'WEBHOOK_KEY_ID';
/** Optional: the stack's first month, when its tables were created later (e.g. restored from a backup). */
export const LIFETIME_START_ENV = 'STACK_LIFETIME_START';

/** Resource names derived from country and stage so stacks coexist in one account. */
export const resourcePrefix = (country: string, stage: string): string =>
  `clearway-${country.toLowerCase()}-${stage}`;

/** The stack's event bus, named like every other resource so stacks coexist. */
export const eventBusName = (country: string, stage: string): string =>
  `${resourcePrefix(country, stage)}-bus`;
