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
