// The test tiers read answers with the route contract's response schemas (test/fixtures/api.ts): a body
// that drifted from what the contract documents, or an unexpected status, fails the reading test.
import { describe, expect, it } from 'vitest';
import { declarationRoutes } from '../../../shared/http/routes/declarations.js';
import { answerAs } from '../../fixtures/api.js';

const lodged = {
  id: 'dcl_1',
  status: 'RECEIVED',
  reference: 'ORDER-1',
  links: { self: '/v1/declarations/dcl_1' },
};

describe('answerAs', () => {
  it('reads a documented body with its schema, from a handler result or an HTTP answer', () => {
    expect(answerAs(declarationRoutes.lodge, { statusCode: 202, body: lodged }, 202)).toEqual(lodged);
    expect(
      answerAs(declarationRoutes.lodge, { status: 200, body: {}, text: JSON.stringify(lodged) }, 200),
    ).toEqual(lodged);
  });

  it('reads an error the route leaves to the common responses as a problem', () => {
    const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'x', errors: [] };
    expect(answerAs(declarationRoutes.lodge, { statusCode: 400, body: problem }, 400)).toMatchObject(problem);
  });

  it('fails on a body off its documented schema and on another status', () => {
    const drifted = { ...lodged, status: 'LODGED' };
    expect(() => answerAs(declarationRoutes.lodge, { statusCode: 202, body: drifted }, 202)).toThrow(
      /does not match its documented schema/,
    );
    expect(() => answerAs(declarationRoutes.lodge, { statusCode: 409, body: lodged }, 202)).toThrow();
  });
});
