// Drives one declaration through intake, risk and duty by invoking the handlers directly (the way the
// local runtime's pollers would), for tests that check what admin data does to clearance.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { expect } from 'vitest';
import { toSqsRecord } from '../../../infra/local/poller.js';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import type { StoredDeclaration } from '../../../shared/domain/clearance/record.js';
import type { Declaration } from '../../../shared/domain/declaration/declaration.js';
import { type HttpHandler, invoke, lambdaContext } from '../../fixtures/http.js';
import { documentClient, drainQueue, type IsolatedResources, sqsClient } from '../support.js';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface Handlers {
  intake: HttpHandler;
  risk: SqsHandler;
  duty: SqsHandler;
}

/** Imports the handlers; call after applyEnv, as a cold start reads its configuration. */
export const importHandlers = async (): Promise<Handlers> => {
  const [intake, risk, duty] = await Promise.all([
    import('../../../functions/intake/handler.js'),
    import('../../../functions/risk/handler.js'),
    import('../../../functions/duty/handler.js'),
  ]);
  return {
    intake: intake.handler as unknown as HttpHandler,
    risk: risk.handler as unknown as SqsHandler,
    duty: duty.handler as unknown as SqsHandler,
  };
};

let sequence = 0;

const sqsEvent = (body: string): SQSEvent => {
  sequence += 1;
  return {
    Records: [
      toSqsRecord(
        { MessageId: `msg-${process.pid}-${sequence}`, ReceiptHandle: `rh-${sequence}`, Body: body },
        'arn:aws:sqs:eu-west-1:000000000000:test',
        'eu-west-1',
      ),
    ],
  };
};

const riskAssessed = (stored: StoredDeclaration) =>
  JSON.stringify({
    version: '0',
    id: `evt-${stored.id}`,
    'detail-type': 'RiskAssessed',
    source: 'clearway.nl',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail: {
      version: 1,
      declarationId: stored.id,
      platformId: stored.platformId,
      reference: stored.reference,
      status: stored.status,
      occurredAt: stored.risk?.assessedAt ?? new Date().toISOString(),
      lane: stored.risk?.lane ?? 'GREEN',
      score: stored.risk?.score ?? 0,
    },
  });

export const pipeline = (handlers: Handlers, resources: IsolatedResources, platform = 'platform:acme') => {
  const store = declarationStore(resources.tables.declarations, documentClient());
  const read = async (id: string): Promise<StoredDeclaration> => {
    const stored = await store.get(id);
    if (!stored) throw new Error(`Declaration ${id} is not stored`);
    return stored;
  };

  const lodge = async (declaration: Declaration): Promise<string> => {
    const response = await invoke(handlers.intake, {
      routeKey: 'POST /v1/declarations',
      as: platform as `platform:${string}`,
      body: declaration,
    });
    expect(response.statusCode, response.text).toBeLessThan(300);
    return String(response.body.id);
  };

  const sqs = sqsClient();
  /**
   * Runs the risk step for the declaration (a redelivery when it ran before) and the duty step on what
   * it handed over (the risk result is written with the outcome); returns the declaration as stored.
   */
  const risk = async (id: string): Promise<StoredDeclaration> => {
    const result = await handlers.risk(
      sqsEvent(JSON.stringify({ declarationId: id })),
      lambdaContext('risk'),
    );
    expect(result.batchItemFailures).toEqual([]);
    for (const message of await drainQueue(sqs, resources.queues.duty.url)) {
      const handled = await handlers.duty(sqsEvent(String(message.Body)), lambdaContext('duty'));
      expect(handled.batchItemFailures).toEqual([]);
    }
    return read(id);
  };

  const duty = async (id: string): Promise<StoredDeclaration> => {
    const result = await handlers.duty(sqsEvent(riskAssessed(await read(id))), lambdaContext('duty'));
    expect(result.batchItemFailures).toEqual([]);
    return read(id);
  };

  /** Lodges, evaluates risk and assesses duty; returns the declaration as stored. */
  const clear = async (declaration: Declaration): Promise<StoredDeclaration> =>
    risk(await lodge(declaration));

  return { lodge, risk, duty, clear, read };
};
