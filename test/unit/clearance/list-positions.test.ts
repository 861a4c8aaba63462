// A page position comes back from a caller inside a sealed cursor; the stores still refuse one that is not
// a position of the list asked for, before any query runs.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { agencyHoldIndex } from '../../../shared/adapters/agency-hold-index.js';
import {
  declarationStore,
  LIST_SHARDS,
  listShardPartitions,
} from '../../../shared/adapters/declaration-store.js';
import { InvalidCursorError } from '../../../shared/lib/cursor.js';

const clientThatAnswersNothing = () => {
  const send = vi.fn(async () => ({ Items: [] }));
  return { client: { send } as unknown as DynamoDBDocumentClient, send };
};

describe('page positions of another list', () => {
  it('are refused by the single-window index', async () => {
    // Prepare
    const { client, send } = clientThatAnswersNothing();
    const index = agencyHoldIndex('declarations', client);

    // Act
    const page = index.page({
      agency: 'FOOD_SAFETY',
      state: 'ALL',
      limit: 5,
      startKey: { pk: 'AGENCY#CUSTOMS_VET', sk: 'HOLD#2026-07-01T00:00:00.000Z#dcl_1#hold_1' },
    });

    // Assert
    await expect(page).rejects.toBeInstanceOf(InvalidCursorError);
    expect(send).not.toHaveBeenCalled();
  });

  it('are refused by the declaration lists', async () => {
    // Prepare: a position of another platform's list, and one in the shape of a table key
    const { client, send } = clientThatAnswersNothing();
    const store = declarationStore('declarations', client);
    const position = { gsi1pk: 'PLATFORM#other', gsi1sk: '2026-07-01T00:00:00.000Z#dcl_1' };

    const tableKey = { pk: 'DECL#dcl_1', sk: 'STATE', ...position, gsi1pk: 'PLATFORM#acme' };

    // Act
    const page = store.listPage({ index: 'byPlatform', key: 'acme', limit: 5, startKey: position });
    const keyed = store.listPage({ index: 'byPlatform', key: 'acme', limit: 5, startKey: tableKey });

    // Assert
    await expect(page).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(keyed).rejects.toBeInstanceOf(InvalidCursorError);
    expect(send).not.toHaveBeenCalled();
  });

  it('are taken from the same list', async () => {
    // Prepare
    const { client, send } = clientThatAnswersNothing();
    const store = declarationStore('declarations', client);
    const position = { gsi1pk: 'PLATFORM#acme', gsi1sk: '2026-07-01T00:00:00.000Z#dcl_1' };

    // Act
    const page = await store.listPage({ index: 'byPlatform', key: 'acme', limit: 5, startKey: position });

    // Assert: one query per shard of the list, each after the position
    expect(page.items).toEqual([]);
    expect(send).toHaveBeenCalledTimes(LIST_SHARDS);
    const queried = send.mock.calls.map(
      (call) =>
        (call as unknown as [{ input: { ExpressionAttributeValues: Record<string, string> } }])[0].input,
    );
    expect(queried.map((input) => input.ExpressionAttributeValues[':pk']).sort()).toEqual(
      listShardPartitions('PLATFORM#acme').sort(),
    );
    expect(queried.every((input) => input.ExpressionAttributeValues[':to'] === position.gsi1sk)).toBe(true);
  });
});
