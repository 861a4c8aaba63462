// The EventBridge contract (DESIGN.md section 7): one zod schema per detail type, used by publishers to
// check what they send and by consumers to parse what they receive.
import * as z from 'zod';
import { Status } from './clearance/record.js';

export const DETAIL_TYPES = [
  'DeclarationReceived',
  'RiskAssessed',
  'DutyAssessed',
  'DeclarationHeld',
  'DeclarationReleased',
  'DeclarationRejected',
  'DeclarationCancelled',
  'PaymentRecorded',
  'RefundIssued',
  'HoldPlaced',
  'HoldLifted',
  'DebtExtinguished',
  'PostalResponseIssued',
] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

/** The `source` of every event a country's stack publishes. */
export const eventSource = (country: string): string => `clearway.${country.toLowerCase()}`;

const base = {
  version: z.literal(1),
  declarationId: z.string().min(1),
  platformId: z.string().min(1),
  reference: z.string().min(1),
  status: Status,
  occurredAt: z.iso.datetime(),
};

/** The fields every declaration event starts with, from the declaration it announces. */
export const eventBase = (
  declaration: { id: string; platformId: string; reference: string; status: Status },
  occurredAt: string,
) => ({
  version: 1 as const,
  declarationId: declaration.id,
  platformId: declaration.platformId,
  reference: declaration.reference,
  status: declaration.status,
  occurredAt,
});

const lane = z.enum(['GREEN', 'AMBER', 'RED']);
const holdFields = { holdId: z.string(), reason: z.string(), agency: z.string().optional() };

export const eventDetailSchemas = {
  DeclarationReceived: z.object(base),
  RiskAssessed: z.object({ ...base, lane, score: z.number() }),
  DutyAssessed: z.object({
    ...base,
    currency: z.string(),
    dueAtImport: z.string(),
    collectedAtCheckout: z.string(),
    payer: z.string(),
  }),
  DeclarationHeld: z.object({ ...base, reason: z.string() }),
  // A release with something due at import (collected on delivery, or charged to an account) says what and
  // by whom, so a green release stays one event: no DutyAssessed beside it.
  DeclarationReleased: z.object({
    ...base,
    releasedAt: z.iso.datetime(),
    lane: lane.optional(),
    currency: z.string().optional(),
    dueAtImport: z.string().optional(),
    collectedAtCheckout: z.string().optional(),
    payer: z.string().optional(),
  }),
  // A seizure is announced as a rejection whose status is SEIZED; `disposal` says what becomes of the goods.
  DeclarationRejected: z.object({
    ...base,
    reason: z.string(),
    disposal: z.enum(['RETURN', 'DESTROY']).optional(),
  }),
  DeclarationCancelled: z.object({ ...base, reason: z.string() }),
  PaymentRecorded: z.object({ ...base, paymentId: z.string(), amount: z.string(), currency: z.string() }),
  RefundIssued: z.object({ ...base, refundId: z.string(), amount: z.string(), currency: z.string() }),
  HoldPlaced: z.object({ ...base, ...holdFields }),
  HoldLifted: z.object({ ...base, ...holdFields }),
  DebtExtinguished: z.object({
    ...base,
    currency: z.string(),
    extinguished: z.string(),
    refunded: z.string(),
    legalBasis: z.string(),
  }),
  // A customs response to the post that filed a postal item (shared/domain/postal/responses.ts);
  // `responseId` is the response's deterministic key, the same on every delivery.
  PostalResponseIssued: z.object({
    ...base,
    responseId: z.string(),
    itemId: z.string(),
    code: z.enum(['RELEASED', 'HELD', 'DUTY_DUE', 'REFUSED', 'RETURN', 'DESTROY']),
    amountDue: z.string().optional(),
    currency: z.string().optional(),
    payer: z.string().optional(),
    reason: z.string().optional(),
    at: z.iso.datetime(),
  }),
} satisfies Record<DetailType, z.ZodType>;

export type EventDetail<T extends DetailType> = z.infer<(typeof eventDetailSchemas)[T]>;

export interface DomainEvent<T extends DetailType = DetailType> {
  detailType: T;
  detail: EventDetail<T>;
}

/** Builds an event, checking its detail against the contract so nothing malformed reaches the bus. */
export const domainEvent = <T extends DetailType>(detailType: T, detail: EventDetail<T>): DomainEvent<T> => ({
  detailType,
  detail: eventDetailSchemas[detailType].parse(detail) as EventDetail<T>,
});

/**
 * A declaration event as the bus delivers it to a queue (the whole event is the message body); consumers
 * read it with the envelope schema in shared/sqs/records.ts, which checks the detail against its type.
 */
export interface EventEnvelope {
  version: string;
  id: string;
  'detail-type': DetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}
