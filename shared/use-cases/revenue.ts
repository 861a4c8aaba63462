// Finance queries over the revenue aggregates: sums by any grouping and a collecting account's monthly
// statement. Both read only the day partitions of the range (all shards), never the declarations.

import type { Principal } from '../domain/caller.js';
import { NotFoundError } from '../domain/errors.js';
import { filerIdOf, isFiler } from '../domain/filer.js';
import {
  daysBetween,
  daysOfMonth,
  type RangeQuery,
  type RevenueGroupBy,
  rangeOf,
  revenueCellFrom,
  type Statement,
  summarizeRevenue,
  summarizeStatement,
} from '../domain/ledger/views.js';
import type { LedgerReader } from './ports/ledger.js';

export interface RevenueDeps {
  reader: Pick<LedgerReader, 'revenueItems'>;
}

export interface RevenueReport {
  from: string;
  to: string;
  groupBy: RevenueGroupBy[];
  rows: Record<string, string>[];
}

export const REVENUE_AMOUNTS = ['currency', 'assessed', 'collected', 'refunded', 'outstanding'] as const;

export const queryRevenue = async (query: RangeQuery, deps: RevenueDeps): Promise<RevenueReport> => {
  const { from, to, groupBy } = rangeOf<RevenueGroupBy>(query);
  const items = await deps.reader.revenueItems(daysBetween(from, to));
  const cells = items.flatMap((item) => revenueCellFrom(item) ?? []);
  return { from, to, groupBy, rows: summarizeRevenue(cells, groupBy) };
};

/**
 * The monthly statement of a collecting account. Finance may ask for any account; a filer (platform or
 * post, whose account is `post:<operator>`) only for its own (another account answers 404, as another platform's declaration does).
 */
export const revenueStatement = async (
  input: { principal: Principal; query: { account: string; month: string } },
  deps: RevenueDeps,
): Promise<Statement> => {
  const { account, month } = input.query;
  if (isFiler(input.principal) && filerIdOf(input.principal) !== account) {
    throw new NotFoundError(`No statement for account ${account}`);
  }
  const items = await deps.reader.revenueItems(daysOfMonth(month), `${account}#`);
  const cells = items.flatMap((item) => revenueCellFrom(item) ?? []);
  return summarizeStatement(cells, account, month);
};
