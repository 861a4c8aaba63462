// The business metrics of the pipeline's steps, named once: the steps emit them (shared/step-metrics.ts)
// and the dashboard graphs them (infra/constructs/observability.ts). Each is emitted with the function
// as `service` and the stack's `country` as dimensions; RiskLane adds `lane`, AmountAssessed `currency`.
import type { Lane } from './domain/clearance/record.js';
import type { FunctionName } from './topology.js';

export const BUSINESS_METRICS = {
  /** Declarations and postal items lodged for the first time. */
  accepted: 'DeclarationsAccepted',
  /** Declarations and postal items refused at intake (a 400, or an item refused in a batch). */
  refused: 'DeclarationsRefused',
  /** Risk results committed, by `lane` (GREEN, AMBER, RED). */
  riskLane: 'RiskLane',
  holdsPlaced: 'HoldsPlaced',
  holdsLifted: 'HoldsLifted',
  releases: 'Releases',
  /** Duty, taxes and fees assessed (collected at checkout or due at import), by `currency`. */
  amountAssessed: 'AmountAssessed',
  /** Messages that failed on their last receive: the queue moves them to its dead-letter queue. */
  messagesToDlq: 'MessagesToDlq',
} as const;
export type BusinessMetric = keyof typeof BUSINESS_METRICS;

/** The functions that emit each metric: a graph sums their series. */
export const EMITTED_BY: Record<BusinessMetric, readonly FunctionName[]> = {
  accepted: ['intake', 'postal'],
  refused: ['intake', 'postal'],
  riskLane: ['duty'],
  holdsPlaced: ['duty', 'clearance'],
  holdsLifted: ['clearance'],
  releases: ['duty', 'clearance'],
  amountAssessed: ['duty'],
  messagesToDlq: ['risk', 'duty', 'notify', 'singlewindow', 'postalResponses'],
};

export const LANES: readonly Lane[] = ['GREEN', 'AMBER', 'RED'];
