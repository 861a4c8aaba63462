import { loadConfig } from '../../shared/config.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { handle } from '../../shared/http/contract.js';
import { DOCS_HTML, docsAsset } from '../../shared/http/docs-page.js';
import { httpHandler, json } from '../../shared/http/handler.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { docsRoutes } from '../../shared/http/routes/docs.js';
import { functions } from '../../shared/topology.js';

const config = loadConfig(functions.openapi);
const document = openApiDocument({ country: config.country });
const CACHE = { 'cache-control': 'public, max-age=300' };

export const handler = httpHandler(
  handle(docsRoutes.document, async () => json(200, document, CACHE)),
  handle(docsRoutes.page, async ({ event }) =>
    // The gateway sends `/docs/` here too; the page's relative links resolve only from `/docs`.
    event.rawPath.endsWith('/')
      ? { statusCode: 308, headers: { location: '../docs', ...CACHE }, body: '' }
      : {
          statusCode: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', ...CACHE },
          body: DOCS_HTML,
        },
  ),
  handle(docsRoutes.asset, async ({ params }) => {
    const asset = docsAsset(params.asset ?? '');
    if (!asset) throw new NotFoundError(`No file ${params.asset} belongs to the API reference`);
    return {
      statusCode: 200,
      headers: { 'content-type': asset.contentType, ...CACHE },
      body: asset.body,
      isBase64Encoded: asset.base64,
    };
  }),
);
