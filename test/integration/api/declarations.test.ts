import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationStore, lodgedFromImage } from '../../../shared/adapters/declaration-store.js';
import { newRecord, transition } from '../../../shared/domain/clearance/record.js';
import { bodyHashOf } from '../../../shared/domain/declaration/identity.js';
import { declarationRoutes } from '../../../shared/http/routes/declarations.js';
import { answerAs } from '../../fixtures/api.js';
import { aDeclaration, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, type HttpResult, invoke } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  documentClient,
  type IsolatedResources,
  testDeclarationIds,
} from '../support.js';

describe('the declarations function: read, list and cancel', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handler: HttpHandler;
  let store: ReturnType<typeof declarationStore>;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'decls' });
    restoreEnv = applyEnv(resources.env);
    ({ handler } = (await import('../../../functions/declarations/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    store = declarationStore(resources.tables.declarations, documentClient());
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  /** Stores a declaration of `platformId` lodged at `at`, optionally moved on to `status`. */
  const lodged = async (platformId: string, at: string, status?: 'ASSESSED' | 'RELEASED') => {
    const declaration = aDeclaration({ reference: aReference('L') });
    let record = newRecord({
      id: testDeclarationIds()(platformId, declaration.reference),
      reference: declaration.reference,
      platformId,
      bodyHash: bodyHashOf(declaration),
      at,
    });
    await store.create(record, declaration);
    if (status) {
      record = await store.save(transition(record, 'ASSESSED', 'duty', 'Assessed', at));
      if (status === 'RELEASED')
        record = await store.save(transition(record, 'RELEASED', 'clearance', 'Released', at));
    }
    return record;
  };

  const list = (as: `${'platform' | 'officer' | 'agency'}:${string}`, query: Record<string, string> = {}) =>
    invoke(handler, { routeKey: 'GET /v1/declarations', as, query });
  /** A 200 page of summaries, read with the route's documented schema. */
  const pageOf = (response: HttpResult) => answerAs(declarationRoutes.list, response, 200);

  describe('listDeclarations', () => {
    const days = ['2026-03-01', '2026-03-02', '2026-03-03'];
    const ids: Record<string, string[]> = { alpha: [], beta: [] };

    beforeAll(async () => {
      for (const [index, day] of days.entries()) {
        for (const hour of ['08', '12']) {
          ids.alpha?.push(
            (await lodged('alpha', `${day}T${hour}:00:00.000Z`, index === 0 ? 'RELEASED' : undefined)).id,
          );
        }
        ids.beta?.push((await lodged('beta', `${day}T10:00:00.000Z`)).id);
      }
    });

    it('shows a platform only its own declarations, newest first, as summaries', async () => {
      // Act
      const response = await list('platform:alpha');

      // Assess
      const { items, cursor } = pageOf(response);
      expect(items.map((item) => item.id)).toEqual([...(ids.alpha ?? [])].reverse());
      expect(items.every((item) => item.platformId === 'alpha')).toBe(true);
      // As sent, not as read: a summary carries nothing beyond these fields.
      expect(Object.keys((response.body.items as object[])[0] ?? {}).sort()).toEqual([
        'createdAt',
        'id',
        'platformId',
        'reference',
        'status',
        'updatedAt',
      ]);
      expect(cursor).toBeNull();
    });

    it('pages with an opaque cursor until the last page says null', async () => {
      // Act
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const response = await list('platform:alpha', { limit: '4', ...(cursor ? { cursor } : {}) });
        expect(response.statusCode).toBe(200);
        pages.push(pageOf(response).items.map((item) => item.id));
        cursor = pageOf(response).cursor ?? undefined;
      } while (cursor && pages.length < 5);

      // Assess
      expect(pages.flat()).toEqual([...(ids.alpha ?? [])].reverse());
      expect(pages[0]).toHaveLength(4);
    });

    it('filters by status and by date range', async () => {
      // Act
      const released = await list('platform:alpha', { status: 'RELEASED' });
      const secondDay = await list('platform:alpha', { from: '2026-03-02', to: '2026-03-02' });

      // Assess
      expect(
        pageOf(released)
          .items.map((item) => item.id)
          .sort(),
      ).toEqual((ids.alpha ?? []).slice(0, 2).sort());
      expect(pageOf(secondDay).items.map((item) => item.createdAt)).toEqual([
        '2026-03-02T12:00:00.000Z',
        '2026-03-02T08:00:00.000Z',
      ]);
    });

    it("shows an officer every platform's declarations, day by day, newest first", async () => {
      // Act
      const first = await list('officer:o-1', { from: '2026-03-01', to: '2026-03-03', limit: '5' });
      const second = await list('officer:o-1', {
        from: '2026-03-01',
        to: '2026-03-03',
        limit: '5',
        cursor: String(first.body.cursor),
      });

      // Assess
      const all = [...pageOf(first).items, ...pageOf(second).items];
      expect(all).toHaveLength(9);
      const times = all.map((item) => item.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(second.body.cursor).toBeNull();
    });

    it('pages an officer through one platform oldest first, and filters by lane', async () => {
      // Act
      const pages: { createdAt: string; platformId: string }[][] = [];
      let cursor: string | undefined;
      do {
        const response = await list('officer:o-1', {
          from: '2026-03-01',
          to: '2026-03-03',
          platformId: 'alpha',
          order: 'oldest',
          limit: '4',
          ...(cursor ? { cursor } : {}),
        });
        expect(response.statusCode).toBe(200);
        pages.push(pageOf(response).items);
        cursor = pageOf(response).cursor ?? undefined;
      } while (cursor && pages.length < 5);
      const amber = await list('officer:o-1', { from: '2026-03-01', to: '2026-03-03', lane: 'AMBER' });

      // Assess
      const all = pages.flat();
      expect(all.map((item) => item.platformId)).toEqual(Array(6).fill('alpha'));
      const times = all.map((item) => item.createdAt);
      expect(times).toEqual([...times].sort());
      expect(pages[0]).toHaveLength(4);
      // None of these was risk-assessed, so none is in a lane.
      expect(amber.body.items).toEqual([]);
    });

    it.each([
      [{ status: 'DONE' }, 'status'],
      [{ from: '2026-02-30' }, 'from'],
      [{ to: 'yesterday' }, 'to'],
      [{ from: '2026-03-03', to: '2026-03-01' }, 'from'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ sort: 'asc' }, 'sort'],
      [{ order: 'up' }, 'order'],
      [{ lane: 'BLUE' }, 'lane'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
    ])('refuses %o naming the %s parameter', async (query, parameter) => {
      // Act
      const response = await list('platform:alpha', query as Record<string, string>);

      // Assess
      expect(response.statusCode).toBe(400);
      expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(parameter);
    });

    it("refuses a tampered cursor and another platform's cursor", async () => {
      // Prepare
      const page = await list('platform:alpha', { limit: '2' });
      const cursor = String(page.body.cursor);
      const [payload, mac] = cursor.split('.');
      const forged = Buffer.from(
        Buffer.from(payload ?? '', 'base64url')
          .toString('utf8')
          .replaceAll('PLATFORM#alpha', 'PLATFORM#beta'),
      ).toString('base64url');

      // Act
      const tampered = await list('platform:beta', { limit: '2', cursor: `${forged}.${mac}` });
      const borrowed = await list('platform:beta', { limit: '2', cursor });
      const otherFilter = await list('platform:alpha', { limit: '3', cursor });

      // Assess
      for (const response of [tampered, borrowed, otherFilter]) {
        expect(response.statusCode).toBe(400);
        expect(response.body.errors).toEqual([
          { path: 'cursor', message: expect.stringContaining('cursor') },
        ]);
      }
    });

    it('refuses an officer range over 366 days', async () => {
      const response = await list('officer:o-1', { from: '2024-01-01', to: '2026-01-01' });
      expect(response.statusCode).toBe(400);
      expect(response.body.errors).toEqual([
        { path: 'from', message: 'must be at most 366 days before `to`' },
      ]);
    });
  });

  describe('viewDeclaration', () => {
    it("answers another platform's declaration with 404 and an officer's request with 200", async () => {
      // Prepare
      const record = await lodged('gamma', '2026-04-01T09:00:00.000Z');

      // Act
      const own = await invoke(handler, {
        routeKey: 'GET /v1/declarations/{id}',
        as: 'platform:gamma',
        pathParameters: { id: record.id },
      });
      const other = await invoke(handler, {
        routeKey: 'GET /v1/declarations/{id}',
        as: 'platform:delta',
        pathParameters: { id: record.id },
      });
      const officer = await invoke(handler, {
        routeKey: 'GET /v1/declarations/{id}',
        as: 'officer:o-1',
        pathParameters: { id: record.id },
      });
      const admin = await invoke(handler, {
        routeKey: 'GET /v1/declarations/{id}',
        as: 'admin:a-1',
        pathParameters: { id: record.id },
      });

      // Assess
      expect(own.statusCode).toBe(200);
      expect(own.body).toMatchObject({
        id: record.id,
        status: 'RECEIVED',
        declaration: { reference: record.reference },
      });
      expect(other.statusCode).toBe(404);
      expect(officer.statusCode).toBe(200);
      expect(admin.statusCode).toBe(200);
    });
  });

  describe('cancelDeclaration', () => {
    const cancel = (id: string, as: `platform:${string}` = 'platform:gamma', body?: unknown) =>
      invoke(handler, {
        routeKey: 'POST /v1/declarations/{id}/cancel',
        as,
        pathParameters: { id },
        ...(body ? { body } : {}),
      });

    it('cancels a declaration before release and records who and why', async () => {
      // Prepare
      const record = await lodged('gamma', '2026-04-02T09:00:00.000Z', 'ASSESSED');

      // Act
      const response = await cancel(record.id, 'platform:gamma', { reason: 'Order cancelled by the buyer' });

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({ id: record.id, status: 'CANCELLED' });
      const stored = await store.getState(record.id);
      expect(stored?.history.at(-1)).toMatchObject({
        from: 'ASSESSED',
        to: 'CANCELLED',
        by: 'gamma',
        reason: 'Order cancelled by the buyer',
      });
    });

    it('answers a repeated cancel with the cancelled declaration', async () => {
      // Prepare
      const record = await lodged('gamma', '2026-04-02T10:00:00.000Z');
      await cancel(record.id);

      // Act
      const again = await cancel(record.id);

      // Assess
      expect(again.statusCode).toBe(200);
      expect(again.body.status).toBe('CANCELLED');
      expect((await store.getState(record.id))?.history).toHaveLength(2);
    });

    it('refuses to cancel after release with 409 naming the current status', async () => {
      // Prepare
      const record = await lodged('gamma', '2026-04-03T09:00:00.000Z', 'RELEASED');

      // Act
      const response = await cancel(record.id);

      // Assess
      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.body).toMatchObject({
        currentStatus: 'RELEASED',
        detail: expect.stringContaining('RELEASED'),
      });
      expect((await store.getState(record.id))?.status).toBe('RELEASED');
    });

    it("answers a cancel of another platform's declaration with 404 and changes nothing", async () => {
      // Prepare
      const record = await lodged('gamma', '2026-04-04T09:00:00.000Z');

      // Act
      const response = await cancel(record.id, 'platform:delta');

      // Assess
      expect(response.statusCode).toBe(404);
      expect((await store.getState(record.id))?.status).toBe('RECEIVED');
    });

    it('refuses an unknown field in the cancel body', async () => {
      const record = await lodged('gamma', '2026-04-05T09:00:00.000Z');
      const response = await cancel(record.id, 'platform:gamma', { reason: 'x', force: true });
      expect(response.statusCode).toBe(400);
      expect(response.body.errors).toEqual([{ path: 'force', message: 'is not a known field (force)' }]);
    });
  });

  describe('declarationStore', () => {
    const itemsOf = async (id: string) => {
      const { Items = [] } = await documentClient().send(
        new QueryCommand({
          TableName: resources.tables.declarations,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `DECL#${id}` },
          ConsistentRead: true,
        }),
      );
      return Items;
    };

    it('spreads a list over its shards and pages through them merged, each declaration once, in order', async () => {
      // Prepare: 30 declarations of one platform over an hour, every third released
      const at = (minute: number) => `2026-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
      const records: Awaited<ReturnType<typeof lodged>>[] = [];
      for (let minute = 0; minute < 30; minute += 1)
        records.push(await lodged('sharded', at(minute), minute % 3 === 0 ? 'RELEASED' : undefined));
      const newestFirst = [...records].reverse().map((record) => record.id);
      const released = newestFirst.filter(
        (id) => records.find((record) => record.id === id)?.status === 'RELEASED',
      );
      const pageThrough = async (query: Omit<Parameters<typeof store.listPage>[0], 'startKey'>) => {
        const seen: { id: string; status: string }[] = [];
        let startKey: Record<string, string> | undefined;
        for (let pages = 0; pages < 50; pages += 1) {
          const page = await store.listPage({ ...query, ...(startKey ? { startKey } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(query.limit);
          seen.push(...page.items);
          startKey = page.lastKey;
          if (!startKey) break;
        }
        return seen;
      };

      // Act
      const newest = await pageThrough({ index: 'byPlatform', key: 'sharded', limit: 7 });
      const oldest = await pageThrough({ index: 'byPlatform', key: 'sharded', limit: 4, ascending: true });
      const onlyReleased = await pageThrough({
        index: 'byPlatform',
        key: 'sharded',
        limit: 3,
        status: 'RELEASED',
      });
      const shards = new Set(
        (await Promise.all(records.map((record) => itemsOf(record.id)))).map(
          (items) => items.find((item) => item.sk === 'STATE')?.gsi1pk,
        ),
      );

      // Assess
      expect(shards.size).toBeGreaterThan(3);
      expect(newest.map((item) => item.id)).toEqual(newestFirst);
      expect(oldest.map((item) => item.id)).toEqual([...newestFirst].reverse());
      expect(onlyReleased.map((item) => item.id)).toEqual(released);
      expect(onlyReleased.every((item) => item.status === 'RELEASED')).toBe(true);
      expect(released).toHaveLength(10);
    });

    it('lodges a declaration as one item; a state change writes only its outcome item, never the lodgement', async () => {
      // Prepare
      const record = await lodged('epsilon', '2026-05-01T09:00:00.000Z');
      const lodgedItems = await itemsOf(record.id);

      // Act
      const saved = await store.save(
        transition(record, 'CANCELLED', 'platform', 'Order cancelled', record.createdAt),
      );
      await expect(
        store.save(transition(record, 'CANCELLED', 'platform', 'Again', record.createdAt)),
      ).rejects.toThrow(/changed by another request/);

      // Assess
      expect(lodgedItems.map((item) => [item.sk, item.body !== undefined])).toEqual([['STATE', true]]);
      const after = await itemsOf(record.id);
      expect(after.map((item) => item.sk)).toEqual(['OUTCOME', 'STATE']);
      expect(after.find((item) => item.sk === 'STATE')).toEqual(lodgedItems[0]);
      const outcome = after.find((item) => item.sk === 'OUTCOME');
      expect(outcome).toMatchObject({ status: 'CANCELLED', version: saved.version });
      expect(outcome).not.toHaveProperty('gsi1pk');
      expect(outcome).not.toHaveProperty('gsi2pk');
      const stored = await store.get(record.id);
      expect(stored?.status).toBe('CANCELLED');
      expect(stored?.version).toBe(saved.version);
      expect(stored?.declaration.reference).toBe(record.reference);
      expect(stored).not.toHaveProperty('body');
      expect((await store.getMany([record.id])).get(record.id)?.status).toBe('CANCELLED');
      expect((await store.getStates([record.id])).get(record.id)?.history).toHaveLength(2);
    });

    it('takes a declaration as lodged from its stream image, reading only whether its state moved on', async () => {
      // Prepare: two declarations as lodged, one changed since; their lodgement items as a Lambda stream
      // event carries them (binary values base64)
      const asLodged = await lodged('theta', '2026-05-03T09:00:00.000Z');
      const changed = await lodged('theta', '2026-05-03T10:00:00.000Z');
      const held = await store.save(transition(changed, 'HELD', 'officer', 'Held', changed.createdAt));
      const imageOf = async (id: string) => {
        const item = (await itemsOf(id)).find((candidate) => candidate.sk === 'STATE') ?? {};
        return JSON.parse(
          JSON.stringify(item, (_key, value) =>
            value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
          ),
        ) as Record<string, unknown>;
      };
      const given = new Map(
        await Promise.all(
          [asLodged.id, changed.id].map(async (id) => [id, lodgedFromImage(await imageOf(id))] as const),
        ),
      );

      // Act
      const fromImages = await store.getMany(
        [asLodged.id, changed.id],
        new Map([...given].flatMap(([id, stored]) => (stored ? [[id, stored] as const] : []))),
      );
      const read = await store.getMany([asLodged.id, changed.id]);

      // Assess
      expect(given.get(asLodged.id)).toEqual(read.get(asLodged.id));
      expect(fromImages).toEqual(read);
      expect(fromImages.get(changed.id)?.status).toBe('HELD');
      expect(fromImages.get(changed.id)?.version).toBe(held.version);
      expect(lodgedFromImage({ ...(await imageOf(asLodged.id)), sk: 'OUTCOME' })).toBeUndefined();
    });

    it('reads the current state of lodged and changed declarations alike; a stale write of the state is refused', async () => {
      // Prepare: one declaration as lodged, one changed since
      const inline = await lodged('zeta', '2026-05-02T09:00:00.000Z');
      const changed = await lodged('zeta', '2026-05-02T10:00:00.000Z');
      const held = await store.save(transition(changed, 'HELD', 'officer', 'Held', changed.createdAt));

      // Act
      const many = await store.getMany([inline.id, changed.id]);
      const stored = many.get(inline.id);
      if (!stored) throw new Error('not stored');
      const { declaration: _body, ...record } = stored;
      const { next, writes } = store.stateWrites(
        transition(record, 'HELD', 'risk', 'Held', record.createdAt),
      );
      await documentClient().send(new TransactWriteCommand({ TransactItems: writes }));

      // Assess
      expect(many.get(changed.id)?.declaration.reference).toBe(changed.reference);
      expect(many.get(changed.id)?.version).toBe(held.version);
      expect(many.get(changed.id)?.status).toBe('HELD');
      expect(stored.declaration.reference).toBe(inline.reference);
      expect(writes).toHaveLength(1);
      expect((await itemsOf(inline.id)).map((item) => [item.sk, item.body !== undefined])).toEqual([
        ['OUTCOME', false],
        ['STATE', true],
      ]);
      expect((await store.get(inline.id))?.version).toBe(next.version);
      expect(await store.getState(inline.id)).not.toHaveProperty('body');
      await expect(
        documentClient().send(new TransactWriteCommand({ TransactItems: store.stateWrites(record).writes })),
      ).rejects.toThrow();
    });
  });
});
