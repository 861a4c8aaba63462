// One DynamoDB transaction (TransactWriteItems) of writes that must happen together, e.g. a declaration's
// new state with the ledger entries and counter updates it causes. A transaction DynamoDB cancels only
// for reasons that pass is sent again as it is: a cancelled transaction wrote nothing, and every
// condition in it is checked again on the next attempt.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { retryOptimistic } from '../lib/optimistic.js';

/** One write of a DynamoDB transaction, in the document client's form. */
export type TransactionWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Attempts at a transaction cancelled only for reasons that pass: another transaction held one of its
 * items at that moment (TransactionConflict: a hot counter or aggregate cell) or a table was briefly
 * over its capacity (ThrottlingError). The SDK retries neither: both come as TransactionCanceledException.
 */
export const TRANSACTION_ATTEMPTS = 5;
const PASSING_REASONS: ReadonlySet<string> = new Set(['None', 'TransactionConflict', 'ThrottlingError']);

/** A transaction DynamoDB refused: a condition failed (or a conflict outlasted the retries). */
export class TransactionRejectedError extends Error {
  constructor(
    /** Cancellation reason per write, in order: `None`, `ConditionalCheckFailed`, `TransactionConflict`... */
    readonly reasons: string[],
    cause?: unknown,
  ) {
    super(`The transaction was cancelled (${reasons.join(',')})`, { cause });
  }

  /** Whether the write at `index` failed its condition. */
  conditionFailedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

export interface TransactOutcome {
  /** Write capacity units the transaction consumed, when DynamoDB reported them. */
  consumedWcu: number;
}

/**
 * Runs one TransactWriteItems. A cancellation caused only by concurrent transactions on the same items
 * or by throttling is retried with jittered backoff; any failed condition, or a cancellation that
 * outlasts the retries, ends it with TransactionRejectedError naming each write's reason.
 */
export const transactWrites = async (
  writes: TransactionWrite[],
  client: DynamoDBDocumentClient,
): Promise<TransactOutcome> => {
  const reasonsOf = (error: TransactionCanceledException) =>
    (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  const passes = (error: unknown): error is TransactionCanceledException =>
    error instanceof TransactionCanceledException &&
    reasonsOf(error).every((code) => PASSING_REASONS.has(code));
  return retryOptimistic(
    async () => {
      try {
        const result = await client.send(
          new TransactWriteCommand({ TransactItems: writes, ReturnConsumedCapacity: 'TOTAL' }),
        );
        return {
          consumedWcu: (result.ConsumedCapacity ?? []).reduce(
            (total, capacity) => total + (capacity.WriteCapacityUnits ?? capacity.CapacityUnits ?? 0),
            0,
          ),
        };
      } catch (error) {
        if (error instanceof TransactionCanceledException && !passes(error))
          throw new TransactionRejectedError(reasonsOf(error), error);
        throw error;
      }
    },
    {
      attempts: TRANSACTION_ATTEMPTS,
      lostRace: passes,
      exhausted: (error) =>
        new TransactionRejectedError(reasonsOf(error as TransactionCanceledException), error),
    },
  );
};

/**
 * Runs writes that need no transaction (each idempotent on its own, e.g. SETs keyed by a declaration),
 * each as a plain PutItem or UpdateItem, all in flight at once: half the write units of a transaction.
 */
export const writeEach = async (
  writes: TransactionWrite[],
  client: DynamoDBDocumentClient,
): Promise<void> => {
  await Promise.all(
    writes.map((write) => {
      if (write.Update) return client.send(new UpdateCommand(write.Update));
      if (write.Put) return client.send(new PutCommand(write.Put));
      throw new Error('Only puts and updates can be written on their own');
    }),
  );
};
