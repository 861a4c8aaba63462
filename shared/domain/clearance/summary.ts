// A declaration as lists show it: where it is in clearance, its lane, value and totals, not its body.
import type { Assessment } from '../duty/assessment.js';
import type { GoodsValue, Lane, Status } from './record.js';

/** Declarations per page of a list when the caller names no `limit`. */
export const DEFAULT_PAGE_SIZE = 25;

export interface DeclarationSummary {
  id: string;
  reference: string;
  platformId: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
  lane?: Lane;
  goodsValue?: GoodsValue;
  totals?: Assessment['totals'];
}
