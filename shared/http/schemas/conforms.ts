/**
 * A domain type that must fit the wire schema describing it: the use cases return `Domain`, the handlers
 * send it, and a field the schema does not document fails the type check here instead of drifting.
 */
export type Conforms<Domain extends Wire, Wire> = Domain;
