// What the declarations table keeps compressed: the outcome item's record and the lodged body, each
// deflated with a preset dictionary of the strings it repeats (a record: field names, statuses, profile
// ids, the packs' legal bases; a body: a declaration's field names and enumerations). That keeps a
// released record with its assessment, and a lodgement with its body, under 1 KB, the size one write
// unit covers. The first byte names the dictionary, so items written with an older one stay readable;
// bodies lodged before are gzip and read as such. The ledger's facts items (every fact a transaction
// books, with its entries) are kept the same way with a dictionary of their own.
import { deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import type { DeclarationRecord } from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { LEDGER_FACTS_DICTIONARY_V1 } from './ledger-facts-dictionary-v1.js';
import { DECLARATION_DICTIONARY_V1, RECORD_DICTIONARY_V1 } from './record-dictionary-v1.js';

const DICTIONARIES: Readonly<Record<number, Buffer>> = {
  1: Buffer.from(RECORD_DICTIONARY_V1.join('\n'), 'utf8'),
  2: Buffer.from(DECLARATION_DICTIONARY_V1.join('\n'), 'utf8'),
  3: Buffer.from(LEDGER_FACTS_DICTIONARY_V1.join('\n'), 'utf8'),
};
const RECORDS = 1;
const BODIES = 2;
const LEDGER_FACTS = 3;
/** gzip's first byte: a body lodged before the dictionaries. */
const GZIP_MAGIC = 0x1f;

const encode = (value: unknown, id: number): Uint8Array =>
  Buffer.concat([
    Buffer.of(id),
    deflateRawSync(JSON.stringify(value), { dictionary: DICTIONARIES[id] as Buffer, level: 9 }),
  ]);

const decode = (bytes: Uint8Array): unknown => {
  if (bytes[0] === GZIP_MAGIC) return JSON.parse(gunzipSync(bytes).toString('utf8'));
  const dictionary = DICTIONARIES[bytes[0] ?? -1];
  if (!dictionary) throw new Error(`A stored item names an unknown dictionary (${bytes[0]})`);
  return JSON.parse(inflateRawSync(Buffer.from(bytes).subarray(1), { dictionary }).toString('utf8'));
};

export const encodeRecord = (record: DeclarationRecord): Uint8Array => encode(record, RECORDS);
export const decodeRecord = (bytes: Uint8Array): DeclarationRecord => decode(bytes) as DeclarationRecord;
export const encodeBody = (declaration: Declaration): Uint8Array => encode(declaration, BODIES);
export const decodeBody = (bytes: Uint8Array): Declaration => decode(bytes) as Declaration;

/** The facts one ledger transaction books, as stored: amounts are decimal strings, never numbers. */
export interface StoredFact {
  declarationId: string;
  fact: string;
  platformId: string;
  collectionModel: string;
  payer: string;
  at: string;
  entries: { id: string; kind: string; taxCode: string; currency: string; amount: string }[];
}

export const encodeFacts = (facts: readonly StoredFact[]): Uint8Array => encode(facts, LEDGER_FACTS);
export const decodeFacts = (bytes: Uint8Array): StoredFact[] => decode(bytes) as StoredFact[];
