// Reads the declarations to lodge: JSONL (one declaration per line) or CSV (one row per item, see csv.ts),
// from a file or standard input. A line that cannot be read becomes an entry with the reason, so it is
// reported with its line number like a declaration the API refused.
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { UsageError } from '../context.js';
import { CSV_COLUMNS, type CsvRow, declarationsFromRows, unknownColumns } from './csv.js';

export type FieldError = { path: string; message: string };

export interface InputEntry {
  /** Line numbers in the input (1-based): one for JSONL, one per item row for CSV. */
  lines: number[];
  reference?: string;
  /** The declaration as read; absent when the input could not be read (see `problems`). */
  declaration?: unknown;
  /** Why the entry is refused before anything is sent. */
  problems?: FieldError[];
}

export type InputFormat = 'jsonl' | 'csv';

export const formatOf = (file: string, given?: string): InputFormat | undefined => {
  if (given === 'csv' || given === 'jsonl') return given;
  if (given !== undefined) throw new UsageError(`--format takes csv or jsonl, not "${given}"`);
  if (file === '-') return undefined;
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (['.jsonl', '.ndjson', '.json'].includes(extension)) return 'jsonl';
  throw new UsageError(
    `Cannot tell the format of ${file} from its name: pass --format csv or --format jsonl`,
  );
};

const referenceOf = (value: unknown): string | undefined =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { reference?: unknown }).reference === 'string'
    ? (value as { reference: string }).reference
    : undefined;

export const readJsonLines = async (input: Readable): Promise<InputEntry[]> => {
  const entries: InputEntry[] = [];
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      const declaration: unknown = JSON.parse(text);
      const reference = referenceOf(declaration);
      entries.push({ lines: [line], declaration, ...(reference !== undefined ? { reference } : {}) });
    } catch (error) {
      entries.push({
        lines: [line],
        problems: [{ path: '', message: `line ${line} is not JSON: ${(error as Error).message}` }],
      });
    }
  }
  return entries;
};

export const readCsv = async (input: Readable): Promise<InputEntry[]> => {
  const parser = input.pipe(
    parse({ bom: true, columns: true, skip_empty_lines: true, trim: true, info: true }),
  );
  const rows: CsvRow[] = [];
  let checked = false;
  for await (const record of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    if (!checked) {
      const unknown = unknownColumns(Object.keys(record.record));
      if (unknown.length > 0) {
        throw new UsageError(
          `Unknown CSV column(s): ${unknown.join(', ')}. Columns: ${CSV_COLUMNS.join(', ')} (clearway lodge --template)`,
        );
      }
      checked = true;
    }
    rows.push({ line: record.info.lines, cells: record.record });
  }
  return declarationsFromRows(rows).map(({ lines, reference, declaration, problems }) =>
    reference === ''
      ? { lines, problems: [{ path: 'reference', message: 'is required on every row' }] }
      : problems.length > 0
        ? { lines, reference, problems }
        : { lines, reference, declaration },
  );
};

/** Standard input as JSONL unless its first character says CSV. */
const sniff = async (input: Readable): Promise<{ format: InputFormat; stream: Readable }> => {
  const iterator = input[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let format: InputFormat = 'jsonl';
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    seen.push(next.value as Buffer);
    const text = Buffer.concat(seen).toString('utf8').trimStart();
    if (text.length > 0) {
      format = text.startsWith('{') ? 'jsonl' : 'csv';
      break;
    }
  }
  async function* replay() {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value as Buffer;
  }
  return { format, stream: Readable.from(replay()) };
};

export const readInput = async (
  file: string,
  format?: string,
  stdin: Readable = process.stdin,
): Promise<{ format: InputFormat; entries: InputEntry[] }> => {
  let chosen = formatOf(file, format);
  let stream: Readable;
  if (file === '-') {
    if (chosen === undefined) ({ format: chosen, stream } = await sniff(stdin));
    else stream = stdin;
  } else {
    stream = createReadStream(file);
  }
  const resolved = chosen ?? 'jsonl';
  return {
    format: resolved,
    entries: resolved === 'csv' ? await readCsv(stream) : await readJsonLines(stream),
  };
};
