// Domain errors. Each names what went wrong in words a platform developer can act on; the HTTP layer maps
// each class to a status in one place.
import type { FieldError } from './declaration/declaration.js';

export class ValidationError extends Error {
  constructor(
    readonly errors: FieldError[],
    message = 'The request is not valid',
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {}

export class ConflictError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class ForbiddenError extends Error {}

/** The request is well formed but cannot be processed with the data the stack holds. */
export class UnprocessableError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * A batch stopped part way: a group of its declarations could not be stored (`cause`). The groups stored
 * before it stay stored (each group is one transaction), so the batch may be sent again as it is.
 */
export class IncompleteBatchError extends Error {
  constructor(
    /** Declarations of the batch found stored (new or lodged before) before the batch stopped. */
    readonly stored: number,
    override readonly cause: unknown,
  ) {
    super(`The batch stopped after ${stored} of its declarations were stored`);
  }
}

/** A reference record was written by someone else since it was read; the change is re-applied to theirs. */
export class RevisionConflictError extends ConflictError {
  constructor(kind: string, key: string) {
    super(`${kind} ${key} was changed by another request`);
  }
}

/** The declaration was changed by another request since it was read. */
export class VersionConflictError extends ConflictError {
  constructor(id: string) {
    super(`Declaration ${id} was changed by another request; retry`);
  }
}

/**
 * A write that went with a state change was refused (a condition of its own failed, or concurrent writes
 * on a hot item outlasted the retries); the whole step is retried.
 */
export class ConcurrentUpdateError extends ConflictError {
  constructor(reasons: string) {
    super(`A concurrent update cancelled the transaction (${reasons}); retry`);
  }
}
