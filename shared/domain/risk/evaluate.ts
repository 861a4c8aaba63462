// The risk engine (DESIGN.md section 5): profiles compiled once, then matched against each enriched
// declaration. Each hit keeps its profile id and a sentence a person understands.
//
// Lanes: GREEN releases, AMBER is a documentary check, RED an inspection. The lane is the highest of
// the hits' own lanes and of the lane the total score reaches (LANE_THRESHOLDS).
// Agency holds: a profile with action HOLD holds the consignment (for its `agency` when set) but sets
// no lane unless it also has one; the lane only says what customs checks.
// Trusted traders (a trusted seller or platform): every hit that is not RESTRICTED counts half its
// score (rounded down) and loses an AMBER lane of its own, so several signals together can still
// reach AMBER by score, one alone does not. RESTRICTED hits keep their full score and lane; a RED lane
// of any profile, holds and rejections are never lowered.
//
// Speed: matchers are compiled once, and profiles are indexed by the values their patterns require
// (item.hsHeading "9503", item.referencePriceRatio < 0.3, taxRegistration.registered false, ...; see
// profile-index.ts), so a declaration only runs the matchers of the profiles that can hit it.

import { compilePattern, type EventMatcher, InvalidPatternError } from '../../lib/event-pattern.js';
import type { FieldError } from '../declaration/declaration.js';
import { ValidationError } from '../errors.js';
import { ENRICHED_FIELD_PATHS, type EnrichedDeclaration, type EnrichedItem } from './enrich.js';
import {
  type ProfileAction,
  type ProfileCategory,
  type ProfileLane,
  patternFieldErrors,
  patternFieldPaths,
  publicReasonOf,
  type RiskProfile,
} from './profile.js';
import { buildProfileIndex, isCandidate, type ProfileIndex, selectCandidates } from './profile-index.js';
import { type CompiledReason, parseReason, renderReason } from './reason.js';

export type RiskLane = 'GREEN' | 'AMBER' | 'RED';

export interface LaneThresholds {
  /** Total score from which a consignment goes AMBER. */
  amber: number;
  /** Total score from which it goes RED. */
  red: number;
}

export const LANE_THRESHOLDS: Readonly<LaneThresholds> = Object.freeze({ amber: 20, red: 50 });

/** A trusted trader's non-restricted hits count score / TRUSTED_SCORE_DIVISOR, rounded down. */
export const TRUSTED_SCORE_DIVISOR = 2;

/** A hit names at most this many items; the rest are counted. */
export const MAX_ITEMS_IN_REASON = 5;

export interface RiskHit {
  profileId: string;
  reason: string;
  /** The score the hit counts for, after the trusted-trader rule. */
  score: number;
  lane?: ProfileLane;
  action?: ProfileAction;
  agency?: string;
  category?: ProfileCategory;
  /** Set when the trusted-trader rule lowered the score or waived the lane of this hit. */
  trustLowered?: true;
  /** What the filer is shown; absent when the hit is for officers only (see publicReasonOf). */
  publicReason?: string;
}

export interface RiskHold {
  reason: string;
  agency?: string;
  profileId: string;
}

export interface RiskResult {
  lane: RiskLane;
  score: number;
  hits: RiskHit[];
  holds: RiskHold[];
  /** True when a hit's profile rejects the declaration. */
  reject?: true;
}

export interface EvaluateOptions {
  /** The seller or the platform is a trusted trader on the date (see isTrustedTrader). */
  trusted: boolean;
  thresholds?: LaneThresholds;
}

/** A profile set that cannot be compiled; each error names the field and says why. */
export class InvalidRiskProfileError extends ValidationError {
  constructor(
    readonly profileId: string,
    errors: FieldError[],
  ) {
    super(
      errors,
      `Risk profile ${profileId} is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------

interface CompiledProfile {
  readonly profile: RiskProfile;
  readonly matches: EventMatcher;
  readonly testsItems: boolean;
  readonly restricted: boolean;
  readonly reason: CompiledReason | undefined;
  readonly publicReason: string | undefined;
}

/** Build with compileProfiles; reuse for every declaration evaluated with the same profile versions. */
export interface CompiledProfiles {
  readonly ids: readonly string[];
  readonly entries: readonly CompiledProfile[];
  readonly index: ProfileIndex;
}

const KNOWN_PATHS: ReadonlySet<string> = new Set(ENRICHED_FIELD_PATHS);

const compileOne = (profile: RiskProfile): CompiledProfile => {
  let matches: EventMatcher;
  try {
    matches = compilePattern(profile.when);
  } catch (error) {
    if (error instanceof InvalidPatternError) {
      throw new InvalidRiskProfileError(profile.id, [{ path: 'when', message: error.reason }]);
    }
    throw error;
  }
  const errors = patternFieldErrors(profile.when);
  let reason: CompiledReason | undefined;
  if (profile.reason !== undefined) {
    const parsed = parseReason(profile.reason, (path) => KNOWN_PATHS.has(path));
    errors.push(...parsed.errors.map((message) => ({ path: 'reason', message })));
    reason = parsed.reason;
  }
  if (errors.length > 0) throw new InvalidRiskProfileError(profile.id, errors);
  return {
    profile,
    matches,
    testsItems: patternFieldPaths(profile.when).some((path) => path.startsWith('item.')),
    restricted: profile.category === 'RESTRICTED',
    reason,
    publicReason: publicReasonOf(profile),
  };
};

/**
 * Compiles the profile versions in force (see profilesInForce) once, for any number of evaluations.
 * Throws InvalidRiskProfileError for an invalid pattern, an unknown field or a repeated id.
 */
export const compileProfiles = (profiles: readonly RiskProfile[]): CompiledProfiles => {
  const seen = new Set<string>();
  const entries = profiles.map((profile) => {
    if (seen.has(profile.id)) {
      throw new InvalidRiskProfileError(profile.id, [
        {
          path: 'id',
          message: 'appears twice; compile only the versions in force on a date (profilesInForce)',
        },
      ]);
    }
    seen.add(profile.id);
    return compileOne(profile);
  });
  return {
    ids: entries.map((entry) => entry.profile.id),
    entries,
    index: buildProfileIndex(profiles.map((profile) => profile.when)),
  };
};

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

const LANE_RANK: Readonly<Record<RiskLane, number>> = { GREEN: 0, AMBER: 1, RED: 2 };
const LANES: readonly RiskLane[] = ['GREEN', 'AMBER', 'RED'];

/** The lane a total score reaches on its own. */
export const laneForScore = (score: number, thresholds: LaneThresholds = LANE_THRESHOLDS): RiskLane =>
  score >= thresholds.red ? 'RED' : score >= thresholds.amber ? 'AMBER' : 'GREEN';

/** The trusted-trader flag evaluate expects: the seller or the platform is trusted. */
export const isTrustedTrader = (view: EnrichedDeclaration): boolean =>
  view.seller.trusted || view.platform.trusted;

/** The items a hit is about: those that match the pattern on their own. Empty when the hit is not about items. */
const itemsBehind = (entry: CompiledProfile, view: EnrichedDeclaration): EnrichedItem[] => {
  const probe: EnrichedDeclaration = { ...view, item: [] };
  if (entry.matches(probe)) return [];
  const items: EnrichedItem[] = [];
  for (const item of view.item) {
    probe.item = [item];
    if (entry.matches(probe)) items.push(item);
  }
  return items;
};

const explain = (entry: CompiledProfile, view: EnrichedDeclaration): string => {
  const { profile, reason } = entry;
  if (reason !== undefined && !reason.perItem) return renderReason(reason, view, undefined);
  const items = entry.testsItems ? itemsBehind(entry, view) : [];
  if (items.length === 0) return profile.description;
  const shown = items.slice(0, MAX_ITEMS_IN_REASON);
  const more = items.length - shown.length;
  const tail = more > 0 ? `; and ${more} more item${more === 1 ? '' : 's'}` : '';
  if (reason === undefined) {
    return `${profile.description}: ${shown.map((item) => `Item ${item.line} (HS ${item.hsCode})`).join(', ')}${tail}`;
  }
  return shown.map((item) => renderReason(reason, view, item)).join('; ') + tail;
};

/**
 * Matches every compiled profile against one enriched declaration. Score = sum of the hits' scores;
 * lane = highest of the hits' lanes and the lane the score reaches; holds come from HOLD profiles.
 */
export const evaluate = (
  compiled: CompiledProfiles,
  view: EnrichedDeclaration,
  options: EvaluateOptions,
): RiskResult => {
  const thresholds = options.thresholds ?? LANE_THRESHOLDS;
  const { index } = compiled;
  selectCandidates(index, view);

  let score = 0;
  let laneRank = 0;
  let reject = false;
  const hits: RiskHit[] = [];
  const holds: RiskHold[] = [];
  let position = -1;
  for (const entry of compiled.entries) {
    position++;
    if (!isCandidate(index, position)) continue;
    if (!entry.matches(view)) continue;

    const { profile } = entry;
    const lowered = options.trusted && !entry.restricted;
    const hitScore = lowered ? Math.floor(profile.score / TRUSTED_SCORE_DIVISOR) : profile.score;
    const hitLane = lowered && profile.lane === 'AMBER' ? undefined : profile.lane;
    const reason = explain(entry, view);
    const hit: RiskHit = { profileId: profile.id, reason, score: hitScore };
    if (hitLane !== undefined) {
      hit.lane = hitLane;
      laneRank = Math.max(laneRank, LANE_RANK[hitLane]);
    }
    if (profile.action !== undefined) hit.action = profile.action;
    if (profile.agency !== undefined) hit.agency = profile.agency;
    if (profile.category !== undefined) hit.category = profile.category;
    if (hitScore !== profile.score || hitLane !== profile.lane) hit.trustLowered = true;
    if (entry.publicReason !== undefined) hit.publicReason = entry.publicReason;
    hits.push(hit);
    score += hitScore;

    if (profile.action === 'HOLD') {
      holds.push(
        profile.agency === undefined
          ? { reason, profileId: profile.id }
          : { reason, agency: profile.agency, profileId: profile.id },
      );
    } else if (profile.action === 'REJECT') {
      reject = true;
    }
  }

  const lane = LANES[Math.max(laneRank, LANE_RANK[laneForScore(score, thresholds)])] ?? 'RED';
  const result: RiskResult = { lane, score, hits, holds };
  if (reject) result.reject = true;
  return result;
};
