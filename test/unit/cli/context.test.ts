import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTarget, UsageError } from '../../../cli/context.js';
import type { RuntimeState } from '../../../infra/local/runtime-state.js';
import { runningRuntimes } from '../../../infra/local/runtime-state.js';

const state = (overrides: Partial<RuntimeState>): RuntimeState =>
  ({
    pid: process.pid,
    country: 'NL',
    url: 'http://localhost:3000',
    startedAt: '2026-12-07T08:00:00.000Z',
    ...overrides,
  }) as RuntimeState;

describe('finding the API', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the runtimes `npm start` runs, on disk and in memory, and skips those that have stopped', () => {
    // Prepare: a runtime keeping data under .clearway/NL, an in-memory GB one, and a stale file
    const root = mkdtempSync(join(tmpdir(), 'clearway-root-'));
    const tmp = mkdtempSync(join(tmpdir(), 'clearway-tmp-'));
    dirs.push(root, tmp);
    mkdirSync(join(root, '.clearway', 'NL'), { recursive: true });
    writeFileSync(
      join(root, '.clearway', 'NL', 'runtime.json'),
      JSON.stringify(state({ url: 'http://localhost:3000' })),
    );
    mkdirSync(join(tmp, 'clearway-local-gb-1'), { recursive: true });
    writeFileSync(
      join(tmp, 'clearway-local-gb-1', 'runtime.json'),
      JSON.stringify(state({ country: 'GB', url: 'http://localhost:4000' })),
    );
    mkdirSync(join(tmp, 'clearway-local-us-2'), { recursive: true });
    writeFileSync(
      join(tmp, 'clearway-local-us-2', 'runtime.json'),
      JSON.stringify(state({ pid: 2 ** 22 + 17, country: 'US', url: 'http://localhost:5000' })),
    );
    // Act
    const found = runningRuntimes({ root, tmp });
    // Assess
    expect(found.map((runtime) => [runtime.country, runtime.url])).toEqual([
      ['NL', 'http://localhost:3000'],
      ['GB', 'http://localhost:4000'],
    ]);
  });

  it('uses the local runtime (COUNTRY picks one, else the newest) with the demo identity of the role', () => {
    // Prepare
    const running = () => [
      state({ country: 'NL', url: 'http://localhost:3000', startedAt: '2026-12-07T08:00:00.000Z' }),
      state({ country: 'GB', url: 'http://localhost:4000', startedAt: '2026-12-07T09:00:00.000Z' }),
    ];
    // Act + Assess
    expect(resolveTarget({}, 'admin', {}, running)).toMatchObject({
      api: 'http://localhost:4000',
      token: 'local:admin:admin-1',
    });
    expect(resolveTarget({}, 'platform', { COUNTRY: 'nl' }, running)).toMatchObject({
      api: 'http://localhost:3000',
      token: 'local:platform:demo-platform',
    });
    expect(resolveTarget({ token: 'local:platform:acme' }, 'platform', {}, running).token).toBe(
      'local:platform:acme',
    );
  });

  it('takes --api and --token (or CLEARWAY_API and CLEARWAY_TOKEN) over any local runtime, and needs both', () => {
    const running = () => [state({})];
    expect(
      resolveTarget({}, 'platform', { CLEARWAY_API: 'https://api.example/', CLEARWAY_TOKEN: 'jwt' }, running),
    ).toEqual({
      api: 'https://api.example',
      token: 'jwt',
      source: 'given',
    });
    expect(() => resolveTarget({ api: 'https://api.example' }, 'platform', {}, running)).toThrow(UsageError);
    expect(() => resolveTarget({}, 'platform', {}, () => [])).toThrow(/npm start/);
  });
});
