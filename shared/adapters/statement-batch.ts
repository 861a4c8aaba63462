// Conditional writes of many items, 25 to a request: PartiQL's BatchExecuteStatement is the one batch API
// of DynamoDB whose writes keep their conditions without a transaction's double price. An INSERT is
// refused (DuplicateItem) when the item exists, as a PutItem under `attribute_not_exists(pk)` is. Each
// statement succeeds or fails on its own, billed as the same single-item write.
import { BatchExecuteStatementCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk, mapConcurrent, retryFailed } from './retry.js';

/** BatchExecuteStatement's limit. */
const STATEMENTS_PER_REQUEST = 25;
/** Requests in flight at once for one call. */
const CONCURRENT_REQUESTS = 4;

export interface Statement {
  Statement: string;
  Parameters: unknown[];
}

/**
 * What became of one statement: written (undefined), refused by DynamoDB (`BatchStatementError.Code`), or
 * not known to be written (`failure`: its request failed, or DynamoDB did not get to it after retries).
 */
export type StatementOutcome = undefined | string | { failure: unknown };

/** Codes that say nothing about the item, only that DynamoDB did not get to it this time. */
const RETRIED_CODES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'RequestLimitExceeded',
  'InternalServerError',
  'TransactionConflict',
]);

const quotedTable = (table: string) => `"${table.replaceAll('"', '""')}"`;
const literalName = (name: string) => `'${name.replaceAll("'", "''")}'`;

/** Writes `item` only if no item has its key. Attributes left undefined are not written. */
export const insertStatement = (table: string, item: Record<string, unknown>): Statement => {
  const attributes = Object.entries(item).filter(([, value]) => value !== undefined);
  return {
    Statement: `INSERT INTO ${quotedTable(table)} VALUE {${attributes.map(([name]) => `${literalName(name)}: ?`).join(', ')}}`,
    Parameters: attributes.map(([, value]) => value),
  };
};

/**
 * Runs the statements, 25 to a request, and answers for each (in order) what became of it. Statements
 * DynamoDB did not get to (throttled, busy) are sent again with backoff; a request that still fails
 * fails only its own statements.
 */
export const executeStatements = async (
  client: DynamoDBDocumentClient,
  statements: readonly Statement[],
): Promise<StatementOutcome[]> => {
  const outcomes = new Array<StatementOutcome>(statements.length);
  const positions = statements.map((_, position) => position);
  await mapConcurrent(chunk(positions, STATEMENTS_PER_REQUEST), CONCURRENT_REQUESTS, async (group) => {
    try {
      await retryFailed(
        group,
        async (pending) => {
          const { Responses = [] } = await client.send(
            new BatchExecuteStatementCommand({
              Statements: pending.map((position) => statements[position] as Statement),
            }),
          );
          const again: number[] = [];
          pending.forEach((position, index) => {
            const code = Responses[index]?.Error?.Code;
            if (code !== undefined && RETRIED_CODES.has(code)) again.push(position);
            else outcomes[position] = code;
          });
          return again;
        },
        'BatchExecuteStatement',
      );
    } catch (failure) {
      for (const position of group) if (!(position in outcomes)) outcomes[position] = { failure };
    }
  });
  return outcomes;
};
