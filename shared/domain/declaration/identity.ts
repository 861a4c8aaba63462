// Identifiers that make repeated work collapse onto one record.
import { createHash } from 'node:crypto';

const digest = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

/**
 * A declaration's id follows from who lodged it and their reference, so a resubmission can only ever
 * address the same declaration: idempotency needs no second lookup item.
 */
export const declarationIdFor = (platformId: string, reference: string): string =>
  `dcl_${digest('declaration', platformId, reference).slice(0, 26)}`;

/** Hash of the validated body; the schema fixes key order, so equal content gives an equal hash. */
export const bodyHashOf = (validated: unknown): string => digest('body', JSON.stringify(validated));
