// A post files its items: up to a thousand CN23 data sets as JSON, or the same as an ITMATT message.
// Each item is checked on its own (S10 id, category, the data its category makes mandatory), becomes a
// declaration with channel POST and reference = its item id, and is lodged through the same batch path
// as a platform's declarations (same idempotency: same content 200, other content under the id 409).

import { toFieldErrors } from '../domain/declaration/declaration.js';
import type { PostalItemResult } from '../domain/declaration/lodgement.js';
import { ValidationError } from '../domain/errors.js';
import { PostalEnvelopeSchema, parsePostalItem } from '../domain/postal/cn23.js';
import { itmattItems, refuseDeclarations, XmlRefusedError } from '../domain/postal/itmatt.js';
import { toDeclaration } from '../domain/postal/to-declaration.js';
import {
  countRefused,
  type LodgeBatchDeps,
  type LodgeEntry,
  lodgeEntries,
  withinTerritory,
} from './lodge-batch.js';
import type { ReadItmatt } from './ports/postal.js';

export interface LodgePostalResult {
  results: PostalItemResult[];
  accepted: number;
  rejected: number;
}

const itemIdOf = (raw: unknown): string | undefined => {
  const id = raw !== null && typeof raw === 'object' ? (raw as { itemId?: unknown }).itemId : undefined;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
};

/** Paths name the item in the request: `items.3.contents.0.hsCode`. */
const prefixed = (index: number, errors: { path: string; message: string }[]) =>
  errors.map((error) => ({
    ...error,
    path: `items.${index}${error.path === '(body)' ? '' : `.${error.path}`}`,
  }));

export const lodgePostalItems = async (
  command: { filerId: string; items: readonly unknown[] },
  deps: LodgeBatchDeps,
): Promise<LodgePostalResult> => {
  // Each item is checked on its own: one that is not valid is refused alone.
  const raws = command.items;
  const entries: LodgeEntry[] = withinTerritory(
    raws.map((raw, index) => {
      const parsed = parsePostalItem(raw);
      return parsed.success
        ? { index, declaration: toDeclaration(parsed.data) }
        : { index, errors: prefixed(index, toFieldErrors(parsed.error)) };
    }),
    deps,
    (index) => `items.${index}.addressee.address.country`,
  );
  const [lodged] = await Promise.all([
    lodgeEntries({ platformId: command.filerId, entries }, deps),
    countRefused(command.filerId, entries, raws, deps),
  ]);
  const results = lodged.results.map((result): PostalItemResult => {
    const itemId = itemIdOf(raws[result.index]);
    return { ...result, ...(itemId === undefined ? {} : { itemId }) };
  });
  return { results, accepted: lodged.accepted, rejected: lodged.rejected };
};

export interface LodgeItmattDeps extends LodgeBatchDeps {
  readItmatt: ReadItmatt;
}

/**
 * An ITMATT message: refused whole when it declares a DOCTYPE or entities, is not well-formed or does not
 * follow the published schema (the errors name the item and element); otherwise its items are lodged
 * one by one as the JSON route does.
 */
export const lodgeItmatt = async (
  command: { filerId: string; xml: string },
  deps: LodgeItmattDeps,
): Promise<LodgePostalResult> => {
  // Before any parser sees the text: no DTD, no entity declarations.
  try {
    refuseDeclarations(command.xml);
  } catch (error) {
    if (error instanceof XmlRefusedError)
      throw new ValidationError([{ path: '(body)', message: error.message }]);
    throw error;
  }
  const reading = deps.readItmatt(command.xml);
  if (!reading.valid) {
    throw new ValidationError(
      reading.errors,
      reading.wellFormed
        ? 'The message does not follow the ITMATT schema (GET /v1/postal/itmatt.xsd)'
        : 'The message is not well-formed XML',
    );
  }
  // The message's items within the limits a JSON request has (checked there at the edge).
  const envelope = PostalEnvelopeSchema.safeParse(itmattItems(reading.root), { reportInput: true });
  if (!envelope.success) {
    throw new ValidationError(toFieldErrors(envelope.error), 'The postal items are not valid');
  }
  return lodgePostalItems({ filerId: command.filerId, items: envelope.data.items }, deps);
};
