// Runs `infra/local/main.ts` (what `npm start` runs) as a child process and waits for its ready line:
// for e2e tests and the benchmark, which need the runtime exactly as a developer starts it.
import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from './runtime.js';
import { freePort } from './util.js';

export interface SpawnRuntimeOptions {
  country?: string;
  /** HTTP port; a free one when omitted. */
  port?: number;
  /** CLEARWAY_DATA: a directory, or 'memory' (the default here). */
  dataDir?: string;
  /** Extra environment, e.g. CLEARWAY_LOG_LEVEL, CLEARWAY_VISIBILITY_TIMEOUT_SECONDS. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface SpawnedRuntime {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s); resolves with the exit code. */
  stop(): Promise<number | null>;
}

const READY = /Clearway ready at (\S+)/;

export const spawnRuntime = async (options: SpawnRuntimeOptions = {}): Promise<SpawnedRuntime> => {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      COUNTRY: options.country ?? 'NL',
      PORT: String(port),
      CLEARWAY_DATA: options.dataDir ?? 'memory',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start the local runtime');

  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (text.length > 200_000) text = text.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`The local runtime was not ready within ${options.timeoutMs ?? 30_000} ms:\n${text}`));
    }, options.timeoutMs ?? 30_000);
    const onData = () => {
      const match = READY.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The local runtime exited with code ${code} before it was ready:\n${text}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  return { url, port, pid, output: () => text, stop };
};
