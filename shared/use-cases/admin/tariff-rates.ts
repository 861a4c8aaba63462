// Tariff rates (PUT/GET/DELETE /v1/admin/tariff-rates/{hsCode}): an ad valorem and/or specific duty per
// HS code, with validity periods.
import type { TariffRateRequest, TariffVersion } from '../../domain/reference/admin.js';
import { type KindSpec, withPeriod } from './versioned-reference.js';

export const TARIFF_RATES: KindSpec<TariffVersion, TariffRateRequest> = {
  kind: 'TARIFF',
  noun: 'tariff rate',
  keyName: 'hsCode',
  toVersion: (parsed) => {
    return {
      ...(parsed.dutyRate !== undefined ? { dutyRate: parsed.dutyRate } : {}),
      ...(parsed.specific !== undefined ? { specific: parsed.specific } : {}),
      ...withPeriod(parsed),
    };
  },
  periods: true,
  protectStarted: false,
};
