// Nothing stranded: the local runtime (as `npm start` runs it, on a data directory) is killed with
// SIGKILL, Java included, right after it accepted a batch of 200, as a crash or a pulled plug would. The
// accepted writes themselves drive the pipeline (the declarations table's stream, whose position the
// runtime keeps on disk), so once it is started again on the same data every declaration reaches its
// final status, and each is in the ledger exactly once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { readRuntimeState, stateFilePath } from '../../infra/local/runtime-state.js';
import { type SpawnedRuntime, spawnRuntime } from '../../infra/local/spawn.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/util.js';
import { Decimal } from '../../shared/domain/money.js';
import { aDeclaration, aReference } from '../fixtures/declarations.js';
import { bookedFacts } from '../fixtures/ledger-facts.js';
import { eventually, TEST_LIFETIME_START } from './runtime-process.js';

const PLATFORM = `stranded-${process.pid}`;
const FINAL = new Set(['RELEASED', 'AWAITING_PAYMENT', 'HELD', 'REJECTED']);
const MODELS = ['CONSUMER_AT_IMPORT', 'DEFERRED_ACCOUNT', 'INTERMEDIARY_ON_DELIVERY'] as const;

const start = (dataDir: string) =>
  spawnRuntime({
    dataDir,
    env: { CLEARWAY_LIFETIME_START: TEST_LIFETIME_START, CLEARWAY_LOG_LEVEL: 'warn' },
    timeoutMs: 90_000,
  });

/** The runtime's process and the Java processes it started, killed at once with SIGKILL. */
const crash = (runtime: SpawnedRuntime) => {
  const children = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, parent]) => parent === String(runtime.pid))
    .map(([child]) => Number(child));
  process.kill(runtime.pid, 'SIGKILL');
  for (const child of children) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // gone with its parent
    }
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a runtime killed right after accepting a batch', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-stranded-'));
  let runtime: SpawnedRuntime | undefined;

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('clears every declaration of the batch after a restart, each in the ledger once', async () => {
    // Prepare: a runtime on a data directory, and a batch of 200 of several collection models
    const first = await start(dataDir);
    runtime = first;
    const declarations = Array.from({ length: 200 }, (_, index) => {
      const reference = aReference('STRANDED');
      return aDeclaration({
        reference,
        collectionModel: MODELS[index % MODELS.length],
        consignee: {
          name: `Consignee ${reference}`,
          address: { line1: `Street ${index}`, city: 'Utrecht', postcode: '3511 AB', country: 'NL' },
        },
      });
    });

    // Act: lodge, and kill everything the moment the answer is in; then start again on the same data
    const response = await fetch(`${first.url}/v1/declarations/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer local:platform:${PLATFORM}`, 'content-type': 'application/json' },
      body: JSON.stringify({ declarations }),
    });
    crash(first);
    const { results } = (await response.json()) as { results: { status: number; id: string }[] };
    await eventually(
      async () => isAlive(first.pid),
      (alive) => !alive,
      10_000,
    );
    const second = await start(dataDir);
    runtime = second;
    const ids = results.map((result) => result.id);
    const statusOf = async (id: string) => {
      const answer = await fetch(`${second.url}/v1/declarations/${id}`, {
        headers: { authorization: `Bearer local:platform:${PLATFORM}` },
      });
      return answer.status === 200 ? ((await answer.json()) as { status: string }).status : 'MISSING';
    };
    const statuses = await eventually(
      () => Promise.all(ids.map(statusOf)),
      (all) => all.every((status) => FINAL.has(status)),
      120_000,
      1_000,
    );

    // Assess: all 200 accepted, all final, and the ledger books each exactly once (read directly)
    expect(response.status).toBe(207);
    expect(results.map((result) => result.status)).toEqual(ids.map(() => 202));
    expect(statuses.filter((status) => !FINAL.has(status))).toEqual([]);
    const state = readRuntimeState(stateFilePath('NL', dataDir));
    if (!state) throw new Error('The restarted runtime wrote no state file');
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: state.endpoints.dynamodb,
        region: state.region,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const ledger: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({ TableName: state.tables.ledger, ExclusiveStartKey, ConsistentRead: true }),
      );
      ledger.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    documents.destroy();
    const assessments = bookedFacts(ledger).filter(
      (fact) => fact.fact === 'ASSESSMENT' && ids.includes(fact.declarationId),
    );
    expect(assessments.map((fact) => fact.declarationId).sort()).toEqual([...ids].sort());
    const booked = assessments.reduce(
      (total, fact) =>
        fact.entries
          .filter((entry) => entry.kind === 'ASSESSED')
          .reduce((sum, entry) => sum.plus(String(entry.amount)), total),
      new Decimal(0),
    );
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const revenue = await fetch(`${second.url}/v1/revenue?from=${day(-1)}&to=${day(1)}&groupBy=platform`, {
      headers: { authorization: 'Bearer local:finance:finance-1' },
    });
    expect(revenue.status).toBe(200);
    const rows = ((await revenue.json()) as { rows: { platform: string; assessed: string }[] }).rows;
    const assessed = rows
      .filter((row) => row.platform === PLATFORM)
      .reduce((total, row) => total.plus(row.assessed), new Decimal(0));
    expect(assessed.toFixed(2)).toBe(booked.toFixed(2));
  });
});
