// Every HTTP route of the stack, for what needs them all: the API Gateway routes (infra), the local
// runtime and the OpenAPI document. A function imports only its own routes module.
import type { RouteContract } from '../contract.js';
import { clearanceRoutes } from './clearance.js';
import { consoleRoutes } from './console.js';
import { declarationRoutes } from './declarations.js';
import { docsRoutes } from './docs.js';
import { ledgerRoutes } from './ledger.js';
import { postalRoutes } from './postal.js';
import { adminRoutes, quoteRoutes } from './reference.js';
import { webhookRoutes } from './webhooks.js';

export const routes: readonly RouteContract[] = [
  ...Object.values(declarationRoutes),
  ...Object.values(postalRoutes),
  ...Object.values(webhookRoutes),
  ...Object.values(quoteRoutes),
  ...Object.values(clearanceRoutes),
  ...Object.values(ledgerRoutes),
  ...adminRoutes,
  ...Object.values(docsRoutes),
  ...Object.values(consoleRoutes),
];

export type Route = RouteContract;
