// Customs responses to a post (CUSRSP-like, DESIGN.md section 12): every status change of a postal item
// the post must act on, derived from the declaration events on the bus. Derived, not decided: the same
// event always gives the same response with the same key, so a repeated delivery cannot add a second one.

import type { DetailType, EventDetail } from '../events.js';
import { Decimal } from '../money.js';

export const POSTAL_RESPONSE_CODES = [
  'RELEASED',
  'HELD',
  'DUTY_DUE',
  'REFUSED',
  'RETURN',
  'DESTROY',
] as const;
export type PostalResponseCode = (typeof POSTAL_RESPONSE_CODES)[number];

/** What happens to seized goods: sent back to the sender, or destroyed. */
export const DISPOSALS = ['RETURN', 'DESTROY'] as const;
export type Disposal = (typeof DISPOSALS)[number];

export interface PostalResponse {
  /** The item's S10 id (the declaration's reference). */
  itemId: string;
  declarationId: string;
  code: PostalResponseCode;
  /** DUTY_DUE: what is due at import, in `currency`. */
  amountDue?: string;
  currency?: string;
  /** DUTY_DUE: who pays it (INTERMEDIARY: the post collects it on delivery). */
  payer?: string;
  reason?: string;
  at: string;
}

/** The detail types a postal response can come from: what the bus rule subscribes to. */
export const RESPONSE_SOURCES = [
  'DutyAssessed',
  'DeclarationHeld',
  'DeclarationReleased',
  'DeclarationRejected',
] as const satisfies readonly DetailType[];
type ResponseSource = (typeof RESPONSE_SOURCES)[number];

/** Postal filers are kept as `post:<operator>` (see filer.ts). */
export const POSTAL_FILER_PREFIX = 'post:';
export const isPostalFiler = (filerId: string): boolean => filerId.startsWith(POSTAL_FILER_PREFIX);

const isSource = (detailType: string): detailType is ResponseSource =>
  (RESPONSE_SOURCES as readonly string[]).includes(detailType);

type Base = Pick<PostalResponse, 'itemId' | 'declarationId' | 'at'>;

/** DUTY_DUE, when something is due at import. */
const dutyDue = (
  base: Base,
  due: { dueAtImport?: string | undefined; currency?: string | undefined; payer?: string | undefined },
): PostalResponse[] =>
  due.dueAtImport !== undefined && new Decimal(due.dueAtImport).greaterThan(0)
    ? [
        {
          ...base,
          code: 'DUTY_DUE',
          amountDue: due.dueAtImport,
          ...(due.currency ? { currency: due.currency } : {}),
          ...(due.payer ? { payer: due.payer } : {}),
        },
      ]
    : [];

/**
 * The responses an event means for the post that filed the item, in the order the post acts on them:
 * none for events about a platform's declarations, an assessment with nothing due at import, and events
 * no post acts on; DUTY_DUE then RELEASED for a release that says something is due at import.
 */
export const postalResponsesOf = (
  detailType: DetailType,
  detail: EventDetail<DetailType>,
): PostalResponse[] => {
  if (!isSource(detailType) || !isPostalFiler(detail.platformId)) return [];
  const base = { itemId: detail.reference, declarationId: detail.declarationId, at: detail.occurredAt };
  switch (detailType) {
    case 'DutyAssessed':
      return dutyDue(base, detail as EventDetail<'DutyAssessed'>);
    case 'DeclarationHeld': {
      const held = detail as EventDetail<'DeclarationHeld'>;
      return [{ ...base, code: 'HELD', ...(held.reason ? { reason: held.reason } : {}) }];
    }
    case 'DeclarationReleased': {
      const released = detail as EventDetail<'DeclarationReleased'>;
      return [...dutyDue(base, released), { ...base, code: 'RELEASED', at: released.releasedAt }];
    }
    case 'DeclarationRejected': {
      const rejected = detail as EventDetail<'DeclarationRejected'>;
      const reason = rejected.reason ? { reason: rejected.reason } : {};
      // A seizure closes the declaration too; what the post does with the goods is the disposal.
      if (rejected.status === 'SEIZED') return [{ ...base, code: rejected.disposal ?? 'DESTROY', ...reason }];
      return [{ ...base, code: 'REFUSED', ...reason }];
    }
  }
};

/** The response's identity: one fact about one item at one moment. */
export const responseKey = (response: PostalResponse): string =>
  `${response.declarationId}#${response.code}#${response.at}`;
