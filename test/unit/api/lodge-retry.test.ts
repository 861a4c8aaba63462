import { describe, expect, it } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import type { DomainEvent } from '../../../shared/domain/events.js';
import { type LodgeDeps, lodgeDeclaration } from '../../../shared/use-cases/lodge-declaration.js';
import { aDeclaration, fixtureDeclarationIds } from '../../fixtures/declarations.js';

const fakes = (existing?: (record: DeclarationRecord) => DeclarationRecord) => {
  const queued: unknown[] = [];
  const published: DomainEvent[] = [];
  const deps: LodgeDeps = {
    store: {
      create: async (record) =>
        existing ? { created: false, existing: existing(record) } : { created: true },
    },
    queueForRisk: async (bodies) => {
      queued.push(...bodies);
    },
    publish: async (events) => {
      published.push(...events);
    },
    now: () => new Date('2026-11-30T10:00:00Z'),
    declarationIdOf: fixtureDeclarationIds,
  };
  return { deps, queued, published };
};

describe('lodgeDeclaration', () => {
  it('queues and announces a new declaration once', async () => {
    const { deps, queued, published } = fakes();

    const result = await lodgeDeclaration({ platformId: 'acme', body: aDeclaration() }, deps);

    expect(result.outcome).toBe('ACCEPTED');
    expect(queued).toHaveLength(1);
    expect(published.map((event) => event.detailType)).toEqual(['DeclarationReceived']);
  });

  it('queues and announces again when a retry finds the declaration not yet evaluated', async () => {
    // A lodgement that stored the declaration but died before queueing or announcing it.
    const { deps, queued, published } = fakes((record) => record);

    const result = await lodgeDeclaration({ platformId: 'acme', body: aDeclaration() }, deps);

    expect(result.outcome).toBe('EXISTING');
    expect(queued).toEqual([{ declarationId: result.record.id }]);
    expect(published.map((event) => event.detailType)).toEqual(['DeclarationReceived']);
  });

  it('leaves an evaluated declaration alone when the platform resubmits it', async () => {
    const { deps, queued, published } = fakes((record) => ({
      ...record,
      risk: { lane: 'GREEN', score: 0, hits: [], assessedAt: '2026-11-30T10:00:01Z' },
    }));

    const result = await lodgeDeclaration({ platformId: 'acme', body: aDeclaration() }, deps);

    expect(result.outcome).toBe('EXISTING');
    expect(queued).toEqual([]);
    expect(published).toEqual([]);
  });
});
