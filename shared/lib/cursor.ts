// Opaque paging cursors: base64url of where the next page starts, sealed with an HMAC over the position
// and the query it belongs to. A changed, truncated or borrowed cursor (another caller's, or the same one
// with other filters) is refused as a bad `cursor` parameter instead of reaching DynamoDB.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

const MAC_BYTES = 16;

/**
 * A DynamoDB start key as the tables' key attributes spell it. Bounding names and sizes keeps even a
 * cursor sealed with a leaked key a 400 instead of a DynamoDB error.
 */
export const StartKeySchema = z
  .partialRecord(z.enum(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']), z.string().min(1).max(1024))
  .refine((key) => Object.keys(key).length > 0);

export class InvalidCursorError extends Error {
  constructor() {
    super('is not a cursor this query returned; send back the cursor of the previous page unchanged');
  }
}

export interface CursorCodec<T> {
  encode(position: T, binding: string): string;
  /** The position, or InvalidCursorError when the cursor was altered or belongs to another query. */
  decode(cursor: string, binding: string): T;
}

/**
 * `key` seals cursors (a key derived from the stack's secret); `binding` names the caller and filters a
 * cursor is valid for. List queries are always scoped to the caller before a cursor is applied as well;
 * the seal makes a forged or tampered cursor fail loudly rather than page through the wrong place.
 */
export const cursorCodec = <T>(key: string | Uint8Array, schema: z.ZodType<T>): CursorCodec<T> => {
  const mac = (payload: string, binding: string) =>
    createHmac('sha256', key).update(binding).update('\n').update(payload).digest().subarray(0, MAC_BYTES);
  return {
    encode(position, binding) {
      const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
      return `${payload}.${mac(payload, binding).toString('base64url')}`;
    },
    decode(cursor, binding) {
      const [payload, signature, ...rest] = cursor.split('.');
      if (!payload || !signature || rest.length > 0 || cursor.length > 2048) throw new InvalidCursorError();
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload, binding);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new InvalidCursorError();
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError();
      }
      const result = schema.safeParse(parsed);
      if (!result.success) throw new InvalidCursorError();
      return result.data;
    },
  };
};
