import { functions } from '../../infra/topology.js';
import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { httpHandler, json } from '../../shared/http/handler.js';
import { viewDeclaration } from '../../shared/use-cases/view-declaration.js';

const config = loadConfig(functions.declarations);
const store = declarationStore(tableName(config, 'declarations'));

export const handler = httpHandler(async ({ caller, pathParameters }) =>
  json(200, await viewDeclaration({ id: pathParameters.id ?? '', principal: caller() }, { store })),
);
