// The stack's secret, read once at cold start from Secrets Manager (the local runtime serves the same API).
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type StackKeys, stackKeys } from '../lib/stack-keys.js';
import { secretsManager } from './aws-clients.js';

export const readStackKeys = async (
  secretId: string,
  client: SecretsManagerClient = secretsManager(),
): Promise<StackKeys> => {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new Error(`The stack secret ${secretId} has no string value`);
  return stackKeys(SecretString);
};
