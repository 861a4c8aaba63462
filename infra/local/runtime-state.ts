// Where a running local runtime says where it is (runtime.json), read by `npm run redrive`, the CLI and
// the tests. Kept apart from runtime.ts so that finding a runtime does not load the whole stack.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TableNames } from './dynamodb.js';
import type { QueueUrls } from './sqs.js';

export const PROJECT_ROOT = resolvePath(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RuntimeState {
  pid: number;
  country: string;
  stage: string;
  url: string;
  region: string;
  accountId: string;
  prefix: string;
  dataDir: string;
  endpoints: { dynamodb: string; sqs: string; eventBridge: string; secretsManager?: string };
  tables: TableNames;
  queues: QueueUrls;
  busName: string;
  startedAt: string;
}

/**
 * Where a runtime keeps runtime.json: in its data directory, or, in memory, in a temp directory of
 * its own process (so in-memory runtimes never get in each other's way).
 */
export const stateFilePath = (country: string, dataDir: string, pid: number = process.pid): string =>
  dataDir === 'memory'
    ? join(tmpdir(), `${MEMORY_STATE_PREFIX}${country.toLowerCase()}-${pid}`, 'runtime.json')
    : join(dataDir, 'runtime.json');

const MEMORY_STATE_PREFIX = 'clearway-local-';

/** The in-memory runtimes (for `country`, or any) that are running now. */
export const runningInMemoryRuntimes = (
  country?: string,
  dir: string = tmpdir(),
): { file: string; state: RuntimeState }[] => {
  const prefix =
    country === undefined ? MEMORY_STATE_PREFIX : `${MEMORY_STATE_PREFIX}${country.toLowerCase()}-`;
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = join(dir, name, 'runtime.json');
    const state = readRuntimeState(file);
    return state ? [{ file, state }] : [];
  });
};

/** Every runtime running now: those keeping their data under `<root>/.clearway`, then the in-memory ones. */
export const runningRuntimes = (options: { root?: string; tmp?: string } = {}): RuntimeState[] => {
  const dataRoot = join(options.root ?? PROJECT_ROOT, '.clearway');
  let countries: string[] = [];
  try {
    countries = readdirSync(dataRoot);
  } catch {
    // no runtime ever kept data here
  }
  const onDisk = countries.flatMap((country) => {
    const state = readRuntimeState(join(dataRoot, country, 'runtime.json'));
    return state ? [state] : [];
  });
  return [...onDisk, ...runningInMemoryRuntimes(undefined, options.tmp).map(({ state }) => state)];
};

export const defaultDataDir = (country: string, root: string = PROJECT_ROOT): string =>
  join(root, '.clearway', country.toUpperCase());

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const readRuntimeState = (file: string): RuntimeState | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as RuntimeState;
    return isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
};
