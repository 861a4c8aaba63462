// The console's static files: the single-page app built by Vite (console/dist), served by the console
// function under /console and /statistics. Every page is the same index.html (the app routes in the
// browser); hashed assets are immutable. The policy allows only the stack's own origin, and the Cognito
// domain when the console signs in there.
import { readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface ConsoleFile {
  contentType: string;
  /** Text as UTF-8, binary (and compressed) base64-encoded. */
  body: string;
  base64: boolean;
  immutable: boolean;
  /** `br` or `gzip` when the body is compressed. */
  encoding?: 'br' | 'gzip';
}

type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts (the API does not compress for us). */
export const preferredEncoding = (acceptEncoding: string | undefined): Encoding => {
  const offered = (acceptEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, quality]) => !quality || !/^q=0(\.0*)?$/.test(quality.trim()))
    .map(([name]) => name);
  if (offered.includes('br')) return 'br';
  if (offered.includes('gzip')) return 'gzip';
  return 'identity';
};

const TYPES: ReadonlyMap<string, string> = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.woff2', 'font/woff2'],
]);

/** A relative asset path, e.g. `assets/index-3f2a1b.js`: letters, digits, dots, dashes, one folder. */
const ASSET_PATH = /^assets\/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[a-z0-9]+$/;

export const contentSecurityPolicy = (signInOrigin?: string): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${signInOrigin ? ` ${signInOrigin}` : ''}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** Reads the built files from `directory` once each. */
export const consoleFiles = (directory: string) => {
  const cache = new Map<string, ConsoleFile>();
  const read = (relative: string, immutable: boolean, encoding: Encoding): ConsoleFile | undefined => {
    const cacheKey = `${encoding}:${relative}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const contentType = TYPES.get(extname(relative));
    const path = normalize(join(directory, relative));
    if (!contentType || !path.startsWith(`${normalize(directory)}${sep}`)) return undefined;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    const textual = contentType.startsWith('text/') || contentType === 'image/svg+xml';
    let file: ConsoleFile;
    if (textual && encoding !== 'identity') {
      const compressed =
        encoding === 'br'
          ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
          : gzipSync(bytes, { level: 9 });
      file = { contentType, body: compressed.toString('base64'), base64: true, immutable, encoding };
    } else {
      file = {
        contentType,
        body: bytes.toString(textual ? 'utf8' : 'base64'),
        base64: !textual,
        immutable,
      };
    }
    cache.set(cacheKey, file);
    return file;
  };
  return {
    /** The app's page (every route of the app answers with it). */
    page: (encoding: Encoding = 'identity'): ConsoleFile | undefined => read('index.html', false, encoding),
    /** A built asset by its path under /console/, or undefined for anything else. */
    asset: (path: string, encoding: Encoding = 'identity'): ConsoleFile | undefined =>
      ASSET_PATH.test(path) ? read(path, true, encoding) : undefined,
  };
};
