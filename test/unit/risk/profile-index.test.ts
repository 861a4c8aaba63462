import { describe, expect, it } from 'vitest';
import {
  buildProfileIndex,
  isCandidate,
  selectCandidates,
} from '../../../shared/domain/risk/profile-index.js';
import type { EventPattern } from '../../../shared/lib/event-pattern.js';
import { anItem } from '../../fixtures/declarations.js';
import { anEnrichedDeclaration } from './support.js';

// Two T-shirts (HS 610910, EUR 10.00 each) and one toy (HS 950300, EUR 30.00), from China.
const view = anEnrichedDeclaration({
  items: [
    anItem(),
    anItem({ description: 'wooden toy train', hsCode: '950300', quantity: 1, value: '30.00' }),
  ],
});

const candidates = (patterns: EventPattern[]): boolean[] => {
  const index = buildProfileIndex(patterns);
  selectCandidates(index, view);
  return patterns.map((_pattern, position) => isCandidate(index, position));
};

describe('selectCandidates', () => {
  it('keeps the profiles whose literal values or prefixes the declaration has', () => {
    expect(
      candidates([
        { item: { hsHeading: ['9503'] } },
        { item: { hsHeading: ['9302'] } },
        { item: { hsCode: [{ prefix: '6109' }] } },
        { item: { hsCode: [{ prefix: '610910' }] } },
        { item: { hsCode: [{ prefix: '6110' }] } },
        { consignment: { lowValue: [true] } },
        { consignment: { lowValue: [false] } },
      ]),
    ).toEqual([true, false, true, true, false, true, false]);
  });

  it('keeps the profiles whose numeric range holds a value, bounds included as written', () => {
    expect(
      candidates([
        { item: { unitValue: [{ numeric: ['>=', 30] }] } },
        { item: { unitValue: [{ numeric: ['>', 30] }] } },
        { item: { unitValue: [{ numeric: ['>', 10, '<', 30] }] } },
        { item: { unitValue: [{ numeric: ['>', 5, '<=', 10] }] } },
        { item: { quantity: [1] } },
        { item: { quantity: [3] } },
      ]),
    ).toEqual([true, false, false, true, true, false]);
  });

  it('requires every guard of a profile to hold', () => {
    expect(
      candidates([
        { dispatchCountry: ['CN'], item: { unitValue: [{ numeric: ['>', 1000] }] } },
        { dispatchCountry: ['CN'], item: { hsHeading: ['9503'] } },
      ]),
    ).toEqual([false, true]);
  });

  it('keeps a $or profile when one branch may hold, and always keeps one it cannot index', () => {
    expect(
      candidates([
        { $or: [{ item: { hsChapter: ['93'] } }, { item: { hsChapter: ['95'] } }] },
        { $or: [{ item: { hsChapter: ['93'] } }, { item: { hsChapter: ['36'] } }] },
        { $or: [{ item: { hsChapter: ['93'] } }, { seller: { country: [{ 'anything-but': ['CN'] }] } }] },
        { item: { $or: [{ hsChapter: ['93'] }, { unitValue: [{ numeric: ['>', 25] }] }] } },
        { seller: { id: [{ exists: false }] } },
      ]),
    ).toEqual([true, false, true, true, true]);
  });
});
