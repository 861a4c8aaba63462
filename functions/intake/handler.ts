import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { fairUseGateFor } from '../../shared/adapters/fair-use-counter.js';
import { refusalCounter } from '../../shared/adapters/refusal-counter.js';
import { readStackKeys } from '../../shared/adapters/stack-secret.js';
import { loadConfig, stackSecretId, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { declarationIds } from '../../shared/domain/declaration/identity.js';
import { destinationsOn } from '../../shared/domain/duty/rules.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandlerWithFairUse, json } from '../../shared/http/handler.js';
import { declarationRoutes } from '../../shared/http/routes/declarations.js';
import { declarationInHand } from '../../shared/observability.js';
import { countLodged } from '../../shared/step-metrics.js';
import { functions } from '../../shared/topology.js';
import { lodgeBatch } from '../../shared/use-cases/lodge-batch.js';
import { declarationLinks, lodgeDeclaration } from '../../shared/use-cases/lodge-declaration.js';

const config = loadConfig(functions.intake);
const keys = await readStackKeys(stackSecretId(config));
const countRefusals = refusalCounter(tableName(config, 'declarations'));
const deps = {
  store: declarationStore(tableName(config, 'declarations')),
  now: () => new Date(),
  declarationIdOf: declarationIds(keys.for('declaration-id')),
  countRefusals,
  destinationsOn: destinationsOn(packFor(config.country)),
};

export const handler = httpHandlerWithFairUse(
  fairUseGateFor(config),
  handle(
    declarationRoutes.lodge,
    async ({ caller, body }) => {
      const platformId = caller.subject;
      const { outcome, record } = await lodgeDeclaration({ platformId, declaration: body }, deps);
      declarationInHand({ declarationId: record.id });
      const status = outcome === 'ACCEPTED' ? 202 : 200;
      countLodged([{ status }]);
      return json(status, {
        id: record.id,
        status: record.status,
        reference: record.reference,
        links: declarationLinks(record.id),
      });
    },
    // A declaration refused at intake counts for the data-quality report.
    {
      onRefusedBody: async ({ caller, sent, errors }) => {
        if (caller) await countRefusals(caller.subject, [{ raw: sent, errors }]);
      },
    },
  ),
  handle(declarationRoutes.batch, async ({ caller, body }) => {
    const { results } = await lodgeBatch(
      { platformId: caller.subject, declarations: body.declarations },
      deps,
    );
    countLodged(results);
    return json(207, { results });
  }),
);
