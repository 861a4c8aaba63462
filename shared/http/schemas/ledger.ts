// The finance and statistics queries on the wire (DESIGN.md section 3): query parameters, validated with
// zod at the edge, and the response shapes, for the OpenAPI document.
import * as z from 'zod';
import { isoDate } from '../../domain/declaration/declaration.js';
import {
  groupByNames,
  MAX_RANGE_DAYS,
  REVENUE_GROUP_BY,
  type RevenueGroupBy,
  STATISTICS_GROUP_BY,
  type StatisticsGroupBy,
} from '../../domain/ledger/views.js';

export { MAX_RANGE_DAYS, REVENUE_GROUP_BY, type RevenueGroupBy, STATISTICS_GROUP_BY, type StatisticsGroupBy };

const DAY_MS = 86_400_000;

const groupBy = (allowed: readonly string[]) =>
  z
    .string()
    .max(512)
    .optional()
    .superRefine((raw, ctx) => {
      for (const name of groupByNames(raw)) {
        if (!allowed.includes(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown groupBy "${name}"; allowed: ${allowed.join(', ')}`,
          });
        }
      }
    })
    .meta({
      description: `Comma-separated, any of: ${allowed.join(', ')}`,
      example: allowed.slice(0, 2).join(','),
    });

const rangeQuery = (allowed: readonly string[]) =>
  z
    .strictObject({
      from: isoDate.meta({ description: 'First day (UTC), inclusive' }),
      to: isoDate.meta({
        description: `Last day (UTC), inclusive; at most ${MAX_RANGE_DAYS} days after from`,
      }),
      groupBy: groupBy(allowed),
    })
    .superRefine((query, ctx) => {
      if (query.from > query.to)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if ((Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1 > MAX_RANGE_DAYS)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the range may cover at most ${MAX_RANGE_DAYS} days`,
        });
    });

export const RevenueQuerySchema = rangeQuery(REVENUE_GROUP_BY);
export const StatisticsQuerySchema = rangeQuery(STATISTICS_GROUP_BY);

export const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
  .meta({ description: 'Calendar month YYYY-MM', example: '2026-07' });

export const StatementQuerySchema = z.strictObject({
  account: z.string().trim().min(1, 'must name an account (a platform or carrier id)').max(128).meta({
    description:
      "The collecting account: a platform's id, or `post:<operator>` for a post (a filer's own only)",
  }),
  month,
});

export const PublicStatisticsQuerySchema = z.strictObject({ month });

const money = z.string().meta({ description: 'Decimal amount', example: '12.50' });

export const RevenueReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.enum(REVENUE_GROUP_BY)),
    rows: z.array(
      z
        .object({
          currency: z.string(),
          assessed: money,
          collected: money,
          refunded: money,
          extinguished: money.meta({
            description: 'Debts ended unpaid: the declaration was cancelled, rejected or seized',
          }),
          outstanding: money.meta({ description: 'assessed - extinguished - collected' }),
        })
        .catchall(z.string())
        .meta({ description: 'One group: a property per groupBy key (e.g. `taxCode`), then the sums' }),
    ),
  })
  .meta({ id: 'RevenueReport' });

const statisticsMeasures = {
  consignments: z.number().int(),
  items: z.number().int().meta({ description: 'Goods item lines' }),
  quantity: z.number().int().meta({ description: 'Units' }),
  value: money,
  duty: money,
  tax: money,
};

export const StatisticsReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.enum(STATISTICS_GROUP_BY)),
    rows: z.array(z.object(statisticsMeasures).catchall(z.string())),
    releaseTime: z.array(
      z.object({
        lane: z.enum(['GREEN', 'AMBER', 'RED']),
        p50Ms: z.number(),
        p90Ms: z.number(),
        p99Ms: z.number(),
      }),
    ),
  })
  .meta({ id: 'StatisticsReport' });

const statementAmounts = {
  currency: z.string(),
  collectedAtCheckout: money.meta({ description: 'Collected from buyers at checkout under a scheme' }),
  dueAtImport: money.meta({ description: 'Charged to the account, due at import' }),
  paid: money,
  refunded: money,
  extinguished: money.meta({
    description: 'Charges ended unpaid: the declaration was cancelled, rejected or seized',
  }),
  balance: money.meta({ description: 'dueAtImport - extinguished - paid - refunded' }),
};

export const StatementSchema = z
  .object({
    account: z.string(),
    month: z.string(),
    lines: z.array(z.object({ collectionModel: z.string(), taxCode: z.string(), ...statementAmounts })),
    totals: z.array(z.object(statementAmounts)),
  })
  .meta({ id: 'AccountStatement' });

export const PublicStatisticsSchema = z
  .object({
    month: z.string(),
    currency: z.string(),
    groupBy: z.array(z.string()),
    minimumConsignments: z.number().int(),
    maximumFilerShare: z.string().meta({
      description:
        'Dominance rule: a cell in which one filer lodged more than this share of the consignments or of the value is suppressed',
      example: '0.5',
    }),
    rows: z.array(
      z.union([
        z.object({
          hsChapter: z.string(),
          originCountry: z.string(),
          channel: z.string(),
          suppressed: z.literal(false),
          ...statisticsMeasures,
        }),
        z.object({
          hsChapter: z.string(),
          originCountry: z.string(),
          channel: z.string(),
          suppressed: z.literal(true),
        }),
      ]),
    ),
  })
  .meta({ id: 'PublicStatistics' });

/** Data quality reads a cell per filer, day and shard from two tables: a quarter at most. */
export const MAX_QUALITY_DAYS = 92;

export const DataQualityQuerySchema = z
  .strictObject({
    from: isoDate.meta({ description: 'First day (UTC), inclusive' }),
    to: isoDate.meta({
      description: `Last day (UTC), inclusive; at most ${MAX_QUALITY_DAYS} days after from`,
    }),
    filer: z.string().trim().min(1).max(128).optional().meta({
      description:
        'Officers and admins: one filer (a platform id or `post:<operator>`), all when left out. Platforms and posts see their own; another filer is 403',
    }),
  })
  .superRefine((query, ctx) => {
    if (query.from > query.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if ((Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1 > MAX_QUALITY_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range may cover at most ${MAX_QUALITY_DAYS} days`,
      });
  })
  .meta({ id: 'DataQualityQuery' });

export const DataQualityReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    rows: z.array(
      z.object({
        filer: z.string(),
        declarations: z.number().int().meta({ description: 'Declarations assessed in the range' }),
        refusedAtIntake: z
          .number()
          .int()
          .meta({ description: 'Declarations (postal items) refused at intake' }),
        refusedByField: z
          .record(z.string(), z.number().int())
          .meta({ description: 'Refusals per field, numbers taken out of the path: `items.*.hsCode`' }),
        vagueDescriptions: z.number().int(),
        unknownHsCodes: z
          .number()
          .int()
          .meta({ description: 'HS codes unknown in HS 2022, assessed or refused' }),
        missingMandatory: z.number().int().meta({ description: 'Refusals with mandatory data missing' }),
        riskFlagged: z.number().int().meta({ description: 'Assessed declarations a risk profile hit' }),
        score: z
          .number()
          .nullable()
          .meta({
            description:
              '100 x clean / (declarations + refusedAtIntake), one decimal; clean: assessed with no vague description ' +
              'and no unknown HS code. Null when the filer sent nothing in the range',
          }),
      }),
    ),
  })
  .meta({ id: 'DataQualityReport' });
