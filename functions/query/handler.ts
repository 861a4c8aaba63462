import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { ledgerReader } from '../../shared/adapters/ledger-store.js';
import { qualityReader } from '../../shared/adapters/quality-reader.js';
import { stackLifetimeStart } from '../../shared/adapters/stack-lifetime.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { handle } from '../../shared/http/contract.js';
import { csvResponse, toCsv, wantsCsv } from '../../shared/http/csv.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { ledgerRoutes } from '../../shared/http/routes/ledger.js';
import { functions } from '../../shared/topology.js';
import { dataQuality } from '../../shared/use-cases/data-quality.js';
import { queryRevenue, REVENUE_AMOUNTS, revenueStatement } from '../../shared/use-cases/revenue.js';
import {
  queryPublicStatistics,
  queryStatistics,
  STATISTICS_MEASURES,
} from '../../shared/use-cases/statistics.js';

const config = loadConfig(functions.query);
const pack = packFor(config.country);
const ledgerTable = tableName(config, 'ledger');
const reader = ledgerReader(ledgerTable);
const lifetimeStart = stackLifetimeStart(ledgerTable, config.lifetimeStart);
const quality = {
  assessed: qualityReader(ledgerTable),
  refused: qualityReader(tableName(config, 'declarations')),
};
const now = () => new Date();

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(ledgerRoutes.revenue, async ({ event, query }) => {
    const report = await queryRevenue(query, { reader });
    if (!wantsCsv(event.headers)) return json(200, report);
    return csvResponse(
      toCsv([...report.groupBy, ...REVENUE_AMOUNTS], report.rows),
      `revenue-${report.from}-${report.to}.csv`,
    );
  }),
  handle(ledgerRoutes.statement, async ({ caller, query }) =>
    json(200, await revenueStatement({ principal: caller, query }, { reader })),
  ),
  handle(ledgerRoutes.statistics, async ({ event, query }) => {
    const report = await queryStatistics(query, { reader, currency: pack.currency });
    if (!wantsCsv(event.headers)) return json(200, report);
    return csvResponse(
      toCsv([...report.groupBy, ...STATISTICS_MEASURES], report.rows),
      `statistics-${report.from}-${report.to}.csv`,
    );
  }),
  handle(ledgerRoutes.dataQuality, async ({ caller, query }) =>
    json(200, await dataQuality({ principal: caller, query }, quality)),
  ),
  handle(ledgerRoutes.publicStatistics, async ({ query }) =>
    json(200, await queryPublicStatistics(query, { reader, currency: pack.currency, now, lifetimeStart }), {
      'cache-control': 'public, max-age=300',
    }),
  ),
);
