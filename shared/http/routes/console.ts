// The administration's console and the public statistics page: static files (functions/console).
import { defineRoute } from '../contract.js';

const PAGE = { 200: { description: 'The single-page app', contentType: 'text/html' } };

export const consoleRoutes = {
  app: defineRoute({
    method: 'GET',
    path: '/console',
    function: 'console',
    roles: [],
    summary: "The administration's console",
    tag: 'Console',
    responses: PAGE,
  }),
  file: defineRoute({
    method: 'GET',
    path: '/console/{path+}',
    function: 'console',
    roles: [],
    summary: 'A page or file of the console (assets/…, config.json, or a page of the app)',
    tag: 'Console',
    responses: { 200: { description: 'A page, a script, a style sheet or the sign-in configuration' } },
  }),
  statistics: defineRoute({
    method: 'GET',
    path: '/statistics',
    function: 'console',
    roles: [],
    summary: 'The public statistics page',
    tag: 'Console',
    responses: PAGE,
  }),
};
