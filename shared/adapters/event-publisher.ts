// Publishes domain events to the stack's bus, ten entries per call (several calls in flight at once),
// retrying only the failed entries.
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { eventSource } from '../domain/events.js';
import type { PublishEvents } from '../use-cases/ports/events.js';
import { eventBridge } from './aws-clients.js';
import { chunk, mapConcurrent, retryFailed } from './retry.js';

/** PutEvents calls in flight at once for one large publish. */
const CONCURRENT_CALLS = 8;

export const eventPublisher =
  (busName: string, country: string, client: EventBridgeClient = eventBridge()): PublishEvents =>
  async (events) => {
    const entries: PutEventsRequestEntry[] = events.map((event) => ({
      EventBusName: busName,
      Source: eventSource(country),
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Resources: [],
    }));
    await mapConcurrent(chunk(entries, 10), CONCURRENT_CALLS, (batch) =>
      retryFailed(
        batch,
        async (pending) => {
          const result = await client.send(new PutEventsCommand({ Entries: pending }));
          if (!result.FailedEntryCount) return [];
          // Entries come back in request order; an entry with an ErrorCode was not accepted.
          return pending.filter((_, index) => result.Entries?.[index]?.ErrorCode !== undefined);
        },
        'PutEvents',
      ),
    );
  };
