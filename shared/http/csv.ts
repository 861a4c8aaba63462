// CSV a spreadsheet opens (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a comma,
// quote or line break, quotes doubled. Text that a spreadsheet would run as a formula is defused.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export const csvField = (value: string | number | boolean): string => {
  let text = String(value);
  if (FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsv = (
  columns: readonly string[],
  rows: readonly Record<string, string | number | boolean>[],
): string =>
  [columns, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]
    .map((fields) => fields.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');

/** Media ranges of an Accept header with their quality, e.g. `text/csv;q=0.9`. */
const acceptRanges = (accept: string): { type: string; q: number }[] =>
  accept
    .split(',')
    .map((part) => {
      const [type = '', ...parameters] = part.trim().toLowerCase().split(';');
      const q = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
      return { type: type.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((range) => range.type !== '');

/** Whether the client asked for CSV rather than JSON (`Accept: text/csv`). */
export const wantsCsv = (headers: Readonly<Record<string, string | undefined>> | undefined): boolean => {
  const accept = headers?.accept ?? headers?.Accept;
  if (!accept) return false;
  const ranges = acceptRanges(accept);
  const quality = (type: string) =>
    Math.max(0, ...ranges.filter((range) => range.type === type).map((range) => range.q));
  const csv = quality('text/csv');
  return csv > 0 && csv >= quality('application/json');
};

export const csvResponse = (body: string, filename: string): APIGatewayProxyResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  },
  body,
});
