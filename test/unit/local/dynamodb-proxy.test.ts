import { describe, expect, it } from 'vitest';
import {
  type DynamoDbCall,
  dynamoDbError,
  dynamoDbFaults,
  throttlingRules,
} from '../../../infra/local/dynamodb-proxy.js';

const put = (id: string): DynamoDbCall => ({
  operation: 'PutItem',
  body: { TableName: 't', Item: { pk: { S: id } } },
});

const transaction = (token: string): DynamoDbCall => ({
  operation: 'TransactWriteItems',
  body: {
    ClientRequestToken: token,
    TransactItems: [
      { Put: { TableName: 't', Item: { pk: { S: 'DECL#1' } } } },
      { Update: { TableName: 't', Key: { pk: { S: 'PROFILESTATS#P' } } } },
    ],
  },
});

describe('dynamoDbError', () => {
  it("answers in DynamoDB's JSON error shape", () => {
    expect(dynamoDbError('ProvisionedThroughputExceededException', 'Slow down')).toEqual({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'Slow down',
      },
    });
  });
});

describe('dynamoDbFaults', () => {
  it('refuses the matching calls before DynamoDB sees them, up to the limit', () => {
    // Prepare
    const faults = dynamoDbFaults([{ fault: 'ThrottlingException', operations: ['PutItem'], limit: 2 }]);

    // Act
    const answers = [put('a'), put('b'), put('c')].map((call) => faults.hooks.onRequest?.(call));

    // Assess
    expect(
      answers.map((answer) => (answer && 'answer' in answer ? answer.answer.status : 'forwarded')),
    ).toEqual([400, 400, 'forwarded']);
    expect(faults.injected()).toEqual({ ThrottlingException: 2 });
    expect(faults.calls()).toEqual({ PutItem: 3 });
  });

  it('cancels a transaction on its counter updates, each request as often as asked, whatever its token', () => {
    // Prepare
    const faults = dynamoDbFaults([{ fault: 'TransactionCanceled', timesEach: 2 }]);

    // Act: the same transaction sent three times (a new token each time), then another one
    const answers = [transaction('1'), transaction('2'), transaction('3')].map((call) =>
      faults.hooks.onRequest?.(call),
    );

    // Assess
    const [first, second, third] = answers;
    expect(third).toBeUndefined();
    expect(second).toEqual(first);
    expect(first && 'answer' in first ? first.answer.body : undefined).toMatchObject({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    expect(faults.injected()).toEqual({ TransactionCanceled: 2 });
  });

  it('replaces the answer of a call that succeeded when the rule acts on responses', () => {
    // Prepare
    const faults = dynamoDbFaults([{ fault: 'InternalServerError', at: 'response' }]);

    // Act
    const before = faults.hooks.onRequest?.(put('a'));
    const after = faults.hooks.onResponse?.(put('a'), { status: 200, body: {} });
    const refused = faults.hooks.onResponse?.(put('a'), { status: 400, body: {} });

    // Assess
    expect(before).toBeUndefined();
    expect(after).toMatchObject({ status: 500 });
    expect(refused).toBeUndefined();
  });

  it('throttles about the share asked for, with both kinds of throttling', () => {
    // Prepare
    let state = 1;
    const random = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const faults = dynamoDbFaults(throttlingRules(0.2), random);

    // Act
    for (let index = 0; index < 10_000; index += 1) faults.hooks.onRequest?.(put(String(index)));

    // Assess
    const { ProvisionedThroughputExceededException = 0, ThrottlingException = 0 } = faults.injected();
    expect((ProvisionedThroughputExceededException + ThrottlingException) / 10_000).toBeCloseTo(0.2, 1);
    expect(ProvisionedThroughputExceededException / ThrottlingException).toBeCloseTo(1, 0);
  });
});
