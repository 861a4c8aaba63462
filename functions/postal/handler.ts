import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { readItmatt } from '../../shared/adapters/itmatt-reader.js';
import { postalResponseStore } from '../../shared/adapters/postal-response-store.js';
import { refusalCounter } from '../../shared/adapters/refusal-counter.js';
import { readStackKeys } from '../../shared/adapters/stack-secret.js';
import { loadConfig, stackSecretId, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { declarationIds } from '../../shared/domain/declaration/identity.js';
import { destinationsOn } from '../../shared/domain/duty/rules.js';
import { filerIdOf } from '../../shared/domain/filer.js';
import { ITMATT_XSD } from '../../shared/domain/postal/itmatt-xsd.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { postalRoutes } from '../../shared/http/routes/postal.js';
import { countLodged } from '../../shared/step-metrics.js';
import { functions } from '../../shared/topology.js';
import {
  type LodgePostalResult,
  lodgeItmatt,
  lodgePostalItems,
} from '../../shared/use-cases/lodge-postal.js';
import { listPostalResponses, responseCursors } from '../../shared/use-cases/postal-responses.js';

const config = loadConfig(functions.postal);
const keys = await readStackKeys(stackSecretId(config));
const deps = {
  store: declarationStore(tableName(config, 'declarations')),
  now: () => new Date(),
  declarationIdOf: declarationIds(keys.for('declaration-id')),
  countRefusals: refusalCounter(tableName(config, 'declarations')),
  destinationsOn: destinationsOn(packFor(config.country)),
  readItmatt,
};

const responseDeps = {
  store: postalResponseStore(tableName(config, 'declarations')),
  cursors: responseCursors(keys.for('postal-response-cursor')),
  now: () => new Date(),
};

const answer = ({ results }: LodgePostalResult) => {
  countLodged(results);
  return json(207, { results });
};

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(postalRoutes.items, async ({ caller, body }) =>
    answer(await lodgePostalItems({ filerId: filerIdOf(caller), items: body.items }, deps)),
  ),
  handle(postalRoutes.itmatt, async ({ caller, body }) =>
    answer(await lodgeItmatt({ filerId: filerIdOf(caller), xml: body }, deps)),
  ),
  handle(postalRoutes.responses, async ({ caller, query }) =>
    json(
      200,
      await listPostalResponses(
        { filerId: filerIdOf(caller), since: query.since, limit: query.limit },
        responseDeps,
      ),
    ),
  ),
  handle(postalRoutes.itmattXsd, async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' },
    body: ITMATT_XSD,
  })),
);
