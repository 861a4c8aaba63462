// Local Secrets Manager and KMS: GetSecretValue, and KMS Encrypt and Decrypt, over the AWS JSON 1.1
// protocol, so the real @aws-sdk/client-secrets-manager and @aws-sdk/client-kms read the stack secret and
// seal webhook secrets through AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_KMS exactly as a
// deployed function does. The stack secret is made once per data directory (kept next to DynamoDB Local's
// file) or, in memory, afresh for each run; each KMS key's material is derived from it.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  BodyTooLargeError,
  freePort,
  LOCAL_ACCOUNT_ID,
  LOCAL_HOST,
  type Log,
  listen,
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
  /** KMS keys by id (or alias) with the seed their material is derived from. */
  kmsKeys?: Record<string, string>;
  region: string;
  port?: number;
  log?: Log;
}

/** The name of a stack's secret, derived like every other resource name. */
export const stackSecretName = (prefix: string): string => `${prefix}-stack-secret`;

/** The alias of the key that seals webhook secrets, as the deployed stack names it. */
export const webhookKeyAlias = (prefix: string): string => `alias/${prefix}-webhook-secrets`;

/** Encryption context as bytes both sides agree on: the pairs sorted by key. */
const contextBytes = (context: unknown): Buffer =>
  Buffer.from(
    JSON.stringify(
      Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b)),
    ),
  );

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

  const keyMaterial = (keyId: string): Buffer | undefined => {
    const seed = options.kmsKeys?.[keyId];
    return seed === undefined ? undefined : createHmac('sha256', seed).update(`local-kms:${keyId}`).digest();
  };
  const reply = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const parse = (raw: Buffer): Record<string, unknown> => {
    try {
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new ServiceError('SerializationException', 'Request body is not valid JSON');
    }
  };

  // Ciphertext: key id length (1 byte), key id, IV (12), tag (16), AES-256-GCM ciphertext; the encryption
  // context is the additional authenticated data, so a blob decrypts only with the context it was sealed in.
  const encrypt = (request: Record<string, unknown>) => {
    const keyId = String(request.KeyId ?? '');
    const key = keyMaterial(keyId);
    if (!key) throw new ServiceError('NotFoundException', `Key ${keyId} does not exist`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(contextBytes(request.EncryptionContext));
    const sealed = Buffer.concat([
      cipher.update(Buffer.from(String(request.Plaintext ?? ''), 'base64')),
      cipher.final(),
    ]);
    const id = Buffer.from(keyId);
    const blob = Buffer.concat([Buffer.from([id.length]), id, iv, cipher.getAuthTag(), sealed]);
    return {
      CiphertextBlob: blob.toString('base64'),
      KeyId: keyId,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  };
  const decrypt = (request: Record<string, unknown>) => {
    const blob = Buffer.from(String(request.CiphertextBlob ?? ''), 'base64');
    const idLength = blob[0] ?? 0;
    const keyId = blob.subarray(1, 1 + idLength).toString();
    const key = keyMaterial(keyId);
    const invalid = () => new ServiceError('InvalidCiphertextException', 'The ciphertext is invalid');
    if (!key) throw invalid();
    const rest = blob.subarray(1 + idLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, rest.subarray(0, 12))
        .setAAD(contextBytes(request.EncryptionContext))
        .setAuthTag(rest.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]);
      return { Plaintext: plain.toString('base64'), KeyId: keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    } catch {
      throw invalid();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req, 64 * 1024);
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && target === 'TrentService.Encrypt') return reply(res, encrypt(parse(raw)));
    if (req.method === 'POST' && target === 'TrentService.Decrypt') return reply(res, decrypt(parse(raw)));
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
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
  await listen(server, port);
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
