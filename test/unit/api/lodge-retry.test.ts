import { describe, expect, it } from 'vitest';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { type LodgeDeps, lodgeDeclaration } from '../../../shared/use-cases/lodge-declaration.js';
import { aDeclaration, fixtureDeclarationIds } from '../../fixtures/declarations.js';

const fakes = (existing?: (record: DeclarationRecord) => DeclarationRecord) => {
  const queued: unknown[] = [];
  const deps: LodgeDeps = {
    store: {
      create: async (record) =>
        existing ? { created: false, existing: existing(record) } : { created: true },
    },
    queueForRisk: async (bodies) => {
      queued.push(...bodies);
    },
    now: () => new Date('2026-11-30T10:00:00Z'),
    declarationIdOf: fixtureDeclarationIds,
  };
  return { deps, queued };
};

describe('lodgeDeclaration', () => {
  it('queues a new declaration once, announcing nothing on the bus', async () => {
    const { deps, queued } = fakes();

    const result = await lodgeDeclaration({ platformId: 'acme', body: aDeclaration() }, deps);

    expect(result.outcome).toBe('ACCEPTED');
    expect(queued).toEqual([{ declarationId: result.record.id }]);
  });

  it('queues again when a retry finds the declaration not yet evaluated', async () => {
    // A lodgement that stored the declaration but died before queueing it.
    const { deps, queued } = fakes((record) => record);

    const result = await lodgeDeclaration({ platformId: 'acme', body: aDeclaration() }, deps);

    expect(result.outcome).toBe('EXISTING');
    expect(queued).toEqual([{ declarationId: result.record.id }]);
  });

  it('leaves an evaluated declaration alone when the platform resubmits it', async () => {
    const { deps, queued } = fakes((record) => ({
      ...record,
      risk: { lane: 'GREEN', score: 0, hits: [], assessedAt: '2026-11-30T10:00:01Z' },
    }));

    const result = await lodgeDeclaration({ platformId: 'acme', body: aDeclaration() }, deps);

    expect(result.outcome).toBe('EXISTING');
    expect(queued).toEqual([]);
  });
});
