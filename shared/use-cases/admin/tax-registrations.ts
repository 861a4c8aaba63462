// Tax registrations (/v1/admin/tax-registrations/{number}): collection-scheme numbers (IOSS and others)
// and who holds them; the number must read as its scheme's numbers do.
import {
  registrationNumberProblem,
  type TaxRegistrationRequest,
  type TaxRegistrationVersion,
} from '../../domain/reference/admin.js';
import { invalid, type KindSpec, withPeriod } from './versioned-reference.js';

export const TAX_REGISTRATIONS: KindSpec<TaxRegistrationVersion, TaxRegistrationRequest> = {
  kind: 'TAXREG',
  noun: 'tax registration',
  keyName: 'number',
  toVersion: (parsed, number) => {
    const problem = registrationNumberProblem(parsed.scheme, number);
    if (problem) throw invalid([{ path: 'number', message: problem }], 'tax registration');
    return {
      scheme: parsed.scheme,
      holder: parsed.holder,
      holderId: parsed.holderId,
      ...withPeriod(parsed),
    };
  },
  periods: true,
  protectStarted: false,
};
