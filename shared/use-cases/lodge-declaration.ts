// Lodging a declaration: validate, store it once, and queue it for risk evaluation.

import type { DeclarationStore } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import type { SendMessages } from '../adapters/queue-sender.js';
import type { CountRefusals } from '../adapters/refusal-counter.js';
import type { DeclarationRecord } from '../domain/clearance/record.js';
import { goodsValueOf, newRecord } from '../domain/clearance/record.js';
import { parseDeclaration, toFieldErrors } from '../domain/declaration/declaration.js';
import { bodyHashOf, type DeclarationIdOf } from '../domain/declaration/identity.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { domainEvent } from '../domain/events.js';

export interface LodgeDeps {
  /** Counts a declaration refused at intake for the data-quality report. */
  countRefusals?: CountRefusals;
  store: Pick<DeclarationStore, 'create'>;
  queueForRisk: SendMessages;
  publish: PublishEvents;
  now: () => Date;
  /** The stack's keyed id of a filer's declaration. */
  declarationIdOf: DeclarationIdOf;
}

export interface LodgeResult {
  outcome: 'ACCEPTED' | 'EXISTING';
  record: DeclarationRecord;
}

export interface RiskWork {
  declarationId: string;
}

export const lodgeDeclaration = async (
  command: { platformId: string; body: unknown },
  deps: LodgeDeps,
): Promise<LodgeResult> => {
  const parsed = parseDeclaration(command.body);
  if (!parsed.success) {
    const errors = toFieldErrors(parsed.error);
    await deps.countRefusals?.(command.platformId, [{ raw: command.body, errors }]);
    throw new ValidationError(errors, 'The declaration is not valid');
  }
  const declaration = parsed.data;
  const record = newRecord({
    id: deps.declarationIdOf(command.platformId, declaration.reference),
    reference: declaration.reference,
    platformId: command.platformId,
    bodyHash: bodyHashOf(declaration),
    goodsValue: goodsValueOf(declaration),
    at: deps.now().toISOString(),
  });

  const result = await deps.store.create(record, declaration);
  if (!result.created) {
    if (result.existing.bodyHash !== record.bodyHash) {
      throw new ConflictError(
        `Reference ${declaration.reference} was already lodged with a different body; use a new reference`,
        { reference: declaration.reference, existingId: result.existing.id },
      );
    }
    // A retry of a lodgement whose queueing or announcement may have failed: do both again; consumers
    // are idempotent and platforms deduplicate events on declaration, type and occurredAt.
    if (result.existing.status === 'RECEIVED' && !result.existing.risk)
      await queueAndAnnounce(result.existing, deps);
    return { outcome: 'EXISTING', record: result.existing };
  }
  await queueAndAnnounce(record, deps);
  return { outcome: 'ACCEPTED', record };
};

/** Queueing and announcing do not depend on each other: both go out at once. */
const queueAndAnnounce = async (record: DeclarationRecord, deps: LodgeDeps): Promise<void> => {
  await Promise.all([
    deps.queueForRisk([{ declarationId: record.id } satisfies RiskWork]),
    deps.publish([
      domainEvent('DeclarationReceived', {
        version: 1,
        declarationId: record.id,
        platformId: record.platformId,
        reference: record.reference,
        status: record.status,
        occurredAt: record.createdAt,
      }),
    ]),
  ]);
};

export const declarationLinks = (id: string) => ({ self: `/v1/declarations/${id}` });
