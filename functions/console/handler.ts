import * as z from 'zod';
import { loadConfig } from '../../shared/config.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import {
  type ConsoleFile,
  consoleFiles,
  contentSecurityPolicy,
  preferredEncoding,
  SECURITY_HEADERS,
} from '../../shared/http/console-assets.js';
import { handle } from '../../shared/http/contract.js';
import { httpHandler, json } from '../../shared/http/handler.js';
import { consoleRoutes } from '../../shared/http/routes/console.js';
import { functions } from '../../shared/topology.js';

loadConfig(functions.console);

// How staff sign in: the stack's Cognito hosted UI, or (local runtime only) a list of demo identities.
const env = z
  .discriminatedUnion('CONSOLE_SIGN_IN', [
    z.object({ CONSOLE_SIGN_IN: z.literal('local'), ASSETS_DIR: z.string().min(1) }),
    z.object({
      CONSOLE_SIGN_IN: z.literal('cognito'),
      ASSETS_DIR: z.string().min(1),
      CONSOLE_AUTH_DOMAIN: z.url(),
      CONSOLE_CLIENT_ID: z.string().min(1),
    }),
  ])
  .parse(process.env);

const signIn =
  env.CONSOLE_SIGN_IN === 'local'
    ? { kind: 'local' as const }
    : { kind: 'cognito' as const, domain: env.CONSOLE_AUTH_DOMAIN, clientId: env.CONSOLE_CLIENT_ID };
const files = consoleFiles(env.ASSETS_DIR);
const headers = {
  ...SECURITY_HEADERS,
  'content-security-policy': contentSecurityPolicy(signIn.kind === 'cognito' ? signIn.domain : undefined),
};

const send = (file: ConsoleFile | undefined, what: string) => {
  if (!file) throw new NotFoundError(`No file ${what} belongs to the console`);
  return {
    statusCode: 200,
    headers: {
      ...headers,
      'content-type': file.contentType,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(file.encoding ? { 'content-encoding': file.encoding } : {}),
    },
    body: file.body,
    isBase64Encoded: file.base64,
  };
};

type Request = { event: { headers: Record<string, string | undefined> } };
const encodingOf = (request: Request) => preferredEncoding(request.event.headers['accept-encoding']);
const page = async (request: Request) => send(files.page(encodingOf(request)), 'index.html');

export const handler = httpHandler(
  handle(consoleRoutes.app, page),
  handle(consoleRoutes.statistics, page),
  handle(consoleRoutes.file, async (request) => {
    const path = request.params.path ?? '';
    if (path === 'config.json') return json(200, { signIn }, { ...headers, 'cache-control': 'no-cache' });
    // Anything under assets/ is a file; every other path is a page of the app.
    if (path.startsWith('assets/')) return send(files.asset(path, encodingOf(request)), path);
    return page(request);
  }),
);
