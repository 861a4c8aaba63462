// The audit is read one month partition at a time between two dates. A date at the edge of what
// YYYY-MM-DD can name (year 0000) once made the default start fall before year 0 and the month walk run
// on without end, blocking the process until it ran out of memory.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditMonths } from '../../../shared/adapters/reference-writer.js';
import { type AuditDeps, auditCursors, listAudit } from '../../../shared/use-cases/admin/audit.js';

const day = fc
  .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

describe('auditMonths', () => {
  it('lists every month from the last back to the first, once each', () => {
    expect(auditMonths('2025-11-20', '2026-02-03')).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
    expect(auditMonths('0000-01-01', '0000-02-15')).toEqual(['0000-02', '0000-01']);
  });

  it('is empty for a start after the end or a date it cannot read', () => {
    expect(auditMonths('2026-03-01', '2026-02-01')).toEqual([]);
    expect(auditMonths('-000001-12', '0000-01-01')).toEqual(['0000-01']);
    expect(auditMonths('x', '2026-01-01')).toEqual([]);
  });

  it('walks exactly the months between any two days, contiguous and newest first', () => {
    fc.assert(
      fc.property(day, fc.nat(400), (from, span) => {
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + span * 86_400_000).toISOString().slice(0, 10);
        fc.pre(to.length === 10 && !to.startsWith('+'));
        const months = auditMonths(from, to);
        expect(months[0]).toBe(to.slice(0, 7));
        expect(months.at(-1)).toBe(from.slice(0, 7));
        for (const [index, month] of months.entries()) {
          expect(month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
          if (index > 0) expect(month < (months[index - 1] as string)).toBe(true);
        }
        expect(months.length).toBeLessThanOrEqual(15);
      }),
    );
  });
});

describe('listAudit', () => {
  const answering = () => {
    const asked: { from: string; to: string }[] = [];
    const deps = {
      writer: {
        auditPage: async (query: { from: string; to: string }) => {
          asked.push({ from: query.from, to: query.to });
          return { items: [] };
        },
      },
      now: () => new Date('2026-07-01T12:00:00Z'),
      cursors: auditCursors(randomBytes(32)),
    } as unknown as AuditDeps;
    return { deps, asked };
  };

  it('starts the default range no earlier than the first day of year 0', async () => {
    const { deps, asked } = answering();

    const page = await listAudit({ query: { to: '0000-01-01' } }, deps);

    expect(page).toEqual({ from: '0000-01-01', to: '0000-01-01', items: [], cursor: null });
    expect(asked).toEqual([{ from: '0000-01-01', to: '0000-01-01' }]);
  });

  it('still starts the default range thirty days before to', async () => {
    const { deps, asked } = answering();

    await listAudit({ query: { to: '2026-03-10' } }, deps);

    expect(asked).toEqual([{ from: '2026-02-08', to: '2026-03-10' }]);
  });
});

describe('the audit cursor', () => {
  const LAST = '2026-06-30T10:00:00.000Z#0f0e0d0c-0b0a-4908-8706-050403020100';
  const paging = () => {
    const after: (string | undefined)[] = [];
    const deps = {
      writer: {
        auditPage: async (query: { after?: string }) => {
          after.push(query.after);
          return { items: [], last: LAST };
        },
      },
      now: () => new Date('2026-07-01T12:00:00Z'),
      cursors: auditCursors(randomBytes(32)),
    } as unknown as AuditDeps;
    return { deps, after };
  };
  const refusal = (run: Promise<unknown>) =>
    run.then(
      () => undefined,
      (error: { errors?: { path: string }[] }) => error.errors?.map((entry) => entry.path),
    );

  it('is sealed: the next page starts where the last ended, only for the same filters', async () => {
    const { deps, after } = paging();
    const first = await listAudit({ query: { kind: 'TARIFF', key: '610910' } }, deps);

    await listAudit({ query: { kind: 'TARIFF', key: '610910', cursor: String(first.cursor) } }, deps);

    expect(first.cursor).not.toContain(LAST.slice(0, 10));
    expect(after).toEqual([undefined, LAST]);
    expect(
      await refusal(
        listAudit({ query: { kind: 'TARIFF', key: '640399', cursor: String(first.cursor) } }, deps),
      ),
    ).toEqual(['cursor']);
  });

  it('refuses a position written by hand, as the unsealed cursors of before were', async () => {
    const { deps } = paging();
    const forged = Buffer.from(LAST, 'utf8').toString('base64url');

    expect(await refusal(listAudit({ query: { cursor: forged } }, deps))).toEqual(['cursor']);
  });
});
