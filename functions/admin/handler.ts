import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { profileStatsReader } from '../../shared/adapters/profile-stats.js';
import { referenceWriter } from '../../shared/adapters/reference-writer.js';
import { readStackKeys } from '../../shared/adapters/stack-secret.js';
import { loadConfig, stackSecretId, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import type { Principal } from '../../shared/domain/caller.js';
import type { AuditQuery, EndQuery, TrustedTraderEndQuery } from '../../shared/domain/reference/admin.js';
import type { Period } from '../../shared/domain/reference/versions.js';
import { type BoundRoute, handle, type ParsedRequest, routeKey } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { adminRoutes } from '../../shared/http/routes/reference.js';
import { functions } from '../../shared/topology.js';
import { auditCursors, listAudit } from '../../shared/use-cases/admin/audit.js';
import { EXCHANGE_RATES } from '../../shared/use-cases/admin/exchange-rates.js';
import { REFERENCE_PRICES } from '../../shared/use-cases/admin/reference-prices.js';
import {
  endRiskProfile,
  getRiskProfile,
  listRiskProfiles,
  RISK_PROFILES,
} from '../../shared/use-cases/admin/risk-profiles.js';
import { SURCHARGES } from '../../shared/use-cases/admin/surcharges.js';
import { TARIFF_RATES } from '../../shared/use-cases/admin/tariff-rates.js';
import { TAX_RATES } from '../../shared/use-cases/admin/tax-rates.js';
import { TAX_REGISTRATIONS } from '../../shared/use-cases/admin/tax-registrations.js';
import {
  endTrustedTrader,
  getTrustedTrader,
  TRUSTED_TRADERS,
} from '../../shared/use-cases/admin/trusted-traders.js';
import {
  type AdminDeps,
  endReference,
  getReference,
  type KindSpec,
  putReference,
  validateReference,
} from '../../shared/use-cases/admin/versioned-reference.js';

const config = loadConfig(functions.admin);
const keys = await readStackKeys(stackSecretId(config));
const auditCursorCodec = auditCursors(keys.for('audit-cursor'));
const deps: AdminDeps = {
  writer: referenceWriter(tableName(config, 'reference')),
  stats: profileStatsReader(tableName(config, 'risk')),
  stackCurrency: packFor(config.country).currency,
  now: () => new Date(),
};

/** An admin request as the edge parsed it with its route's schemas (see shared/http/routes/reference.ts). */
type HttpRequest = Omit<ParsedRequest, 'caller' | 'query' | 'body'> & {
  caller: Principal;
  query: EndQuery & TrustedTraderEndQuery & AuditQuery;
  body: never;
};
const key = (request: HttpRequest, name: string) => request.params[name] ?? '';

const put =
  <V extends Period, R>(spec: KindSpec<V, R>) =>
  async (request: HttpRequest) => {
    const { created, view } = await putReference(
      spec,
      { key: key(request, spec.keyName), request: request.body, principal: request.caller },
      deps,
    );
    return json(created ? 201 : 200, view);
  };
const get =
  <V extends Period, R>(spec: KindSpec<V, R>) =>
  async (request: HttpRequest) =>
    json(200, await getReference(spec, { key: key(request, spec.keyName) }, deps));
const end =
  <V extends Period, R>(spec: KindSpec<V, R>) =>
  async (request: HttpRequest) =>
    json(
      200,
      await endReference(
        spec,
        { key: key(request, spec.keyName), query: request.query, principal: request.caller },
        deps,
      ),
    );

/** A DELETE of a kind whose `{id}` names several records (a trader's kinds, a profile's versions). */
const endById =
  (
    end: (
      command: { key: string; query: HttpRequest['query']; principal: Principal },
      dependencies: AdminDeps,
    ) => Promise<unknown>,
  ) =>
  async (request: HttpRequest) =>
    json(200, await end({ key: key(request, 'id'), query: request.query, principal: request.caller }, deps));

const actions: Record<string, (request: HttpRequest) => ReturnType<BoundRoute['action']>> = {
  'POST /v1/admin/risk-profiles/{id}/validation': async (request) =>
    json(200, {
      valid: true,
      profile: validateReference(RISK_PROFILES, { key: key(request, 'id'), request: request.body }, deps),
    }),
  'PUT /v1/admin/tariff-rates/{hsCode}': put(TARIFF_RATES),
  'GET /v1/admin/tariff-rates/{hsCode}': get(TARIFF_RATES),
  'DELETE /v1/admin/tariff-rates/{hsCode}': end(TARIFF_RATES),
  'PUT /v1/admin/tax-rates/{hsPrefix}': put(TAX_RATES),
  'GET /v1/admin/tax-rates/{hsPrefix}': get(TAX_RATES),
  'DELETE /v1/admin/tax-rates/{hsPrefix}': end(TAX_RATES),
  'PUT /v1/admin/surcharges/{id}': put(SURCHARGES),
  'GET /v1/admin/surcharges/{id}': get(SURCHARGES),
  'DELETE /v1/admin/surcharges/{id}': end(SURCHARGES),
  'PUT /v1/admin/exchange-rates/{currency}': put(EXCHANGE_RATES),
  'GET /v1/admin/exchange-rates/{currency}': get(EXCHANGE_RATES),
  'PUT /v1/admin/trusted-traders/{id}': put(TRUSTED_TRADERS),
  'GET /v1/admin/trusted-traders/{id}': async (request) =>
    json(200, await getTrustedTrader({ key: key(request, 'id') }, deps)),
  'DELETE /v1/admin/trusted-traders/{id}': endById(endTrustedTrader),
  'PUT /v1/admin/tax-registrations/{number}': put(TAX_REGISTRATIONS),
  'GET /v1/admin/tax-registrations/{number}': get(TAX_REGISTRATIONS),
  'DELETE /v1/admin/tax-registrations/{number}': end(TAX_REGISTRATIONS),
  'PUT /v1/admin/reference-prices/{hsPrefix}': put(REFERENCE_PRICES),
  'GET /v1/admin/reference-prices/{hsPrefix}': get(REFERENCE_PRICES),
  'DELETE /v1/admin/reference-prices/{hsPrefix}': end(REFERENCE_PRICES),
  'GET /v1/admin/risk-profiles': async () => json(200, await listRiskProfiles(deps)),
  'PUT /v1/admin/risk-profiles/{id}': put(RISK_PROFILES),
  'GET /v1/admin/risk-profiles/{id}': async (request) =>
    json(200, await getRiskProfile({ key: key(request, 'id') }, deps)),
  'DELETE /v1/admin/risk-profiles/{id}': endById(endRiskProfile),
  'GET /v1/admin/audit': async (request) =>
    json(200, await listAudit({ query: request.query }, { ...deps, cursors: auditCursorCodec })),
};

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  ...adminRoutes.map((route) => {
    const action = actions[routeKey(route)];
    if (!action) throw new Error(`No action for ${routeKey(route)}`);
    return handle(route, action as BoundRoute['action']);
  }),
);
