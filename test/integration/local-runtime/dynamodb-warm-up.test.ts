import { CreateTableCommand, type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { WARM_UP_TABLE, warmUpDynamoDbLocal } from '../../../infra/local/dynamodb.js';
import { dynamoDbClient } from '../support.js';

describe('warmUpDynamoDbLocal', () => {
  const client = dynamoDbClient();
  afterAll(() => client.destroy());

  /** The client, recording the name of every command it sends. */
  const recording = (): { client: DynamoDBClient; commands: string[] } => {
    const commands: string[] = [];
    const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    const spy = Object.create(client) as DynamoDBClient;
    spy.send = ((command: { constructor: { name: string } }) => {
      commands.push(command.constructor.name.replace(/Command$/, ''));
      return send(command);
    }) as DynamoDBClient['send'];
    return { client: spy, commands };
  };

  const tableNames = async () => (await client.send(new ListTablesCommand({}))).TableNames ?? [];

  it("makes the stack's kinds of calls on a scratch table and drops it, replacing one left behind", async () => {
    // Prepare: the scratch table of a runtime that stopped while warming up
    await client.send(
      new CreateTableCommand({
        TableName: WARM_UP_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const { client: spy, commands } = recording();

    // Act
    await warmUpDynamoDbLocal(spy, { writes: 100 });

    // Assess
    expect(new Set(commands)).toEqual(
      new Set([
        'DeleteTable',
        'CreateTable',
        'TransactWriteItems',
        'BatchGetItem',
        'Query',
        'UpdateItem',
        'PutItem',
      ]),
    );
    expect(commands.filter((name) => name === 'TransactWriteItems')).toHaveLength(4);
    expect(commands.at(-1)).toBe('DeleteTable');
    expect(await tableNames()).not.toContain(WARM_UP_TABLE);
  });
});
