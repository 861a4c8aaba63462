// Quotes in the reference table, one item per quote (`QUOTE#<quoteId>`), removed by the table's TTL
// (`expiresAt`, epoch seconds) once expired. The duty step reads the quotes a batch names in batched reads.
import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Declaration } from '../domain/declaration/declaration.js';
import type { Assessment } from '../domain/duty/assessment.js';
import type { StoredQuote } from '../domain/duty/quote.js';
import type { QuoteStore } from '../use-cases/ports/quotes.js';
import { dynamoDb } from './aws-clients.js';
import { chunk, retryFailed } from './retry.js';

const keyOf = (quoteId: string) => ({ pk: `QUOTE#${quoteId}`, sk: 'QUOTE' });

const toQuote = (item: Record<string, unknown>): StoredQuote => ({
  quoteId: String(item.quoteId),
  createdAt: String(item.createdAt),
  expiresAt: String(item.expiresAtIso),
  materialHash: String(item.materialHash),
  assessment: item.assessment as Assessment,
});

export const quoteStore = (table: string, client: DynamoDBDocumentClient = dynamoDb()): QuoteStore => ({
  async put(quote: StoredQuote): Promise<void> {
    const { expiresAt, ...rest } = quote;
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keyOf(quote.quoteId),
          ...rest,
          expiresAtIso: expiresAt,
          expiresAt: Math.floor(new Date(expiresAt).getTime() / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  /** The stored quotes among `quoteIds`; ids with no quote (never issued, or removed) are absent. */
  async getMany(quoteIds: readonly string[]): Promise<Map<string, StoredQuote>> {
    const found = new Map<string, StoredQuote>();
    for (const group of chunk([...new Set(quoteIds)], 100)) {
      await retryFailed(
        group.map(keyOf),
        async (keys) => {
          const response = await client.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
          );
          for (const item of response.Responses?.[table] ?? []) {
            const quote = toQuote(item);
            found.set(quote.quoteId, quote);
          }
          return (response.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
        },
        'BatchGetItem',
      );
    }
    return found;
  },
});

/** Wraps a batch reference loader so it also loads the quotes the declarations name (in parallel). */
export const withQuotes =
  <Reference extends object>(
    load: (declarations: Declaration[], dates: string[]) => Promise<Reference>,
    store: Pick<QuoteStore, 'getMany'>,
  ) =>
  async (
    declarations: Declaration[],
    dates: string[],
  ): Promise<Reference & { quotes: Map<string, StoredQuote> }> => {
    const [reference, quotes] = await Promise.all([
      load(declarations, dates),
      store.getMany(
        declarations.flatMap((declaration) => (declaration.quoteId ? [declaration.quoteId] : [])),
      ),
    ]);
    return Object.assign(reference, { quotes });
  };
