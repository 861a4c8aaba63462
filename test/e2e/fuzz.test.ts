// Hostile traffic against `npm start`'s runtime: more than ten thousand generated requests (seeded; see
// hostile-requests.ts) over every route and every kind of caller, sixteen at a time on keep-alive
// connections, all to localhost. Malformed JSON, huge and malformed numbers, nesting ten thousand deep,
// megabyte strings, unicode edge cases, prototype keys, header and raw HTTP abuse, wrong methods, path
// traversal, query-string abuse. What must hold: no 5xx, ever; nothing stored but the lodgements designed
// to be valid (the declarations table is counted through DynamoDB Local before and after); the fixture
// declaration every id route aims at is untouched; no answer leaks internals; the process stays up and
// its memory levels off. CLEARWAY_FUZZ_SEED replays a run.
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningInMemoryRuntimes } from '../../infra/local/runtime.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/util.js';
import { leakIn } from '../fixtures/leaks.js';
import {
  AUTHORIZATION,
  CATEGORY_COUNTS,
  type Caller,
  type Category,
  type HostileRequest,
  hostileRequests,
  lodgerOf,
  lodgesFor,
  POSTAL_LODGING,
} from './hostile-requests.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

const SEED = Number(process.env.CLEARWAY_FUZZ_SEED ?? 20_261_130);
const CONCURRENCY = 16;
const REQUEST_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

interface Outcome {
  request: HostileRequest;
  /** The HTTP status, or what happened instead of an answer. */
  status: number | 'closed' | 'error';
  text: string;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

const sendHttp = (base: URL, agent: Agent, request: HostileRequest): Promise<Outcome> =>
  new Promise((resolve) => {
    const body = request.body?.();
    let settled = false;
    const done = (outcome: Omit<Outcome, 'request'>) => {
      if (settled) return;
      settled = true;
      resolve({ request, ...outcome });
    };
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          method: request.method,
          path: request.target,
          agent,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (error) => done({ status: 'error', text: '', error: error.message }));
        },
      );
    } catch (error) {
      done({ status: 'error', text: '', error: `client refused to send: ${(error as Error).message}` });
      return;
    }
    const grouped = new Map<string, string[]>();
    for (const [name, value] of request.headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    try {
      for (const [name, values] of grouped)
        req.setHeader(name, values.length === 1 ? (values[0] as string) : values);
      if (body) req.setHeader('content-length', body.length);
    } catch (error) {
      req.destroy();
      done({ status: 'error', text: '', error: `client refused the headers: ${(error as Error).message}` });
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => done({ status: 'error', text: '', error: error.message }));
    req.end(body);
  });

/** Raw bytes on a fresh connection; reads one response (headers and Content-Length body) or the close. */
const sendRaw = (base: URL, request: HostileRequest): Promise<Outcome> =>
  new Promise((resolve) => {
    const socket = connect(Number(base.port), base.hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    const done = (outcome: Omit<Outcome, 'request'>) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ request, ...outcome });
    };
    const parse = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = received.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length >= end + 4 + length) {
        done({ status, text: received.subarray(end + 4, end + 4 + length).toString('utf8') });
      }
    };
    socket.setTimeout(REQUEST_TIMEOUT_MS, () =>
      done({ status: 'error', text: '', error: 'no answer in time' }),
    );
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse();
    });
    socket.on('close', () => done({ status: 'closed', text: received.toString('latin1') }));
    socket.on('error', () => undefined);
    socket.end(request.raw?.() ?? Buffer.alloc(0));
  });

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

/** Resident memory of a process in MB, or NaN once it has gone. */
const rssMb = (pid: number): number => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
};

/** Items of the declarations table whose key says they are a stored declaration (its state item). */
const countDeclarations = async (client: DynamoDBClient, table: string) => {
  let declarations = 0;
  let items = 0;
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: 'pk, sk',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      items += 1;
      if (item.pk?.S?.startsWith('DECL#') && item.sk?.S === 'STATE') declarations += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { declarations, items };
};

/** Status counts, e.g. {"400": 812, "404": 77}. */
const histogram = (outcomes: readonly Outcome[]) =>
  Object.fromEntries(
    [
      ...outcomes.reduce(
        (counts, outcome) =>
          counts.set(String(outcome.status), (counts.get(String(outcome.status)) ?? 0) + 1),
        new Map<string, number>(),
      ),
    ].sort(),
  );

const describeRequest = (outcome: Outcome) => {
  const { request } = outcome;
  const target = request.target.length > 160 ? `${request.target.slice(0, 160)}…` : request.target;
  return `[${request.category}/${request.kind}] ${request.method} ${target} as ${request.caller} -> ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}: ${outcome.text.slice(0, 300)}`;
};

/** Accepted declarations in a batch answer (207 with results). */
const acceptedInBatch = (outcome: Outcome): number => {
  if (outcome.status !== 207) return 0;
  try {
    const results = (JSON.parse(outcome.text) as { results?: { status: number }[] }).results ?? [];
    return results.filter((result) => result.status === 202 || result.status === 200).length;
  } catch {
    return 0;
  }
};

const REFUSED_BY_NODE = new Set(['huge-header', 'many-headers']);

/** Whether an outcome is what its request's expectation allows; the reason when it is not. */
const verdict = (outcome: Outcome): string | undefined => {
  const { request, status } = outcome;
  if (typeof status !== 'number') {
    // Node closes the connection on what its HTTP parser refuses; nothing else may go unanswered.
    if (request.category === 'raw-http' && status === 'closed') return undefined;
    if (REFUSED_BY_NODE.has(request.kind) && status === 'error') return undefined;
    return 'no answer';
  }
  if (status >= 500) return '5xx';
  // Routes that answer 207 with one result per declaration or postal item.
  const batch = request.routeKey === 'POST /v1/declarations/batch' || POSTAL_LODGING.has(request.routeKey);
  switch (request.expect) {
    case 'any':
      return undefined;
    case 'refused':
      if (status >= 400) return undefined;
      if (batch && status === 207 && acceptedInBatch(outcome) === 0) return undefined;
      return 'accepted a request designed to be refused';
    case 'lodge': {
      const caller: Caller = request.caller;
      if (caller === 'none' || caller === 'forged') return status === 401 ? undefined : 'expected 401';
      if (!lodgerOf(request.routeKey, caller)) return status === 403 ? undefined : 'expected 403';
      if (batch) return acceptedInBatch(outcome) === 1 ? undefined : 'refused a valid declaration in a batch';
      return status === 202 ? undefined : 'refused a valid declaration';
    }
  }
};

describe('hostile traffic (npm start)', () => {
  let runtime: RuntimeProcess;
  let dynamodb: DynamoDBClient;
  let table = '';
  let declarationId = '';
  let fixtureBefore = '';

  const call = async (method: string, path: string, caller: Caller, body?: unknown) => {
    const authorization = AUTHORIZATION[caller];
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ CLEARWAY_LOG_LEVEL: 'warn' });
    const state = runningInMemoryRuntimes('NL').find((entry) => entry.state.pid === runtime.pid)?.state;
    if (!state) throw new Error(`No runtime.json for the runtime (pid ${runtime.pid})`);
    table = state.tables.declarations;
    dynamodb = new DynamoDBClient({
      endpoint: state.endpoints.dynamodb,
      region: state.region,
      credentials: LOCAL_CREDENTIALS,
    });

    // The declaration every id route aims at: platform A's, awaiting payment.
    const fixture = JSON.parse(readFileSync('test/fixtures/declaration.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const lodged = await call('POST', '/v1/declarations', 'platformA', {
      ...fixture,
      reference: `FUZZ-TARGET-${SEED}`,
      collectionModel: 'CONSUMER_AT_IMPORT',
    });
    expect(lodged.status, lodged.text).toBe(202);
    declarationId = String((JSON.parse(lodged.text) as { id: string }).id);
    fixtureBefore = (
      await eventually(
        () => call('GET', `/v1/declarations/${declarationId}`, 'officer'),
        (answer) =>
          answer.status === 200 &&
          (JSON.parse(answer.text) as { status: string }).status === 'AWAITING_PAYMENT',
        60_000,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nRuntime output:\n${runtime.output().slice(-4_000)}`);
      })
    ).text;
  });

  afterAll(async () => {
    dynamodb?.destroy();
    await runtime?.stop();
  });

  it('answers every hostile request without a 5xx or a leak, stores only the valid lodgements and stays up within bounded memory', async () => {
    // Prepare
    const fixture = JSON.parse(readFileSync('test/fixtures/declaration.json', 'utf8')) as Record<
      string,
      never
    >;
    const generation = performance.now();
    const requests = hostileRequests({ declarationId, declaration: fixture, seed: SEED });
    const generatedMs = performance.now() - generation;
    const before = await countDeclarations(dynamodb, table);
    const auditBefore = await call('GET', '/v1/admin/audit?limit=1000', 'admin');
    const webhooksBefore = await Promise.all([
      call('GET', '/v1/webhooks', 'platformA'),
      call('GET', '/v1/webhooks', 'platformB'),
    ]);
    const rssBefore = rssMb(runtime.pid);
    const samples: { at: number; rss: number }[] = [];
    const base = new URL(runtime.url);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

    // Act
    const started = performance.now();
    const sampler = setInterval(
      () => samples.push({ at: performance.now() - started, rss: rssMb(runtime.pid) }),
      250,
    );
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const request = requests[next++] as HostileRequest;
          outcomes.push(request.raw ? await sendRaw(base, request) : await sendHttp(base, agent, request));
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    clearInterval(sampler);
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rssAfter = rssMb(runtime.pid);
    const after = await countDeclarations(dynamodb, table);

    // Assess: every answer as expected
    const failures = outcomes.flatMap((outcome) => {
      const reason = verdict(outcome);
      return reason ? [`${reason}: ${describeRequest(outcome)}`] : [];
    });
    const leaks = outcomes.flatMap((outcome) => {
      const { request } = outcome;
      // Static files served as built (Swagger UI's, the console's bundle) are not answers to the request.
      if (
        typeof outcome.status === 'number' &&
        outcome.status < 300 &&
        (request.target.startsWith('/docs/') || request.target.startsWith('/console/assets/'))
      )
        return [];
      const sent = `${request.target} ${request.headers.map(([name, value]) => `${name}: ${value}`).join(' ')}`;
      if (leakIn(sent) || leakIn(outcome.text) === undefined) return [];
      const body = request.body?.();
      if (body && body.length < 2 * MB && leakIn(body.toString('utf8'))) return [];
      return [`${leakIn(outcome.text)}: ${describeRequest(outcome)}`];
    });

    // Assess: storage
    const stored = outcomes.reduce((sum, outcome) => {
      if (outcome.request.routeKey === 'POST /v1/declarations' && outcome.status === 202) return sum + 1;
      if (
        outcome.request.routeKey === 'POST /v1/declarations/batch' ||
        POSTAL_LODGING.has(outcome.request.routeKey)
      )
        return sum + acceptedInBatch(outcome);
      return sum;
    }, 0);
    const designedValid = outcomes.filter((outcome) => lodgesFor(outcome.request)).length;

    // Assess: memory
    const rssPeak = Math.max(rssBefore, rssAfter, ...samples.map((sample) => sample.rss));
    const third = elapsedMs / 3;
    const peakIn = (from: number, to: number) =>
      Math.max(
        0,
        ...samples.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.rss),
      );
    const middlePeak = peakIn(third, 2 * third);
    const lastPeak = peakIn(2 * third, elapsedMs + 1);

    const byCategory = Object.fromEntries(
      (Object.keys(CATEGORY_COUNTS) as Category[]).map((category) => [
        category,
        histogram(outcomes.filter((outcome) => outcome.request.category === category)),
      ]),
    );
    const byCaller = Object.fromEntries(
      [...new Set(outcomes.map((outcome) => outcome.request.caller))].map((caller) => [
        caller,
        outcomes.filter((outcome) => outcome.request.caller === caller).length,
      ]),
    );
    console.info(
      JSON.stringify(
        {
          seed: SEED,
          requests: outcomes.length,
          routes: new Set(outcomes.map((outcome) => outcome.request.routeKey)).size,
          byCaller,
          statuses: histogram(outcomes),
          byCategory,
          generatedMs: Math.round(generatedMs),
          elapsedMs: Math.round(elapsedMs),
          requestsPerSecond: Math.round(outcomes.length / (elapsedMs / 1000)),
          declarations: {
            before: before.declarations,
            after: after.declarations,
            acceptedValidLodgements: stored,
            designedValid,
          },
          tableItems: { before: before.items, after: after.items },
          rssMb: {
            before: Math.round(rssBefore),
            peak: Math.round(rssPeak),
            middleThirdPeak: Math.round(middlePeak),
            lastThirdPeak: Math.round(lastPeak),
            after: Math.round(rssAfter),
          },
        },
        null,
        2,
      ),
    );

    const output = runtime.output();
    expect(Number.isNaN(rssAfter), `The runtime died:\n${output.slice(-6_000)}`).toBe(false);
    expect(outcomes.length).toBeGreaterThanOrEqual(10_000);
    expect(failures.slice(0, 40), `${failures.length} request(s) answered wrongly`).toEqual([]);
    expect(output, 'The runtime logged unhandled errors').not.toMatch(
      /Uncaught exception|Unhandled rejection|Unhandled error/,
    );
    expect(leaks.slice(0, 20), `${leaks.length} answer(s) leaked internals`).toEqual([]);
    // Only the lodgements designed to be valid stored anything, and each of them did.
    expect(stored).toBe(designedValid);
    expect(after.declarations - before.declarations).toBe(stored);
    // The declaration every id route aimed at, the audit trail and the webhooks are as they were.
    expect((await call('GET', `/v1/declarations/${declarationId}`, 'officer')).text).toBe(fixtureBefore);
    const auditAfter = await call('GET', '/v1/admin/audit?limit=1000', 'admin');
    expect(JSON.parse(auditAfter.text).items).toEqual(JSON.parse(auditBefore.text).items);
    const webhooksAfter = await Promise.all([
      call('GET', '/v1/webhooks', 'platformA'),
      call('GET', '/v1/webhooks', 'platformB'),
    ]);
    expect(webhooksAfter).toEqual(webhooksBefore);
    // The process is up and answers; nothing went unhandled.
    expect(() => process.kill(runtime.pid, 0)).not.toThrow();
    expect((await call('GET', '/v1/public/rules', 'none')).status).toBe(200);
    expect((await call('GET', `/v1/declarations/${declarationId}`, 'platformA')).status).toBe(200);
    // Memory: bounded growth, and no climb through the last third of the run.
    expect(rssPeak - rssBefore).toBeLessThan(300);
    expect(lastPeak - middlePeak).toBeLessThan(100);
  }, 300_000);
});
