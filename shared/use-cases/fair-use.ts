// Admission by fair use: before a request does any work, it is counted against its caller's limits (or,
// anonymous, its source address's), in one conditional write that every instance shares.
import type { Principal } from '../domain/caller.js';
import {
  type FairUseCharge,
  FairUseExceededError,
  type FairUseLimits,
  type FairUseWindow,
  windowAt,
} from '../domain/fair-use.js';

export type CountOutcome = { admitted: true } | { admitted: false; requests: number; declarations: number };

/** Adds a charge to its key's counters in the window unless that would pass a maximum. */
export type CountFairUse = (charge: FairUseCharge, window: FairUseWindow) => Promise<CountOutcome>;

export interface FairUseRequest {
  caller: Principal | undefined;
  /** Counted per source address when anonymous; otherwise anonymous calls are not counted here. */
  anonymousCounted: boolean;
  sourceIp: string;
  declarations: number;
}

export interface FairUseGate {
  admit(request: FairUseRequest): Promise<void>;
}

export const fairUseGate = (limits: FairUseLimits, count: CountFairUse, now: () => Date): FairUseGate => ({
  async admit({ caller, anonymousCounted, sourceIp, declarations }) {
    let charge: FairUseCharge;
    if (caller) {
      charge = {
        key: `caller:${caller.role}:${caller.subject}`,
        requests: 1,
        declarations,
        maxRequests: limits.requests,
        maxDeclarations: limits.declarations,
      };
    } else if (anonymousCounted) {
      charge = {
        key: `source:${sourceIp}`,
        requests: 1,
        declarations: 0,
        maxRequests: limits.anonymousQuotes,
        maxDeclarations: 0,
      };
    } else {
      return;
    }
    const window = windowAt(now(), limits.windowSeconds);
    const outcome = await count(charge, window);
    if (outcome.admitted) return;
    const overRequests = outcome.requests + charge.requests > charge.maxRequests;
    const limit = !caller ? 'anonymousQuotes' : overRequests ? 'requests' : 'declarations';
    const allowed = limit === 'declarations' ? charge.maxDeclarations : charge.maxRequests;
    throw new FairUseExceededError(limit, allowed, limits.windowSeconds, window.retryAfterSeconds);
  },
});
