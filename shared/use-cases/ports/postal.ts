// What the postal use cases need: an ITMATT message read into an element tree, and the post's customs
// responses recorded once and read back as a feed.
import type { FieldError } from '../../domain/declaration/declaration.js';
import type { XmlNode } from '../../domain/postal/itmatt.js';
import type { PostalResponse } from '../../domain/postal/responses.js';

export type ItmattReading =
  | { valid: true; root: XmlNode }
  | { valid: false; wellFormed: boolean; errors: FieldError[] };

/** Parses and validates one ITMATT message against the published schema. */
export type ReadItmatt = (xml: string) => ItmattReading;

/** Every feed position starts with this, so a cursor can be checked before it is used. */
export const FEED_PREFIX = 'AT#';

export interface RecordOutcome {
  /** False when the response had been recorded before (a repeated event). */
  recorded: boolean;
  /** Whether its PostalResponseIssued event was published already. */
  published: boolean;
}

export interface PostalResponseStore {
  /** Records a response once: a repeated one answers what was recorded before. */
  record(filerId: string, response: PostalResponse, receivedAt: Date): Promise<RecordOutcome>;
  markPublished(filerId: string, response: PostalResponse): Promise<void>;
  /**
   * Up to `limit` responses that arrived after the feed position `after` (exclusive) and before `until`,
   * oldest first, each with its feed position (starting with FEED_PREFIX).
   */
  page(query: {
    filerId: string;
    after?: string;
    until: Date;
    limit: number;
  }): Promise<{ position: string; response: PostalResponse }[]>;
}
