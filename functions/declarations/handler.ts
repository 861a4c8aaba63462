import { functions } from '../../infra/topology.js';
import { clearanceLedger } from '../../shared/adapters/clearance-ledger.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { annualRelease } from '../../shared/adapters/duty-reference.js';
import { eventPublisher } from '../../shared/adapters/event-publisher.js';
import { busName, loadConfig, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { byRoute, httpHandler, json } from '../../shared/http/handler.js';
import { cancelDeclaration } from '../../shared/use-cases/cancel-declaration.js';
import { listCursors, listDeclarations, toSummary } from '../../shared/use-cases/list-declarations.js';
import { viewDeclaration } from '../../shared/use-cases/view-declaration.js';

const config = loadConfig(functions.declarations);
const table = tableName(config, 'declarations');
const store = declarationStore(table);
const publish = eventPublisher(busName(config), config.country);
const cursors = listCursors(table);
const ledger = clearanceLedger(tableName(config, 'ledger'), packFor(config.country), annualRelease(table));
const now = () => new Date();

export const handler = httpHandler(
  byRoute({
    'GET /v1/declarations/{id}': async ({ caller, pathParameters }) =>
      json(200, await viewDeclaration({ id: pathParameters.id ?? '', principal: caller() }, { store })),
    'GET /v1/declarations': async ({ caller, query }) =>
      json(200, await listDeclarations({ principal: caller(), query }, { store, cursors, now })),
    'POST /v1/declarations/{id}/cancel': async ({ caller, pathParameters, optionalBody }) => {
      const { record } = await cancelDeclaration(
        { id: pathParameters.id ?? '', principal: caller(), body: optionalBody() },
        { store, publish, now, ledger },
      );
      return json(200, toSummary(record));
    },
  }),
);
