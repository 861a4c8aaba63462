import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessedQualityDelta,
  fieldOf,
  qualityScore,
  refusalCounts,
  summarizeQuality,
} from '../../../shared/domain/quality/data-quality.js';

const numbersOf = (add: Record<string, { toString(): string }>) =>
  Object.fromEntries(Object.entries(add).map(([name, value]) => [name, value.toString()]));

describe('qualityScore', () => {
  it('is the percentage of what was sent that arrived clean, to one decimal', () => {
    expect(qualityScore({ declarations: 10, refusedAtIntake: 0, clean: 10 })).toBe(100);
    expect(qualityScore({ declarations: 8, refusedAtIntake: 2, clean: 7 })).toBe(70);
    expect(qualityScore({ declarations: 2, refusedAtIntake: 1, clean: 2 })).toBe(66.7);
    expect(qualityScore({ declarations: 0, refusedAtIntake: 3, clean: 0 })).toBe(0);
  });

  it('is null when nothing was sent', () => {
    expect(qualityScore({ declarations: 0, refusedAtIntake: 0, clean: 0 })).toBeNull();
  });

  it('stays within 0..100 and falls with every refusal', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(10_000), (declarations, refused, cleanSeed) => {
        fc.pre(declarations + refused > 0);
        const clean = declarations === 0 ? 0 : cleanSeed % (declarations + 1);
        const score = qualityScore({ declarations, refusedAtIntake: refused, clean }) as number;
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        const worse = qualityScore({ declarations, refusedAtIntake: refused + 1, clean }) as number;
        expect(worse).toBeLessThanOrEqual(score);
      }),
    );
  });
});

describe('assessedQualityDelta', () => {
  const record = (hits: number) => ({
    platformId: 'post:PostNL',
    risk: {
      lane: 'GREEN' as const,
      score: 0,
      hits: Array.from({ length: hits }, (_, index) => ({ profileId: `P${index}`, reason: 'r', score: 1 })),
    },
  });
  const item = (description: string, hsCode = '610910') => ({
    description,
    hsCode,
    originCountry: 'CN',
    quantity: 1,
    value: '10.00',
    netMassKg: '0.2',
  });

  it('counts a clean declaration as clean', () => {
    const delta = assessedQualityDelta(record(0), { items: [item("men's cotton T-shirt")] }, '2026-07-01', 3);
    expect(delta.pk).toBe('DQ#2026-07-01#3');
    expect(delta.sk).toBe('F#post:PostNL');
    expect(numbersOf(delta.add)).toEqual({
      declarations: '1',
      vague: '0',
      unknownHs: '0',
      riskFlagged: '0',
      clean: '1',
    });
  });

  it('counts a vague description, an HS code unknown in HS 2022 and a risk hit, once per declaration', () => {
    const delta = assessedQualityDelta(
      record(2),
      { items: [item('gift'), item('goods'), item('wooden toy train', '999999')] },
      '2026-07-01',
      0,
    );
    expect(numbersOf(delta.add)).toEqual({
      declarations: '1',
      vague: '1',
      unknownHs: '1',
      riskFlagged: '1',
      clean: '0',
    });
  });
});

describe('refusalCounts', () => {
  it('counts a refusal once, each field once with item numbers taken out, and what is missing or unknown', () => {
    const counts = refusalCounts([
      { path: 'items.0.contents.1.hsCode', message: 'is required for an item of category SALE_OF_GOODS' },
      { path: 'items.0.contents.2.hsCode', message: 'is required for an item of category SALE_OF_GOODS' },
      { path: 'items.1.hsCode', message: 'its first 6 digits are not an HS 2022 subheading' },
      { path: 'consignee.name', message: 'must be at least 1 character' },
    ]);
    expect(numbersOf(counts)).toEqual({
      refused: '1',
      missing: '1',
      refusedUnknownHs: '1',
      'field:items.*.contents.*.hsCode': '1',
      'field:items.*.hsCode': '1',
      'field:consignee.name': '1',
    });
  });

  it('counts fields a filer may not send under one name, whatever the request called them', () => {
    const counts = refusalCounts([
      { path: `items.0.${'k'.repeat(40)}…`, message: `is not a known field (${'k'.repeat(40)}…)` },
      { path: `consignee.${'x'.repeat(500)}`, message: 'must be text' },
    ]);
    expect(Object.keys(counts).sort()).toEqual(['field:(unknown field)', 'refused']);
  });

  it('takes only whole numbers out of a path', () => {
    expect(fieldOf('items.12.value')).toBe('items.*.value');
    expect(fieldOf('(body)')).toBe('(body)');
    expect(fieldOf('items.1a.value')).toBe('items.1a.value');
  });
});

describe('summarizeQuality', () => {
  it('sums the cells of every day, shard and table into one row per filer', () => {
    const rows = summarizeQuality([
      {
        sk: 'F#acme',
        numbers: { declarations: '3', vague: '1', unknownHs: '0', riskFlagged: '2', clean: '2' },
      },
      {
        sk: 'F#acme',
        numbers: { declarations: '1', vague: '0', unknownHs: '1', riskFlagged: '0', clean: '0' },
      },
      {
        sk: 'F#acme',
        numbers: { refused: '2', missing: '1', refusedUnknownHs: '1', 'field:items.*.hsCode': '2' },
      },
      { sk: 'F#post:PostNL', numbers: { declarations: '5', clean: '5' } },
    ]);
    expect(rows).toEqual([
      {
        filer: 'acme',
        declarations: 4,
        refusedAtIntake: 2,
        refusedByField: { 'items.*.hsCode': 2 },
        vagueDescriptions: 1,
        unknownHsCodes: 2,
        missingMandatory: 1,
        riskFlagged: 2,
        score: 33.3,
      },
      {
        filer: 'post:PostNL',
        declarations: 5,
        refusedAtIntake: 0,
        refusedByField: {},
        vagueDescriptions: 0,
        unknownHsCodes: 0,
        missingMandatory: 0,
        riskFlagged: 0,
        score: 100,
      },
    ]);
  });
});
