// This API's own reference: the OpenAPI document and its rendered page (functions/openapi).
import * as z from 'zod';
import { defineRoute } from '../contract.js';

export const docsRoutes = {
  document: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    roles: [],
    summary: 'This OpenAPI document',
    tag: 'Reference',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  }),
  page: defineRoute({
    method: 'GET',
    path: '/docs',
    function: 'openapi',
    roles: [],
    summary: 'The API reference, rendered',
    tag: 'Reference',
    responses: {
      200: { description: 'An HTML page', contentType: 'text/html' },
      308: { description: 'Asked as /docs/: redirects to /docs, where the page resolves its links' },
    },
  }),
  asset: defineRoute({
    method: 'GET',
    path: '/docs/{asset}',
    function: 'openapi',
    roles: [],
    summary: 'Static files of the API reference page',
    tag: 'Reference',
    responses: {
      200: { description: 'A script, style sheet or image', contentType: 'application/octet-stream' },
    },
  }),
};
