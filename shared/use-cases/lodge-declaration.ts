// Lodging a declaration: validate and store it once. The stored insert itself starts the risk step (the
// declarations table's stream), so nothing is sent: a lodgement that dies after its write strands nothing.

import type { DeclarationRecord } from '../domain/clearance/record.js';
import { goodsValueOf, newRecord } from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { bodyHashOf, type DeclarationIdOf } from '../domain/declaration/identity.js';
import { ConflictError } from '../domain/errors.js';
import type { DeclarationStore } from './ports/declarations.js';

export interface LodgeDeps {
  store: Pick<DeclarationStore, 'create'>;
  now: () => Date;
  /** The stack's keyed id of a filer's declaration. */
  declarationIdOf: DeclarationIdOf;
}

export interface LodgeResult {
  outcome: 'ACCEPTED' | 'EXISTING';
  record: DeclarationRecord;
}

export const lodgeDeclaration = async (
  command: { platformId: string; declaration: Declaration },
  deps: LodgeDeps,
): Promise<LodgeResult> => {
  const { declaration } = command;
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
    return { outcome: 'EXISTING', record: result.existing };
  }
  // Nothing outside the pipeline acts on a lodgement (the platform has its answer): nothing is announced.
  return { outcome: 'ACCEPTED', record };
};

export const declarationLinks = (id: string) => ({ self: `/v1/declarations/${id}` });
