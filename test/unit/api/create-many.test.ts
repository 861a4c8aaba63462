import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import { type DeclarationRecord, newRecord } from '../../../shared/domain/clearance/record.js';
import { type Declaration, parseDeclaration } from '../../../shared/domain/declaration/declaration.js';
import { bodyHashOf } from '../../../shared/domain/declaration/identity.js';
import { aDeclaration, anItem, aReference, fixtureDeclarationIds } from '../../fixtures/declarations.js';

type Write = { Put: { Item: Record<string, unknown>; ConditionExpression?: string } };

/**
 * A document client that stores items in a map and answers conditional PutItem and TransactWriteItems as
 * DynamoDB does (a transaction all or nothing, with a cancellation reason per write). `conflicts` makes the first attempts at the ids named
 * fail with TransactionConflict (another transaction on the item).
 */
const fakeDynamoDb = (options: { conflicts?: Map<string, number> } = {}) => {
  const items = new Map<string, Record<string, unknown>>();
  const key = (item: Record<string, unknown>) => `${item.pk} ${item.sk}`;
  const calls: { command: string; writes?: Write[]; keys?: number }[] = [];
  const conflicts = options.conflicts ?? new Map<string, number>();
  const refused = (write: Write) => {
    const existing = items.get(key(write.Put.Item));
    if (!existing) return false;
    // `attribute_not_exists(pk) OR bodyHash = :hash` lets the same body through.
    return (
      !write.Put.ConditionExpression?.includes('bodyHash') || existing.bodyHash !== write.Put.Item.bodyHash
    );
  };
  const client = {
    send: async (command: unknown) => {
      if (command instanceof TransactWriteCommand) {
        const writes = command.input.TransactItems as Write[];
        calls.push({ command: 'TransactWriteItems', writes });
        const reasons = writes.map((write) => {
          const id = String(write.Put.Item.id);
          const left = conflicts.get(id) ?? 0;
          if (left > 0) {
            conflicts.set(id, left - 1);
            return 'TransactionConflict';
          }
          return refused(write) ? 'ConditionalCheckFailed' : 'None';
        });
        if (reasons.some((reason) => reason !== 'None')) {
          throw new TransactionCanceledException({
            message: `Transaction cancelled [${reasons.join(', ')}]`,
            $metadata: {},
            CancellationReasons: reasons.map((Code) => ({ Code })),
          });
        }
        for (const write of writes) items.set(key(write.Put.Item), write.Put.Item);
        return {};
      }
      if (command instanceof BatchGetCommand) {
        const request = Object.values(command.input.RequestItems ?? {})[0];
        const keys = (request?.Keys ?? []) as Record<string, unknown>[];
        calls.push({ command: 'BatchGetItem', keys: keys.length });
        const found = keys.flatMap((wanted) => {
          const item = items.get(key(wanted));
          return item ? [item] : [];
        });
        return { Responses: { table: found } };
      }
      if (command instanceof PutCommand) {
        const write = { Put: command.input } as Write;
        calls.push({ command: 'PutItem', writes: [write] });
        if (refused(write)) {
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: {},
          });
        }
        items.set(key(write.Put.Item), write.Put.Item);
        return {};
      }
      if (command instanceof BatchExecuteStatementCommand) {
        // Only the inserts the store sends: INSERT INTO "<table>" VALUE {'<name>': ?, ...}
        const statements = command.input.Statements ?? [];
        calls.push({ command: 'BatchExecuteStatement', keys: statements.length });
        const Responses = statements.map(({ Statement = '', Parameters = [] }) => {
          const names = [...Statement.matchAll(/'([^']+)': \?/g)].map((match) => match[1] as string);
          const item = Object.fromEntries(names.map((name, index) => [name, Parameters[index]]));
          if (!Statement.startsWith('INSERT INTO') || names.length !== Parameters.length)
            return { Error: { Code: 'ValidationError' } };
          if (items.has(key(item))) return { Error: { Code: 'DuplicateItem' } };
          items.set(key(item), item);
          return {};
        });
        return { Responses };
      }
      if (command instanceof GetCommand) {
        calls.push({ command: 'GetItem', keys: 1 });
        return { Item: items.get(key(command.input.Key as Record<string, unknown>)) };
      }
      throw new Error(`unexpected command ${(command as object).constructor.name}`);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, items, calls };
};

const lodgement = (declaration: Declaration = aDeclaration({ reference: aReference('CM') })) => {
  const parsed = parseDeclaration(declaration);
  if (!parsed.success) throw parsed.error;
  const record = newRecord({
    id: fixtureDeclarationIds('acme', parsed.data.reference),
    reference: parsed.data.reference,
    platformId: 'acme',
    bodyHash: bodyHashOf(parsed.data),
    at: '2026-11-30T10:00:00.000Z',
  });
  return { record, declaration: parsed.data };
};

/** A declaration whose compressed body is too large to share the state item (two writes). */
const aLargeDeclaration = () =>
  aDeclaration({
    reference: aReference('LARGE'),
    items: Array.from({ length: 400 }, () => anItem({ description: randomBytes(200).toString('hex') })),
  });

const created = (results: unknown[]) => results.map((result) => (result as { created: boolean }).created);

describe('declarationStore.createMany', () => {
  it('writes each declaration as one item by a conditional insert, 25 to a request, with nothing read first', async () => {
    // Prepare
    const { client, items, calls } = fakeDynamoDb();
    const store = declarationStore('table', client);
    const entries = Array.from({ length: 250 }, () => lodgement());

    // Act
    const results = await store.createMany(entries);

    // Assess
    expect(created(results)).toEqual(entries.map(() => true));
    expect(calls.map((call) => [call.command, call.keys])).toEqual(
      Array.from({ length: 10 }, () => ['BatchExecuteStatement', 25]),
    );
    expect(items.size).toBe(250);
    expect([...items.values()].every((item) => item.sk === 'STATE' && item.body instanceof Uint8Array)).toBe(
      true,
    );
  });

  it('answers the declarations lodged before with their stored states and stores the others', async () => {
    // Prepare: two of five lodged before, one with the same body and one with another
    const { client, calls } = fakeDynamoDb();
    const store = declarationStore('table', client);
    const declarations = Array.from({ length: 5 }, () => aDeclaration({ reference: aReference('CM') }));
    const entries = declarations.map((declaration) => lodgement(declaration));
    const changed = lodgement({ ...(declarations[3] as Declaration), transportCost: '3.00' });
    await store.createMany([entries[1], changed].filter((entry) => entry !== undefined));
    calls.length = 0;

    // Act
    const results = await store.createMany(entries);

    // Assess
    expect(created(results)).toEqual([true, false, true, false, true]);
    expect((results[1] as { existing: DeclarationRecord }).existing.bodyHash).toBe(
      entries[1]?.record.bodyHash,
    );
    expect((results[3] as { existing: DeclarationRecord }).existing.bodyHash).toBe(changed.record.bodyHash);
    const count = (command: string) => calls.filter((call) => call.command === command).length;
    expect([count('BatchExecuteStatement'), count('BatchGetItem'), count('TransactWriteItems')]).toEqual([
      1, 2, 0,
    ]);
  });

  it('stores a body too large for the state item in an item of its own, with the state, in one transaction', async () => {
    // Prepare
    const { client, items, calls } = fakeDynamoDb();
    const store = declarationStore('table', client);
    const entries = [lodgement(), lodgement(aLargeDeclaration())];

    // Act
    const results = await store.createMany(entries);

    // Assess
    expect(created(results)).toEqual([true, true]);
    const transactions = calls.filter((call) => call.command === 'TransactWriteItems');
    expect(transactions.map((call) => call.writes?.map((write) => write.Put.Item.sk))).toEqual([
      ['BODY', 'STATE'],
    ]);
    expect(items.size).toBe(3);
  });
});
