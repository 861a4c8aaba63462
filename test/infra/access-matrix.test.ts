// Least privilege written down: which function may do what to which table, queue and bus, as an explicit
// matrix, not derived from the topology the stack is built from. A grant the stack adds or drops fails
// here until the matrix (and so a reviewer) agrees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, pascal } from '../../infra/config.js';
import {
  type FunctionName,
  functions,
  type QueueName,
  queues,
  type TableName,
  tables,
} from '../../shared/topology.js';
import { actionsOf, resourceTexts, statementsOfFunction } from './lookup.js';
import { disposeSyntheses, type Synthesized, synthesize } from './synth.js';

const READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const READ_WRITE = [
  ...READ,
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
const SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const PUT_EVENTS = ['events:PutEvents'];
const READ_SECRET = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
/** Fair-use counters: one conditional UpdateItem per request, nothing else. */
const COUNT = ['dynamodb:UpdateItem'];

type Resource = `table:${TableName}` | `queue:${QueueName}` | 'bus' | 'secret';

// biome-ignore format: the matrix reads as a table
const MATRIX: Record<FunctionName, Partial<Record<Resource, readonly string[]>>> = {
  query:        { 'table:ledger': READ, 'table:declarations': READ, 'table:limits': COUNT },
  singlewindow: { 'table:declarations': READ_WRITE, 'queue:singlewindow': CONSUME },
  postalResponses: { 'table:declarations': READ_WRITE, 'queue:postalResponses': CONSUME, bus: PUT_EVENTS },
  clearance:    { 'table:declarations': READ_WRITE, 'table:ledger': READ_WRITE, 'table:risk': READ_WRITE, bus: PUT_EVENTS, secret: READ_SECRET, 'table:limits': COUNT },
  intake:       { 'table:declarations': READ_WRITE, 'table:reference': READ, secret: READ_SECRET, 'table:limits': COUNT },
  postal:       { 'table:declarations': READ_WRITE, secret: READ_SECRET, 'table:limits': COUNT },
  risk:         { 'table:declarations': READ_WRITE, 'table:reference': READ, 'table:risk': READ_WRITE, 'queue:risk': CONSUME, 'queue:duty': SEND },
  duty:         { 'table:declarations': READ_WRITE, 'table:ledger': READ_WRITE, 'table:reference': READ, 'queue:duty': [...new Set([...CONSUME, ...SEND])], bus: PUT_EVENTS },
  declarations: { 'table:declarations': READ_WRITE, 'table:ledger': READ_WRITE, 'table:reference': READ, bus: PUT_EVENTS, secret: READ_SECRET, 'table:limits': COUNT },
  notify:       { 'table:reference': READ_WRITE, 'queue:notify': CONSUME },
  webhooks:     { 'table:reference': READ_WRITE, 'queue:notify': SEND, 'table:limits': COUNT },
  openapi:      {},
  console:      {},
  admin:        { 'table:reference': READ_WRITE, 'table:risk': READ, secret: READ_SECRET, 'table:limits': COUNT },
  quotes:       { 'table:reference': READ_WRITE, 'table:limits': COUNT },
  records:      { 'table:declarations': READ_WRITE, secret: READ_SECRET },
};

const n = names({ country: 'NL', stage: 'dev' });

/** The table, queue or bus a statement's resources name, or undefined for logs, X-Ray and keys. */
const resourcesNamed = (texts: string[]): Resource[] => {
  const found = new Set<Resource>();
  for (const text of texts) {
    for (const table of Object.keys(tables) as TableName[])
      if (text.includes(`:table/${n.table(table)}"`) || text.includes(`:table/${n.table(table)}/`))
        found.add(`table:${table}`);
    for (const queue of Object.keys(queues) as QueueName[])
      if (text.includes(`${pascal(queue)}Queue`) && !text.includes('DeadLetter')) found.add(`queue:${queue}`);
    if (text.includes('EventBus')) found.add('bus');
    if (text.includes('StackSecret')) found.add('secret');
  }
  return [...found];
};

describe('access matrix (NL, dev)', () => {
  let nl: Synthesized;

  beforeAll(() => {
    nl = synthesize({ country: 'NL' });
  });
  afterAll(disposeSyntheses);

  it('has a row for every function the stack deploys', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(functions).sort());
  });

  it('has no table the matrix does not name (the unused idempotency table is gone)', () => {
    const named = new Set(Object.values(MATRIX).flatMap((row) => Object.keys(row)));
    for (const table of Object.keys(tables)) expect(named, table).toContain(`table:${table}`);
  });

  it.each(Object.keys(functions) as FunctionName[])('grants %s exactly its row of the matrix', (name) => {
    // Prepare
    const statements = statementsOfFunction(nl.templates.stateless, n.function(name));

    // Act
    const granted: Partial<Record<Resource, Set<string>>> = {};
    for (const statement of statements) {
      for (const resource of resourcesNamed(resourceTexts(statement))) {
        const actions = actionsOf(statement).filter((action) => !action.startsWith('kms:'));
        const set = granted[resource] ?? new Set<string>();
        for (const action of actions) set.add(action);
        granted[resource] = set;
      }
    }
    const actual = Object.fromEntries(
      Object.entries(granted).map(([resource, actions]) => [resource, [...actions].sort()]),
    );

    // Assess
    const expected = Object.fromEntries(
      Object.entries(MATRIX[name] ?? {}).map(([resource, actions]) => [resource, [...actions].sort()]),
    );
    expect(actual).toEqual(expected);
  });
});
