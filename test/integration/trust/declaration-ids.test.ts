// Declaration ids are keyed by the stack's secret (DESIGN.md section 14): the same reference still lands
// on the same declaration within a stack, but no one without the secret can compute another filer's ids
// from a (platform, reference) pair, and paging cursors are sealed with a key from the same secret.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { newStackSecret } from '../../../infra/local/secrets.js';
import { declarationIds } from '../../../shared/domain/declaration/identity.js';
import { cursorCodec, StartKeySchema } from '../../../shared/lib/cursor.js';
import { stackKeys } from '../../../shared/lib/stack-keys.js';
import { aDeclaration, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import {
  applyEnv,
  createIsolatedResources,
  type IsolatedResources,
  testDeclarationIds,
  uniqueSuffix,
} from '../support.js';

/** How ids were derived before they were keyed: anyone could compute them. */
const unkeyedId = (platformId: string, reference: string) =>
  `dcl_${createHash('sha256').update(['declaration', platformId, reference].join('\u0000')).digest('hex').slice(0, 26)}`;

describe('declaration ids under the stack secret', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let intake: HttpHandler;
  let declarations: HttpHandler;
  const platform = `ids-${uniqueSuffix()}`;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'ids' });
    restoreEnv = applyEnv(resources.env);
    ({ handler: intake } = (await import('../../../functions/intake/handler.js')) as unknown as {
      handler: HttpHandler;
    });
    ({ handler: declarations } = (await import('../../../functions/declarations/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const lodge = (body: unknown, as = platform) =>
    invoke(intake, { routeKey: 'POST /v1/declarations', as: `platform:${as}`, body });

  it('gives an id no one can compute from the platform and reference, and the same id on resubmission', async () => {
    // Prepare
    const declaration = aDeclaration({ reference: aReference('IDS') });

    // Act
    const first = await lodge(declaration);
    const again = await lodge(declaration);

    // Assess
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(200);
    const id = first.body.id as string;
    expect(again.body.id).toBe(id);
    expect(id).not.toBe(unkeyedId(platform, declaration.reference));
    expect(id).toBe(testDeclarationIds()(platform, declaration.reference));
    const otherStack = declarationIds(stackKeys(newStackSecret()).for('declaration-id'));
    expect(otherStack(platform, declaration.reference)).not.toBe(id);
  });

  it("finds a filer's own declaration by reference, and nobody else's", async () => {
    // Prepare
    const declaration = aDeclaration({ reference: aReference('REF') });
    const { body } = await lodge(declaration);

    // Act
    const own = await invoke(declarations, {
      routeKey: 'GET /v1/declarations',
      as: `platform:${platform}`,
      query: { reference: declaration.reference },
    });
    const other = await invoke(declarations, {
      routeKey: 'GET /v1/declarations',
      as: 'platform:someone-else',
      query: { reference: declaration.reference },
    });
    const officerWithout = await invoke(declarations, {
      routeKey: 'GET /v1/declarations',
      as: 'officer:officer-1',
      query: { reference: declaration.reference },
    });
    const officer = await invoke(declarations, {
      routeKey: 'GET /v1/declarations',
      as: 'officer:officer-1',
      query: { reference: declaration.reference, platformId: platform },
    });

    // Assess
    expect(own.statusCode).toBe(200);
    expect((own.body.items as { id: string }[]).map((item) => item.id)).toEqual([body.id]);
    expect(other.body.items).toEqual([]);
    expect(officerWithout.statusCode).toBe(400);
    expect(JSON.stringify(officerWithout.body.errors)).toContain('platformId');
    expect((officer.body.items as { id: string }[]).map((item) => item.id)).toEqual([body.id]);
  });

  it('refuses a cursor sealed with the former constant key', async () => {
    // Prepare: a well-formed position, sealed the way cursors were sealed before the stack secret.
    await lodge(aDeclaration({ reference: aReference('CUR') }));
    const formerCodec = cursorCodec(
      `clearway-list-cursor:${resources.tables.declarations}`,
      z.strictObject({ key: StartKeySchema.optional() }),
    );
    const binding = JSON.stringify(['platform', platform, null, null, null, null, null, null, 1]);
    const forged = formerCodec.encode({}, binding);

    // Act
    const response = await invoke(declarations, {
      routeKey: 'GET /v1/declarations',
      as: `platform:${platform}`,
      query: { limit: '1', cursor: forged },
    });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('cursor');
  });
});
