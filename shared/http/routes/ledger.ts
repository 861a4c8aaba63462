// The finance and statistics routes (functions/query).
import { defineRoute } from '../contract.js';
import {
  DataQualityQuerySchema,
  DataQualityReportSchema,
  PublicStatisticsQuerySchema,
  PublicStatisticsSchema,
  RevenueQuerySchema,
  RevenueReportSchema,
  StatementQuerySchema,
  StatementSchema,
  StatisticsQuerySchema,
  StatisticsReportSchema,
} from '../schemas/ledger.js';

export const ledgerRoutes = {
  revenue: defineRoute({
    method: 'GET',
    path: '/v1/revenue',
    function: 'query',
    roles: ['finance'],
    summary: 'Revenue by any grouping',
    description:
      'Sums of the revenue ledger per group and currency, read from the aggregates. Each fact counts on the day ' +
      'it happened (assessment, payment, refund). `assessed`: everything assessments charged, due at import or ' +
      'collected at checkout under a scheme; `collected`: payments at import plus what sellers collected at ' +
      'checkout; `refunded`: refunds; `outstanding` = assessed - collected: amounts due at import not yet paid, ' +
      'by consumers before release (CONSUMER_AT_IMPORT) or by the guaranteed account on its monthly statement ' +
      '(the other models). Over a range that holds a payment but not its assessment, outstanding is negative. ' +
      'Send `Accept: text/csv` for CSV (RFC 4180, a header row, decimal strings).',
    tag: 'Finance',
    query: RevenueQuerySchema,
    responses: {
      200: { description: 'The revenue report (or its CSV)', schema: RevenueReportSchema },
    },
  }),
  statement: defineRoute({
    method: 'GET',
    path: '/v1/revenue/statements',
    function: 'query',
    roles: ['finance', 'platform', 'post'],
    summary: "A collecting account's monthly statement",
    description:
      'Per collection model, tax code and currency: what the account collected at checkout, what was charged to ' +
      'it at import, paid and refunded in the month, and the balance it owes, with totals per currency. A ' +
      'platform sees only its own account; another account answers 404.',
    tag: 'Finance',
    query: StatementQuerySchema,
    responses: { 200: { description: 'The statement', schema: StatementSchema } },
  }),
  statistics: defineRoute({
    method: 'GET',
    path: '/v1/statistics',
    function: 'query',
    roles: ['finance', 'officer', 'admin'],
    summary: 'E-commerce statistics by any grouping',
    description:
      'Consignments (each counted once per group), goods item lines, units, value, duty and tax in the stack ' +
      'currency, per group, and release-time percentiles per risk lane. `Accept: text/csv` gives CSV.',
    tag: 'Statistics',
    query: StatisticsQuerySchema,
    responses: { 200: { description: 'The statistics report', schema: StatisticsReportSchema } },
  }),
  publicStatistics: defineRoute({
    method: 'GET',
    path: '/v1/public/statistics',
    function: 'query',
    roles: [],
    summary: 'Published monthly statistics',
    description:
      'By HS chapter, origin and channel only; no platform or person can be identified. A cell with fewer than ' +
      '`minimumConsignments` consignments is marked suppressed and shows no figures.',
    tag: 'Public',
    query: PublicStatisticsQuerySchema,
    responses: { 200: { description: 'The published figures', schema: PublicStatisticsSchema } },
  }),
  dataQuality: defineRoute({
    method: 'GET',
    path: '/v1/data-quality',
    function: 'query',
    roles: ['platform', 'post', 'officer', 'admin'],
    summary: 'Data quality per filer',
    description:
      'Per filer over a range of days (at most 92): declarations assessed, declarations refused at intake and ' +
      'by which field, vague descriptions, HS codes unknown in HS 2022, refusals for missing mandatory data, ' +
      'risk-flagged declarations and a score (see the `score` field). Platforms and posts see their own row; ' +
      'naming another filer is 403. Officers and admins see every filer, or the one named.',
    tag: 'Statistics',
    query: DataQualityQuerySchema,
    responses: { 200: { description: 'One row per filer', schema: DataQualityReportSchema } },
  }),
};
