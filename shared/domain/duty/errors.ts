// Errors of the duty engine. Both are UnprocessableError: the declaration is well formed, but the stack
// cannot assess it with the data and rules it holds.
import { UnprocessableError } from '../errors.js';

export type MissingReferenceKind = 'EXCHANGE_RATE' | 'TARIFF_RATE' | 'ANNUAL_TOTAL';

export interface MissingReference {
  kind: MissingReferenceKind;
  /** What to load: a currency code, an HS code (any of its tariffPrefixes), or `<taxId>/<year>`. */
  key: string;
}

/** Reference data a declaration needs is absent (an exchange rate, a tariff rate): the engine never guesses. */
export class MissingReferenceDataError extends UnprocessableError {
  constructor(readonly missing: readonly MissingReference[]) {
    super(`Reference data missing: ${missing.map((entry) => `${entry.kind} ${entry.key}`).join(', ')}`, {
      missing,
    });
  }
}

/** No version of the country's rules is in force on the date (before the first, or in a gap). */
export class RulesNotInForceError extends UnprocessableError {
  constructor(
    readonly country: string,
    readonly date: string,
  ) {
    super(`No ${country} rules are in force on ${date}`, { country, date });
  }
}
