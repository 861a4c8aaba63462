// Published statistics (DESIGN.md section 14): closed months within the stack's lifetime only, and no
// cell in which one filer makes up most of the consignments or the value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerReader, ledgerWrites, transact } from '../../../shared/adapters/ledger-store.js';
import { stackLifetimeStart } from '../../../shared/adapters/stack-lifetime.js';
import { packFor } from '../../../shared/countries/index.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { ledgerEntriesForAssessment } from '../../../shared/domain/ledger/entries.js';
import { statisticsDeltaFor } from '../../../shared/domain/ledger/statistics.js';
import { queryPublicStatistics } from '../../../shared/use-cases/statistics.js';
import { aDeclaration, anItem } from '../../fixtures/declarations.js';
import { anAssessedRecord, anAssessment } from '../../unit/ledger/support.js';
import { applyEnv, createIsolatedResources, dynamoDbClient, type IsolatedResources } from '../support.js';

const NL = packFor('NL');

describe('published statistics', () => {
  let resources: IsolatedResources;
  let restoreEnv: () => void;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'pubstats' });
    restoreEnv = applyEnv(resources.env);
    const book = async (id: string, platformId: string, originCountry: string, value: string) => {
      const record = anAssessedRecord({
        id,
        platformId,
        assessedAt: '2026-08-03T10:00:00.000Z',
        assessment: anAssessment({ intrinsicValue: value }),
      });
      const declaration = aDeclaration({ items: [anItem({ originCountry, value })] });
      await transact(
        ledgerWrites(
          resources.tables.ledger,
          ledgerEntriesForAssessment(record, declaration),
          statisticsDeltaFor(record, declaration, NL),
        ),
      );
    };
    // CN: twelve consignments from six platforms, two each. VN: twelve, seven of them from one platform.
    // TH: twelve from twelve platforms, but one consignment holds most of the value.
    for (let index = 0; index < 12; index += 1) {
      await book(`dcl_cn${index}`, `platform-${index % 6}`, 'CN', '10.00');
      await book(`dcl_vn${index}`, index < 7 ? 'big-platform' : `platform-${index}`, 'VN', '10.00');
      await book(`dcl_th${index}`, `platform-${index}`, 'TH', index === 0 ? '140.00' : '10.00');
    }
  });

  afterAll(async () => {
    restoreEnv?.();
    await resources?.destroy();
  });

  const deps = (lifetimeStart: () => Promise<string>) => ({
    reader: ledgerReader(resources.tables.ledger),
    currency: 'EUR',
    now: () => new Date('2026-10-15T00:00:00Z'),
    lifetimeStart,
  });

  it('publishes a cell spread over filers and suppresses those one filer dominates by count or value', async () => {
    // Act
    const published = await queryPublicStatistics(
      { month: '2026-08' },
      deps(async () => '2026-01'),
    );

    // Assess
    const byOrigin = Object.fromEntries(published.rows.map((row) => [row.originCountry, row]));
    expect(byOrigin.CN).toMatchObject({ suppressed: false, consignments: 12 });
    expect(byOrigin.VN).toEqual({ hsChapter: '61', originCountry: 'VN', channel: 'POST', suppressed: true });
    expect(byOrigin.TH).toEqual({ hsChapter: '61', originCountry: 'TH', channel: 'POST', suppressed: true });
    expect(JSON.stringify(published)).not.toMatch(/platform/);
  });

  it("takes the stack's first month from its ledger table when none is configured, and refuses months before it", async () => {
    // Prepare: the table was created just now
    const lifetimeStart = stackLifetimeStart(resources.tables.ledger, undefined, dynamoDbClient());
    const created = new Date().toISOString().slice(0, 7);

    // Act
    const start = await lifetimeStart();
    const refused = await queryPublicStatistics(
      { month: '2026-08' },
      { ...deps(lifetimeStart), now: () => new Date('2099-01-01T00:00:00Z') },
    ).catch((error: unknown) => error);

    // Assess
    expect(start).toBe(created);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([
      { path: 'month', message: `is before this stack's first month (${created}): nothing was lodged then` },
    ]);
  });

  it('lets a configured first month stand for a stack whose tables were restored later', async () => {
    const lifetimeStart = stackLifetimeStart(resources.tables.ledger, '2025-06', dynamoDbClient());
    expect(await lifetimeStart()).toBe('2025-06');
  });
});
