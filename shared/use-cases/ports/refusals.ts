// Counting declarations refused at intake, for the data-quality report; nothing else of them is kept.
import type { FieldError } from '../../domain/declaration/declaration.js';

export interface Refusal {
  /** The refused declaration or postal item as it was sent. */
  raw: unknown;
  errors: FieldError[];
}

/** Counts each refusal once, even when the same request is sent again; never fails the request. */
export type CountRefusals = (filer: string, refusals: readonly Refusal[]) => Promise<void>;
