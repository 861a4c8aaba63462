// What the steps say about themselves: every log line of a record or request carries its declaration and
// filer, and the business metrics leave as CloudWatch EMF documents on stdout, as Lambda writes them.
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { BUSINESS_METRICS } from '../../../shared/business-metrics.js';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { ValidationError, VersionConflictError } from '../../../shared/domain/errors.js';
import { handle } from '../../../shared/http/contract.js';
import { httpHandler, json } from '../../../shared/http/handler.js';
import { declarationRoutes } from '../../../shared/http/routes/declarations.js';
import { logger, metrics } from '../../../shared/observability.js';
import { sqsBatchHandler } from '../../../shared/sqs/batch-handler.js';
import { countTransitions, emptyTally, tallyTransition } from '../../../shared/step-metrics.js';
import { runClearanceCommand } from '../../../shared/use-cases/clearance-command.js';
import { httpEvent, lambdaContext } from '../../fixtures/http.js';
import { sqsRecord } from '../../fixtures/sqs.js';

type Line = Record<string, unknown>;

/** The message body of the test queue's records. */
const Work = z.object({ id: z.string() });

/** Everything Powertools wrote while the test ran, one JSON document per line. */
let written: string[] = [];
beforeEach(() => {
  written = [];
  // Powertools writes INFO lines and metrics to stdout, WARN and ERROR lines to stderr.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  metrics.clearMetrics();
});

const documents = (): Line[] =>
  written
    .join('')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
const logLines = () => documents().filter((line) => typeof line.level === 'string');

interface Emf {
  dimensions: string[];
  values: Record<string, unknown>;
}
/** Each EMF document as the dimension names it declares and its values. */
const emfDocuments = (): Emf[] =>
  documents()
    .filter((line) => line._aws !== undefined)
    .map((line) => {
      const aws = line._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] };
      return { dimensions: aws.CloudWatchMetrics[0]?.Dimensions[0] ?? [], values: line };
    });
const metricValue = (name: string, where: Record<string, string> = {}): unknown =>
  emfDocuments().find(
    (doc) => name in doc.values && Object.entries(where).every(([key, value]) => doc.values[key] === value),
  )?.values[name];

const record = (overrides: Partial<DeclarationRecord> = {}): DeclarationRecord => ({
  id: 'dcl_1',
  reference: 'ORDER-1',
  platformId: 'acme',
  status: 'RECEIVED',
  version: 1,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  bodyHash: 'hash',
  holds: [],
  payments: [],
  history: [],
  ...overrides,
});

describe('a batch consumer', () => {
  it('logs each record with its own declaration and filer while records run concurrently, and clears them after', async () => {
    // Prepare: two records whose handling interleaves (the first waits for the second to start)
    let secondStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    const owners = new Map([
      ['dcl_a', 'acme'],
      ['dcl_b', 'PostNL'],
    ]);
    const handler = sqsBatchHandler({
      body: Work,
      work: (message) => message.body,
      prepare: async () => owners,
      handle: async ({ id }) => {
        if (id === 'dcl_a') await started;
        else secondStarted();
        logger.warn('handling');
      },
      describe: ({ id }, batch: Map<string, string>) => ({ declarationId: id, filer: batch.get(id) }),
    });

    // Act
    await handler(
      { Records: [sqsRecord('m-1', { id: 'dcl_a' }), sqsRecord('m-2', { id: 'dcl_b' })] },
      lambdaContext(),
    );
    logger.warn('after the batch');

    // Assess
    const lines = logLines();
    const handling = lines.filter((line) => line.message === 'handling');
    expect(handling.map((line) => [line.declarationId, line.filer]).sort()).toEqual([
      ['dcl_a', 'acme'],
      ['dcl_b', 'PostNL'],
    ]);
    const after = lines.find((line) => line.message === 'after the batch');
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('declarationId');
    expect(after).not.toHaveProperty('filer');
  });

  it('counts a record that fails on its last receive as MessagesToDlq, and one that will be retried not', async () => {
    // Prepare
    const handler = sqsBatchHandler({
      body: Work,
      work: (message) => message.body,
      prepare: async () => undefined,
      handle: async ({ id }) => {
        if (id !== 'dcl_fine') throw new Error('the step refuses it');
      },
      describe: ({ id }) => ({ declarationId: id, filer: 'acme' }),
      maxReceiveCount: 5,
    });
    const event: SQSEvent = {
      Records: [
        sqsRecord('m-1', { id: 'dcl_last' }, 5),
        sqsRecord('m-2', { id: 'dcl_again' }, 2),
        sqsRecord('m-3', { id: 'dcl_fine' }, 5),
      ],
    };

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.batchItemFailures).toHaveLength(2);
    expect(metricValue(BUSINESS_METRICS.messagesToDlq)).toBe(1);
    const lines = logLines();
    expect(lines.find((line) => line.level === 'ERROR')).toMatchObject({
      declarationId: 'dcl_last',
      filer: 'acme',
      record: 'm-1',
    });
    expect(lines.find((line) => line.level === 'WARN')).toMatchObject({ declarationId: 'dcl_again' });
  });
});

describe('an HTTP step', () => {
  it('logs with the declaration named by the path and the filer calling', async () => {
    // Prepare
    const handler = httpHandler(
      handle(declarationRoutes.view, async () => {
        logger.warn('viewing');
        return json(200, {});
      }),
    );

    // Act
    await handler(
      httpEvent({
        routeKey: 'GET /v1/declarations/{id}',
        as: 'platform:acme',
        pathParameters: { id: 'dcl_42' },
      }),
      lambdaContext(),
    );

    // Assess
    expect(logLines().find((line) => line.message === 'viewing')).toMatchObject({
      declarationId: 'dcl_42',
      filer: 'acme',
    });
    expect(metricValue('RequestReceived')).toBe(1);
  });

  it('counts a lodgement refused for its content as DeclarationsRefused, by the declarations it carried', async () => {
    // Prepare
    const refuse = async (): Promise<never> => {
      throw new ValidationError([{ path: 'reference', message: 'is required' }], 'not valid');
    };
    const handler = httpHandler(handle(declarationRoutes.batch, refuse));

    // Act
    const response = await handler(
      httpEvent({
        routeKey: 'POST /v1/declarations/batch',
        as: 'platform:acme',
        body: { declarations: [{}, {}, {}] },
      }),
      lambdaContext(),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 400 });
    expect(metricValue(BUSINESS_METRICS.refused)).toBe(3);
    expect(metricValue(BUSINESS_METRICS.accepted)).toBeUndefined();
  });
});

describe('the business metrics of committed writes', () => {
  it('emit lanes by lane and assessed amounts by currency, exact sums turned into numbers at the boundary', () => {
    // Prepare
    const assessed = (id: string, lane: 'GREEN' | 'RED', duty: string) => ({
      before: record({ id }),
      after: record({
        id,
        status: 'RELEASED',
        risk: { lane, score: 0, hits: [], assessedAt: '2026-03-01T10:00:01.000Z' },
        assessment: {
          currency: 'EUR',
          totals: { duty, tax: '0.10', fees: '0', collectedAtCheckout: '0', dueAtImport: duty },
        } as DeclarationRecord['assessment'],
        holds: [{ id: 'h1', reason: 'check', placedBy: 'risk', placedAt: '2026-03-01T10:00:01.000Z' }],
      }),
    });

    // The country is a default dimension in every stack (set from COUNTRY at cold start)
    metrics.setDefaultDimensions({ country: 'NL' });

    // Act
    countTransitions([
      assessed('a', 'GREEN', '0.10'),
      assessed('b', 'GREEN', '0.10'),
      assessed('c', 'RED', '1'),
    ]);
    metrics.publishStoredMetrics();

    // Assess
    expect(metricValue(BUSINESS_METRICS.riskLane, { lane: 'GREEN' })).toBe(2);
    expect(metricValue(BUSINESS_METRICS.riskLane, { lane: 'RED' })).toBe(1);
    // 0.10 + 0.10 + 0.10 + 0.10 + 1 + 0.10: exactly 1.5, with no binary fraction left over
    expect(metricValue(BUSINESS_METRICS.amountAssessed, { currency: 'EUR' })).toBe(1.5);
    expect(metricValue(BUSINESS_METRICS.releases)).toBe(3);
    expect(metricValue(BUSINESS_METRICS.holdsPlaced)).toBe(3);
    const lanes = emfDocuments().find((doc) => BUSINESS_METRICS.riskLane in doc.values);
    // The dashboard graphs exactly these dimensions (infra/constructs/observability.ts)
    expect(lanes?.dimensions.sort()).toEqual(['country', 'lane', 'service']);
    const amounts = emfDocuments().find((doc) => BUSINESS_METRICS.amountAssessed in doc.values);
    expect(amounts?.dimensions.sort()).toEqual(['country', 'currency', 'service']);
    expect(
      emfDocuments()
        .find((doc) => BUSINESS_METRICS.releases in doc.values)
        ?.dimensions.sort(),
    ).toEqual(['country', 'service']);
  });

  it('count nothing when a state is written again unchanged (a redelivery), whatever the state', () => {
    const lanes = fc.constantFrom('GREEN' as const, 'AMBER' as const, 'RED' as const);
    const states = fc.record({
      status: fc.constantFrom('RECEIVED' as const, 'HELD' as const, 'RELEASED' as const),
      lane: fc.option(lanes, { nil: undefined }),
      holds: fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1 }), lifted: fc.boolean() }), {
        selector: (hold) => hold.id,
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(states, ({ status, lane, holds }) => {
        const state = record({
          status,
          ...(lane ? { risk: { lane, score: 0, hits: [], assessedAt: '2026-03-01T10:00:00.000Z' } } : {}),
          holds: holds.map((hold) => ({
            id: hold.id,
            reason: 'r',
            placedBy: 'officer',
            placedAt: '2026-03-01T10:00:00.000Z',
            ...(hold.lifted ? { liftedAt: '2026-03-01T11:00:00.000Z' } : {}),
          })),
        });
        const again = tallyTransition(emptyTally(), state, state);
        const first = tallyTransition(emptyTally(), undefined, state);
        expect(again).toEqual(emptyTally());
        expect(first.holdsPlaced).toBe(holds.length);
        expect(first.holdsLifted).toBe(holds.filter((hold) => hold.lifted).length);
        expect(first.releases).toBe(status === 'RELEASED' ? 1 : 0);
      }),
    );
  });
});

describe('a clearance command', () => {
  it('reports the state it wrote once, against the state it replaced, and nothing for a repeat', async () => {
    // Prepare: the first write loses a race to another request that placed a hold
    let stored = record();
    let lost = false;
    const store = {
      getState: async () => stored,
      save: async (next: DeclarationRecord) => {
        if (!lost) {
          lost = true;
          stored = {
            ...stored,
            version: 2,
            holds: [{ id: 'h0', reason: 'r', placedBy: 'x', placedAt: 'a' }],
          };
          throw new VersionConflictError(next.id);
        }
        stored = { ...next, version: stored.version + 1 };
        return stored;
      },
    };
    const committed: [DeclarationRecord | undefined, DeclarationRecord][] = [];
    const deps = {
      store,
      publish: async () => undefined,
      now: () => new Date('2026-03-01T12:00:00.000Z'),
      backoff: async () => undefined,
      committed: (before: DeclarationRecord | undefined, after: DeclarationRecord) => {
        committed.push([before, after]);
      },
    };
    const release = (current: DeclarationRecord | undefined) => {
      const state = current ?? record();
      const changed = state.status !== 'RELEASED';
      return {
        result: {
          record: { ...state, status: 'RELEASED' as const },
          changed,
          value: { events: [] },
        },
      };
    };

    // Act
    await runClearanceCommand('dcl_1', deps, release);
    await runClearanceCommand('dcl_1', deps, release);

    // Assess
    expect(committed).toHaveLength(1);
    const [[before, after]] = committed as [[DeclarationRecord, DeclarationRecord]];
    expect(before.holds.map((hold) => hold.id)).toEqual(['h0']);
    expect(after.status).toBe('RELEASED');
    expect(tallyTransition(emptyTally(), before, after)).toMatchObject({ releases: 1, holdsPlaced: 0 });
  });
});
