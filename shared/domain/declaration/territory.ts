// The customs territory a stack clears: an EU member state's stack takes consignments for consumption in any
// member state (the VAT of the member state of consumption applies), every other stack its own country only.
// A destination outside it is refused at intake, before anything is stored, rather than rejected later.
import type { FieldError } from './declaration.js';

/** The destinations the stack clears on a date (the pack's rules in force then). */
export type DestinationsOn = (date: string) => ReadonlySet<string>;

/**
 * The error for a destination the stack does not clear on the declaration's import date (today when it names
 * none), at `path` (`destinationCountry`, or where a post's item names it).
 */
export const destinationError = (
  declaration: { destinationCountry: string; importDate?: string | undefined },
  today: string,
  destinationsOn: DestinationsOn,
  path = 'destinationCountry',
): FieldError | undefined => {
  const served = destinationsOn(declaration.importDate ?? today);
  if (served.has(declaration.destinationCountry)) return undefined;
  const list = [...served].sort().join(', ');
  return {
    path,
    message: `is outside the customs territory this stack clears: it takes consignments for ${list}`,
  };
};
