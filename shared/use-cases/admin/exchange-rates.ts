// Exchange rates (/v1/admin/exchange-rates/{currency}): the rate converting a currency into the stack
// currency, from a day on (no end dates: the next version replaces it).
import type { ExchangeRateRequest, ExchangeRateVersion } from '../../domain/reference/admin.js';
import { invalid, type KindSpec } from './versioned-reference.js';

export const EXCHANGE_RATES: KindSpec<ExchangeRateVersion, ExchangeRateRequest> = {
  kind: 'FX',
  noun: 'exchange rate',
  keyName: 'currency',
  checkKey: (currency, deps) => {
    if (currency === deps.stackCurrency) {
      throw invalid(
        [
          {
            path: 'currency',
            message: `is the stack currency; rates convert other currencies into ${currency}`,
          },
        ],
        'currency',
      );
    }
  },
  toVersion: (parsed) => ({ rate: parsed.rate, validFrom: parsed.validFrom }),
  periods: false,
  protectStarted: false,
};
