// What the Lambda runtime gives a handler besides its event: the context object, the timeout, and
// loading handler modules only once the environment is set.
import { randomUUID } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './util.js';

/** Any Lambda handler in the async style: `(event, context) => Promise<result>`. */
// biome-ignore lint/suspicious/noExplicitAny: handlers are typed by their modules; the runtime only passes events through.
export type LambdaHandler = (event: any, context: Context) => unknown;

export interface FunctionSettings {
  functionName: string;
  timeoutSeconds: number;
  memoryMb?: number;
  region?: string;
  accountId?: string;
}

export const createLambdaContext = (settings: FunctionSettings, deadline: number): Context => {
  const region = settings.region ?? LOCAL_REGION;
  const accountId = settings.accountId ?? LOCAL_ACCOUNT_ID;
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: settings.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${settings.functionName}`,
    memoryLimitInMB: String(settings.memoryMb ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${settings.functionName}`,
    logStreamName: `${date}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

export class FunctionTimeoutError extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds (${functionName})`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Invokes `handler` as Lambda would: a fresh context and the function's timeout. On timeout the
 * invocation counts as failed (the handler's promise cannot be cancelled and is left to settle).
 */
export const invokeHandler = async (
  handler: LambdaHandler,
  event: unknown,
  settings: FunctionSettings,
): Promise<unknown> => {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const deadline = Date.now() + timeoutMs;
  const context = createLambdaContext(settings, deadline);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(settings.functionName, settings.timeoutSeconds)),
      timeoutMs,
    );
  });
  try {
    const invocation = Promise.resolve().then(() => handler(event, context));
    invocation.catch(() => undefined);
    return await Promise.race([invocation, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** Imports `entry` (relative to `root`) and returns its `handler` export. Call only once env is set. */
export const loadHandler = async (entry: string, root: string = process.cwd()): Promise<LambdaHandler> => {
  const url = pathToFileURL(resolvePath(root, entry)).href;
  const module = (await import(url)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new Error(`${entry} does not export a function named handler`);
  }
  return module.handler as LambdaHandler;
};
