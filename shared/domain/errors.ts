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
