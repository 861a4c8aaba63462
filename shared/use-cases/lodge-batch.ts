// Lodging up to a thousand declarations in one request. Each is validated and stored on its own terms
// (202 new, 200 lodged before with the same body, 400 invalid, 409 reference taken by another body),
// with every AWS call batched: one BatchGetItem per hundred ids, one transaction per 25 new declarations,
// ten messages per SendMessageBatch and ten events per PutEvents, several calls in flight at once.
import type { CreateManyResult, DeclarationStore } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import type { SendMessages } from '../adapters/queue-sender.js';
import { chunk, mapConcurrent } from '../adapters/retry.js';
import { BatchEnvelopeSchema, type BatchResult } from '../domain/api.js';
import { type DeclarationRecord, newRecord } from '../domain/clearance.js';
import { type Declaration, parseDeclaration, toFieldErrors } from '../domain/declaration.js';
import { ValidationError } from '../domain/errors.js';
import { type DomainEvent, domainEvent } from '../domain/events.js';
import { bodyHashOf, declarationIdFor } from '../domain/identity.js';
import type { RiskWork } from './lodge-declaration.js';

/** Declarations stored per createMany call (one transaction), and calls in flight at once. */
const GROUP_SIZE = 25;
const CONCURRENT_GROUPS = 12;

export interface LodgeBatchDeps {
  store: Pick<DeclarationStore, 'getStates' | 'createMany'>;
  queueForRisk: SendMessages;
  publish: PublishEvents;
  now: () => Date;
}

export interface LodgeBatchResult {
  results: BatchResult[];
  accepted: number;
  rejected: number;
}

interface Candidate {
  index: number;
  record: DeclarationRecord;
  declaration: Declaration;
}

const conflictWith = (id: string, message: string): BatchResult['errors'] => [
  { path: 'reference', message: `${message} (declaration ${id}); use a new reference` },
];

export const lodgeBatch = async (
  command: { platformId: string; body: unknown },
  deps: LodgeBatchDeps,
): Promise<LodgeBatchResult> => {
  const envelope = BatchEnvelopeSchema.safeParse(command.body, { reportInput: true });
  if (!envelope.success) throw new ValidationError(toFieldErrors(envelope.error), 'The batch is not valid');
  const at = deps.now().toISOString();
  const results: BatchResult[] = [];

  // Validate each declaration; the first valid occurrence of a reference is the one stored, later ones
  // are compared with it once its outcome is known.
  const candidates = new Map<string, Candidate>();
  const repeats: Candidate[] = [];
  envelope.data.declarations.forEach((raw, index) => {
    const parsed = parseDeclaration(raw);
    if (!parsed.success) {
      results[index] = { index, status: 400, errors: toFieldErrors(parsed.error) };
      return;
    }
    const declaration = parsed.data;
    const record = newRecord({
      id: declarationIdFor(command.platformId, declaration.reference),
      reference: declaration.reference,
      platformId: command.platformId,
      bodyHash: bodyHashOf(declaration),
      at,
    });
    const candidate = { index, record, declaration };
    if (candidates.has(record.id)) repeats.push(candidate);
    else candidates.set(record.id, candidate);
  });

  const toRisk: RiskWork[] = [];
  const events: DomainEvent[] = [];
  const settle = (candidate: Candidate, outcome: CreateManyResult) => {
    const { index, record } = candidate;
    if (outcome.created) {
      results[index] = { index, status: 202, id: record.id };
      toRisk.push({ declarationId: record.id });
      events.push(
        domainEvent('DeclarationReceived', {
          version: 1,
          declarationId: record.id,
          platformId: record.platformId,
          reference: record.reference,
          status: record.status,
          occurredAt: record.createdAt,
        }),
      );
    } else if ('conflict' in outcome) {
      results[index] = {
        index,
        status: 409,
        id: record.id,
        errors: [{ path: 'reference', message: outcome.conflict.message }],
      };
    } else if (outcome.existing.bodyHash !== record.bodyHash) {
      results[index] = {
        index,
        status: 409,
        id: record.id,
        errors: conflictWith(record.id, 'was already lodged with a different body'),
      };
    } else {
      results[index] = { index, status: 200, id: record.id };
      // A retry of a lodgement whose queueing may have failed: queue again; consumers are idempotent.
      if (outcome.existing.status === 'RECEIVED' && !outcome.existing.risk)
        toRisk.push({ declarationId: record.id });
    }
  };

  const stored = await deps.store.getStates([...candidates.keys()]);
  const fresh: Candidate[] = [];
  for (const candidate of candidates.values()) {
    const existing = stored.get(candidate.record.id);
    if (existing) settle(candidate, { created: false, existing });
    else fresh.push(candidate);
  }
  // Store, queue and announce group by group, so writes to DynamoDB overlap with sends to SQS and the bus.
  const pending: Promise<void>[] = [];
  const flush = () => {
    const work = toRisk.splice(0);
    const announced = events.splice(0);
    const sends = [
      ...(work.length > 0 ? [deps.queueForRisk(work)] : []),
      ...(announced.length > 0 ? [deps.publish(announced)] : []),
    ];
    // Awaited together below; a failure must not surface as an unhandled rejection meanwhile.
    for (const send of sends) send.catch(() => undefined);
    pending.push(...sends);
  };
  flush();
  await mapConcurrent(chunk(fresh, GROUP_SIZE), CONCURRENT_GROUPS, async (group) => {
    const created = await deps.store.createMany(
      group.map(({ record, declaration }) => ({ record, declaration })),
    );
    group.forEach((candidate, position) => {
      const outcome = created[position];
      if (!outcome) throw new Error(`createMany returned no outcome for declaration ${candidate.index}`);
      settle(candidate, outcome);
    });
    flush();
  });

  for (const repeat of repeats) {
    const first = candidates.get(repeat.record.id) as Candidate;
    const firstResult = results[first.index] as BatchResult;
    const { index, record } = repeat;
    if (record.bodyHash !== first.record.bodyHash) {
      results[index] = {
        index,
        status: 409,
        id: record.id,
        errors: conflictWith(
          record.id,
          `is used by declaration ${first.index} of this batch with a different body`,
        ),
      };
    } else if (firstResult.status === 409) {
      results[index] = { ...firstResult, index };
    } else {
      results[index] = { index, status: 200, id: record.id };
    }
  }

  flush();
  await Promise.all(pending);
  const accepted = results.filter((result) => result.status === 202 || result.status === 200).length;
  return { results, accepted, rejected: results.length - accepted };
};
