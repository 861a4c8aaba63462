// A declaration as lists show it: where it is in clearance, its lane, value and totals, not its body.
import type { Assessment } from '../duty/assessment.js';
import type { DeclarationRecord, GoodsValue, Lane } from './record.js';

/** Declarations per page of a list when the caller names no `limit`. */
export const DEFAULT_PAGE_SIZE = 25;

/** What every list shows of a declaration, whatever else it adds. */
export type ListedDeclaration = Pick<
  DeclarationRecord,
  'id' | 'reference' | 'platformId' | 'status' | 'createdAt' | 'updatedAt'
>;

export interface DeclarationSummary extends ListedDeclaration {
  lane?: Lane;
  goodsValue?: GoodsValue;
  totals?: Assessment['totals'];
}
