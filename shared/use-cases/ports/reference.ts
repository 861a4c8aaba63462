// What the use cases need of the administration's reference data: versioned records read by kind and
// key (cached reads for the pipeline), and for the administration itself consistent reads and writes
// under a revision condition, each with its audit entry.
import type { AdminKind, AuditEntry } from '../../domain/reference/admin.js';

/** The kinds of reference data, as the reference table names them. */
export type ReferenceKind = AdminKind;

/** One record of a versioned collection: the versions of one key, newest validFrom last. */
export interface Versioned<T> {
  key: string;
  versions: (T & { validFrom: string; validTo?: string })[];
}

export interface ReferenceStore {
  /** The versioned records of many keys of one kind; keys without a record are absent from the map. */
  getMany<T>(kind: ReferenceKind, keys: string[]): Promise<Map<string, Versioned<T>>>;
  get<T>(kind: ReferenceKind, key: string): Promise<Versioned<T> | undefined>;
  /** Every record of a kind listed whole (profiles, reference prices, tax rates, surcharges). */
  listAll<T>(kind: ReferenceKind): Promise<Versioned<T>[]>;
}

/** One key's versions as stored, with the revision a conditional write checks. */
export interface StoredRecord<V> {
  kind: ReferenceKind;
  key: string;
  versions: V[];
  /** Incremented by every write; 0 for a record stored without one (or not stored). */
  revision: number;
  stored: boolean;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'kind' | 'key'>;

export interface AuditPageQuery {
  from: string;
  to: string;
  kind?: string;
  key?: string;
  limit: number;
  /** The position of the last entry of the previous page. */
  after?: string;
}

export interface ReferenceWriter {
  /** The current versions of a key, read consistently (an admin sees their own write). */
  read<V>(kind: ReferenceKind, key: string): Promise<StoredRecord<V>>;
  /** The current versions of many keys of one kind; keys without a record come back unstored. */
  readMany<V>(kind: ReferenceKind, keys: string[]): Promise<StoredRecord<V>[]>;
  listAll<V>(kind: ReferenceKind): Promise<StoredRecord<V>[]>;
  /**
   * Replaces a record's versions (none left: the record goes) if nobody wrote it since it was read, with
   * its audit entry; throws RevisionConflictError (domain/errors.ts) when someone did.
   */
  write<V>(record: StoredRecord<V>, versions: V[], audit: AuditInput): Promise<StoredRecord<V>>;
  /** Audit entries between two dates (inclusive), newest first, one page at a time. */
  auditPage(query: AuditPageQuery): Promise<{ items: AuditEntry[]; last?: string }>;
}
