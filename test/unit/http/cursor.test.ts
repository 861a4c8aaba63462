import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { cursorCodec, InvalidCursorError, StartKeySchema } from '../../../shared/lib/cursor.js';

describe('cursorCodec', () => {
  const codec = cursorCodec('test-key', z.strictObject({ key: StartKeySchema }));

  it('round-trips a start key for the query it was issued for', () => {
    const cursor = codec.encode({ key: { pk: 'DECL#1', sk: 'STATE' } }, 'platform:a');

    expect(codec.decode(cursor, 'platform:a')).toEqual({ key: { pk: 'DECL#1', sk: 'STATE' } });
    expect(() => codec.decode(cursor, 'platform:b')).toThrow(InvalidCursorError);
  });

  it('refuses a correctly sealed cursor whose key could not be a DynamoDB key', () => {
    // The seal is not secret: a forger can seal anything, so the shape itself is checked.
    const tooLong = codec.encode({ key: { pk: 'DECL#1', sk: 'x'.repeat(1025) } }, 'platform:a');
    const unknownAttribute = codec.encode({ key: { pk: 'DECL#1', secret: 'x' } } as never, 'platform:a');

    expect(() => codec.decode(tooLong, 'platform:a')).toThrow(InvalidCursorError);
    expect(() => codec.decode(unknownAttribute, 'platform:a')).toThrow(InvalidCursorError);
  });
});
