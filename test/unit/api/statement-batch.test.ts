import { BatchExecuteStatementCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { executeStatements, insertStatement } from '../../../shared/adapters/statement-batch.js';

/** A client answering each statement by `answer` (an error code, or undefined for written). */
const fakeClient = (answer: (statement: string, parameters: unknown[]) => string | undefined | Error) => {
  const requests: number[] = [];
  const client = {
    send: async (command: unknown) => {
      if (!(command instanceof BatchExecuteStatementCommand)) throw new Error('unexpected command');
      const statements = command.input.Statements ?? [];
      requests.push(statements.length);
      const answers = statements.map(({ Statement = '', Parameters = [] }) => answer(Statement, Parameters));
      const thrown = answers.find((entry) => entry instanceof Error);
      if (thrown) throw thrown;
      return { Responses: answers.map((code) => (code ? { Error: { Code: code } } : {})) };
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, requests };
};

describe('PartiQL statements in batches', () => {
  it('writes an insert of every defined attribute, quoting names and the table', () => {
    expect(insertStatement('t"1', { pk: 'A', sk: 'B', gone: undefined, "it's": 1 })).toEqual({
      Statement: `INSERT INTO "t""1" VALUE {'pk': ?, 'sk': ?, 'it''s': ?}`,
      Parameters: ['A', 'B', 1],
    });
  });

  it('sends 25 to a request and answers each: written, refused with its code, retried while DynamoDB is busy', async () => {
    // Prepare: item 3 exists; item 7 is throttled twice before it is written
    let throttled = 0;
    const { client, requests } = fakeClient((_statement, [pk]) => {
      if (pk === 'I3') return 'DuplicateItem';
      if (pk === 'I7' && throttled < 2) {
        throttled += 1;
        return 'ThrottlingError';
      }
      return undefined;
    });
    const statements = Array.from({ length: 60 }, (_, index) => insertStatement('t', { pk: `I${index}` }));

    // Act
    const outcomes = await executeStatements(client, statements);

    // Assess
    expect(requests.slice(0, 3).sort()).toEqual([10, 25, 25]);
    expect(requests.slice(3)).toEqual([1, 1]);
    expect(outcomes).toHaveLength(60);
    expect(outcomes.filter((outcome) => outcome !== undefined)).toEqual(['DuplicateItem']);
    expect(outcomes[3]).toBe('DuplicateItem');
  });

  it('fails only the statements of a request that keeps failing; the others stay written', async () => {
    // Prepare: the request holding item 30 fails every time
    const { client } = fakeClient((_statement, [pk]) =>
      pk === 'I30' ? Object.assign(new Error('throttled'), { name: 'ThrottlingException' }) : undefined,
    );
    const statements = Array.from({ length: 60 }, (_, index) => insertStatement('t', { pk: `I${index}` }));

    // Act
    const outcomes = await executeStatements(client, statements);

    // Assess
    const failed = outcomes.flatMap((outcome, index) => (typeof outcome === 'object' ? [index] : []));
    expect(failed).toEqual(Array.from({ length: 25 }, (_, index) => 25 + index));
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(35);
  });
});
