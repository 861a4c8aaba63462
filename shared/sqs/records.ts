// What the queues and streams carry, as Powertools parser schemas the batch processor checks each record
// against (shared/sqs/batch-handler.ts): one EventBridge envelope for every queue the bus feeds, the duty
// queue's hand-over from risk, and a declaration's insert on the declarations table's stream.
import { DynamoDBMarshalled } from '@aws-lambda-powertools/parser/helpers/dynamodb';
import {
  DynamoDBStreamChangeRecordBase,
  DynamoDBStreamRecord,
} from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';
import { DETAIL_TYPES, type DetailType, type EventDetail, eventDetailSchemas } from '../domain/events.js';
import { DutyWorkSchema } from '../use-cases/assess-duty.js';
import type { DutyWork } from '../use-cases/evaluate-risk.js';

const envelopeOf = <T extends DetailType>(type: T) =>
  EventBridgeSchema.extend({ 'detail-type': z.literal(type), detail: eventDetailSchemas[type] });

/** A declaration event of one of `T`'s detail types, as the bus delivers it. */
export type DeclarationEventOf<T extends DetailType> = {
  [K in T]: Omit<z.infer<ReturnType<typeof envelopeOf<K>>>, 'detail'> & { detail: EventDetail<K> };
}[T];

/**
 * The EventBridge envelope (the whole event is an SQS message's body), its detail checked against the
 * event contract of its detail type. `types` names the events a queue's rule lets through; without it,
 * any declaration event.
 */
export const declarationEvent = <const T extends DetailType = DetailType>(
  types: readonly [T, ...T[]] = DETAIL_TYPES as unknown as readonly [T, ...T[]],
): z.ZodType<DeclarationEventOf<T>> =>
  z.discriminatedUnion(
    'detail-type',
    types.map(envelopeOf) as unknown as [ReturnType<typeof envelopeOf<T>>],
  ) as unknown as z.ZodType<DeclarationEventOf<T>>;

/**
 * A message of the duty queue, as the declarations' work it carries: the risk step's hand-over
 * (`{works: [{declarationId, result}, ...]}`), one declaration's work (`{declarationId, result?}`: handed
 * back after a failure, or moved back from the dead-letter queue), or the bus's RiskAssessed of a
 * declaration sent back to this step (its result is stored with it).
 */
export const DutyMessageSchema: z.ZodType<DutyWork[]> = z.union([
  declarationEvent(['RiskAssessed']).transform((event) => [{ declarationId: event.detail.declarationId }]),
  z.object({ works: z.array(DutyWorkSchema).min(1) }).transform((message) => message.works),
  DutyWorkSchema.transform((work) => [work]),
]);

/** A declaration's state item as its insert reached the stream: the id is all the risk step needs. */
export const InsertedDeclarationSchema = DynamoDBStreamRecord.extend({
  dynamodb: DynamoDBStreamChangeRecordBase.extend({
    // The whole lodgement item: the step takes the declaration from it instead of reading it again.
    NewImage: DynamoDBMarshalled(z.looseObject({ id: z.string().min(1) })),
  }),
});
