// Data quality is counted where the facts arise: refusals at intake by an atomic counter (once per
// refused body, however often it is sent), assessed declarations in the duty step's transaction beside the
// statistics cells (once, however often the duty message is delivered). GET /v1/data-quality reads both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerRoutes } from '../../../shared/http/routes/ledger.js';
import { type AnswerBody, answerAs } from '../../fixtures/api.js';
import { aDeclaration, anItem, aReference } from '../../fixtures/declarations.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { type Handlers, importHandlers, pipeline } from '../admin/pipeline.js';
import { applyEnv, createIsolatedResources, type IsolatedResources, uniqueSuffix } from '../support.js';

/** A filer's row of the data-quality report, as the route documents it. */
type Row = AnswerBody<typeof ledgerRoutes.dataQuality, 200>['rows'][number];

describe('data quality counting', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;
  let handlers: Handlers;
  let query: HttpHandler;
  const platform = `dq-${uniqueSuffix()}`;
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'quality' });
    restoreEnv = applyEnv(resources.env);
    handlers = await importHandlers();
    ({ handler: query } = (await import('../../../functions/query/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const report = async () => {
    const answer = await invoke(query, {
      routeKey: 'GET /v1/data-quality',
      as: `platform:${platform}`,
      query: { from: today(), to: today() },
    });
    return answerAs(ledgerRoutes.dataQuality, answer, 200).rows[0] as Row;
  };

  const lodgeOne = (body: unknown) =>
    invoke(handlers.intake, { routeKey: 'POST /v1/declarations', as: `platform:${platform}`, body });
  const lodgeBatch = (declarations: unknown[]) =>
    invoke(handlers.intake, {
      routeKey: 'POST /v1/declarations/batch',
      as: `platform:${platform}`,
      body: { declarations },
    });

  it('counts each refused body once, by field, however often it is sent', async () => {
    // Prepare: a declaration without an HS code, one with an HS code unknown in HS 2022
    const missing = aDeclaration({ reference: aReference('DQ-MISSING') }) as Record<string, unknown>;
    const firstItem = (missing.items as Record<string, unknown>[])[0] as Record<string, unknown>;
    delete firstItem.hsCode;
    const unknown = aDeclaration({
      reference: aReference('DQ-UNKNOWN'),
      items: [anItem({ hsCode: '999999' })],
    });
    const valid = aDeclaration({ reference: aReference('DQ-VALID') });

    // Act: the single refusal sent three times; the batch twice
    const answers = [await lodgeOne(missing), await lodgeOne(missing), await lodgeOne(missing)];
    const batches = [await lodgeBatch([unknown, valid]), await lodgeBatch([unknown, valid])];

    // Assess
    expect(answers.map((answer) => answer.statusCode)).toEqual([400, 400, 400]);
    expect(batches.map((batch) => batch.statusCode)).toEqual([207, 207]);
    const row = await report();
    expect(row).toMatchObject({
      filer: platform,
      declarations: 0,
      refusedAtIntake: 2,
      refusedByField: { 'items.*.hsCode': 2 },
      missingMandatory: 1,
      unknownHsCodes: 1,
      score: 0,
    });
  });

  it('counts assessed declarations once in the duty transaction, however often duty runs', async () => {
    // Prepare
    const flow = pipeline(handlers, resources, `platform:${platform}`);
    const before = await report();

    // Act: a clean one and a vague one, the duty step delivered twice for each
    const clean = await flow.clear(aDeclaration({ reference: aReference('DQ-CLEAN') }));
    const vague = await flow.clear(
      aDeclaration({ reference: aReference('DQ-VAGUE'), items: [anItem({ description: 'gift' })] }),
    );
    await flow.duty(clean.id);
    await flow.duty(vague.id);

    // Assess
    expect(clean.assessment).toBeDefined();
    expect(vague.assessment).toBeDefined();
    const row = await report();
    expect(row.declarations - before.declarations).toBe(2);
    expect(row.vagueDescriptions - before.vagueDescriptions).toBe(1);
    expect(row.riskFlagged - before.riskFlagged).toBe(1);
    expect(row.refusedAtIntake).toBe(before.refusedAtIntake);
    // One clean of four sent (two refused, the vague one not clean).
    expect(row.score).toBe(25);
  });

  it('refuses a platform the data quality of another filer', async () => {
    const answer = await invoke(query, {
      routeKey: 'GET /v1/data-quality',
      as: `platform:${platform}`,
      query: { from: today(), to: today(), filer: 'someone-else' },
    });
    expect(answer.statusCode).toBe(403);
  });
});
