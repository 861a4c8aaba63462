// Records kept as long as the law says, and no longer: the declarations lodged on a day whose pack's
// record-keeping period is over get their consignee's personal data pseudonymised. The state, history,
// assessment and every figure stay, so the ledger, statistics and audit keep their numbers.

import { isPastRecordKeeping, type Pseudonym, pseudonymiseConsignee } from '../domain/declaration/erasure.js';
import { VersionConflictError } from '../domain/errors.js';
import type { DeclarationStore } from './ports/declarations.js';

/** Declarations read per list query. */
const PAGE = 100;

export interface ErasureDeps {
  store: Pick<DeclarationStore, 'listPage' | 'getStates' | 'get' | 'replaceBody'>;
  /** The pack's record-keeping period. */
  years: number;
  pseudonym: Pseudonym;
  now: () => Date;
}

export interface DayErasure {
  day: string;
  /** Pseudonymised by this run. */
  erased: string[];
  /** Still kept: open, or closed less than the period ago. The next run looks at them again. */
  kept: number;
  /** Changed by another request meanwhile: left for the next run. */
  skipped: number;
}

/** Pseudonymises the consignee of every declaration lodged on `day` whose record-keeping period is over. */
export const erasePersonalDataOfDay = async (day: string, deps: ErasureDeps): Promise<DayErasure> => {
  const now = deps.now();
  const result: DayErasure = { day, erased: [], kept: 0, skipped: 0 };
  let startKey: Record<string, string> | undefined;
  do {
    const page = await deps.store.listPage({
      index: 'byDay',
      key: day,
      limit: PAGE,
      ascending: true,
      ...(startKey ? { startKey } : {}),
    });
    startKey = page.lastKey;
    const states = await deps.store.getStates(page.items.map((item) => item.id));
    for (const state of states.values()) {
      if (state.personalDataErasedAt !== undefined) continue;
      if (!isPastRecordKeeping(state, deps.years, now)) {
        result.kept += 1;
        continue;
      }
      const stored = await deps.store.get(state.id);
      if (!stored || stored.version !== state.version) {
        result.skipped += 1;
        continue;
      }
      const { declaration, ...record } = stored;
      try {
        await deps.store.replaceBody(
          { ...record, personalDataErasedAt: now.toISOString() },
          pseudonymiseConsignee(declaration, deps.pseudonym),
        );
        result.erased.push(state.id);
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        result.skipped += 1;
      }
    }
  } while (startKey);
  return result;
};

/** Where the daily job goes on from: the first lodgement day that may still hold personal data. */
export interface ErasureWatermark {
  read(): Promise<string | undefined>;
  write(day: string): Promise<void>;
}

/** Most days one run looks at, so a run stays well within its timeout; the next run goes on. */
export const MAX_DAYS_PER_RUN = 62;

const nextDay = (day: string): string => {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

/**
 * The scheduled job: from the watermark (else the stack's first day) to the last day whose declarations
 * can be due (lodged at least the period ago), erases what is due. The watermark moves past every day
 * that holds nothing left to erase; a day with a declaration still kept holds it there, so that
 * declaration is looked at again on later runs.
 */
export const eraseDuePersonalData = async (
  deps: ErasureDeps & { watermark: ErasureWatermark; firstDay: () => Promise<string> },
): Promise<DayErasure[]> => {
  const now = deps.now();
  const lastDue = new Date(now);
  lastDue.setUTCFullYear(lastDue.getUTCFullYear() - deps.years);
  const last = lastDue.toISOString().slice(0, 10);
  let day = (await deps.watermark.read()) ?? (await deps.firstDay());
  let holding = false;
  const days: DayErasure[] = [];
  for (let count = 0; day <= last && count < MAX_DAYS_PER_RUN; count += 1, day = nextDay(day)) {
    const result = await erasePersonalDataOfDay(day, deps);
    days.push(result);
    holding ||= result.kept > 0 || result.skipped > 0;
    if (!holding) await deps.watermark.write(nextDay(day));
  }
  return days;
};
