// Webhook secrets are sealed by the application with the stack's webhook key (KMS; the local runtime
// answers the same API): the table holds no usable secret, a sealed secret opens only for its own filer,
// and no answer shows it.
import { KMSClient } from '@aws-sdk/client-kms';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../../infra/local/util.js';
import { kmsSealer } from '../../../shared/adapters/secret-sealer.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  documentClient,
  type IsolatedResources,
  localAws,
  uniqueSuffix,
} from '../support.js';

const SECRET = 'whsec_sealed_0123456789';

describe('webhook secrets at rest', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let webhooks: HttpHandler;
  let kms: KMSClient;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'whsecret' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: webhooks } = (await import('../../../functions/webhooks/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    const context = localAws();
    kms = new KMSClient({
      endpoint: context.endpoints.secretsManager,
      region: context.region,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    kms?.destroy();
    restoreEnv?.();
    await resources?.destroy();
  });

  it('stores only a sealed secret, which opens for its own filer and no other', async () => {
    // Prepare
    const platform = `sealed-${uniqueSuffix()}`;

    // Act
    const stored = await invoke(webhooks, {
      routeKey: 'PUT /v1/webhooks',
      as: `platform:${platform}`,
      body: { url: 'https://platform.example/hooks', secret: SECRET },
    });
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: resources.tables.reference,
        Key: { pk: `WEBHOOK#${platform}`, sk: 'SETTINGS' },
      }),
    );
    const sealer = kmsSealer(localAws().webhookKeyId, kms);
    const sealed = String(Item?.sealedSecret);

    // Assess
    expect(stored.statusCode).toBe(200);
    expect(JSON.stringify(Item)).not.toContain(SECRET);
    expect(JSON.stringify(Item)).not.toContain(SECRET.slice(-4));
    expect(Item).not.toHaveProperty('secret');
    expect(await sealer.open(platform, sealed)).toBe(SECRET);
    await expect(sealer.open('another-platform', sealed)).rejects.toThrow();
  });
});
