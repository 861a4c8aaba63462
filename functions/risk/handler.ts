import type { Context, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { riskRecords } from '../../shared/adapters/consignee-window.js';
import { declarationStore, lodgedFromImage } from '../../shared/adapters/declaration-store.js';
import { queueSender } from '../../shared/adapters/queue-sender.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { loadConfig, queueUrl, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import type { StoredDeclaration } from '../../shared/domain/clearance/record.js';
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

const RiskMessage = z.object({ declarationId: z.string().min(1) });

/** A declaration to evaluate, with the declaration as lodged when the stream brought it. */
interface RiskWork {
  id: string;
  lodged?: StoredDeclaration;
}
type Batch = Awaited<ReturnType<typeof prepareRiskBatch>>;

const consumer = {
  prepare: (work: RiskWork[]) =>
    prepareRiskBatch(
      work.map(({ id }) => id),
      deps,
      new Map(work.flatMap(({ id, lodged }) => (lodged ? [[id, lodged] as const] : []))),
    ),
  handle: (work: RiskWork, batch: Batch) => evaluateOne(work.id, batch, deps),
  finish: (batch: Batch) => handOverRiskBatch(batch, deps),
  describe: (work: RiskWork, batch: Batch) => ({
    declarationId: work.id,
    filer: batch.declarations.get(work.id)?.platformId,
  }),
};

/** New declarations, from the declarations table's stream (the lodgement's own insert). */
const fromStream = streamBatchHandler({
  ...consumer,
  record: InsertedDeclarationSchema,
  work: (record): RiskWork => {
    const lodged = lodgedFromImage(record.dynamodb.NewImage);
    return { id: record.dynamodb.NewImage.id, ...(lodged ? { lodged } : {}) };
  },
});

/** Declarations handed to the step explicitly: moved back from its dead-letter queue (npm run redrive). */
const fromQueue = sqsBatchHandler({
  ...consumer,
  maxReceiveCount: queues.risk.maxReceiveCount,
  body: RiskMessage,
  work: (message): RiskWork => ({ id: message.body.declarationId }),
});

export const handler = (event: DynamoDBStreamEvent | SQSEvent, context: Context) =>
  event.Records[0]?.eventSource === 'aws:dynamodb'
    ? fromStream(event as DynamoDBStreamEvent, context)
    : fromQueue(event as SQSEvent, context);
