// What lodging one declaration of a batch (or one postal item) came to, as the filer is told it.
import type { FieldError } from './declaration.js';

/** 202 accepted, 200 lodged before with the same body, 400 invalid, 409 reference already used. */
export type LodgementStatus = 202 | 200 | 400 | 409;

export interface LodgementResult {
  /** Position in the request. */
  index: number;
  status: LodgementStatus;
  /** The declaration, unless the item was invalid. */
  id?: string;
  errors?: FieldError[];
}

/** A postal item's result also names the item by its S10 id as sent. */
export interface PostalItemResult extends LodgementResult {
  itemId?: string;
}
