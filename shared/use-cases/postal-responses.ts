// The post's customs responses: recorded from the bus (functions/postal-responses), announced to the
// post's webhook as PostalResponseIssued, and polled through GET /v1/postal/responses.
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { domainEvent, type EventEnvelope, eventBase } from '../domain/events.js';
import { type PostalResponse, postalResponsesOf, responseKey } from '../domain/postal/responses.js';
import { type CursorCodec, cursorCodec, InvalidCursorError } from '../lib/cursor.js';
import type { PublishEvents } from './ports/events.js';
import { FEED_PREFIX, type PostalResponseStore } from './ports/postal.js';

export interface RecordResponseDeps {
  store: Pick<PostalResponseStore, 'record' | 'markPublished'>;
  publish: PublishEvents;
  now: () => Date;
}

export type RecordResponseOutcome = 'RECORDED' | 'ALREADY_RECORDED' | 'NOT_A_RESPONSE';

/**
 * Records the responses an event means for a post, once each, and announces them. A repeated event finds
 * a response recorded and publishes it only when the earlier attempt stopped before publishing.
 */
export const recordPostalResponse = async (
  envelope: EventEnvelope,
  deps: RecordResponseDeps,
): Promise<RecordResponseOutcome> => {
  const detail = envelope.detail as Parameters<typeof postalResponsesOf>[1];
  const responses = postalResponsesOf(envelope['detail-type'], detail);
  if (responses.length === 0) return 'NOT_A_RESPONSE';
  const filerId = detail.platformId;
  let recorded = false;
  for (const response of responses) {
    const outcome = await deps.store.record(filerId, response, deps.now());
    recorded ||= outcome.recorded;
    if (!outcome.published) {
      await deps.publish([
        domainEvent('PostalResponseIssued', {
          ...response,
          ...eventBase(
            {
              id: detail.declarationId,
              platformId: filerId,
              reference: response.itemId,
              status: detail.status,
            },
            response.at,
          ),
          responseId: responseKey(response),
        }),
      ]);
      await deps.store.markPublished(filerId, response);
    }
  }
  return recorded ? 'RECORDED' : 'ALREADY_RECORDED';
};

const Position = z.strictObject({ after: z.string().startsWith(FEED_PREFIX).max(1024) });
type Position = z.infer<typeof Position>;

export const responseCursors = (key: Uint8Array): CursorCodec<Position> => cursorCodec(key, Position);

/**
 * Responses become visible to polling this long after they are recorded, so one recorded a moment
 * earlier by a concurrent consumer cannot land behind a cursor a post already holds.
 */
export const SETTLE_MS = 2_000;
export const DEFAULT_RESPONSE_LIMIT = 100;

export interface ListResponsesDeps {
  store: Pick<PostalResponseStore, 'page'>;
  cursors: CursorCodec<Position>;
  now: () => Date;
}

/**
 * A page of the post's responses in the order they were recorded, after `since`. The cursor returned is
 * always where to poll from next: at the end of the feed it stays put until newer responses arrive.
 */
export const listPostalResponses = async (
  command: { filerId: string; since?: string | undefined; limit?: number | undefined },
  deps: ListResponsesDeps,
): Promise<{ items: PostalResponse[]; cursor: string }> => {
  const binding = command.filerId;
  let after: string | undefined;
  if (command.since) {
    try {
      after = deps.cursors.decode(command.since, binding).after;
    } catch (error) {
      if (error instanceof InvalidCursorError)
        throw new ValidationError([{ path: 'since', message: error.message }]);
      throw error;
    }
  }
  const until = new Date(deps.now().getTime() - SETTLE_MS);
  const page = await deps.store.page({
    filerId: command.filerId,
    until,
    limit: command.limit ?? DEFAULT_RESPONSE_LIMIT,
    ...(after ? { after } : {}),
  });
  const last = page.at(-1)?.position ?? after ?? FEED_PREFIX;
  return {
    items: page.map((entry) => entry.response),
    cursor: deps.cursors.encode({ after: last }, binding),
  };
};
