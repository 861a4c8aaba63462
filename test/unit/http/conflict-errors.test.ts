// The stores' conflict errors are the domain's: one that reaches the edge (the use case did not retry it
// away) is a 409 the caller may retry, never a 500.
import { describe, expect, it } from 'vitest';
import {
  ConcurrentUpdateError,
  RevisionConflictError,
  VersionConflictError,
} from '../../../shared/domain/errors.js';
import { toProblem } from '../../../shared/http/handler.js';

describe('conflict errors at the edge', () => {
  it.each([
    ['a declaration changed by another request', new VersionConflictError('dcl_1'), 'dcl_1'],
    ['a write beside the state refused', new ConcurrentUpdateError('None,ConditionalCheckFailed'), 'retry'],
    [
      'a reference record changed by another admin',
      new RevisionConflictError('TARIFF', '6109'),
      'TARIFF 6109',
    ],
  ])('answers %s with 409', (_case, error, detail) => {
    // Act
    const body = toProblem(error);

    // Assert
    expect(body).toMatchObject({ status: 409, title: 'Conflict' });
    expect(body.detail).toContain(detail);
  });
});
