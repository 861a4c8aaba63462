// A platform withdraws its own declaration before release. The change is a conditional write on the
// record's version, retried on a concurrent change, and announced as DeclarationCancelled.
import { type DeclarationStore, VersionConflictError } from '../adapters/declaration-store.js';
import type { PublishEvents } from '../adapters/event-publisher.js';
import { type DeclarationRecord, transition } from '../domain/clearance/record.js';
import { toFieldErrors } from '../domain/declaration/declaration.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { domainEvent } from '../domain/events.js';
import type { Principal } from '../http/auth.js';
import { CancelRequestSchema } from '../http/schemas/declarations.js';

export interface CancelDeps {
  store: Pick<DeclarationStore, 'getState' | 'save'>;
  publish: PublishEvents;
  now: () => Date;
}

/** Writes attempted in all when other steps keep changing the declaration at the same moment. */
export const CANCEL_ATTEMPTS = 3;

export const cancelDeclaration = async (
  command: { id: string; principal: Principal; body: unknown },
  deps: CancelDeps,
): Promise<{ record: DeclarationRecord; changed: boolean }> => {
  const request = CancelRequestSchema.safeParse(command.body ?? {}, { reportInput: true });
  if (!request.success)
    throw new ValidationError(toFieldErrors(request.error), 'The cancellation is not valid');
  const reason = request.data.reason ?? 'Cancelled by the platform';

  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.store.getState(command.id);
    if (
      !current ||
      command.principal.role !== 'platform' ||
      current.platformId !== command.principal.subject
    ) {
      throw new NotFoundError(`No declaration ${command.id} is visible to you`);
    }
    // Cancelling twice is a retry, not a conflict: answer with the cancelled declaration.
    if (current.status === 'CANCELLED') return { record: current, changed: false };
    const at = deps.now().toISOString();
    const next = transition(current, 'CANCELLED', command.principal.subject, reason, at);
    let saved: DeclarationRecord;
    try {
      saved = await deps.store.save(next);
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < CANCEL_ATTEMPTS) continue;
      throw error;
    }
    await deps.publish([
      domainEvent('DeclarationCancelled', {
        version: 1,
        declarationId: saved.id,
        platformId: saved.platformId,
        reference: saved.reference,
        status: saved.status,
        occurredAt: at,
        reason,
      }),
    ]);
    return { record: saved, changed: true };
  }
};
