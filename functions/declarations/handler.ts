import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { readStackKeys } from '../../shared/adapters/stack-secret.js';
import { busName, loadConfig, stackSecretId, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { declarationIds } from '../../shared/domain/declaration/identity.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { declarationRoutes } from '../../shared/http/routes/declarations.js';
import { functions } from '../../shared/topology.js';
import { cancelDeclaration } from '../../shared/use-cases/cancel-declaration.js';
import { clearanceLedger } from '../../shared/use-cases/clearance-ledger.js';
import { exportRecord } from '../../shared/use-cases/export-record.js';
import { listCursors, listDeclarations, toSummary } from '../../shared/use-cases/list-declarations.js';
import { viewDeclaration } from '../../shared/use-cases/view-declaration.js';

const config = loadConfig(functions.declarations);
const table = tableName(config, 'declarations');
const store = declarationStore(table, undefined, { ledger: tableName(config, 'ledger') });
const publish = eventPublisher(busName(config), config.country);
const keys = await readStackKeys(stackSecretId(config));
const cursors = listCursors(keys.for('list-cursor'));
const declarationIdOf = declarationIds(keys.for('declaration-id'));
const ledger = clearanceLedger(packFor(config.country));
const now = () => new Date();

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(declarationRoutes.view, async ({ caller, params }) =>
    json(200, await viewDeclaration({ id: params.id ?? '', principal: caller }, { store })),
  ),
  handle(declarationRoutes.record, async ({ caller, params }) =>
    json(200, await exportRecord({ id: params.id ?? '', principal: caller }, { store })),
  ),
  handle(declarationRoutes.list, async ({ caller, query }) =>
    json(200, await listDeclarations({ principal: caller, query }, { store, cursors, now, declarationIdOf })),
  ),
  handle(declarationRoutes.cancel, async ({ caller, params, body }) => {
    const { record } = await cancelDeclaration(
      { id: params.id ?? '', principal: caller, reason: body?.reason },
      { store, publish, now, ledger },
    );
    return json(200, toSummary(record));
  }),
);
