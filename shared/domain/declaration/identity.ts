// Identifiers that make repeated work collapse onto one record.
import { createHash, createHmac } from 'node:crypto';

const digest = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** Gives the id of a filer's declaration from the filer's id and its own reference. */
export type DeclarationIdOf = (filerId: string, reference: string) => string;

/**
 * A declaration's id follows from who lodged it and their reference, so a resubmission can only ever
 * address the same declaration: idempotency needs no second lookup item. The id is an HMAC under a key
 * only the stack holds, so nobody can compute another filer's ids from a (platform, reference) pair.
 */
export const declarationIds =
  (key: Uint8Array): DeclarationIdOf =>
  (filerId, reference) =>
    `dcl_${createHmac('sha256', key).update(`declaration\u0000${filerId}\u0000${reference}`).digest('hex').slice(0, 26)}`;

/** Hash of the validated body; the schema fixes key order, so equal content gives an equal hash. */
export const bodyHashOf = (validated: unknown): string => digest('body', JSON.stringify(validated));
