// The local runtime's stack secret: made once per data directory and served over the Secrets Manager API,
// so handlers read it with the real SDK client exactly as they do on AWS.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it } from 'vitest';
import { localStackSecret, startSecretsServer } from '../../../infra/local/secrets.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/util.js';
import { readStackKeys } from '../../../shared/adapters/stack-secret.js';
import { stackKeys } from '../../../shared/lib/stack-keys.js';

describe('localStackSecret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once per data directory, readable by its owner only, and kept across restarts', () => {
    // Act
    const first = localStackSecret(dir);
    const second = localStackSecret(dir);

    // Assess
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'stack-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'stack-secret')).mode & 0o077).toBe(0);
  });

  it('is new for every in-memory run', () => {
    expect(localStackSecret('memory')).not.toBe(localStackSecret('memory'));
  });
});

describe('the local Secrets Manager', () => {
  it('serves the stack secret to the real SDK client and refuses unknown ids', async () => {
    // Prepare
    const secret = localStackSecret('memory');
    const server = await startSecretsServer({
      secrets: { 'clearway-nl-t-stack-secret': secret },
      region: LOCAL_REGION,
    });
    const client = new SecretsManagerClient({
      endpoint: server.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      // Act
      const keys = await readStackKeys('clearway-nl-t-stack-secret', client);
      const missing = await client
        .send(new GetSecretValueCommand({ SecretId: 'another-secret' }))
        .catch((error: unknown) => error);

      // Assess
      expect(keys.for('declaration-id')).toEqual(stackKeys(secret).for('declaration-id'));
      expect(keys.for('declaration-id')).not.toEqual(keys.for('list-cursor'));
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  it('refuses a secret too short to key anything', () => {
    expect(() => stackKeys('short')).toThrow(/at least 32/);
  });
});
