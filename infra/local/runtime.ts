// The whole local stack in one process: DynamoDB Local (child process), SQS, the event bus, the
// handlers with the environment the deployed stack gives them, pollers and the HTTP API.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { type DeclarationIdOf, declarationIds } from '../../shared/domain/declaration/identity.js';
import { DEFAULT_FAIR_USE, type FairUseLimits, fairUseEnvironment } from '../../shared/domain/fair-use.js';
import { routes } from '../../shared/http/routes/index.js';
import { stackKeys } from '../../shared/lib/stack-keys.js';
import {
  EVENT_BUS_ENV,
  type FunctionName,
  functions,
  LIFETIME_START_ENV,
  queueEnvName,
  ROLES,
  type Role,
  resourcePrefix,
  STACK_SECRET_ENV,
  schedules,
  type TableName,
  tableEnvName,
  WEBHOOK_KEY_ENV,
  WEBHOOK_RECEIVERS_ENV,
} from '../../shared/topology.js';
import {
  connectDynamoDbLocal,
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
  type TableNames,
  warmUpDynamoDbLocal,
} from './dynamodb.js';
import {
  type DynamoDbFaults,
  type DynamoDbProxy,
  dynamoDbFaults,
  startDynamoDbProxy,
  throttlingRules,
} from './dynamodb-proxy.js';
import { type LocalEventBus, startEventBus, topologyRules } from './event-bus.js';
import { describeFaults, type FaultOptions } from './faults.js';
import { type LocalHttpServer, localToken, startHttpServer } from './http.js';
import { type LambdaHandler, loadHandler } from './lambda.js';
import { type BatchReport, type Pollers, startPollers, topologyPollerMappings } from './poller.js';
import {
  defaultDataDir,
  PROJECT_ROOT,
  type RuntimeState,
  readRuntimeState,
  stateFilePath,
} from './runtime-state.js';
import { type Scheduler, startSchedules } from './scheduler.js';
import {
  type LocalSecrets,
  localStackSecret,
  stackSecretName,
  startSecretsServer,
  webhookKeyAlias,
} from './secrets.js';
import { createQueues, type LocalSqsServer, type QueueUrls, startSqsServer } from './sqs.js';
import { startStreamPollers, topologyStreamMappings } from './stream-poller.js';
import {
  createLog,
  LOCAL_ACCOUNT_ID,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LogLevel,
  portIsFree,
} from './util.js';

export {
  defaultDataDir,
  PROJECT_ROOT,
  type RuntimeState,
  readRuntimeState,
  runningInMemoryRuntimes,
  stateFilePath,
} from './runtime-state.js';

/** The subject each role's ready-made local token carries. */
export const DEMO_SUBJECTS: Record<Role, string> = {
  platform: 'demo-platform',
  post: 'PostNL',
  officer: 'officer-1',
  agency: 'FOOD_SAFETY',
  finance: 'finance-1',
  admin: 'admin-1',
};

export interface RuntimeOptions {
  country?: string;
  stage?: string;
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /** Where DynamoDB Local keeps its file; 'memory' for nothing on disk. Default `.clearway/<country>`. */
  dataDir?: string;
  /**
   * A DynamoDB Local that is already running (e.g. the one an integration test run shares): the runtime
   * creates its tables there, under its own prefix (choose a `stage` of its own), and leaves the process
   * alone, instead of starting one. `dataDir` must then be 'memory'.
   */
  dynamoDbEndpoint?: string;
  /**
   * Warm the JVM of the DynamoDB Local this runtime starts before answering requests (see
   * `warmUpDynamoDbLocal`): under a second of start-up, partly hidden by the loading of the handlers, so
   * the first requests run at the emulator's steady speed. Default true; never done on `dynamoDbEndpoint`.
   */
  warmUpDynamoDb?: boolean;
  /** The runtime's own log lines (stderr). Default 'info'. */
  logLevel?: LogLevel;
  /** Powertools log level of the handlers; default POWERTOOLS_LOG_LEVEL from the environment, else WARN. */
  handlerLogLevel?: string;
  region?: string;
  /** Project root the topology's handler entries are relative to. */
  root?: string;
  /** Handlers to use instead of importing the topology's entries (tests). */
  handlers?: Partial<Record<FunctionName, LambdaHandler>>;
  /**
   * The stack's first month (`YYYY-MM`, STACK_LIFETIME_START): public statistics refuse earlier months.
   * Default: the month the ledger table was created, as on AWS.
   */
  lifetimeStart?: string;
  /** Overrides every queue's visibility timeout (fault tests that need redelivery within seconds). */
  visibilityTimeoutSeconds?: number;
  /** Overrides every queue's maxReceiveCount (fault tests). */
  maxReceiveCount?: number;
  /** Observes every batch the pollers process. */
  onBatch?: (report: BatchReport) => void;
  /**
   * Opt-in fault injection (CLEARWAY_FAULTS; see faults.ts): on the event-source mappings, and DynamoDB
   * throttling in front of the handlers. The pollers read the object at every batch: changing it turns
   * their faults on and off.
   */
  faults?: FaultOptions;
  /**
   * The DynamoDB endpoint the handlers are given, from DynamoDB Local's: a proxy in between
   * (dynamodb-proxy.ts) meters calls (the benchmark) or injects faults (tests). Default: DynamoDB Local
   * itself.
   */
  handlerDynamoDbEndpoint?: (endpoint: string) => string | Promise<string>;
}

export interface Runtime {
  readonly url: string;
  readonly port: number;
  readonly country: string;
  readonly stage: string;
  readonly prefix: string;
  readonly region: string;
  /** The environment given to the handlers (also set on process.env while the runtime runs). */
  readonly env: Readonly<Record<string, string>>;
  /** A ready-made local token per role, e.g. `local:platform:demo-platform`. */
  readonly tokens: Record<Role, string>;
  readonly tables: TableNames;
  readonly queues: QueueUrls;
  readonly busName: string;
  readonly bus: LocalEventBus;
  readonly sqs: LocalSqsServer;
  readonly secrets: LocalSecrets;
  /**
   * The stack secret the handlers read (kept in the data directory, new per run in memory): tests that
   * compute declaration ids themselves derive the same key from it.
   */
  readonly stackSecret: string;
  /** A filer's declaration id as this runtime's handlers derive it. */
  readonly declarationIdOf: DeclarationIdOf;
  readonly dynamodb: DynamoDbLocal;
  readonly pollers: Pollers;
  /** The topology's schedules, played at their rates; `runNow` runs them at once. */
  readonly scheduler: Scheduler;
  /** The DynamoDB faults in front of the handlers, when `faults.dynamoDbThrottle` asked for some. */
  readonly dynamoDbFaults?: DynamoDbFaults;
  readonly http: LocalHttpServer;
  /** runtime.json, read by `npm run redrive`. */
  readonly stateFile: string;
  readonly dataDir: string;
  /** Functions whose handler module was not found (their routes answer 503, their queues are not polled). */
  readonly missingFunctions: FunctionName[];
  readonly startupMs: number;
  stop(): Promise<void>;
}

/** The environment every function gets: the union of what the stack sets per function. */
export const handlerEnvironment = (input: {
  country: string;
  stage: string;
  region: string;
  tables: TableNames;
  queues: QueueUrls;
  busName: string;
  /** Name of the stack secret on the `secretsManager` endpoint. */
  stackSecretId: string;
  /** Alias of the key sealing webhook secrets on the same endpoint (it also answers KMS). */
  webhookKeyId: string;
  endpoints: { dynamodb: string; sqs: string; eventBridge: string; secretsManager: string };
  logLevel?: string;
  /** Project root: functions with `assets` read them in place. */
  root?: string;
  lifetimeStart?: string;
  /** The stack's fair-use limits; the deployed defaults unless a test lowers them. */
  fairUse?: FairUseLimits;
}): Record<string, string> => {
  const env: Record<string, string> = {
    COUNTRY: input.country,
    STAGE: input.stage,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
    AWS_ENDPOINT_URL_EVENTBRIDGE: input.endpoints.eventBridge,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: input.endpoints.secretsManager,
    AWS_ENDPOINT_URL_KMS: input.endpoints.secretsManager,
    [WEBHOOK_KEY_ENV]: input.webhookKeyId,
    [STACK_SECRET_ENV]: input.stackSecretId,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'clearway',
    POWERTOOLS_METRICS_NAMESPACE: 'Clearway',
    POWERTOOLS_TRACE_DISABLED: 'true',
    // With tracing off nothing reads the X-Ray SDK's context; in its default (automatic) mode the SDK
    // installs, when first imported, an async hook that runs for every promise of the process: of every
    // function, the SQS server and the bus, which all share this process (about a quarter of the CPU
    // that queue sends and PutEvents take). Manual mode installs none. The deployed stack traces.
    AWS_XRAY_MANUAL_MODE: 'true',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_LOG_LEVEL: input.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    [EVENT_BUS_ENV]: input.busName,
    // The console's files as built in place; staff sign in with the demo identities (never on AWS).
    ASSETS_DIR: resolvePath(input.root ?? PROJECT_ROOT, functions.console.assets ?? ''),
    CONSOLE_SIGN_IN: 'local',
    ...(input.lifetimeStart ? { [LIFETIME_START_ENV]: input.lifetimeStart } : {}),
    ...fairUseEnvironment(input.fairUse ?? DEFAULT_FAIR_USE),
    // Local receivers (tests, a developer's own endpoint) listen on this machine over http.
    [WEBHOOK_RECEIVERS_ENV]: 'public-or-loopback',
  };
  for (const [table, name] of Object.entries(input.tables)) env[tableEnvName(table as TableName)] = name;
  for (const [queue, resources] of Object.entries(input.queues)) {
    env[queueEnvName(queue as keyof QueueUrls)] = resources.url;
  }
  return env;
};

let active: string | undefined;

const isModuleMissing = (error: unknown, file: string): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'ENOENT') && !existsSync(file);
};

/**
 * Starts the local stack. One runtime per process (handlers read process.env once, at import);
 * run a second one, e.g. another country, as another process on another PORT.
 */
export const startRuntime = async (options: RuntimeOptions = {}): Promise<Runtime> => {
  const started = Date.now();
  const country = (options.country ?? 'NL').toUpperCase();
  const stage = options.stage ?? 'local';
  const region = options.region ?? LOCAL_REGION;
  const root = options.root ?? PROJECT_ROOT;
  const log = createLog(options.logLevel ?? 'info');
  const prefix = resourcePrefix(country, stage);
  const dataDir =
    options.dataDir === 'memory' ? 'memory' : resolvePath(options.dataDir ?? defaultDataDir(country, root));
  const stateFile = stateFilePath(country, dataDir);

  if (active)
    throw new Error(`A Clearway runtime already runs in this process (${active}); start another process.`);
  // Two DynamoDB Local processes on one database file would corrupt it.
  const running = dataDir === 'memory' ? undefined : readRuntimeState(stateFile);
  if (running && running.pid !== process.pid) {
    throw new Error(
      `A Clearway runtime for ${running.country} already runs (pid ${running.pid}, ${running.url}) on ${running.dataDir}. Stop it first or set CLEARWAY_DATA to another directory.`,
    );
  }
  const httpPort = options.port ?? 3000;
  if (httpPort !== 0 && !(await portIsFree(httpPort))) {
    throw new Error(`Port ${httpPort} is already in use; set PORT to another port.`);
  }
  active = `${country} ${stage}`;

  const cleanups: (() => Promise<void>)[] = [];
  const envBefore = new Map<string, string | undefined>();
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        log.warn(`Stopping failed: ${error instanceof Error ? error.message : error}`),
      );
    }
    cleanups.length = 0;
    for (const [key, value] of envBefore) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    active = undefined;
  };

  let dynamodbStarting: Promise<DynamoDbLocal> | undefined;
  try {
    if (options.dynamoDbEndpoint !== undefined && dataDir !== 'memory') {
      throw new Error(
        'A runtime on an already running DynamoDB Local keeps nothing on disk: use dataDir "memory"',
      );
    }
    dynamodbStarting =
      options.dynamoDbEndpoint === undefined
        ? startDynamoDbLocal({ dataDir, region, log })
        : Promise.resolve(connectDynamoDbLocal(options.dynamoDbEndpoint, region));
    // Keep a handle so a failure elsewhere still stops Java once it is up.
    dynamodbStarting.then((db) => cleanups.push(() => db.stop())).catch(() => undefined);

    const sqs = await startSqsServer({ region, log });
    cleanups.push(() => sqs.stop());
    const queues = await createQueues(sqs.client, prefix, {
      ...(options.visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
        : {}),
      ...(options.maxReceiveCount !== undefined ? { maxReceiveCount: options.maxReceiveCount } : {}),
    });
    const stackSecretId = stackSecretName(prefix);
    const stackSecret = localStackSecret(dataDir);
    const webhookKeyId = webhookKeyAlias(prefix);
    const secrets = await startSecretsServer({
      secrets: { [stackSecretId]: stackSecret },
      kmsKeys: { [webhookKeyId]: stackSecret },
      region,
      log,
    });
    cleanups.push(() => secrets.stop());
    const busName = `${prefix}-bus`;
    const bus = await startEventBus({
      busName,
      rules: topologyRules(country, queues),
      sqs: sqs.client,
      region,
      log,
    });
    cleanups.push(() => bus.stop());

    const dynamodb = await dynamodbStarting;
    const tables = await createTables(dynamodb.client, prefix, { log });
    // Runs while the handlers load (this process's CPU) on the JVM's; awaited before the API opens.
    const warmingUp =
      options.dynamoDbEndpoint === undefined && options.warmUpDynamoDb !== false
        ? warmUpDynamoDbLocal(dynamodb.client, { log }).catch((error: unknown) =>
            log.warn(
              `Warming up DynamoDB Local failed (the first requests will be slower): ${error instanceof Error ? error.message : String(error)}`,
            ),
          )
        : undefined;

    let handlerDynamoDb = options.handlerDynamoDbEndpoint
      ? await options.handlerDynamoDbEndpoint(dynamodb.endpoint)
      : dynamodb.endpoint;
    let throttled: DynamoDbFaults | undefined;
    if (options.faults?.dynamoDbThrottle) {
      throttled = dynamoDbFaults(throttlingRules(options.faults.dynamoDbThrottle), options.faults.random);
      const throttle: DynamoDbProxy = await startDynamoDbProxy({
        target: handlerDynamoDb,
        ...throttled.hooks,
      });
      cleanups.push(() => throttle.stop());
      handlerDynamoDb = throttle.endpoint;
    }
    const endpoints = {
      dynamodb: handlerDynamoDb,
      sqs: sqs.endpoint,
      eventBridge: bus.endpoint,
      secretsManager: secrets.endpoint,
    };
    const env = handlerEnvironment({
      country,
      stage,
      region,
      tables,
      queues,
      busName,
      stackSecretId,
      webhookKeyId,
      endpoints,
      root,
      ...(options.lifetimeStart ? { lifetimeStart: options.lifetimeStart } : {}),
      ...(options.handlerLogLevel !== undefined ? { logLevel: options.handlerLogLevel } : {}),
    });
    for (const [key, value] of Object.entries(env)) {
      envBefore.set(key, process.env[key]);
      process.env[key] = value;
    }

    // Handlers are imported only now: they read their configuration at module load, as on a cold start.
    const handlers: Partial<Record<FunctionName, LambdaHandler>> = { ...options.handlers };
    const missingFunctions: FunctionName[] = [];
    await Promise.all(
      (Object.entries(functions) as [FunctionName, (typeof functions)[FunctionName]][]).map(
        async ([name, spec]) => {
          if (handlers[name]) return;
          const file = resolvePath(root, spec.entry);
          try {
            handlers[name] = await loadHandler(spec.entry, root);
          } catch (error) {
            if (!isModuleMissing(error, file)) {
              throw new Error(
                `Loading ${spec.entry} failed: ${error instanceof Error ? error.message : String(error)}`,
                {
                  cause: error,
                },
              );
            }
            missingFunctions.push(name);
            log.warn(
              `${spec.entry} not found: the ${name} function is not available (routes answer 503, queue not polled)`,
            );
          }
        },
      ),
    );

    await warmingUp;

    let http: LocalHttpServer | undefined;
    const queuePollers = startPollers({
      sqs: sqs.client,
      mappings: topologyPollerMappings(queues, handlers, prefix),
      region,
      accountId: LOCAL_ACCOUNT_ID,
      log,
      wake: (listener) => sqs.onMessagesAvailable(listener),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      servingSince: () => http?.busySince(),
    });
    // The streams' positions live next to DynamoDB Local's data, so a restart goes on where it stopped.
    const streamPollers = startStreamPollers({
      dynamodb: dynamodb.client,
      endpoint: dynamodb.endpoint,
      sqs: sqs.client,
      mappings: topologyStreamMappings(tables, queues, handlers, prefix),
      region,
      log,
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(dataDir === 'memory' ? {} : { positionFile: resolvePath(dataDir, 'stream-positions.json') }),
      servingSince: () => http?.busySince(),
    });
    const pollers: Pollers = {
      inFlight: () => queuePollers.inFlight() + streamPollers.inFlight(),
      stop: async () => {
        await streamPollers.stop();
        await queuePollers.stop();
      },
    };
    if (options.faults) log.warn(`Fault injection on: ${describeFaults(options.faults)}`);
    cleanups.push(() => pollers.stop());
    const scheduler = startSchedules({
      schedules,
      handlers,
      settings: (fn) => ({
        functionName: `${prefix}-${fn}`,
        timeoutSeconds: functions[fn].timeoutSeconds,
        memoryMb: functions[fn].memoryMb,
        region,
      }),
      log,
    });
    cleanups.push(() => scheduler.stop());

    try {
      http = await startHttpServer({
        routes,
        handlers,
        functions,
        functionName: (fn) => `${prefix}-${fn}`,
        port: httpPort,
        region,
        accountId: LOCAL_ACCOUNT_ID,
        log,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`Port ${httpPort} is already in use; set PORT to another port.`);
      }
      throw error;
    }
    cleanups.push(() => http.stop());

    const state: RuntimeState = {
      pid: process.pid,
      country,
      stage,
      url: http.url,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      prefix,
      dataDir,
      endpoints,
      tables,
      queues,
      busName,
      startedAt: new Date().toISOString(),
    };
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
    cleanups.unshift(async () => {
      if (readRuntimeState(stateFile)?.pid !== process.pid) return;
      rmSync(dataDir === 'memory' ? dirname(stateFile) : stateFile, { recursive: true, force: true });
    });

    const tokens = Object.fromEntries(
      ROLES.map((role) => [role, localToken(role, DEMO_SUBJECTS[role])]),
    ) as Record<Role, string>;
    let stopping: Promise<void> | undefined;
    const startupMs = Date.now() - started;
    log.debug(`Runtime ${country} started in ${startupMs} ms`);
    return {
      url: http.url,
      port: http.port,
      country,
      stage,
      prefix,
      region,
      env,
      tokens,
      tables,
      queues,
      busName,
      bus,
      sqs,
      secrets,
      stackSecret,
      declarationIdOf: declarationIds(stackKeys(stackSecret).for('declaration-id')),
      dynamodb,
      pollers,
      scheduler,
      ...(throttled ? { dynamoDbFaults: throttled } : {}),
      http,
      stateFile,
      dataDir,
      missingFunctions,
      startupMs,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    // Wait for DynamoDB Local if it is still starting, so its process is stopped too.
    await dynamodbStarting?.catch(() => undefined);
    await stopAll();
    throw error;
  }
};
