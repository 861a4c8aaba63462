import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

const fixture = JSON.parse(readFileSync('test/fixtures/declaration.json', 'utf8')) as Record<string, unknown>;
const PLATFORM = 'Bearer local:platform:e2e-platform';

describe('the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    runtime = await startRuntimeProcess();
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token = PLATFORM) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('prints a token for every role on start', () => {
    for (const role of ['platform', 'officer', 'agency', 'finance', 'admin']) {
      expect(runtime.output()).toContain(`local:${role}:`);
    }
  });

  it('clears a green consignment through intake, risk, duty and release', async () => {
    // Prepare
    const reference = `E2E-${Date.now()}`;

    // Act
    const lodged = await call('POST', '/v1/declarations', { ...fixture, reference });

    // Assess
    expect(lodged.status).toBe(202);
    expect(lodged.body).toMatchObject({ status: 'RECEIVED', reference });
    const id = String(lodged.body.id);
    const final = await eventually(
      () => call('GET', `/v1/declarations/${id}`),
      (response) => response.body.status === 'RELEASED',
    );
    expect(final.body.risk).toMatchObject({ lane: 'GREEN' });
    expect(final.body.assessment).toMatchObject({ currency: 'EUR', payer: 'INTERMEDIARY' });
    const history = final.body.history as { from: string | null; to: string }[];
    expect(history.map((entry) => entry.to)).toEqual(['RECEIVED', 'ASSESSED', 'RELEASED']);
  });

  it('answers a resubmission with the existing declaration and a changed body with 409', async () => {
    const reference = `E2E-DUP-${Date.now()}`;
    const first = await call('POST', '/v1/declarations', { ...fixture, reference });
    const again = await call('POST', '/v1/declarations', { ...fixture, reference });
    const changed = await call('POST', '/v1/declarations', { ...fixture, reference, transportCost: '9.99' });

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(changed.status).toBe(409);
  });

  it('hides one platform declaration from another platform', async () => {
    const lodged = await call('POST', '/v1/declarations', {
      ...fixture,
      reference: `E2E-BOLA-${Date.now()}`,
    });
    const other = await call(
      'GET',
      `/v1/declarations/${lodged.body.id}`,
      undefined,
      'Bearer local:platform:rival',
    );
    const officer = await call(
      'GET',
      `/v1/declarations/${lodged.body.id}`,
      undefined,
      'Bearer local:officer:o-1',
    );

    expect(other.status).toBe(404);
    expect(officer.status).toBe(200);
  });

  it('stops every process, Java included, on SIGTERM', async () => {
    // Prepare: the Java processes the runtime started
    const pid = runtime.pid;
    const javaPids = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, parent, command]) => parent === String(pid) && command === 'java')
      .map(([child]) => Number(child));
    expect(javaPids.length).toBeGreaterThan(0);

    // Act
    const code = await runtime.stop();

    // Assess
    expect(code).toBe(0);
    await eventually(
      async () => javaPids.filter((javaPid) => isAlive(javaPid)),
      (alive) => alive.length === 0,
      10_000,
    );
  });
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
