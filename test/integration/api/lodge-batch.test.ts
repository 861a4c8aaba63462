import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeclaration } from '../../../shared/domain/declaration/declaration.js';
import { bodyHashOf } from '../../../shared/domain/declaration/identity.js';
import { declarationRoutes } from '../../../shared/http/routes/declarations.js';
import { answerAs } from '../../fixtures/api.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, type HttpResult, invoke } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  documentClient,
  drainQueue,
  type IsolatedResources,
  sqsClient,
} from '../support.js';

describe('lodgeBatch', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handler: HttpHandler;
  const documents = () => documentClient();
  const sqs = sqsClient();

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'batch' });
    restoreEnv = applyEnv(resources.env);
    ({ handler } = (await import('../../../functions/intake/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const platform = (name: string) => `platform:${name}-${resources.prefix.slice(-8)}` as const;
  const submit = (as: `platform:${string}`, declarations: unknown[]) =>
    invoke(handler, { routeKey: 'POST /v1/declarations/batch', as, body: { declarations } });
  /** The per-declaration results of a 207, read with the route's documented schema. */
  const resultsOf = (response: HttpResult) => answerAs(declarationRoutes.batch, response, 207).results;

  const storedItems = async (id: string) => {
    const result = await documents().send(
      new QueryCommand({
        TableName: resources.tables.declarations,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `DECL#${id}` },
      }),
    );
    return result.Items ?? [];
  };

  it('reports an invalid declaration by index and accepts the rest', async () => {
    // Prepare
    const valid = [
      aDeclaration({ reference: aReference('B') }),
      aDeclaration({ reference: aReference('B') }),
    ];
    const invalid = aDeclaration({ reference: aReference('B'), items: [anItem({ hsCode: '12' })] });
    await drainQueue(sqs, resources.queues.risk.url);

    // Act
    const response = await submit(platform('acme'), [valid[0], invalid, valid[1]]);

    // Assess
    const results = resultsOf(response);
    expect(results.map((result) => [result.index, result.status])).toEqual([
      [0, 202],
      [1, 400],
      [2, 202],
    ]);
    expect(results[1]?.errors).toContainEqual({ path: 'items.0.hsCode', message: 'must be 6 to 10 digits' });
    expect(results[1]?.id).toBeUndefined();
    // Each stored as a single lodgement is: one item, the state holding the compressed body.
    for (const result of [results[0], results[2]]) {
      const items = await storedItems(String(result?.id));
      expect(items.map((item) => [item.sk, item.body !== undefined])).toEqual([['STATE', true]]);
    }
    // Nothing is sent: each stored insert starts its risk step (the table's stream).
    expect(await drainQueue(sqs, resources.queues.risk.url)).toEqual([]);
  });

  it('answers a repeated reference in one batch with 200 for the same body and 409 for another body', async () => {
    // Prepare
    const reference = aReference('DUP');
    const first = aDeclaration({ reference });
    const changed = aDeclaration({ reference, transportCost: '7.00' });

    // Act
    const response = await submit(platform('acme'), [first, first, changed]);

    // Assess
    const results = resultsOf(response);
    expect(results.map((result) => result.status)).toEqual([202, 200, 409]);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    expect(results[2]?.errors?.[0]?.path).toBe('reference');
  });

  it('answers a resubmitted batch with 200 per declaration and 409 where a body changed', async () => {
    // Prepare
    const declarations = [
      aDeclaration({ reference: aReference('RE') }),
      aDeclaration({ reference: aReference('RE') }),
    ];
    const before = await submit(platform('acme'), declarations);

    // Act
    const again = await submit(platform('acme'), [
      declarations[0],
      { ...declarations[1], transportCost: '1.00' },
    ]);

    // Assess
    const ids = resultsOf(before).map((result) => result.id);
    const results = resultsOf(again);
    expect(results.map((result) => result.status)).toEqual([200, 409]);
    expect(results.map((result) => result.id)).toEqual(ids);
  });

  it('stores the new declarations of a batch that also holds lodged ones, and answers those by their bodies', async () => {
    // Prepare: two declarations lodged before; the batch stores them and three new ones in one transaction
    const lodged = [
      aDeclaration({ reference: aReference('MIX') }),
      aDeclaration({ reference: aReference('MIX') }),
    ];
    const before = await submit(platform('acme'), lodged);
    const fresh = [0, 1, 2].map(() => aDeclaration({ reference: aReference('MIX') }));
    await drainQueue(sqs, resources.queues.risk.url);

    // Act
    const response = await submit(platform('acme'), [
      fresh[0],
      lodged[0],
      fresh[1],
      { ...lodged[1], transportCost: '3.00' },
      fresh[2],
    ]);

    // Assess
    const results = resultsOf(response);
    expect(results.map((result) => result.status)).toEqual([202, 200, 202, 409, 202]);
    expect([results[1]?.id, results[3]?.id]).toEqual(resultsOf(before).map((result) => result.id));
    for (const index of [0, 2, 4]) {
      const items = await storedItems(String(results[index]?.id));
      expect(items.map((item) => [item.sk, item.body !== undefined])).toEqual([['STATE', true]]);
    }
    // Nothing is sent, the resubmitted one included: its insert started its risk step when it was stored.
    expect(await drainQueue(sqs, resources.queues.risk.url)).toEqual([]);
  });

  it('accepts one of two batches racing to lodge a reference with different bodies and refuses the other', async () => {
    // Prepare: the contested reference among new declarations in both batches, several times over
    for (let round = 0; round < 5; round += 1) {
      const reference = aReference('RACE');
      const mine = aDeclaration({ reference });
      const theirs = aDeclaration({ reference, transportCost: '9.00' });
      const others = () => [0, 1, 2].map(() => aDeclaration({ reference: aReference('RACE') }));

      // Act
      const [one, two] = await Promise.all([
        submit(platform('racer'), [...others(), mine, ...others()]),
        submit(platform('racer'), [...others(), theirs, ...others()]),
      ]);

      // Assess
      const statuses = (response: typeof one) => resultsOf(response).map((result) => result.status);
      const contested = [statuses(one)[3], statuses(two)[3]].sort();
      expect(contested).toEqual([202, 409]);
      for (const response of [one, two])
        expect(statuses(response).filter((_, index) => index !== 3)).toEqual([202, 202, 202, 202, 202, 202]);
      // The declaration stored is the accepted one's, untouched by the refused one.
      const winner = parseDeclaration(statuses(one)[3] === 202 ? mine : theirs);
      if (!winner.success) throw winner.error;
      const items = await storedItems(String(resultsOf(one)[3]?.id));
      expect(items.map((item) => [item.sk, item.bodyHash])).toEqual([['STATE', bodyHashOf(winner.data)]]);
    }
  });

  it('keeps the same reference of two platforms apart', async () => {
    // Prepare
    const declaration = aDeclaration({ reference: aReference('SHARED') });

    // Act
    const [one, two] = await Promise.all([
      submit(platform('one'), [declaration]),
      submit(platform('two'), [declaration]),
    ]);

    // Assess
    const first = resultsOf(one)[0];
    const second = resultsOf(two)[0];
    expect([first?.status, second?.status]).toEqual([202, 202]);
    expect(first?.id).not.toBe(second?.id);
  });

  it('refuses a batch that is not a list of 1 to 1000 declarations as a whole', async () => {
    // Act
    const empty = await submit(platform('acme'), []);
    const tooMany = await submit(
      platform('acme'),
      Array.from({ length: 1001 }, () => ({})),
    );
    const extra = await invoke(handler, {
      routeKey: 'POST /v1/declarations/batch',
      as: platform('acme'),
      body: { declarations: [aDeclaration()], dryRun: true },
    });

    // Assess
    expect(empty.statusCode).toBe(400);
    expect(empty.body.errors).toEqual([
      { path: 'declarations', message: 'must hold at least one declaration' },
    ]);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body.errors).toEqual([
      { path: 'declarations', message: 'must hold at most 1000 declarations; split the batch' },
    ]);
    expect(extra.statusCode).toBe(400);
    expect(extra.body.errors).toEqual([{ path: 'dryRun', message: 'is not a known field (dryRun)' }]);
  });

  it('accepts a batch of 1000 declarations, all stored RECEIVED', async () => {
    // Prepare
    await drainQueue(sqs, resources.queues.risk.url);
    const declarations = Array.from({ length: 1000 }, () => aDeclaration({ reference: aReference('K') }));

    // Act
    const started = performance.now();
    const response = await submit(platform('bulk'), declarations);
    const elapsed = performance.now() - started;

    // Assess
    const results = resultsOf(response);
    expect(results.filter((result) => result.status === 202)).toHaveLength(1000);
    const stored = await Promise.all(results.map((result) => storedItems(String(result.id))));
    expect(stored.filter((items) => items[0]?.status === 'RECEIVED')).toHaveLength(1000);
    console.info(`batch of 1000 accepted in ${Math.round(elapsed)} ms (handler against DynamoDB Local)`);
  });
});
