// What the clearance integration tests share: the real declaration store and ledger adapter on a fresh
// set of tables in DynamoDB Local, a publisher that keeps what it is given, and seeding of declarations
// at any point of clearance.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { declarationStore } from '../../../shared/adapters/declaration-store.js';
import { packFor } from '../../../shared/countries/index.js';
import type { Principal } from '../../../shared/domain/caller.js';
import type { StoredDeclaration } from '../../../shared/domain/clearance/record.js';
import type { DomainEvent } from '../../../shared/domain/events.js';
import { clearanceLedger } from '../../../shared/use-cases/clearance-ledger.js';
import { type BookedFact, bookedFacts } from '../../fixtures/ledger-facts.js';
import { createIsolatedResources, documentClient, type IsolatedResources } from '../support.js';

export const platform = (subject = 'acme'): Principal => ({ role: 'platform', subject });
export const officer = (subject = 'officer-1'): Principal => ({ role: 'officer', subject });
export const agency = (subject: string): Principal => ({ role: 'agency', subject });

export interface ClearanceWorld {
  resources: IsolatedResources;
  store: ReturnType<typeof declarationStore>;
  published: DomainEvent[];
  deps: {
    store: ReturnType<typeof declarationStore>;
    publish: (events: DomainEvent[]) => Promise<void>;
    now: () => Date;
    ledger: ReturnType<typeof clearanceLedger>;
    newHoldId: () => string;
  };
  seed: (stored: StoredDeclaration) => Promise<StoredDeclaration>;
  eventsOf: (id: string) => DomainEvent[];
  ledgerFacts: (id: string) => Promise<BookedFact[]>;
  destroy: () => Promise<void>;
}

export const clearanceWorld = async (name: string): Promise<ClearanceWorld> => {
  const resources = await createIsolatedResources({ name });
  const client = documentClient();
  const store = declarationStore(resources.tables.declarations, client, {
    ledger: resources.tables.ledger,
    risk: resources.tables.risk,
  });
  const published: DomainEvent[] = [];
  let holds = 0;
  return {
    resources,
    store,
    published,
    deps: {
      store,
      publish: async (events) => {
        published.push(...events);
      },
      now: () => new Date(),
      ledger: clearanceLedger(packFor('NL')),
      newHoldId: () => {
        holds += 1;
        return `hold_test_${holds}_${Math.random().toString(16).slice(2, 8)}`;
      },
    },
    async seed(stored) {
      const { declaration, ...record } = stored;
      const created = await store.create(record, declaration);
      if (!created.created) throw new Error(`Declaration ${record.id} was seeded before`);
      return stored;
    },
    eventsOf: (id) => published.filter((event) => event.detail.declarationId === id),
    async ledgerFacts(id) {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: resources.tables.ledger,
            FilterExpression: 'begins_with(pk, :facts)',
            ExpressionAttributeValues: { ':facts': 'FACTS#' },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return bookedFacts(items).filter((fact) => fact.declarationId === id);
    },
    destroy: () => resources.destroy(),
  };
};

/** Every history entry starts where the one before ended: no transition lost or applied twice. */
export const historyIsAChain = (history: { from: string | null; to: string }[]): boolean =>
  history.every((entry, index) =>
    index === 0 ? entry.from === null : entry.from === history[index - 1]?.to,
  );
