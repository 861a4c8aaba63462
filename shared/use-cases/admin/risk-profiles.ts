// Risk profiles (/v1/admin/risk-profiles): stored versions over the built-in ones, with their statistics.
// A stored version must compile, and versions that have started can only be followed, not replaced.

import type { Principal } from '../../domain/caller.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { EndQuery } from '../../domain/reference/admin.js';
import { BUILTIN_PROFILES } from '../../domain/risk/builtin-profiles.js';
import { compileProfiles } from '../../domain/risk/evaluate.js';
import { profilesInForce, type RiskProfile } from '../../domain/risk/profile.js';
import { hitRate, type ProfileCounters } from '../../domain/risk/profile-stats.js';
import type { StoredRecord } from '../ports/reference.js';
import { type AdminDeps, endReference, invalid, type KindSpec, today } from './versioned-reference.js';

export const RISK_PROFILES: KindSpec<RiskProfile, RiskProfile> = {
  kind: 'PROFILE',
  noun: 'risk profile',
  keyName: 'id',
  toVersion: (profile, id) => {
    if (profile.id !== id) {
      throw invalid([{ path: 'id', message: `must be the id in the path (${id})` }], 'risk profile');
    }
    // The risk step compiles every profile in force: one it could not compile would stop it.
    compileProfiles([profile]);
    return profile;
  },
  periods: true,
  protectStarted: true,
};

const BUILTINS: ReadonlyMap<string, RiskProfile> = new Map(
  (BUILTIN_PROFILES as readonly RiskProfile[]).map((profile) => [profile.id, profile]),
);

const profileView = (
  id: string,
  record: StoredRecord<RiskProfile> | undefined,
  counters: ProfileCounters,
  day: string,
) => {
  const builtin = BUILTINS.get(id);
  const versions = record?.versions ?? [];
  const inForce = profilesInForce([...(builtin ? [builtin] : []), ...versions], day)[0] ?? null;
  return {
    id,
    builtin: builtin !== undefined,
    revision: record?.revision ?? 0,
    inForce,
    versions,
    ...(builtin ? { builtinVersion: builtin } : {}),
    stats: { ...counters, hitRate: hitRate(counters) },
  };
};

export const getRiskProfile = async (command: { key: string }, deps: AdminDeps) => {
  const id = command.key;
  const [record, stats] = await Promise.all([
    deps.writer.read<RiskProfile>('PROFILE', id),
    deps.stats.getMany([id]),
  ]);
  if (!record.stored && !BUILTINS.has(id)) throw new NotFoundError(`No risk profile ${id}`);
  return profileView(
    id,
    record.stored ? record : undefined,
    stats.get(id) ?? { hits: 0, checks: 0, confirmed: 0 },
    today(deps),
  );
};

export const listRiskProfiles = async (deps: AdminDeps) => {
  const records = await deps.writer.listAll<RiskProfile>('PROFILE');
  const byId = new Map(records.map((record) => [record.key, record]));
  const ids = [...new Set([...BUILTINS.keys(), ...byId.keys()])].sort();
  const stats = await deps.stats.getMany(ids);
  const day = today(deps);
  return {
    items: ids.map((id) =>
      profileView(id, byId.get(id), stats.get(id) ?? { hits: 0, checks: 0, confirmed: 0 }, day),
    ),
  };
};

export const endRiskProfile = async (
  command: { key: string; query: EndQuery; principal: Principal },
  deps: AdminDeps,
) => {
  const id = command.key;
  const record = await deps.writer.read<RiskProfile>('PROFILE', id);
  if (!record.stored && BUILTINS.has(id)) {
    throw new ConflictError(
      `${id} is a built-in profile: it cannot be ended, only overridden by a version with the same id (PUT)`,
    );
  }
  await endReference(RISK_PROFILES, command, deps);
  // Removing a profile's only version leaves nothing stored: the answer is then the empty profile, not a
  // 404 that would make a successful DELETE look failed.
  const [after, stats] = await Promise.all([
    deps.writer.read<RiskProfile>('PROFILE', id),
    deps.stats.getMany([id]),
  ]);
  return profileView(
    id,
    after.stored ? after : undefined,
    stats.get(id) ?? { hits: 0, checks: 0, confirmed: 0 },
    today(deps),
  );
};
