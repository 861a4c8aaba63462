// The single-window index in the declarations table: one item per agency hold, under the agency's
// partition, newest first (`pk = AGENCY#<code>`, `sk = HOLD#<placedAt>#<declarationId>#<holdId>`). Items
// are rewritten from the declaration's state after every hold event; a write carrying an older state
// version than the stored one is dropped, so events handled out of order never bring back a lifted hold.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AgencyHoldEntry } from '../domain/clearance/agency-holds.js';
import { InvalidCursorError } from '../lib/cursor.js';
import type { AgencyHoldIndex, HoldState } from '../use-cases/ports/agency-holds.js';
import { dynamoDb } from './aws-clients.js';

export const agencyPartition = (agency: string) => `AGENCY#${agency}`;
const sortKey = (entry: AgencyHoldEntry) => `HOLD#${entry.placedAt}#${entry.declarationId}#${entry.holdId}`;

/** Most Query calls one page may take when the state filter discards what it reads. */
const MAX_QUERIES_PER_PAGE = 10;

export const agencyHoldIndex = (
  table: string,
  client: DynamoDBDocumentClient = dynamoDb(),
): AgencyHoldIndex => ({
  /** Writes an entry unless a newer state of its declaration was written already. */
  async write(entry: AgencyHoldEntry): Promise<void> {
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { pk: agencyPartition(entry.agency), sk: sortKey(entry), ...entry },
          ConditionExpression: 'attribute_not_exists(pk) OR stateVersion <= :version',
          ExpressionAttributeValues: { ':version': entry.stateVersion },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  },

  /** One page of an agency's holds, newest first; may be shorter than `limit` with a key to go on from. */
  async page(query: {
    agency: string;
    state: HoldState;
    limit: number;
    startKey?: Record<string, string>;
  }): Promise<{ items: AgencyHoldEntry[]; lastKey?: Record<string, string> }> {
    const filters: Record<HoldState, string | undefined> = {
      STANDING: 'attribute_not_exists(liftedAt)',
      LIFTED: 'attribute_exists(liftedAt)',
      ALL: undefined,
    };
    const filter = filters[query.state];
    // A position of another agency's partition would list that agency's holds.
    if (query.startKey && query.startKey.pk !== agencyPartition(query.agency)) throw new InvalidCursorError();
    const items: AgencyHoldEntry[] = [];
    let startKey: Record<string, unknown> | undefined = query.startKey;
    for (let calls = 0; calls < MAX_QUERIES_PER_PAGE && items.length < query.limit; calls += 1) {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hold)',
          ExpressionAttributeValues: { ':pk': agencyPartition(query.agency), ':hold': 'HOLD#' },
          ...(filter ? { FilterExpression: filter } : {}),
          ScanIndexForward: false,
          Limit: query.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const { pk: _pk, sk: _sk, ...entry } of result.Items ?? []) items.push(entry as AgencyHoldEntry);
      startKey = result.LastEvaluatedKey;
      if (!startKey) return { items };
    }
    return { items, lastKey: startKey as Record<string, string> };
  },
});
