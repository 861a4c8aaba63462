// GET /v1/data-quality: per filer over a range of days, what it sent and how well. Filers (platforms and
// posts) see their own row only and may not name another filer (403); officers and admins see any.

import type { Principal } from '../domain/caller.js';
import { ForbiddenError } from '../domain/errors.js';
import { filerIdOf, isFiler } from '../domain/filer.js';
import { daysBetween } from '../domain/ledger/views.js';
import { type QualityRow, summarizeQuality } from '../domain/quality/data-quality.js';
import type { ReadQualityCells } from './ports/quality.js';

export interface DataQualityDeps {
  /** Counts of assessed declarations (ledger table). */
  assessed: ReadQualityCells;
  /** Refusals at intake (declarations table). */
  refused: ReadQualityCells;
}

export const dataQuality = async (
  input: { principal: Principal; query: { from: string; to: string; filer?: string | undefined } },
  deps: DataQualityDeps,
): Promise<{ from: string; to: string; rows: QualityRow[] }> => {
  const { principal, query } = input;
  let filer = query.filer;
  if (isFiler(principal)) {
    const own = filerIdOf(principal);
    if (filer !== undefined && filer !== own)
      throw new ForbiddenError(`A filer sees its own data quality only (${own})`);
    filer = own;
  }
  const days = daysBetween(query.from, query.to);
  const [assessed, refused] = await Promise.all([deps.assessed(days, filer), deps.refused(days, filer)]);
  const rows = summarizeQuality([...assessed, ...refused]);
  // A filer that sent nothing still gets its row, with nothing counted.
  if (filer !== undefined && rows.length === 0)
    rows.push(...summarizeQuality([{ sk: `F#${filer}`, numbers: {} }]));
  return { from: query.from, to: query.to, rows };
};
