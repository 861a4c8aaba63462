// A local Secrets Manager: GetSecretValue over the AWS JSON 1.1 protocol, so the real
// @aws-sdk/client-secrets-manager reads the stack secret through AWS_ENDPOINT_URL_SECRETS_MANAGER exactly
// as a deployed function reads it from Secrets Manager. The secret itself is made once per data directory
// (kept next to DynamoDB Local's file) or, in memory, afresh for each run.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  BodyTooLargeError,
  freePort,
  LOCAL_ACCOUNT_ID,
  LOCAL_HOST,
  type Log,
  readBody,
  silentLog,
} from './util.js';

export interface LocalSecrets {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface LocalSecretsOptions {
  /** Secret values by name. */
  secrets: Record<string, string>;
  region: string;
  port?: number;
  log?: Log;
}

/** The name of a stack's secret, derived like every other resource name. */
export const stackSecretName = (prefix: string): string => `${prefix}-stack-secret`;

const STACK_SECRET_FILE = 'stack-secret';

/** A new random stack secret: 256 bits. */
export const newStackSecret = (): string => randomBytes(32).toString('base64url');

/**
 * The stack secret of a local runtime: created at the first start and kept in `dataDir` (readable by its
 * owner only), so ids and cursors stay valid across restarts; a new one per run in memory.
 */
export const localStackSecret = (dataDir: string): string => {
  if (dataDir === 'memory') return newStackSecret();
  const file = join(dataDir, STACK_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = newStackSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
};

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const startSecretsServer = async (options: LocalSecretsOptions): Promise<LocalSecrets> => {
  const log = options.log ?? silentLog;
  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${options.region}:${LOCAL_ACCOUNT_ID}:secret:${name}`;
  const lookup = (id: string): [string, string] | undefined => {
    for (const [name, value] of Object.entries(options.secrets)) {
      if (id === name || id === arnOf(name)) return [name, value];
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req, 64 * 1024);
    if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      throw new ServiceError(
        'UnknownOperationException',
        `Operation ${String(req.headers['x-amz-target'])} is not supported by the local Secrets Manager`,
      );
    }
    let secretId: unknown;
    try {
      secretId = (JSON.parse(raw.toString('utf8')) as { SecretId?: unknown }).SecretId;
    } catch {
      throw new ServiceError('SerializationException', 'Request body is not valid JSON');
    }
    const found = typeof secretId === 'string' ? lookup(secretId) : undefined;
    if (!found) {
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    const [name, value] = found;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        ARN: arnOf(name),
        Name: name,
        SecretString: value,
        VersionId: 'local',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      }),
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure =
        error instanceof ServiceError
          ? error
          : error instanceof BodyTooLargeError
            ? new ServiceError('ValidationException', 'Request too large', 413)
            : new ServiceError('InternalServiceError', 'Internal failure', 500);
      if (failure.status === 500) log.error('Local Secrets Manager failed', error);
      res.writeHead(failure.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': failure.type,
      });
      res.end(JSON.stringify({ __type: failure.type, message: failure.message }));
    });
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  log.debug(`Secrets Manager listening on ${endpoint}`);
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
