// Reference data rows from files: CSV (a header naming the fields by their JSON path, e.g. `specific.amount`),
// JSONL (one body per line, with its key), and exchange rates also as the ECB euro foreign exchange
// reference rates CSV as the ECB publishes it (eurofxref.csv, eurofxref-hist.csv).
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { Decimal } from '../../shared/domain/money.js';
import { UsageError } from '../context.js';

export type Json = Record<string, unknown>;

/** One row of a file: its line number and the fields it gives (key included). */
export interface SourceRow {
  line: number;
  fields: Json;
  /** Why the row could not be read at all. */
  problem?: string;
}

const setPath = (target: Json, path: string, value: unknown) => {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1] as string] = value;
};

/** Cells that hold numbers or JSON in the API's bodies; every other cell stays text (rates are decimal strings). */
const cellValue = (column: string, cell: string): unknown => {
  if (column === 'score' && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  if (column === 'when') {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
};

const MONTHS = 'january february march april may june july august september october november december'.split(
  ' ',
);

/** "05 December 2026" (eurofxref.csv) or "2026-12-05" (eurofxref-hist.csv) as YYYY-MM-DD. */
export const ecbDate = (text: string): string | undefined => {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return trimmed;
  const match = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(trimmed);
  const month = match ? MONTHS.indexOf((match[2] as string).toLowerCase()) : -1;
  if (!match || month < 0) return undefined;
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${(match[1] as string).padStart(2, '0')}`;
};

/**
 * The ECB quotes one euro in each currency; the API wants one unit of each currency in the stack's
 * currency: X(stack) / X(currency), ten significant digits.
 */
export const ecbRows = (records: { line: number; cells: Record<string, string> }[], stackCurrency: string) =>
  records.flatMap(({ line, cells }): SourceRow[] => {
    const dateCell = cells.Date ?? '';
    const validFrom = ecbDate(dateCell);
    if (!validFrom) return [{ line, fields: {}, problem: `Date "${dateCell}" is not a date` }];
    const perEuro = new Map<string, string>([['EUR', '1']]);
    for (const [column, cell] of Object.entries(cells)) {
      if (column === 'Date' || column === '' || !/^\d+(\.\d+)?$/.test(cell)) continue;
      perEuro.set(column, cell);
    }
    const stack = perEuro.get(stackCurrency);
    if (!stack)
      return [{ line, fields: {}, problem: `the ECB gives no ${stackCurrency} rate on ${validFrom}` }];
    return [...perEuro.entries()]
      .filter(([currency]) => currency !== stackCurrency)
      .map(([currency, rate]) => ({
        line,
        fields: {
          currency,
          rate: new Decimal(stack).div(rate).toSignificantDigits(10).toDecimalPlaces(12).toFixed(),
          validFrom,
        },
      }));
  });

const readCsvRecords = async (file: string) => {
  const records: { line: number; cells: Record<string, string> }[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      columns: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    records.push({ line: info.lines, cells: record });
  }
  return records;
};

export const readRows = async (
  file: string,
  options: { exchangeRates?: boolean; stackCurrency: string },
): Promise<SourceRow[]> => {
  const extension = extname(file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') {
    const rows: SourceRow[] = [];
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line += 1;
      if (text.trim() === '') continue;
      try {
        const fields: unknown = JSON.parse(text);
        if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
          rows.push({ line, fields: {}, problem: 'is not a JSON object' });
        else rows.push({ line, fields: fields as Json });
      } catch (error) {
        rows.push({ line, fields: {}, problem: `is not JSON: ${(error as Error).message}` });
      }
    }
    return rows;
  }
  if (extension !== '.csv') throw new UsageError(`${file}: give a .csv or .jsonl file`);
  const records = await readCsvRecords(file);
  if (options.exchangeRates && records[0] && 'Date' in records[0].cells)
    return ecbRows(records, options.stackCurrency);
  return records.map(({ line, cells }) => {
    const fields: Json = {};
    for (const [column, cell] of Object.entries(cells))
      if (cell !== '') setPath(fields, column, cellValue(column, cell));
    return { line, fields };
  });
};
