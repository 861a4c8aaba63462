// What the use cases need of the declarations: lodged once, read by id or a page of a list at a time, and
// changed only under the version read, with what each change causes (StateEffect) in the same write.

import type { StateEffect } from '../../domain/clearance/effects.js';
import type { DeclarationRecord, Status, StoredDeclaration } from '../../domain/clearance/record.js';
import type { ListedDeclaration } from '../../domain/clearance/summary.js';
import type { Declaration } from '../../domain/declaration/declaration.js';
import type { ConflictError } from '../../domain/errors.js';

export type CreateResult = { created: true } | { created: false; existing: DeclarationRecord };

/**
 * The outcome of one declaration of `createMany`: a conflict is reported instead of thrown, and so is a
 * write that failed (the store was busy), so the caller knows exactly which of the others were stored.
 */
export type CreateManyResult =
  | CreateResult
  | { created: false; conflict: ConflictError }
  | { created: false; failure: unknown };

/** The lists: one platform's declarations, and every declaration lodged on a day. */
export type ListIndex = 'byPlatform' | 'byDay';

/** Where a list page ended, as the store hands it out; opaque to the use cases. */
export type ListPosition = Record<string, string>;

/** One page of a list, newest first unless `ascending`. */
export interface ListQuery {
  index: ListIndex;
  /** Which list: the platform id (byPlatform) or the lodgement day, YYYY-MM-DD (byDay). */
  key: string;
  /** Inclusive bounds on the lodgement time (`createdAt`, or a prefix of it). */
  from?: string;
  to?: string;
  status?: Status;
  /** Only declarations in this risk lane / of this platform. */
  lane?: string;
  platformId?: string;
  /** Oldest first instead of newest first. */
  ascending?: boolean;
  limit: number;
  /** Where the previous page of this list ended; a position of another list is refused (InvalidCursorError). */
  startKey?: ListPosition;
}

/** What a list shows of each declaration. */
export interface DeclarationSummaryRow extends ListedDeclaration {
  risk?: { lane: string };
  assessment?: { totals: Record<string, string> };
  goodsValue?: { amount: string; currency: string };
}

export interface DeclarationStore {
  /** Stores a new declaration exactly once; a refused lodgement answers with the stored state. */
  create(record: DeclarationRecord, declaration: Declaration): Promise<CreateResult>;
  /** Stores many new declarations (distinct ids) with the guarantees of `create`, each on its own. */
  createMany(entries: { record: DeclarationRecord; declaration: Declaration }[]): Promise<CreateManyResult[]>;
  /** One page of a list; may be shorter than `limit` with a position to go on from, never longer. */
  listPage(query: ListQuery): Promise<{ items: DeclarationSummaryRow[]; lastKey?: ListPosition }>;
  getState(id: string): Promise<DeclarationRecord | undefined>;
  /** The states of many declarations (no bodies). */
  getStates(ids: string[]): Promise<Map<string, DeclarationRecord>>;
  get(id: string): Promise<StoredDeclaration | undefined>;
  /**
   * The current declarations of `ids`. Those given in `lodged` (as lodged, e.g. from the table's stream:
   * the lodgement is never rewritten) are not read again, only whether their state moved on since.
   */
  getMany(
    ids: string[],
    lodged?: ReadonlyMap<string, StoredDeclaration>,
  ): Promise<Map<string, StoredDeclaration>>;
  /** The first lodgement day the personal-data erasure job has not finished. */
  erasureWatermark: { read(): Promise<string | undefined>; write(day: string): Promise<void> };
  /**
   * Replaces the lodged body if nobody else wrote since `record.version` was read; throws
   * VersionConflictError otherwise.
   */
  replaceBody(record: DeclarationRecord, declaration: Declaration): Promise<DeclarationRecord>;
  /**
   * Writes a new state if nobody else wrote since `record.version` was read, with what it causes
   * (`effects`) in the same transaction, so they happen exactly once. Throws VersionConflictError when
   * another writer won, ConcurrentUpdateError when a write of an effect was refused.
   */
  save(record: DeclarationRecord, effects?: readonly StateEffect[]): Promise<DeclarationRecord>;
}
