import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvTemplate } from '../../../cli/lodge/csv.js';
import { readCsv, readJsonLines } from '../../../cli/lodge/input.js';
import { chunksOf, exitCodeOf, type LodgeSummary } from '../../../cli/lodge/lodge.js';
import { parseDeclaration } from '../../../shared/domain/declaration/declaration.js';

const stream = (text: string) => Readable.from([Buffer.from(text)]);

describe('reading declarations to lodge', () => {
  it('turns the CSV template into one valid declaration with two goods lines', async () => {
    // Act
    const entries = await readCsv(stream(csvTemplate()));
    // Assess
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry?.lines).toEqual([2, 3]);
    const parsed = parseDeclaration(entry?.declaration);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.items.map((item) => [item.hsCode, item.quantity, item.value])).toEqual([
      ['610910', 2, '20.00'],
      ['420330', 1, '12.50'],
    ]);
  });

  it('refuses a declaration whose rows disagree on a declaration-level cell, naming both lines', async () => {
    // Prepare
    const [header, first, second] = csvTemplate().trim().split('\n');
    const disagreeing = (second as string).replace('ORDER-10001,,', 'ORDER-10001,2026-08-01,');
    // Act
    const entries = await readCsv(stream([header, first, disagreeing].join('\n')));
    // Assess
    expect(entries[0]?.declaration).toBeUndefined();
    expect(entries[0]?.problems).toEqual([
      {
        path: 'importDate',
        message: 'line 3 gives "2026-08-01" but line 2 of the same reference gave "2026-07-01"',
      },
    ]);
  });

  it('rejects unknown CSV columns before anything is sent', async () => {
    await expect(readCsv(stream('reference,colour\nA,red\n'))).rejects.toThrow(
      /Unknown CSV column\(s\): colour/,
    );
  });

  it('keeps the line number of every JSONL line, and reports lines that are not JSON', async () => {
    // Act
    const entries = await readJsonLines(stream('{"reference":"A"}\n\n{"reference":\n{"reference":"C"}\n'));
    // Assess
    expect(entries.map((entry) => [entry.lines, entry.reference, entry.problems?.[0]?.path])).toEqual([
      [[1], 'A', undefined],
      [[3], undefined, ''],
      [[4], 'C', undefined],
    ]);
  });
});

describe('chunks', () => {
  it('holds at most the chunk size and stays under the body limit', () => {
    // Prepare
    const entries = Array.from({ length: 7 }, (_, index) => ({
      lines: [index + 1],
      declaration: { n: 'x'.repeat(100) },
    }));
    // Act
    const bySize = chunksOf(entries, 3);
    const byBytes = chunksOf(entries, 1000, 250);
    // Assess
    expect(bySize.map((chunk) => chunk.entries.length)).toEqual([3, 3, 1]);
    expect(byBytes.map((chunk) => chunk.entries.length)).toEqual([2, 2, 2, 1]);
    for (const chunk of [...bySize, ...byBytes]) {
      expect(JSON.parse(chunk.body).declarations).toEqual(chunk.entries.map((entry) => entry.declaration));
    }
  });
});

describe('exit codes (DESIGN.md section 13)', () => {
  const summary = (overrides: Partial<LodgeSummary>): LodgeSummary => ({
    total: 10,
    accepted: 10,
    alreadyLodged: 0,
    refused: 0,
    conflicts: 0,
    notSent: 0,
    elapsedMs: 1,
    ratePerSecond: 1,
    interrupted: false,
    ...overrides,
  });

  it('is 0 when all were accepted or lodged before, 2 with refusals, 1 when the run did not finish', () => {
    expect(exitCodeOf(summary({ accepted: 4, alreadyLodged: 6 }))).toBe(0);
    expect(exitCodeOf(summary({ accepted: 9, refused: 1 }))).toBe(2);
    expect(exitCodeOf(summary({ accepted: 9, conflicts: 1 }))).toBe(2);
    expect(exitCodeOf(summary({ accepted: 5, notSent: 5, interrupted: true }))).toBe(1);
    expect(exitCodeOf(summary({ accepted: 5, notSent: 5, failure: 'HTTP 401' }))).toBe(1);
  });
});
