// Keys derived from the stack's one secret, one per purpose, so a key that leaks through one use (a
// cursor seal, say) reveals nothing about another (declaration ids).
import { createHmac } from 'node:crypto';

export type KeyPurpose =
  | 'declaration-id'
  | 'list-cursor'
  | 'hold-cursor'
  | 'postal-response-cursor'
  | 'audit-cursor'
  | 'consignee-pseudonym';

export interface StackKeys {
  for(purpose: KeyPurpose): Buffer;
}

/** The stack secret must carry at least 256 bits of randomness; anything shorter is a setup mistake. */
export const MIN_SECRET_LENGTH = 32;

export const stackKeys = (secret: string): StackKeys => {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The stack secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  return {
    for: (purpose) => createHmac('sha256', secret).update(`clearway:${purpose}`).digest(),
  };
};
