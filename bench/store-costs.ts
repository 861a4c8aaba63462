// What DynamoDB Local spends (its JVM's CPU) on each kind of item access the pipeline makes, beside the
// raw PutItem the end-to-end ratio is judged against: a 200-byte item into a table with no stream and no
// index. The declarations table has a stream and two indexes, and DynamoDB Local parses a table's schema
// and writes a stream record on every access, so the same write costs it several raw PutItems there.
//
//   npx tsx bench/store-costs.ts
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { createTables, startDynamoDbLocal } from '../infra/local/dynamodb.js';
import { mapConcurrent } from '../shared/adapters/retry.js';
import { cpuSecondsOf } from './load.js';

export interface StoreCost {
  access: string;
  /** JVM CPU per item, in µs. */
  cpuMicros: number;
  /** The same in raw PutItems. */
  rawPutItems: number;
}

const LODGEMENT_BODY = Buffer.alloc(1200, 7);

/** A lodgement-shaped item: keys, both indexes' keys, summary attributes, a compressed body. */
const lodgement = (id: string) => ({
  pk: { S: `DECL#${id}` },
  sk: { S: 'STATE' },
  gsi1pk: { S: `PLATFORM#bench#${id.length % 8}` },
  gsi1sk: { S: `2026-12-07T10:00:00.000Z#${id}` },
  gsi2pk: { S: `DAY#2026-12-07#${id.length % 8}` },
  gsi2sk: { S: `2026-12-07T10:00:00.000Z#${id}` },
  id: { S: id },
  reference: { S: `REF-${id}` },
  platformId: { S: 'bench' },
  status: { S: 'RECEIVED' },
  createdAt: { S: '2026-12-07T10:00:00.000Z' },
  body: { B: LODGEMENT_BODY },
});

const outcome = (id: string) => ({
  pk: { S: `DECL#${id}` },
  sk: { S: 'OUTCOME' },
  id: { S: id },
  status: { S: 'RELEASED' },
  version: { N: '1' },
  record: { B: Buffer.alloc(900, 3) },
});

/** JVM CPU µs per item of `count` calls of `call` (each `perCall` items), 32 in flight. */
const measure = async (
  pid: number,
  count: number,
  perCall: number,
  call: (index: number) => Promise<unknown>,
): Promise<number> => {
  const before = cpuSecondsOf(pid) ?? 0;
  await mapConcurrent(
    Array.from({ length: count }, (_, index) => index),
    32,
    call,
  );
  return Math.round((((cpuSecondsOf(pid) ?? 0) - before) * 1e6) / (count * perCall));
};

export const measureStoreCosts = async (calls = 3000): Promise<StoreCost[]> => {
  const store = await startDynamoDbLocal({});
  const client: DynamoDBClient = store.client;
  try {
    const tables = await createTables(client, 'costs');
    const run = Date.now().toString(36);
    const rawPut = (index: number) =>
      client.send(
        new PutItemCommand({
          TableName: tables.reference,
          Item: {
            pk: { S: `BENCH#${index % 32}` },
            sk: { S: `${run}-${index}` },
            value: { S: 'x'.repeat(200) },
          },
        }),
      );
    // Warm the JVM up first: its first thousands of writes cost more.
    await measure(store.pid, calls, 1, (index) => rawPut(calls + index));
    const raw = await measure(store.pid, calls, 1, rawPut);
    const costs: [string, number][] = [
      ['raw PutItem: 200 B, no stream, no index', raw],
      [
        'lodgement: conditional PutItem into the declarations table',
        await measure(store.pid, calls, 1, (index) =>
          client.send(
            new PutItemCommand({
              TableName: tables.declarations,
              Item: lodgement(`${run}-${index}`),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        ),
      ],
      [
        'outcome: transactional put into the declarations table (25 a transaction)',
        await measure(store.pid, Math.ceil(calls / 25), 25, (index) =>
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: Array.from({ length: 25 }, (_, item) => ({
                Put: {
                  TableName: tables.declarations,
                  Item: outcome(`${run}-${index * 25 + item}`),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            }),
          ),
        ),
      ],
      [
        'GetItem of a lodgement (consistent)',
        await measure(store.pid, calls, 1, (index) =>
          client.send(
            new GetItemCommand({
              TableName: tables.declarations,
              Key: { pk: { S: `DECL#${run}-${index}` }, sk: { S: 'STATE' } },
              ConsistentRead: true,
            }),
          ),
        ),
      ],
    ];
    return costs.map(([access, cpuMicros]) => ({
      access,
      cpuMicros,
      rawPutItems: Math.round((cpuMicros / raw) * 10) / 10,
    }));
  } finally {
    await store.stop();
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  console.table(await measureStoreCosts());
}
