// A declaration's record as the outcome item holds it: deflated with a preset dictionary of the strings
// every record repeats (field names, statuses, profile ids, the packs' legal bases), which keeps a
// released record with its assessment under 1 KB, the size one write unit covers. The first byte names
// the dictionary, so items written with an older one stay readable.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DeclarationRecord } from '../domain/clearance/record.js';
import { RECORD_DICTIONARY_V1 } from './record-dictionary-v1.js';

const DICTIONARIES: Readonly<Record<number, Buffer>> = {
  1: Buffer.from(RECORD_DICTIONARY_V1.join('\n'), 'utf8'),
};
const CURRENT = 1;

export const encodeRecord = (record: DeclarationRecord): Uint8Array =>
  Buffer.concat([
    Buffer.of(CURRENT),
    deflateRawSync(JSON.stringify(record), { dictionary: DICTIONARIES[CURRENT] as Buffer, level: 9 }),
  ]);

export const decodeRecord = (bytes: Uint8Array): DeclarationRecord => {
  const dictionary = DICTIONARIES[bytes[0] ?? -1];
  if (!dictionary) throw new Error(`A stored record names an unknown dictionary (${bytes[0]})`);
  return JSON.parse(
    inflateRawSync(Buffer.from(bytes).subarray(1), { dictionary }).toString('utf8'),
  ) as DeclarationRecord;
};
