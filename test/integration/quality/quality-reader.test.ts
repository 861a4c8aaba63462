// What one data-quality request costs in DynamoDB requests, read through the real client against DynamoDB
// Local: one filer's cells have known keys and are read 100 a call, so a quarter's report stays a handful
// of requests however the range is filled.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityReader } from '../../../shared/adapters/quality-reader.js';
import { chunk } from '../../../shared/adapters/retry.js';
import { AGGREGATE_SHARDS } from '../../../shared/domain/ledger/keys.js';
import { daysBetween } from '../../../shared/domain/ledger/views.js';
import { qualityPartition, qualitySortKey } from '../../../shared/domain/quality/data-quality.js';
import { MAX_QUALITY_DAYS } from '../../../shared/http/schemas/ledger.js';
import { dataQuality } from '../../../shared/use-cases/data-quality.js';
import { createIsolatedResources, documentClient, type IsolatedResources } from '../support.js';

/** The client, with every command it sends recorded by name. */
const counting = (client: DynamoDBDocumentClient) => {
  const sent: string[] = [];
  const wrapped = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        return (target.send as (command: unknown) => Promise<unknown>)(command);
      };
    },
  });
  return { client: wrapped, sent };
};

describe('quality reader', () => {
  let resources: IsolatedResources;
  const client = documentClient();
  const days = daysBetween('2026-01-01', '2026-04-02');
  const filer = 'dq-cost-platform';

  const put = async (table: string, items: Record<string, unknown>[]) => {
    for (const group of chunk(items, 25))
      await client.send(
        new BatchWriteCommand({ RequestItems: { [table]: group.map((Item) => ({ PutRequest: { Item } })) } }),
      );
  };

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'dqcost' });
    // Every day and shard of the range holds a cell of the filer and of another filer: 1 declaration
    // and 1 clean in the ledger, 1 refusal in the declarations table.
    const cells = (numbers: Record<string, number>) =>
      days.flatMap((day) =>
        Array.from({ length: AGGREGATE_SHARDS }, (_, shard) =>
          [filer, 'someone-else'].map((owner) => ({
            pk: qualityPartition(day, shard),
            sk: qualitySortKey(owner),
            ...numbers,
          })),
        ).flat(),
      );
    await put(resources.tables.ledger, cells({ declarations: 1, clean: 1 }));
    await put(resources.tables.declarations, cells({ refused: 1, 'field:items.*.hsCode': 1 }));
  });

  afterAll(async () => {
    await resources?.destroy();
  });

  it('reads one filer over the longest range with one BatchGetItem per 100 cells per table', async () => {
    // Prepare
    expect(days).toHaveLength(MAX_QUALITY_DAYS);
    const ledger = counting(client);
    const declarations = counting(client);
    const deps = {
      assessed: qualityReader(resources.tables.ledger, ledger.client),
      refused: qualityReader(resources.tables.declarations, declarations.client),
    };

    // Act
    const report = await dataQuality(
      {
        principal: { role: 'platform', subject: filer },
        query: { from: days[0] as string, to: days.at(-1) as string },
      },
      deps,
    );

    // Assess: 736 cells per table, 8 requests per table; every cell counted once
    const cellsPerTable = MAX_QUALITY_DAYS * AGGREGATE_SHARDS;
    const perTable = Math.ceil(cellsPerTable / 100);
    expect(ledger.sent).toEqual(Array(perTable).fill('BatchGetCommand'));
    expect(declarations.sent).toEqual(Array(perTable).fill('BatchGetCommand'));
    expect(report.rows).toEqual([
      expect.objectContaining({
        filer,
        declarations: cellsPerTable,
        refusedAtIntake: cellsPerTable,
        refusedByField: { 'items.*.hsCode': cellsPerTable },
        score: 50,
      }),
    ]);
  });

  it('reads every filer with a Query per day and shard, summing each filer apart', async () => {
    const ledger = counting(client);
    const read = qualityReader(resources.tables.ledger, ledger.client);

    const cells = await read(days.slice(0, 3));

    expect(ledger.sent).toHaveLength(3 * AGGREGATE_SHARDS);
    expect(cells).toHaveLength(3 * AGGREGATE_SHARDS * 2);
    expect(new Set(cells.map((cell) => cell.sk))).toEqual(
      new Set([qualitySortKey(filer), qualitySortKey('someone-else')]),
    );
  });
});
