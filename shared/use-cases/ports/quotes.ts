// Quotes issued: kept for their validity, read back when a declaration names one.
import type { StoredQuote } from '../../domain/duty/quote.js';

export interface QuoteStore {
  put(quote: StoredQuote): Promise<void>;
  /** The stored quotes among `quoteIds`; ids with no quote (never issued, or expired) are absent. */
  getMany(quoteIds: readonly string[]): Promise<Map<string, StoredQuote>>;
}
