// Records kept as long as the law says, and no longer (issue 17 item 11), against DynamoDB Local: a
// declaration closed longer ago than its pack's period has its consignee pseudonymised in every item of
// its partition, its figures untouched; one closed more recently, and one still open, keep theirs.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import { decodeBody, decodeRecord } from '../../../shared/adapters/record-codec.js';
import { packFor } from '../../../shared/countries/index.js';
import { type DeclarationRecord, newRecord, transition } from '../../../shared/domain/clearance/record.js';
import { keyedPseudonym } from '../../../shared/domain/declaration/erasure.js';
import {
  eraseDuePersonalData,
  erasePersonalDataOfDay,
} from '../../../shared/use-cases/erase-personal-data.js';
import { exportRecord } from '../../../shared/use-cases/export-record.js';
import { anAssessment } from '../../fixtures/clearance.js';
import { aDeclaration } from '../../fixtures/declarations.js';
import { createIsolatedResources, documentClient, type IsolatedResources } from '../support.js';

const DAY = '2021-02-01';
const NOW = new Date('2026-12-07T12:00:00.000Z');
const YEARS = packFor('NL').recordKeeping.years;
const PERSONAL = ['Anna de Vries', 'Keizersgracht 1', 'Amsterdam', '1015 CJ', 'anna@example.nl'];

describe('erasePersonalDataOfDay', () => {
  let resources: IsolatedResources;
  let store: ReturnType<typeof declarationStore>;

  beforeAll(async () => {
    resources = await createIsolatedResources({ name: 'erasure' });
    store = declarationStore(resources.tables.declarations, documentClient());
  });

  afterAll(async () => {
    await resources?.destroy();
  });

  /** A declaration lodged on DAY, assessed and closed (or not) at `closedAt`. */
  const lodge = async (reference: string, closedAt?: string): Promise<DeclarationRecord> => {
    const lodgedAt = `${DAY}T09:00:00.000Z`;
    const declaration = aDeclaration({ reference });
    const created = newRecord({
      id: `dcl_${reference}`,
      reference,
      platformId: 'acme',
      bodyHash: 'h',
      at: lodgedAt,
    });
    await store.create(created, declaration);
    let record: DeclarationRecord = {
      ...transition(created, 'ASSESSED', 'duty', 'Assessed', lodgedAt),
      assessment: anAssessment(),
    };
    if (closedAt) record = transition(record, 'RELEASED', 'clearance', 'Paid', closedAt);
    // A rewrite without the body moves it to an item of its own: erasure must reach it there too.
    return store.save(record);
  };

  const partitionText = async (id: string) => {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: resources.tables.declarations,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `DECL#${id}` },
        ConsistentRead: true,
      }),
    );
    // Bodies and records are stored compressed: read them as text to look for what they hold.
    const items = (result.Items ?? []).map(
      (item): Record<string, unknown> => ({
        ...item,
        ...(item.body ? { body: JSON.stringify(decodeBody(item.body as Uint8Array)) } : {}),
        ...(item.record ? { record: JSON.stringify(decodeRecord(item.record as Uint8Array)) } : {}),
      }),
    );
    return { items, text: JSON.stringify(items) };
  };

  it('pseudonymises only the consignee of declarations closed longer ago than the period, once', async () => {
    // Prepare: one closed in 2021 (past 3 years), one closed last month, one still open
    const old = await lodge('ERASE-OLD', `${DAY}T10:00:00.000Z`);
    const recent = await lodge('ERASE-RECENT', '2026-11-01T10:00:00.000Z');
    const open = await lodge('ERASE-OPEN');
    const before = await store.get(old.id);
    const exportedBefore = await exportRecord(
      { id: old.id, principal: { role: 'officer', subject: 'o-1' } },
      { store },
    );
    const deps = {
      store,
      years: YEARS,
      pseudonym: keyedPseudonym(new Uint8Array(32).fill(7)),
      now: () => NOW,
    };

    // Act
    const first = await erasePersonalDataOfDay(DAY, deps);
    const again = await erasePersonalDataOfDay(DAY, deps);

    // Assess
    expect(first).toEqual({ day: DAY, erased: [old.id], kept: 2, skipped: 0 });
    expect(again).toEqual({ day: DAY, erased: [], kept: 2, skipped: 0 });
    const erased = await partitionText(old.id);
    expect(erased.items.map((item) => item.sk)).toEqual(['OUTCOME', 'STATE']);
    for (const personal of PERSONAL) expect(erased.text).not.toContain(personal);
    const after = await store.get(old.id);
    expect(after?.personalDataErasedAt).toBe(NOW.toISOString());
    const exported = await exportRecord(
      { id: old.id, principal: { role: 'officer', subject: 'o-1' } },
      { store },
    );
    expect(exported.personalDataErasedAt).toBe(NOW.toISOString());
    // The audit export keeps every ledger figure.
    expect(exportedBefore.personalDataErasedAt).toBeNull();
    expect(exported.ledgerEntries).toEqual(exportedBefore.ledgerEntries);
    expect(exported.ledgerEntries.length).toBeGreaterThan(0);
    // Everything but the consignee's identity is as it was: status, history, assessment, goods, country.
    expect(after).toMatchObject({
      status: before?.status,
      history: before?.history,
      assessment: before?.assessment,
      declaration: { ...before?.declaration, consignee: expect.any(Object) },
    });
    expect(after?.declaration.consignee.address.country).toBe('NL');
    for (const kept of [recent, open]) {
      const { items, text } = await partitionText(kept.id);
      expect(items.map((item) => item.sk)).toEqual(['OUTCOME', 'STATE']);
      for (const personal of PERSONAL) expect(text).toContain(personal);
    }
  });

  it("runs as the scheduled job: from the stack's first day, moving its watermark past days with nothing left", async () => {
    // Prepare: its own table, lodgements on two days; the second day keeps one still open
    const own = await createIsolatedResources({ name: 'erasurejob' });
    try {
      const jobStore = declarationStore(own.tables.declarations, documentClient());
      const lodgeOn = async (day: string, reference: string, closed: boolean) => {
        const at = `${day}T09:00:00.000Z`;
        const created = newRecord({
          id: `dcl_${reference}`,
          reference,
          platformId: 'acme',
          bodyHash: 'h',
          at,
        });
        await jobStore.create(created, aDeclaration({ reference }));
        const assessed = {
          ...transition(created, 'ASSESSED', 'duty', 'Assessed', at),
          assessment: anAssessment(),
        };
        return jobStore.save(closed ? transition(assessed, 'RELEASED', 'clearance', 'Paid', at) : assessed);
      };
      const first = await lodgeOn('2021-03-01', 'JOB-1', true);
      const second = await lodgeOn('2021-03-02', 'JOB-2', true);
      await lodgeOn('2021-03-02', 'JOB-OPEN', false);
      const deps = {
        store: jobStore,
        years: YEARS,
        pseudonym: keyedPseudonym(new Uint8Array(32).fill(9)),
        now: () => NOW,
        watermark: jobStore.erasureWatermark,
        firstDay: async () => '2021-03-01',
      };

      // Act
      const run = await eraseDuePersonalData(deps);

      // Assess: both closed ones erased; the watermark stops at the day that still keeps one
      const erased = run.flatMap((day) => day.erased).sort();
      expect(erased).toEqual([first.id, second.id].sort());
      expect(run[0]?.day).toBe('2021-03-01');
      expect(await jobStore.erasureWatermark.read()).toBe('2021-03-02');
      expect((await jobStore.get(first.id))?.declaration.consignee.name).not.toBe('Anna de Vries');
      // The next run starts where the last left off.
      const next = await eraseDuePersonalData(deps);
      expect(next[0]?.day).toBe('2021-03-02');
      expect(next.flatMap((day) => day.erased)).toEqual([]);
    } finally {
      await own.destroy();
    }
  });
});
