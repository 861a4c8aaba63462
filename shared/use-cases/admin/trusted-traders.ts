// Trusted traders (/v1/admin/trusted-traders/{id}): one record per kind the id is trusted as (seller,
// platform, carrier, post), stored as `<kind>:<id>`; GET and DELETE of an id span all its kinds.
import type { Principal } from '../../domain/caller.js';
import { NotFoundError } from '../../domain/errors.js';
import {
  TraderKind,
  type TrustedTraderEndQuery,
  type TrustedTraderRequest,
  type TrustedTraderVersion,
  trustedTraderKey,
} from '../../domain/reference/admin.js';
import type { StoredRecord } from '../ports/reference.js';
import {
  type AdminDeps,
  applyChange,
  endChange,
  type KindSpec,
  today,
  withPeriod,
} from './versioned-reference.js';

export const TRUSTED_TRADERS: KindSpec<TrustedTraderVersion, TrustedTraderRequest> = {
  kind: 'TRUSTED',
  noun: 'trusted trader',
  keyName: 'id',
  toVersion: (parsed) => {
    return {
      kind: parsed.kind,
      name: parsed.name,
      authorisedFilers: parsed.authorisedFilers,
      ...withPeriod(parsed),
    };
  },
  storageKey: (id, version) => trustedTraderKey(version.kind, id),
  periods: true,
  protectStarted: false,
};

const TRADER_KINDS = TraderKind.options;

const traderView = (id: string, records: StoredRecord<TrustedTraderVersion>[]) => ({
  id,
  records: records.map((record) => ({
    kind: record.key.slice(0, record.key.indexOf(':')) as TrustedTraderVersion['kind'],
    key: record.key,
    revision: record.revision,
    versions: record.versions,
  })),
});

export const getTrustedTrader = async (command: { key: string }, deps: AdminDeps) => {
  const id = command.key;
  const records = await deps.writer.readMany<TrustedTraderVersion>(
    'TRUSTED',
    TRADER_KINDS.map((kind) => trustedTraderKey(kind, id)),
  );
  const view = traderView(
    id,
    records.filter((record) => record.stored),
  );
  if (view.records.length === 0) throw new NotFoundError(`No trusted trader is stored for ${id}`);
  return view;
};

/** DELETE a trusted trader: as DELETE of other kinds, for `?kind=` or every kind the id is stored as. */
export const endTrustedTrader = async (
  command: { key: string; query: TrustedTraderEndQuery; principal: Principal },
  deps: AdminDeps,
) => {
  const id = command.key;
  const { kind, ...query } = command.query;
  const day = today(deps);
  const kinds = kind ? [kind] : TRADER_KINDS;
  const stored = (
    await deps.writer.readMany<TrustedTraderVersion>(
      'TRUSTED',
      kinds.map((each) => trustedTraderKey(each, id)),
    )
  ).filter((record) => record.stored);
  if (stored.length === 0) throw new NotFoundError(`No trusted trader is stored for ${id}`);
  const records: StoredRecord<TrustedTraderVersion>[] = [];
  for (const record of stored) {
    const { after } = await applyChange<TrustedTraderVersion>(
      'TRUSTED',
      record.key,
      'DELETE',
      command.principal,
      deps,
      (current) => (current.stored ? endChange<TrustedTraderVersion>(query, day)(current) : undefined),
    );
    records.push(after);
  }
  return traderView(id, records);
};
