// Small helpers shared by the pieces of the local runtime: ports, waiting, logging, constants.
import { createServer, type Server } from 'node:net';

/** Account id used in every local ARN and event; never a real account. */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** Region used by the local runtime unless told otherwise; cosmetic (ARNs, events). */
export const LOCAL_REGION = 'eu-west-1';
/** Dummy credentials: the local emulators accept anything, the SDK just needs something to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** Host every local server binds to and every local endpoint names. */
export const LOCAL_HOST = '127.0.0.1';

/** A TCP port that was free a moment ago (bind to 0, read it, release it). */
export const freePort = (host: string = LOCAL_HOST): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not obtain a free port'))));
    });
  });

/** Starts `server` on `port` and `host`; rejects when the port cannot be bound. */
export const listen = (server: Server, port: number, host: string = LOCAL_HOST): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

/** Whether `port` can be bound on `host` right now. */
export const portIsFree = (port: number, host: string = LOCAL_HOST): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Calls `probe` until it returns a value other than `undefined`, or throws once `timeoutMs` has passed.
 * Errors thrown by the probe count as "not yet" and the last one is reported on timeout.
 */
export const waitUntil = async <T>(
  probe: () => Promise<T | undefined> | T | undefined,
  {
    timeoutMs,
    intervalMs = 100,
    description,
  }: { timeoutMs: number; intervalMs?: number; description: string },
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${reason}`);
    }
    await sleep(intervalMs);
  }
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface Log {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const isLogLevel = (value: unknown): value is LogLevel =>
  typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);

/** The runtime's own log lines, on stderr, so stdout stays for what a person copies (URL, tokens). */
export const createLog = (level: LogLevel = 'info', scope = 'clearway'): Log => {
  const threshold = LOG_LEVELS.indexOf(level);
  const write = (at: LogLevel, message: string) => {
    if (LOG_LEVELS.indexOf(at) >= threshold && at !== 'silent') {
      process.stderr.write(`[${scope}] ${at.toUpperCase()} ${message}\n`);
    }
  };
  return {
    level,
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, error) => {
      const suffix =
        error instanceof Error ? `: ${error.stack ?? error.message}` : error ? `: ${String(error)}` : '';
      write('error', `${message}${suffix}`);
    },
  };
};

export const silentLog: Log = createLog('silent');

/** Reads a request or response stream into one buffer, failing once it exceeds `limitBytes`. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export const readBody = (stream: NodeJS.ReadableStream, limitBytes: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    stream.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
