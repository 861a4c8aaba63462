// Where the CLI sends its requests and as whom: `--api`/CLEARWAY_API and `--token`/CLEARWAY_TOKEN, or,
// when no API is given, the local runtime `npm start` is running (it says where in its runtime.json) with
// the demo identity of the role the command needs.
import createClient, { type Client } from 'openapi-fetch';
import { type RuntimeState, runningRuntimes } from '../infra/local/runtime-state.js';
import type { paths } from '../shared/http/api-types.js';
import { retryingFetch } from './retry.js';

export type Role = 'platform' | 'officer' | 'agency' | 'finance' | 'admin' | 'post';

/** Subjects of the tokens `npm start` prints, so a local call needs no flags at all. */
const LOCAL_SUBJECTS: Record<Role, string> = {
  platform: 'demo-platform',
  officer: 'officer-1',
  agency: 'FOOD_SAFETY',
  finance: 'finance-1',
  admin: 'admin-1',
  post: 'PostNL',
};

export class UsageError extends Error {}

export interface GlobalOptions {
  api?: string;
  token?: string;
  retryFor: number;
}

export interface Target {
  api: string;
  token: string;
  /** How the API was found, for the first line a terminal shows. */
  source: string;
}

/** The runtime to use when none was named: COUNTRY's when set, else the one started last. */
export const pickLocalRuntime = (
  running: RuntimeState[],
  country: string | undefined,
): RuntimeState | undefined =>
  running
    .filter((state) => country === undefined || state.country === country.toUpperCase())
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];

export const resolveTarget = (
  options: Pick<GlobalOptions, 'api' | 'token'>,
  role: Role,
  env: NodeJS.ProcessEnv = process.env,
  running: () => RuntimeState[] = runningRuntimes,
): Target => {
  const api = options.api ?? env.CLEARWAY_API;
  const token = options.token ?? env.CLEARWAY_TOKEN;
  if (api) {
    if (!token) throw new UsageError(`No token: pass --token or set CLEARWAY_TOKEN (calling ${api}).`);
    return { api: api.replace(/\/+$/, ''), token, source: 'given' };
  }
  const local = pickLocalRuntime(running(), env.COUNTRY);
  if (!local) {
    throw new UsageError(
      'No Clearway API: pass --api or set CLEARWAY_API, or start the local runtime with `npm start`.',
    );
  }
  return {
    api: local.url,
    token: token ?? `local:${role}:${LOCAL_SUBJECTS[role]}`,
    source: `local runtime ${local.country} (pid ${local.pid})`,
  };
};

export type ApiClient = Client<paths>;

export const apiClient = (
  target: Target,
  options: { retryForMs: number; onRetry?: (reason: string, waitMs: number) => void; signal?: AbortSignal },
): ApiClient =>
  createClient<paths>({
    baseUrl: target.api,
    headers: { authorization: `Bearer ${target.token}` },
    fetch: retryingFetch(options),
  });

/** Human output (colours, a progress bar) on a terminal; plain lines in CI and pipes. */
export const isInteractive = (stream: NodeJS.WriteStream = process.stderr): boolean =>
  Boolean(stream.isTTY) && !process.env.CI;
