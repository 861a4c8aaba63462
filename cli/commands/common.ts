// What every command needs: the global flags and how to say a flag or argument is wrong.
import { InvalidArgumentError } from 'commander';
import type { GlobalOptions, UsageError } from '../context.js';

export interface CommandContext {
  globals(): GlobalOptions;
  usage(message: string): UsageError;
}

export const integerOption =
  (min: number, max: number) =>
  (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(`takes a whole number from ${min} to ${max}`);
    return value;
  };

/** Writes a response body: JSON pretty on a terminal, one line otherwise. */
export const printJson = (value: unknown, pretty: boolean) =>
  process.stdout.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);

/** Rows as aligned columns on a terminal, tab-separated with a header line otherwise (for cut, awk). */
export const formatTable = (rows: Record<string, unknown>[], columns: string[], aligned: boolean): string => {
  const cells = [columns, ...rows.map((row) => columns.map((column) => String(row[column] ?? '')))];
  if (!aligned) return `${cells.map((line) => line.join('\t')).join('\n')}\n`;
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => (line[index] as string).length)));
  return `${cells
    .map((line) =>
      line
        .map((cell, index) => cell.padEnd(widths[index] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
};

/** A refused request as one line: status, title, and each field error. */
export const problemLine = (status: number, error: unknown): string => {
  const problem = (error ?? {}) as {
    title?: string;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
  const fields = problem.errors?.map((field) => `${field.path || '(body)'} ${field.message}`).join('; ');
  return `HTTP ${status}${problem.title ? ` ${problem.title}` : ''}${problem.detail ? `: ${problem.detail}` : ''}${fields ? ` (${fields})` : ''}`;
};

export class RequestFailed extends Error {}
