// The end of a declaration's record-keeping period and the pseudonymisation of the consignee's personal
// data after it. The ledger, statistics and audit keep their figures: only the consignee's identifying
// fields change; the country and region (which decide tax and statistics) and everything else stay.
import { createHmac } from 'node:crypto';
import { type DeclarationRecord, TERMINAL } from '../clearance/record.js';
import type { Declaration } from './declaration.js';

/** Keyed and one-way: the same value gives the same pseudonym, and the pseudonym gives nothing back. */
export type Pseudonym = (value: string) => string;

/** A pseudonym under a key only the stack holds, so nobody can test a guessed name against it. */
export const keyedPseudonym =
  (key: Uint8Array): Pseudonym =>
  (value) =>
    `p_${createHmac('sha256', key).update(`consignee\u0000${value}`).digest('base64url').slice(0, 22)}`;

/** The domain of erased e-mail addresses: `.invalid` never resolves (RFC 2606). */
export const ERASED_EMAIL_DOMAIN = 'erased.invalid';

/**
 * When a closed declaration's record may be pseudonymised: `years` after it closed (its last history
 * step). An open declaration is never due: its record is still in use.
 */
export const recordKeptUntil = (
  record: Pick<DeclarationRecord, 'status' | 'history'>,
  years: number,
): Date | undefined => {
  const closedAt = record.history.at(-1)?.at;
  if (!TERMINAL.has(record.status) || closedAt === undefined) return undefined;
  const until = new Date(closedAt);
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until;
};

export const isPastRecordKeeping = (
  record: Pick<DeclarationRecord, 'status' | 'history'>,
  years: number,
  now: Date,
): boolean => {
  const until = recordKeptUntil(record, years);
  return until !== undefined && until.getTime() <= now.getTime();
};

/**
 * The declaration with the consignee's name, street, city, postcode, e-mail and tax id replaced by
 * pseudonyms. Country and region stay (they decide tax and statistics), as does everything else.
 */
export const pseudonymiseConsignee = (declaration: Declaration, pseudonym: Pseudonym): Declaration => {
  const { consignee } = declaration;
  const { address } = consignee;
  return {
    ...declaration,
    consignee: {
      name: pseudonym(consignee.name),
      address: {
        line1: pseudonym(address.line1),
        ...(address.line2 === undefined ? {} : { line2: pseudonym(address.line2) }),
        city: pseudonym(address.city),
        postcode: pseudonym(address.postcode),
        country: address.country,
        ...(address.region === undefined ? {} : { region: address.region }),
      },
      ...(consignee.email === undefined
        ? {}
        : { email: `${pseudonym(consignee.email)}@${ERASED_EMAIL_DOMAIN}` }),
      ...(consignee.taxId === undefined ? {} : { taxId: pseudonym(consignee.taxId) }),
    },
  };
};
