// Webhook secrets sealed with a KMS key before they are stored: the webhooks function may only encrypt
// with the key, the notify function only decrypt, so a table read (or any other function) yields no
// usable secret. The filer is the encryption context: a sealed secret opens only for its own filer.
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { kms } from './aws-clients.js';

export interface SecretSealer {
  seal(filerId: string, secret: string): Promise<string>;
  open(filerId: string, sealed: string): Promise<string>;
}

const contextOf = (filerId: string) => ({ purpose: 'webhook-secret', filer: filerId });

export const kmsSealer = (keyId: string, client: KMSClient = kms()): SecretSealer => ({
  async seal(filerId, secret) {
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from(secret, 'utf8'),
        EncryptionContext: contextOf(filerId),
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return Buffer.from(CiphertextBlob).toString('base64');
  },
  async open(filerId, sealed) {
    const { Plaintext } = await client.send(
      new DecryptCommand({
        KeyId: keyId,
        CiphertextBlob: Buffer.from(sealed, 'base64'),
        EncryptionContext: contextOf(filerId),
      }),
    );
    if (!Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  },
});
