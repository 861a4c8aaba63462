// Emitting the business metrics (shared/business-metrics.ts) of what a step committed.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BUSINESS_METRICS, LANES } from './business-metrics.js';
import type { DeclarationRecord, Lane } from './domain/clearance/record.js';
import { Decimal } from './domain/money.js';
import { metrics } from './observability.js';

/** What a step changed, summed over the records it handled. */
export interface StepTally {
  accepted: number;
  refused: number;
  lanes: Record<Lane, number>;
  holdsPlaced: number;
  holdsLifted: number;
  releases: number;
  /** Exact sums by currency; a number only at the metric boundary. */
  assessed: Map<string, Decimal>;
  messagesToDlq: number;
}

export const emptyTally = (): StepTally => ({
  accepted: 0,
  refused: 0,
  lanes: { GREEN: 0, AMBER: 0, RED: 0 },
  holdsPlaced: 0,
  holdsLifted: 0,
  releases: 0,
  assessed: new Map(),
  messagesToDlq: 0,
});

const addAssessed = (tally: StepTally, currency: string, amount: Decimal): void => {
  tally.assessed.set(currency, (tally.assessed.get(currency) ?? new Decimal(0)).plus(amount));
};

/**
 * Adds what one committed write changed, comparing the state before with the state written: a risk
 * result stored for the first time, an assessment, holds placed and lifted, a release.
 */
export const tallyTransition = (
  tally: StepTally,
  before: DeclarationRecord | undefined,
  after: DeclarationRecord,
): StepTally => {
  if (after.risk && !before?.risk) tally.lanes[after.risk.lane] += 1;
  if (after.assessment && !before?.assessment) {
    const { duty, tax, fees } = after.assessment.totals;
    addAssessed(tally, after.assessment.currency, new Decimal(duty).plus(tax).plus(fees));
  }
  const placedBefore = new Set(before?.holds.map((hold) => hold.id));
  const liftedBefore = new Set(before?.holds.filter((hold) => hold.liftedAt).map((hold) => hold.id));
  tally.holdsPlaced += after.holds.filter((hold) => !placedBefore.has(hold.id)).length;
  tally.holdsLifted += after.holds.filter((hold) => hold.liftedAt && !liftedBefore.has(hold.id)).length;
  if (after.status === 'RELEASED' && before?.status !== 'RELEASED') tally.releases += 1;
  return tally;
};

const count = (name: string, value: number): void => {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
};

/** A metric with one more dimension than the defaults, emitted at once as its own EMF document. */
const countBy = (
  name: string,
  dimension: string,
  value: string,
  amount: number,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
) => {
  const single = metrics.singleMetric();
  single.addDimension(dimension, value);
  single.addMetric(name, unit, amount);
};

/** Emits a tally: counts join the invocation's metrics (flushed by logMetrics), lanes and amounts at once. */
export const emitTally = (tally: StepTally): void => {
  count(BUSINESS_METRICS.accepted, tally.accepted);
  count(BUSINESS_METRICS.refused, tally.refused);
  count(BUSINESS_METRICS.holdsPlaced, tally.holdsPlaced);
  count(BUSINESS_METRICS.holdsLifted, tally.holdsLifted);
  count(BUSINESS_METRICS.releases, tally.releases);
  count(BUSINESS_METRICS.messagesToDlq, tally.messagesToDlq);
  for (const lane of LANES) {
    if (tally.lanes[lane] > 0)
      countBy(BUSINESS_METRICS.riskLane, 'lane', lane, tally.lanes[lane], MetricUnit.Count);
  }
  for (const [currency, amount] of tally.assessed) {
    // A metric value is a double: the exact sum becomes a number here, for the graph only.
    countBy(BUSINESS_METRICS.amountAssessed, 'currency', currency, amount.toNumber(), MetricUnit.NoUnit);
  }
};

/** Counts a lodgement: declarations accepted for the first time and declarations refused. */
export const countLodgement = (accepted: number, refused: number): void =>
  emitTally({ ...emptyTally(), accepted, refused });

/** Counts a lodgement by its results: 202 lodged for the first time, 200 lodged before, 4xx refused. */
export const countLodged = (results: readonly { status: number }[]): void =>
  countLodgement(
    results.filter((result) => result.status === 202).length,
    results.filter((result) => result.status >= 400).length,
  );

/** Counts what a batch of committed writes changed (`before` as read, `after` as written). */
export const countTransitions = (
  writes: Iterable<{ before: DeclarationRecord | undefined; after: DeclarationRecord }>,
): void => {
  const tally = emptyTally();
  for (const { before, after } of writes) tallyTransition(tally, before, after);
  emitTally(tally);
};

/** Counts messages that failed on their last receive. */
export const countDeadLettered = (messages: number): void =>
  emitTally({ ...emptyTally(), messagesToDlq: messages });
