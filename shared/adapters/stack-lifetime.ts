// The month a stack began: configured (a stack restored into new tables keeps its real start), else the
// month its ledger table was created. Read once per instance.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClient } from './aws-clients.js';

export const stackLifetimeStart = (
  ledgerTable: string,
  configured: string | undefined,
  client: Pick<DynamoDBClient, 'send'> = dynamoDbClient(),
): (() => Promise<string>) => {
  let start: Promise<string> | undefined;
  return () => {
    if (configured) return Promise.resolve(configured);
    start ??= client.send(new DescribeTableCommand({ TableName: ledgerTable })).then(({ Table }) => {
      const created = Table?.CreationDateTime;
      if (!created) throw new Error(`The ${ledgerTable} table has no creation time`);
      return created.toISOString().slice(0, 7);
    });
    start.catch(() => {
      start = undefined;
    });
    return start;
  };
};
