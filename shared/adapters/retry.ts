// Retries for the partial failures AWS batch APIs report (unprocessed items, failed entries).
import { backoff } from '../lib/backoff.js';

export const MAX_ATTEMPTS = 6;

/**
 * Runs `send` on the pending items until none is returned as failed, retrying only the failed ones.
 * Throws when some still fail after the last attempt.
 */
export const retryFailed = async <T>(
  items: T[],
  send: (pending: T[]) => Promise<T[]>,
  describe: string,
): Promise<void> => {
  let pending = items;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`${describe}: ${pending.length} still failing after retries`);
      await backoff(attempt);
    }
    pending = await send(pending);
  }
};

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
};

/**
 * Runs `work` on every item with at most `limit` running at once and returns the results in input order.
 * Batch endpoints use it to overlap many small AWS calls without opening an unbounded number of sockets.
 */
export const mapConcurrent = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};
