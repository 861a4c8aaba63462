import { declarationStore } from '../../shared/adapters/declaration-store.js';
import { stackLifetimeStart } from '../../shared/adapters/stack-lifetime.js';
import { readStackKeys } from '../../shared/adapters/stack-secret.js';
import { loadConfig, stackSecretId, tableName } from '../../shared/config.js';
import { packFor } from '../../shared/countries/index.js';
import { keyedPseudonym } from '../../shared/domain/declaration/erasure.js';
import { logger } from '../../shared/observability.js';
import { functions } from '../../shared/topology.js';
import { eraseDuePersonalData } from '../../shared/use-cases/erase-personal-data.js';

const config = loadConfig(functions.records);
const table = tableName(config, 'declarations');
const store = declarationStore(table);
const keys = await readStackKeys(stackSecretId(config));
const firstMonth = stackLifetimeStart(table, config.lifetimeStart);

/** Run by the `RecordKeepingEnds` schedule (shared/topology.ts). */
export const handler = async (): Promise<{ days: number; erased: number }> => {
  const days = await eraseDuePersonalData({
    store,
    years: packFor(config.country).recordKeeping.years,
    pseudonym: keyedPseudonym(keys.for('consignee-pseudonym')),
    now: () => new Date(),
    watermark: store.erasureWatermark,
    firstDay: async () => `${await firstMonth()}-01`,
  });
  const erased = days.reduce((total, day) => total + day.erased.length, 0);
  logger.info('Record keeping', { days: days.length, erased });
  return { days: days.length, erased };
};
