// Bundle size and cold module-load time of every function, bundled as the CDK construct bundles it
// (ESM, node22, minified, SDK included).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../infra/constructs/clearway-function.js';
import { newStackSecret, startSecretsServer } from '../infra/local/secrets.js';
import { DEFAULT_FAIR_USE, fairUseEnvironment } from '../shared/domain/fair-use.js';
import {
  EVENT_BUS_ENV,
  functions,
  type QueueName,
  queueEnvName,
  STACK_SECRET_ENV,
  type TableName,
  tableEnvName,
  tables,
} from '../shared/topology.js';

export interface BundleFigures {
  function: string;
  bytes: number;
  /** What the deployment package weighs: Lambda stores and loads the code zipped. */
  gzipBytes: number;
  /** Median of several fresh processes: import of the bundle minus an empty module's import. */
  /** Null when the module cannot load without its AWS resources (a secret read at load). */
  moduleLoadMs: number | null;
}

/** The environment a deployed function gets, with placeholder values: enough for the cold start to run. */
const placeholderEnv = (): Record<string, string> => {
  const env: Record<string, string> = {
    COUNTRY: 'NL',
    STAGE: 'bench',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_TRACE_DISABLED: 'true',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [EVENT_BUS_ENV]: 'bench-bus',
  };
  for (const table of Object.keys(tables) as TableName[]) env[tableEnvName(table)] = `bench-${table}`;
  Object.assign(env, fairUseEnvironment(DEFAULT_FAIR_USE));
  for (const queue of ['risk', 'duty', 'notify'] as QueueName[])
    env[queueEnvName(queue)] = `http://localhost/${queue}`;
  return env;
};

// Asynchronous, so the stand-in Secrets Manager in this process answers the bundles that read it at load.
const timeImport = async (file: string, env: Record<string, string>): Promise<number> => {
  const script = `const t=process.hrtime.bigint();await import(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return Number(stdout);
};

const timeImports = async (file: string, env: Record<string, string>, runs: number): Promise<number[]> => {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) times.push(await timeImport(file, env));
  return times;
};

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export const measureBundles = async (runs = 5): Promise<BundleFigures[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-bundles-'));
  // The functions that read the stack secret at cold start read it from a stand-in Secrets Manager, as on
  // Lambda (their load time includes that one call).
  const secretId = 'bench-stack-secret';
  const secrets = await startSecretsServer({
    secrets: { [secretId]: newStackSecret() },
    region: 'eu-west-1',
  });
  const env = {
    ...placeholderEnv(),
    [STACK_SECRET_ENV]: secretId,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  };
  const figures: BundleFigures[] = [];
  try {
    const empty = join(dir, 'empty.mjs');
    execFileSync(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(empty)}, 'export {}')`,
    ]);
    const baseline = median(await timeImports(empty, env, runs));
    for (const [name, spec] of Object.entries(functions)) {
      const outfile = join(dir, `${name}.mjs`);
      await build({
        entryPoints: [spec.entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: { js: ESM_REQUIRE_BANNER },
        minify: true,
        sourcemap: false,
        logLevel: 'silent',
      });
      // A module that reads a secret or other AWS resources while it loads cannot be timed without them:
      // its load time is left out (null) rather than the whole report.
      let moduleLoadMs: number | null = null;
      try {
        const loads = await timeImports(outfile, env, runs);
        moduleLoadMs = Math.max(0, Math.round((median(loads) - baseline) * 10) / 10);
      } catch {
        moduleLoadMs = null;
      }
      figures.push({
        function: name,
        bytes: statSync(outfile).size,
        gzipBytes: gzipSync(readFileSync(outfile), { level: 9 }).length,
        moduleLoadMs,
      });
    }
  } finally {
    await secrets.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
};
