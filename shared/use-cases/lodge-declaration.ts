// Lodging a declaration: validate and store it once. The stored insert itself starts the risk step (the
// declarations table's stream), so nothing is sent: a lodgement that dies after its write strands nothing.

import type { DeclarationRecord } from '../domain/clearance/record.js';
import { goodsValueOf, newRecord } from '../domain/clearance/record.js';
import type { Declaration } from '../domain/declaration/declaration.js';
import { bodyHashOf, type DeclarationIdOf } from '../domain/declaration/identity.js';
import { type DestinationsOn, destinationError } from '../domain/declaration/territory.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { DeclarationStore } from './ports/declarations.js';
import type { CountRefusals } from './ports/refusals.js';

export interface LodgeDeps {
  /** Counts a declaration refused at intake for the data-quality report. */
  countRefusals?: CountRefusals;
  store: Pick<DeclarationStore, 'create'>;
  now: () => Date;
  /** The stack's keyed id of a filer's declaration. */
  declarationIdOf: DeclarationIdOf;
  /** The destinations the stack clears on a date; a declaration for another is refused. */
  destinationsOn: DestinationsOn;
}

export interface LodgeResult {
  outcome: 'ACCEPTED' | 'EXISTING';
  record: DeclarationRecord;
}

/** The state a declaration starts in when `filer` lodges it at `at`. */
export const lodgedRecord = (
  filer: string,
  declaration: Declaration,
  declarationIdOf: DeclarationIdOf,
  at: string,
): DeclarationRecord =>
  newRecord({
    id: declarationIdOf(filer, declaration.reference),
    reference: declaration.reference,
    platformId: filer,
    bodyHash: bodyHashOf(declaration),
    goodsValue: goodsValueOf(declaration),
    at,
  });

export const lodgeDeclaration = async (
  command: { platformId: string; declaration: Declaration },
  deps: LodgeDeps,
): Promise<LodgeResult> => {
  const { declaration } = command;
  // The edge checked the body; whether the stack clears its destination on this day is checked here.
  const outside = destinationError(declaration, deps.now().toISOString().slice(0, 10), deps.destinationsOn);
  if (outside) {
    await deps.countRefusals?.(command.platformId, [{ raw: declaration, errors: [outside] }]);
    throw new ValidationError([outside], 'The declaration is not valid');
  }
  const record = lodgedRecord(
    command.platformId,
    declaration,
    deps.declarationIdOf,
    deps.now().toISOString(),
  );

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
