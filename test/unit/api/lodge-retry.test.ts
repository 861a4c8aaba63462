import { describe, expect, it } from 'vitest';
import { packFor } from '../../../shared/countries/index.js';
import type { DeclarationRecord } from '../../../shared/domain/clearance/record.js';
import { destinationsOn } from '../../../shared/domain/duty/rules.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { type LodgeDeps, lodgeDeclaration } from '../../../shared/use-cases/lodge-declaration.js';
import { aDeclaration, fixtureDeclarationIds } from '../../fixtures/declarations.js';

/** A store that records what it is asked to create; `existing` answers as if the id was stored before. */
const fakes = (existing?: (record: DeclarationRecord) => DeclarationRecord) => {
  const created: DeclarationRecord[] = [];
  const deps: LodgeDeps = {
    store: {
      create: async (record) => {
        if (existing) return { created: false, existing: existing(record) };
        created.push(record);
        return { created: true };
      },
    },
    now: () => new Date('2026-11-30T10:00:00Z'),
    declarationIdOf: fixtureDeclarationIds,
    destinationsOn: destinationsOn(packFor('NL')),
  };
  return { deps, created };
};

describe('lodgeDeclaration', () => {
  it('stores a new declaration once, RECEIVED: its stored insert is what starts the risk step', async () => {
    const { deps, created } = fakes();

    const result = await lodgeDeclaration({ platformId: 'acme', declaration: aDeclaration() }, deps);

    expect(result.outcome).toBe('ACCEPTED');
    expect(created.map((record) => [record.id, record.status, record.version])).toEqual([
      [result.record.id, 'RECEIVED', 0],
    ]);
  });

  it('answers a resubmission of the same body with the stored declaration, as it stands', async () => {
    const { deps } = fakes((record) => ({ ...record, status: 'RELEASED', version: 1 }));

    const result = await lodgeDeclaration({ platformId: 'acme', declaration: aDeclaration() }, deps);

    expect(result.outcome).toBe('EXISTING');
    expect(result.record.status).toBe('RELEASED');
  });

  it('refuses another body under a reference already lodged', async () => {
    const { deps } = fakes((record) => ({ ...record, bodyHash: 'another body' }));

    await expect(
      lodgeDeclaration({ platformId: 'acme', declaration: aDeclaration() }, deps),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});
