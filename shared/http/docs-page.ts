// The rendered API reference: Swagger UI's own files from the swagger-ui-dist package, plus a tiny page
// and start script that point it at /openapi.json. Nothing is fetched from elsewhere.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface DocsAsset {
  contentType: string;
  /** Text assets as UTF-8, binary ones base64-encoded. */
  body: string;
  base64: boolean;
}

// A Map, so a requested name such as `__proto__` or `constructor` finds nothing rather than a property
// of Object.prototype.
const PACKAGE_FILES: ReadonlyMap<string, string> = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
  ['favicon-16x16.png', 'image/png'],
]);

/** The page: a bootstrap only. Paths are relative so it works under any stage or base path. */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Clearway API reference</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

const INIT_JS = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', window.location.href).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  // No calls to swagger.io's online validator: the page fetches nothing from elsewhere.
  validatorUrl: null,
});
`;

let packageDir: string | undefined;
const swaggerUiDir = (): string => {
  packageDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return packageDir;
};

const cache = new Map<string, DocsAsset>();

/** A file of the reference page by name, or undefined for any other name. */
export const docsAsset = (name: string): DocsAsset | undefined => {
  if (name === 'init.js')
    return { contentType: 'text/javascript; charset=utf-8', body: INIT_JS, base64: false };
  const contentType = PACKAGE_FILES.get(name);
  if (!contentType) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    const base64 = contentType.startsWith('image/');
    const bytes = readFileSync(join(swaggerUiDir(), name));
    asset = { contentType, body: bytes.toString(base64 ? 'base64' : 'utf8'), base64 };
    cache.set(name, asset);
  }
  return asset;
};
