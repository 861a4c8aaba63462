import { randomBytes } from 'node:crypto';
import { agencyHoldIndex } from '../../shared/adapters/agency-hold-index.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { readStackKeys } from '../../shared/adapters/stack-secret.js';
import { busName, loadConfig, stackSecretId, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import type { DeclarationRecord } from '../../shared/domain/clearance/record.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { clearanceRoutes } from '../../shared/http/routes/clearance.js';
import { countTransitions } from '../../shared/step-metrics.js';
import { functions } from '../../shared/topology.js';
import { clearanceLedger } from '../../shared/use-cases/clearance-ledger.js';
import { decideCheck } from '../../shared/use-cases/decide-check.js';
import { liftDeclarationHold } from '../../shared/use-cases/lift-hold.js';
import { holdCursors, listAgencyHolds } from '../../shared/use-cases/list-agency-holds.js';
import { placeDeclarationHold } from '../../shared/use-cases/place-hold.js';
import { recordDeclarationPayment } from '../../shared/use-cases/record-payment.js';
import { returnDeclarationGoods } from '../../shared/use-cases/return-goods.js';

const config = loadConfig(functions.clearance);
const declarationsTable = tableName(config, 'declarations');
const keys = await readStackKeys(stackSecretId(config));
const deps = {
  store: declarationStore(declarationsTable, undefined, {
    ledger: tableName(config, 'ledger'),
    risk: tableName(config, 'risk'),
  }),
  publish: eventPublisher(busName(config), config.country),
  // Counted from the states written: a repeated request announces its outcome again but changes nothing.
  committed: (before: DeclarationRecord | undefined, after: DeclarationRecord) =>
    countTransitions([{ before, after }]),
  now: () => new Date(),
  ledger: clearanceLedger(packFor(config.country)),
  newHoldId: () => `hold_${randomBytes(10).toString('hex')}`,
  index: agencyHoldIndex(declarationsTable),
  cursors: holdCursors(keys.for('hold-cursor')),
};

const id = (params: Record<string, string>) => params.id ?? '';

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(clearanceRoutes.agencyHolds, async ({ caller, query }) =>
    json(200, await listAgencyHolds({ principal: caller, query }, deps)),
  ),
  handle(clearanceRoutes.payment, async ({ caller, params, body }) => {
    const { created, body: answer } = await recordDeclarationPayment(
      { id: id(params), principal: caller, request: body },
      deps,
    );
    return json(created ? 201 : 200, answer);
  }),
  handle(clearanceRoutes.hold, async ({ caller, params, body }) => {
    const { created, body: answer } = await placeDeclarationHold(
      { id: id(params), principal: caller, request: body },
      deps,
    );
    return json(created ? 201 : 200, answer);
  }),
  handle(clearanceRoutes.liftHold, async ({ caller, params, body }) =>
    json(
      200,
      await liftDeclarationHold(
        { id: id(params), holdId: params.holdId ?? '', principal: caller, note: body?.note },
        deps,
      ),
    ),
  ),
  handle(clearanceRoutes.decision, async ({ caller, params, body }) =>
    json(200, await decideCheck({ id: id(params), principal: caller, request: body }, deps)),
  ),
  handle(clearanceRoutes.returnGoods, async ({ caller, params, body }) => {
    const { created, body: answer } = await returnDeclarationGoods(
      { id: id(params), principal: caller, request: body },
      deps,
    );
    return json(created ? 201 : 200, answer);
  }),
);
