import { sharedReferenceLoader } from '../../shared/adapters/duty-reference.js';
import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { quoteStore } from '../../shared/adapters/quote-store.js';
import { referenceStore } from '../../shared/adapters/reference-store.js';
import { loadConfig, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { quoteRoutes } from '../../shared/http/routes/reference.js';
import { functions } from '../../shared/topology.js';
import { getPublicRules } from '../../shared/use-cases/public-rules.js';
import { createQuote } from '../../shared/use-cases/quotes.js';

const config = loadConfig(functions.quotes);
const pack = packFor(config.country);
const reference = referenceStore(tableName(config, 'reference'));
const now = () => new Date();
const quoteDeps = {
  pack,
  loadReference: sharedReferenceLoader(reference, pack.currency),
  store: quoteStore(tableName(config, 'reference')),
  now,
};

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(quoteRoutes.quote, async ({ body }) => json(201, await createQuote({ request: body }, quoteDeps))),
  handle(quoteRoutes.publicRules, async ({ query }) =>
    json(200, await getPublicRules(query, { pack, reference, now }), {
      'cache-control': 'public, max-age=300',
    }),
  ),
);
