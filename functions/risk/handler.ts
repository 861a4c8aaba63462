import type { Context, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { riskRecords } from '../../shared/adapters/consignee-window.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { queueSender } from '../../shared/adapters/queue-sender.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { loadConfig, queueUrl, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { sqsBatchHandler, streamBatchHandler } from '../../shared/sqs/batch-handler.js';
import { InsertedDeclarationSchema } from '../../shared/sqs/records.js';
import { functions, queues } from '../../shared/topology.js';
import {
  evaluateOne,
  handOverRiskBatch,
  prepareRiskBatch,
  type RiskDeps,
} from '../../shared/use-cases/evaluate-risk.js';
import { stackRules } from '../../shared/use-cases/stack-rules.js';

const config = loadConfig(functions.risk);
const deps: RiskDeps = {
  store: declarationStore(tableName(config, 'declarations')),
  reference: referenceStore(tableName(config, 'reference')),
  records: riskRecords(tableName(config, 'risk')),
  rules: stackRules(packFor(config.country)),
  now: () => new Date(),
  handOver: queueSender(queueUrl(config, 'duty')),
};

const RiskWork = z.object({ declarationId: z.string().min(1) });

const consumer = {
  prepare: (ids: string[]) => prepareRiskBatch(ids, deps),
  handle: (id: string, batch: Awaited<ReturnType<typeof prepareRiskBatch>>) => evaluateOne(id, batch, deps),
  finish: (batch: Awaited<ReturnType<typeof prepareRiskBatch>>) => handOverRiskBatch(batch, deps),
  describe: (id: string, batch: Awaited<ReturnType<typeof prepareRiskBatch>>) => ({
    declarationId: id,
    filer: batch.declarations.get(id)?.platformId,
  }),
};

/** New declarations, from the declarations table's stream (the lodgement's own insert). */
const fromStream = streamBatchHandler({
  ...consumer,
  record: InsertedDeclarationSchema,
  work: (record) => record.dynamodb.NewImage.id,
});

/** Declarations handed to the step explicitly: moved back from its dead-letter queue (npm run redrive). */
const fromQueue = sqsBatchHandler({
  ...consumer,
  maxReceiveCount: queues.risk.maxReceiveCount,
  body: RiskWork,
  work: (message) => message.body.declarationId,
});

export const handler = (event: DynamoDBStreamEvent | SQSEvent, context: Context) =>
  event.Records[0]?.eventSource === 'aws:dynamodb'
    ? fromStream(event as DynamoDBStreamEvent, context)
    : fromQueue(event as SQSEvent, context);
