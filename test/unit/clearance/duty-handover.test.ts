import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { DutyMessageSchema } from '../../../shared/sqs/records.js';
import {
  type AssessmentOutcome,
  assessMessage,
  type DutyBatch,
  type DutyDeps,
} from '../../../shared/use-cases/assess-duty.js';
import {
  type DutyWork,
  handOverMessages,
  MAX_HANDOVER_BYTES,
} from '../../../shared/use-cases/evaluate-risk.js';
import { anAssessedDeclaration } from '../../fixtures/clearance.js';

const work = (index: number, padding = 0): DutyWork => ({
  declarationId: `dcl_${index}`,
  result: {
    risk: { lane: 'GREEN', score: 0, hits: [], assessedAt: '2026-07-01T10:00:00.000Z' },
    holds: [],
    ...(padding > 0 ? { rejection: 'x'.repeat(padding) } : {}),
  },
});

describe('the hand-over from risk to duty', () => {
  it('puts a risk batch in as few messages as fit, each declaration once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 60 }),
        (paddings) => {
          const works = paddings.map((padding, index) => work(index, padding));

          const messages = handOverMessages(works);

          expect(messages.flatMap((message) => message.works)).toEqual(works);
          for (const message of messages)
            if (message.works.length > 1)
              expect(Buffer.byteLength(JSON.stringify(message.works))).toBeLessThanOrEqual(
                MAX_HANDOVER_BYTES + message.works.length + 2,
              );
        },
      ),
    );
    expect(handOverMessages(Array.from({ length: 100 }, (_, index) => work(index)))).toHaveLength(1);
  });

  it('reads a hand-over, one declaration handed back, and a RiskAssessed event alike', () => {
    const envelope = {
      version: '0',
      id: 'e-1',
      'detail-type': 'RiskAssessed',
      source: 'clearway.nl',
      account: '1',
      time: '2026-07-01T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: {
        version: 1,
        declarationId: 'dcl_9',
        platformId: 'acme',
        reference: 'R-1',
        status: 'RECEIVED',
        occurredAt: '2026-07-01T10:00:00.000Z',
        lane: 'GREEN',
        score: 0,
      },
    };
    const parse = (message: unknown) => DutyMessageSchema.parse(message);
    expect(parse({ works: [work(1), work(2)] })).toEqual([work(1), work(2)]);
    expect(parse(work(3))).toEqual([work(3)]);
    expect(parse(envelope)).toEqual([{ declarationId: 'dcl_9' }]);
    expect(() => parse({ works: [] })).toThrow();
  });
});

describe('a duty message of many declarations (assessMessage)', () => {
  const { declaration: _body, ...released }: DeclarationRecord & { declaration?: unknown } =
    anAssessedDeclaration();
  /** A batch in which `dcl_ok` was written and `dcl_gone` is not stored: its assessment throws. */
  const batch = (): DutyBatch<unknown> => ({
    declarations: new Map(),
    results: new Map(),
    reference: {},
    events: [],
    saved: new Map([['dcl_ok', { ...released, id: 'dcl_ok' }]]),
  });
  const deps = {} as DutyDeps<unknown, AssessmentOutcome>;

  it('hands the failed declarations back one message each and finishes the others', async () => {
    const requeue = vi.fn(async () => undefined);
    const handled = batch();

    await assessMessage([{ declarationId: 'dcl_ok' }, { declarationId: 'dcl_gone' }], handled, deps, requeue);

    expect(requeue).toHaveBeenCalledWith([{ declarationId: 'dcl_gone' }]);
    expect(handled.events.map((event) => event.detail.declarationId)).toContain('dcl_ok');
  });

  it('fails a message of one declaration, and one whose hand-back failed, so the queue retries it', async () => {
    const requeue = vi.fn(async () => {
      throw new Error('SQS is down');
    });

    await expect(assessMessage([{ declarationId: 'dcl_gone' }], batch(), deps, requeue)).rejects.toThrow(
      /not stored/,
    );
    expect(requeue).not.toHaveBeenCalled();
    await expect(
      assessMessage([{ declarationId: 'dcl_ok' }, { declarationId: 'dcl_gone' }], batch(), deps, requeue),
    ).rejects.toThrow(/SQS is down/);
  });
});
