// Generators of hostile HTTP requests for the fuzz suite (fuzz.test.ts), as fast-check arbitraries over
// the topology's routes and every kind of caller. Each request says what it is (category and kind) and
// what the API must do with it: refuse it (4xx), answer it anyhow but without a 5xx (reads, public
// routes), or accept it (the few lodgements designed to be valid, which alone may store a declaration).
//
// Bodies are built from a valid body per route, then broken in one way. Requests that carry the fixture
// declaration's id never carry a body that could be valid, so no hostile request can change it.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type Route, routes } from '../../shared/http/routes/index.js';
import type { Role } from '../../shared/topology.js';
import { CALLERS, type Caller, callerAuthorizations, callerSubjects } from '../fixtures/callers.js';
import { aPostalItem, itmattMessage, s10Id } from '../fixtures/postal.js';

// ---------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------

export { CALLERS, type Caller };
export const SUBJECTS = callerSubjects('fuzz');
export const AUTHORIZATION = callerAuthorizations(SUBJECTS);

const isPlatform = (caller: Caller) => caller === 'platformA' || caller === 'platformB';

/** The postal routes: a post lodges there, and only a post. */
export const POSTAL_LODGING = new Set(['POST /v1/postal/items', 'POST /v1/postal/itmatt']);

/** Whether the caller is the filer a lodging route lets lodge: the post on postal routes, else a platform. */
export const lodgerOf = (routeKey: string, caller: Caller): boolean =>
  POSTAL_LODGING.has(routeKey) ? caller === 'postA' : isPlatform(caller);

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export type Category =
  | 'json'
  | 'numbers'
  | 'nesting'
  | 'long-strings'
  | 'unicode'
  | 'prototype-keys'
  | 'headers'
  | 'raw-http'
  | 'xml'
  | 'methods'
  | 'paths'
  | 'query';

/**
 * refused: any 4xx (for a batch also a 207 that accepted nothing); any: whatever but a 5xx (reads and
 * public routes); lodge: a valid declaration, 202 (207 with 202 inside) for a platform, 401/403 to others.
 */
export type Expectation = 'refused' | 'any' | 'lodge';

export interface HostileRequest {
  category: Category;
  kind: string;
  routeKey: string;
  caller: Caller;
  method: string;
  /** The request target as sent: path and query, already encoded (or deliberately not). */
  target: string;
  /** Header name and value; a name may appear several times. */
  headers: [string, string][];
  /** Built when sent, so a megabyte body exists only while it is in flight. */
  body?: () => Buffer;
  /** Raw bytes over a fresh TCP connection instead of an HTTP client (requests no client would send). */
  raw?: () => Buffer;
  expect: Expectation;
}

// ---------------------------------------------------------------------------------------------
// Valid bodies and good path parameters, per route
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

export interface Targets {
  /** Platform A's declaration, AWAITING_PAYMENT: every id route aims at it. */
  declarationId: string;
  /** Declaration JSON (the fixture file) the lodging templates start from. */
  declaration: Record<string, Json>;
  seed: number;
}

const FUTURE = '2099-01-01';
const ADMIN_PARAMS: Record<string, string> = {
  hsCode: '970110',
  currency: 'CHF',
  number: 'IM5280009901',
  hsPrefix: '9701',
};

const routeKeyOf = (route: Route) => `${route.method} ${route.path}`;

/** Good values for a route's path parameters: the fixture declaration, a hold that does not exist. */
const goodParams = (route: Route, targets: Targets): Record<string, string> => {
  const params: Record<string, string> = {
    ...ADMIN_PARAMS,
    asset: 'swagger-ui.css',
    path: 'queue',
    holdId: 'hold_000000000000000000ff',
  };
  if (route.path.startsWith('/v1/declarations/')) params.id = targets.declarationId;
  else if (route.path.startsWith('/v1/admin/trusted-traders/')) params.id = 'FUZZ-TRADER';
  else if (route.path.startsWith('/v1/admin/risk-profiles/')) params.id = 'FUZZ-PROFILE';
  else if (route.path.startsWith('/v1/admin/surcharges/')) params.id = 'FUZZ_SURCHARGE';
  return params;
};

const fillPath = (path: string, params: Record<string, string>, raw: Record<string, string> = {}) =>
  path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => raw[name] ?? encodeURIComponent(params[name] ?? 'x'));

const lodgement = (targets: Targets, index: number): Record<string, Json> => ({
  ...targets.declaration,
  reference: `FZ-${targets.seed}-${index}`,
  consignee: {
    name: `Fuzz Consignee ${index}`,
    address: {
      line1: `${index} Fuzz Lane`,
      city: 'Rotterdam',
      postcode: `${3000 + (index % 999)} FZ`,
      country: 'NL',
    },
  },
});

/** A postal item of its own per index: an S10 id from the run's seed and the index. */
const postalItem = (targets: Targets, index: number): Json =>
  aPostalItem({ itemId: s10Id((targets.seed * 7_919 + index) % 100_000_000, 'FZ') }) as Json;

/** The valid body of each route that takes one. */
const template = (routeKey: string, targets: Targets, index: number): Json | undefined => {
  switch (routeKey) {
    case 'POST /v1/postal/items':
      return { items: [postalItem(targets, index)] };
    case 'POST /v1/declarations':
      return lodgement(targets, index);
    case 'POST /v1/declarations/batch':
      return { declarations: [lodgement(targets, index)] };
    case 'POST /v1/quotes': {
      const { reference: _reference, ...quote } = lodgement(targets, index);
      return quote;
    }
    case 'POST /v1/declarations/{id}/payments':
      return { amount: '1.00', currency: 'EUR', reference: 'FUZZ-PAY' };
    case 'POST /v1/declarations/{id}/holds':
      return { reason: 'Fuzz hold' };
    case 'POST /v1/declarations/{id}/decisions':
      return { decision: 'RELEASE', findings: {} };
    case 'POST /v1/declarations/{id}/returns':
      return { reason: 'Fuzz return', reference: 'FUZZ-RMA' };
    case 'POST /v1/declarations/{id}/cancel':
      return { reason: 'Fuzz cancel' };
    case 'PUT /v1/webhooks':
      return { url: 'https://hooks.example/fuzz', secret: 'fuzz-webhook-secret-0123' };
    case 'PUT /v1/admin/tariff-rates/{hsCode}':
      return { dutyRate: '0.05', validFrom: '2020-01-01' };
    case 'PUT /v1/admin/exchange-rates/{currency}':
      return { rate: '1.05', validFrom: '2020-01-01' };
    case 'PUT /v1/admin/trusted-traders/{id}':
      return {
        kind: 'SELLER',
        name: 'Fuzz Trader',
        authorisedFilers: ['fuzz-platform'],
        validFrom: '2020-01-01',
      };
    case 'PUT /v1/admin/tax-registrations/{number}':
      return { scheme: 'IOSS', holder: 'Fuzz Seller', holderId: 'SELLER-FUZZ', validFrom: '2020-01-01' };
    case 'PUT /v1/admin/reference-prices/{hsPrefix}':
      return { price: '100.00', currency: 'EUR', validFrom: '2020-01-01' };
    case 'PUT /v1/admin/tax-rates/{hsPrefix}':
      return { rate: '0.09', validFrom: '2020-01-01', legalBasis: 'Fuzz rate' };
    case 'PUT /v1/admin/surcharges/{id}':
      // Goods of Antarctica only: no lodgement of the run pays it.
      return {
        description: 'Fuzz surcharge',
        originCountries: ['AQ'],
        hsPrefixes: ['97'],
        rate: '0.10',
        specific: { amount: '1.00', per: 'ITEM' },
        validFrom: '2020-01-01',
        legalBasis: 'Fuzz',
      };
    case 'POST /v1/declarations/{id}/holds/{holdId}/lift':
      return { note: 'Fuzz note' };
    case 'PUT /v1/admin/risk-profiles/{id}':
    case 'POST /v1/admin/risk-profiles/{id}/validation':
      return {
        id: 'FUZZ-PROFILE',
        description: 'Fuzz profile',
        validFrom: FUTURE,
        when: { item: { hsChapter: ['97'] } },
        score: 1,
      };
    default:
      return undefined;
  }
};

const LODGING = new Set(['POST /v1/declarations', 'POST /v1/declarations/batch', 'POST /v1/postal/items']);
const takesBody = (route: Route) =>
  template(routeKeyOf(route), { declarationId: '', declaration: {}, seed: 0 }, 0) !== undefined;

// Routes by what they accept.
const bodyRoutes = routes.filter(takesBody);
const readRoutes = routes.filter((route) => route.method === 'GET');
const queryRoutes = routes.filter((route) => route.method === 'GET' || route.method === 'DELETE');

// ---------------------------------------------------------------------------------------------
// JSON surgery: serialize a value with one node replaced by raw text, or with an extra key
// ---------------------------------------------------------------------------------------------

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((part, index) => part === b[index]);

const serialize = (value: Json, edit: (node: Json, path: Path) => string | undefined): string => {
  const walk = (node: Json, path: Path): string => {
    const replaced = edit(node, path);
    if (replaced !== undefined) return replaced;
    if (Array.isArray(node))
      return `[${node.map((child, index) => walk(child, [...path, index])).join(',')}]`;
    if (node !== null && typeof node === 'object') {
      return `{${Object.entries(node)
        .map(([key, child]) => `${JSON.stringify(key)}:${walk(child, [...path, key])}`)
        .join(',')}}`;
    }
    return JSON.stringify(node);
  };
  return walk(value, []);
};

const replaceAt = (value: Json, at: Path, raw: string) =>
  serialize(value, (_, path) => (samePath(path, at) ? raw : undefined));

const addKeyAt = (value: Json, at: Path, key: string, raw: string) =>
  serialize(value, (node, path) => {
    if (!samePath(path, at) || node === null || typeof node !== 'object' || Array.isArray(node))
      return undefined;
    const rest = Object.entries(node).map(
      ([name, child]) => `${JSON.stringify(name)}:${JSON.stringify(child)}`,
    );
    return `{${[`${JSON.stringify(key)}:${raw}`, ...rest].join(',')}}`;
  });

interface Leaf {
  path: Path;
  value: string | number | boolean | null;
}

const leavesOf = (value: Json, path: Path = []): Leaf[] => {
  if (Array.isArray(value)) return value.flatMap((child, index) => leavesOf(child, [...path, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) => leavesOf(child, [...path, key]));
  return [{ path, value }];
};

const objectsOf = (value: Json, path: Path = []): Path[] => {
  if (Array.isArray(value)) return value.flatMap((child, index) => objectsOf(child, [...path, index]));
  if (value !== null && typeof value === 'object')
    return [path, ...Object.entries(value).flatMap(([key, child]) => objectsOf(child, [...path, key]))];
  return [];
};

/** Risk-profile patterns and decision findings take any key: keys and values there are data, not fields. */
const inOpenRecord = (path: Path) => path.includes('when') || path.includes('findings');
const OPEN_STRINGS = new Set(['url', 'email', 'productUrl']);
const TEXT_FIELDS = new Set([
  'reference',
  'name',
  'line1',
  'line2',
  'city',
  'postcode',
  'description',
  'reason',
  'secret',
  'holder',
  'taxId',
]);

type LeafClass = 'text' | 'formatted' | 'open' | 'number';

/** Free text, a formatted string (code, date, amount, enum), an open string (URL, e-mail), a number. */
const classify = (leaf: Leaf): LeafClass => {
  const key = leaf.path.at(-1);
  const parent = leaf.path.at(-2);
  if (inOpenRecord(leaf.path) || (typeof key === 'string' && OPEN_STRINGS.has(key))) return 'open';
  if (typeof leaf.value === 'number') return 'number';
  if (typeof key === 'string' && TEXT_FIELDS.has(key)) return 'text';
  if (key === 'id' && parent === 'seller') return 'text';
  return 'formatted';
};

/** The contract's bounds of the numeric fields in the templates. */
const numberFits = (path: Path, value: number): boolean => {
  const key = path.at(-1);
  if (key === 'quantity') return Number.isInteger(value) && value >= 1 && value <= 1_000_000;
  if (key === 'score') return Number.isInteger(value) && value >= 0 && value <= 1000;
  return false;
};

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const JSON_TYPE: [string, string] = ['content-type', 'application/json'];

const authHeaders = (caller: Caller): [string, string][] => {
  const token = AUTHORIZATION[caller];
  return token ? [['authorization', token]] : [];
};

const text = (value: string) => () => Buffer.from(value, 'utf8');

const callerArb = fc.constantFrom(...CALLERS);

const CALLERS_OF_ROLE: Record<Role, Caller[]> = {
  platform: ['platformA', 'platformB'],
  post: ['postA'],
  officer: ['officer'],
  agency: ['foodAgency', 'otherAgency'],
  finance: ['finance'],
  admin: ['admin'],
};

/**
 * Four times in five a caller the route lets in, so the request gets past the authorizer to the function
 * and its validation; otherwise anyone, authorized or not.
 */
const callerFor = (route: Route): fc.Arbitrary<Caller> => {
  const allowed = route.roles.flatMap((role) => CALLERS_OF_ROLE[role]);
  if (allowed.length === 0) return callerArb;
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...allowed) }, { weight: 1, arbitrary: callerArb });
};

const routeCaller = (candidates: readonly Route[]): fc.Arbitrary<readonly [Route, Caller]> =>
  fc.constantFrom(...candidates).chain((route) => callerFor(route).map((caller) => [route, caller] as const));

interface BodyCase {
  route: Route;
  caller: Caller;
  index: number;
  body: Json;
}

const bodyCase = (targets: Targets, candidates: readonly Route[] = bodyRoutes) =>
  fc.tuple(routeCaller(candidates), fc.nat()).map(
    ([[route, caller], index]): BodyCase => ({
      route,
      caller,
      index,
      body: template(routeKeyOf(route), targets, index) as Json,
    }),
  );

const bodyRequest = (
  targets: Targets,
  category: Category,
  kind: string,
  { route, caller }: BodyCase,
  body: () => Buffer,
  expect: Expectation = 'refused',
  headers: [string, string][] = [JSON_TYPE],
): HostileRequest => ({
  category,
  kind,
  routeKey: routeKeyOf(route),
  caller,
  method: route.method,
  target: fillPath(route.path, goodParams(route, targets)),
  headers: [...authHeaders(caller), ...headers],
  body,
  expect,
});

const HOSTILE_NUMBERS = [
  '1e308',
  '-1e308',
  '-0',
  '1e-400',
  '18446744073709551616',
  '9007199254740993',
  '-1',
  '0.5',
  '1e999',
  '0',
  '1E+2',
  '123456789012345678901234567890',
] as const;
const MALFORMED_NUMBERS = ['0x10', '+1', '01', '.5', '1.', 'NaN', 'Infinity', '-', '1e', '--1'] as const;

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

const isJson = (value: string) => {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
};

/** Malformed JSON: truncated, garbage inserted, trailing data, comments, single quotes, a BOM, noise. */
const malformedJson = (targets: Targets) =>
  fc
    .tuple(
      bodyCase(targets),
      fc.constantFrom(
        'truncated',
        'inserted',
        'trailing',
        'single-quotes',
        'comment',
        'bom',
        'noise',
        'duplicate-key',
      ),
      fc.nat(),
      fc.constantFrom(
        ',',
        ']',
        '}',
        '{',
        '"',
        "'",
        '\\',
        ':',
        'NaN',
        'undefined',
        '\u0000',
        '/*x*/',
        '\u2028',
      ),
      fc.string({ unit: 'binary', maxLength: 300 }),
    )
    .map(([c, kind, position, garbage, noise]) => {
      const valid = JSON.stringify(c.body);
      let broken: string;
      switch (kind) {
        case 'truncated':
          broken = valid.slice(0, position % valid.length);
          break;
        case 'inserted': {
          const at = position % valid.length;
          broken = `${valid.slice(0, at)}${garbage}${valid.slice(at)}`;
          break;
        }
        case 'trailing':
          broken = `${valid}${garbage === '\u0000' ? valid : `${garbage}x`}`;
          break;
        case 'single-quotes':
          broken = valid.replaceAll('"', "'");
          break;
        case 'comment':
          broken = `/* hostile */${valid}`;
          break;
        case 'bom':
          broken = `\uFEFF${valid}`;
          break;
        case 'duplicate-key': {
          // Valid JSON whose later duplicate (the one JSON.parse keeps) is null: the body is invalid.
          const first = Object.keys(c.body as Record<string, Json>)[0] ?? 'x';
          broken = `{${JSON.stringify(first)}:${JSON.stringify((c.body as Record<string, Json>)[first] ?? 1)},${valid.slice(1, -1)},${JSON.stringify(first)}:null}`;
          return bodyRequest(targets, 'json', kind, c, text(broken));
        }
        default:
          broken = noise;
      }
      // What goes out must not be JSON after all, nor empty: an empty body is no body, and the cancel
      // route takes a request without one.
      if (isJson(broken) || broken.trim() === '') broken = `${broken}{`;
      return bodyRequest(targets, 'json', kind, c, text(broken));
    });

/** Huge, negative, fractional, out-of-range and malformed numbers in place of a field. */
const hostileNumbers = (targets: Targets) =>
  fc
    .tuple(bodyCase(targets), fc.nat(), fc.constantFrom(...HOSTILE_NUMBERS, ...MALFORMED_NUMBERS))
    .map(([c, pick, literal]) => {
      const leaves = leavesOf(c.body).filter((leaf) => !inOpenRecord(leaf.path));
      const leaf = leaves[pick % leaves.length] as Leaf;
      const fits =
        isJson(literal) && typeof leaf.value === 'number' && numberFits(leaf.path, Number(literal));
      const raw = fits ? '1e308' : literal;
      return bodyRequest(
        targets,
        'numbers',
        `${classify(leaf)}:${raw}`,
        c,
        text(replaceAt(c.body, leaf.path, raw)),
      );
    });

/** Arrays or objects nested up to ten thousand levels, in place of a field or as the whole body. */
const deepNesting = (targets: Targets) =>
  fc
    .tuple(
      bodyCase(targets),
      fc.nat(),
      fc.constantFrom(100, 1_000, 10_000),
      fc.constantFrom('array', 'object', 'mixed'),
      fc.boolean(),
    )
    .map(([c, pick, depth, shape, whole]) => {
      const deep = () => {
        if (shape === 'array') return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
        if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        return `${'{"a":['.repeat(depth / 2)}1${']}'.repeat(depth / 2)}`;
      };
      // In place of a field or of a nested object (a risk profile's pattern included), or as the body.
      const nodes = [
        ...leavesOf(c.body).map((leaf) => leaf.path),
        ...objectsOf(c.body).filter((path) => path.length > 0),
      ];
      const at = nodes[pick % nodes.length] as Path;
      return bodyRequest(targets, 'nesting', `${shape}-${depth}${whole ? '-body' : ''}`, c, () =>
        Buffer.from(whole ? deep() : replaceAt(c.body, at, deep()), 'utf8'),
      );
    });

/** One-megabyte strings in place of a field or as a key; a few bodies over the 6 MB limit. */
const longStrings = (targets: Targets) =>
  fc
    .tuple(
      bodyCase(targets),
      fc.nat(),
      fc.constantFrom('ascii-value', 'emoji-value', 'escaped-value', 'key', 'oversize'),
    )
    .map(([c, pick, kind]) => {
      const leaves = leavesOf(c.body);
      const leaf = leaves[pick % leaves.length] as Leaf;
      const megabyte = 1 << 20;
      const build = (): Buffer => {
        switch (kind) {
          case 'ascii-value':
            return Buffer.from(replaceAt(c.body, leaf.path, `"${'x'.repeat(megabyte)}"`), 'utf8');
          case 'emoji-value':
            return Buffer.from(replaceAt(c.body, leaf.path, `"${'😀'.repeat(megabyte / 4)}"`), 'utf8');
          case 'escaped-value':
            return Buffer.from(replaceAt(c.body, leaf.path, `"${'\\u0041'.repeat(megabyte / 6)}"`), 'utf8');
          case 'key':
            return Buffer.from(addKeyAt(c.body, [], 'k'.repeat(megabyte), '1'), 'utf8');
          default: {
            // Seven megabytes: over the 6 MB limit of the API.
            const padding = 'p'.repeat(7 * megabyte);
            return Buffer.from(addKeyAt(c.body, [], 'padding', `"${padding}"`), 'utf8');
          }
        }
      };
      return bodyRequest(
        targets,
        'long-strings',
        kind === 'key' || kind === 'oversize' ? kind : `${kind}:${classify(leaf)}`,
        c,
        build,
      );
    });

const PRINTABLE = [
  'Zoë',
  '👩‍👩‍👧‍👦',
  '🇳🇱',
  'e\u0301\u0301',
  'مرحبا',
  'שלום',
  '漢字かな',
  'Ａｂｃ',
  'Straße',
  '😀',
  'Ω',
  'ﬁne',
  'ñ',
];
const UNSAFE = [
  '\ud800',
  '\udc00',
  '\udc00\ud800',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2068',
  '\u2069',
  '\r\n',
  '\t',
];

/** Lone surrogates, NUL and other controls, bidi overrides; and emoji or other scripts in every field. */
const unicode = (targets: Targets) =>
  fc
    .tuple(
      bodyCase(targets),
      fc.nat(),
      fc.boolean(),
      fc.array(fc.constantFrom(...PRINTABLE), { minLength: 1, maxLength: 4 }),
      fc.constantFrom(...UNSAFE),
    )
    .map(([c, pick, printable, pieces, unsafe]) => {
      const leaves = leavesOf(c.body).filter(
        (leaf) => classify(leaf) !== 'open' && classify(leaf) !== 'number',
      );
      const leaf = leaves[pick % leaves.length] as Leaf;
      const kind = classify(leaf);
      const routeKey = routeKeyOf(c.route);
      // Printable text goes only where it cannot act on the fixture: into lodgements and quotes.
      const lodging = LODGING.has(routeKey) || routeKey === 'POST /v1/quotes';
      if (printable && lodging) {
        let value = pieces.join(' ');
        while (value.length > 30)
          value = value.slice(0, value.lastIndexOf(' ') > 0 ? value.lastIndexOf(' ') : 30);
        if (value.length < 3) value = `${value} ok`;
        if (leaf.path.at(-1) === 'reference') value = `${value}-${c.index}`;
        const designedValid = kind === 'text';
        const expect: Expectation = !designedValid
          ? 'refused'
          : routeKey === 'POST /v1/quotes'
            ? 'any'
            : 'lodge';
        return bodyRequest(
          targets,
          'unicode',
          `printable:${kind}`,
          c,
          text(replaceAt(c.body, leaf.path, JSON.stringify(value))),
          expect,
        );
      }
      const value = `Anna ${unsafe} de Vries`;
      // JSON.stringify writes lone surrogates as \u escapes, the way a client sends them.
      return bodyRequest(
        targets,
        'unicode',
        `unsafe:${kind}:U+${(unsafe.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
        c,
        text(replaceAt(c.body, leaf.path, JSON.stringify(value))),
      );
    });

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const PROTO_VALUES = [
  '{"polluted":true}',
  '{"prototype":{"polluted":true}}',
  '"x"',
  '1',
  'null',
  '[]',
] as const;

/** `__proto__`, `constructor` and `prototype` keys at every level of a body. */
const prototypeKeys = (targets: Targets) =>
  fc
    .tuple(bodyCase(targets), fc.nat(), fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...PROTO_VALUES))
    .map(([c, pick, key, value]) => {
      const objects = objectsOf(c.body).filter((path) => !inOpenRecord(path));
      const at = objects[pick % objects.length] as Path;
      return bodyRequest(
        targets,
        'prototype-keys',
        `${key}@depth${at.length}`,
        c,
        text(addKeyAt(c.body, at, key, value)),
      );
    });

const HEADER_KINDS = [
  'huge-header',
  'many-headers',
  'duplicate-content-type',
  'charset',
  'gzip-lie',
  'gzip-real',
  'gzip-unlabelled',
  'other-encoding',
  'missing-content-type',
  'wrong-content-type',
  'multiple-authorization',
  'token-abuse',
  'accept-abuse',
  'header-prototype-names',
] as const;

const CHARSETS = [
  'iso-8859-1',
  'utf-16',
  'utf-16le',
  'latin1',
  'klingon',
  '"utf-7"',
  'utf-8; charset=latin1',
  '',
];
const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonp',
  'json',
  '*/*',
  'application/',
];
const BAD_TOKENS = [
  'Bearer local:platform:fuzz a',
  `Bearer local:platform:${SUBJECTS.platformA} local:admin:${SUBJECTS.admin}`,
  'Bearer local:admin:',
  'Bearer local:ADMIN:root',
  // A fourth part names the person acting for the subject (local:agency:<code>:<person>); more is refused.
  'Bearer local:admin:root:extra:more',
  'Bearer local:agency:FOOD_SAFETY:',
  'Bearer local:agency:FOOD_SAFETY:s\u00ebc',
  'Bearer local:root:root',
  'Basic YWRtaW46YWRtaW4=',
  'Bearer',
  `Bearer ${'a'.repeat(8000)}`,
  'Bearer local:admin:s\u00ebc',
  'Bearer local:admin:..%2F',
  'Bearer local:admin:%00',
  'Token local:admin:root',
  'Bearer "local:admin:root"',
];
const ACCEPTS = [
  'text/csv;q=1e308, application/json;q=NaN',
  '*/*;q=0',
  'text/csv;q=-1',
  `${'text/csv,'.repeat(500)}`,
  'application/json;q=0, text/csv',
];

/** Header abuse through an HTTP client; the body is the route's valid one, so only the headers are wrong. */
const headerAbuse = (targets: Targets) =>
  fc
    .tuple(
      routeCaller(routes),
      fc.nat(),
      fc.constantFrom(...HEADER_KINDS),
      fc.nat(),
      fc.integer({ min: 17_000, max: 60_000 }),
    )
    .map(([[route, caller], index, kind, pick, size]): HostileRequest => {
      const routeKey = routeKeyOf(route);
      const body = template(routeKey, targets, index);
      const valid = body === undefined ? undefined : JSON.stringify(body);
      const publicRoute = route.roles.length === 0;
      let headers: [string, string][] = [...authHeaders(caller), ...(valid === undefined ? [] : [JSON_TYPE])];
      let payload: (() => Buffer) | undefined = valid === undefined ? undefined : text(valid);
      let expect: Expectation = route.method === 'GET' ? 'any' : 'refused';
      let method = route.method;
      let targetRoute = route;
      switch (kind) {
        case 'huge-header':
          headers.push(['x-fuzz-filler', 'f'.repeat(size)]);
          expect = 'refused';
          break;
        case 'many-headers':
          for (let i = 0; i < 400; i += 1) headers.push([`x-fuzz-${i}`, 'v'.repeat(50)]);
          expect = 'refused';
          break;
        case 'duplicate-content-type':
          headers = [
            ...authHeaders(caller),
            JSON_TYPE,
            pick % 2 === 0 ? JSON_TYPE : ['content-type', 'text/plain'],
          ];
          break;
        case 'charset': {
          const charset = CHARSETS[pick % CHARSETS.length] ?? '';
          headers = [...authHeaders(caller), ['content-type', `application/json; charset=${charset}`]];
          if (valid !== undefined && charset.includes('16')) payload = () => Buffer.from(valid, 'utf16le');
          else if (valid !== undefined)
            payload = () => Buffer.from(valid.replace('Fuzz', 'F\u00fc\u00df'), 'latin1');
          break;
        }
        case 'gzip-lie':
          headers.push(['content-encoding', 'gzip']);
          break;
        case 'gzip-real':
          headers.push(['content-encoding', 'gzip']);
          if (valid !== undefined) payload = () => gzipSync(valid);
          break;
        case 'gzip-unlabelled':
          if (valid !== undefined) payload = () => gzipSync(valid);
          break;
        case 'other-encoding':
          headers.push([
            'content-encoding',
            ['br', 'deflate', 'identity, gzip', 'x-custom', 'GZIP'][pick % 5] ?? 'br',
          ]);
          break;
        case 'missing-content-type':
          headers = authHeaders(caller);
          break;
        case 'wrong-content-type':
          headers = [
            ...authHeaders(caller),
            ['content-type', WRONG_TYPES[pick % WRONG_TYPES.length] ?? 'text/plain'],
          ];
          break;
        case 'multiple-authorization': {
          const first = AUTHORIZATION[caller] ?? AUTHORIZATION.platformA ?? '';
          headers = [
            ['authorization', first],
            ['authorization', pick % 2 === 0 ? first : (AUTHORIZATION.admin ?? '')],
            ...(valid === undefined ? [] : [JSON_TYPE]),
          ];
          if (publicRoute) expect = 'any';
          break;
        }
        case 'token-abuse':
          headers = [
            ['authorization', BAD_TOKENS[pick % BAD_TOKENS.length] ?? 'Bearer'],
            ...(valid === undefined ? [] : [JSON_TYPE]),
          ];
          if (publicRoute) expect = 'any';
          break;
        case 'accept-abuse':
        case 'header-prototype-names': {
          // Reads only: these headers are allowed, so the request is otherwise valid.
          targetRoute = readRoutes[pick % readRoutes.length] as Route;
          method = 'GET';
          payload = undefined;
          headers = authHeaders(caller);
          if (kind === 'accept-abuse') headers.push(['accept', ACCEPTS[pick % ACCEPTS.length] ?? '*/*']);
          else
            headers.push(
              ['__proto__', 'x'],
              ['constructor', 'x'],
              ['prototype', 'x'],
              ['x-forwarded-for', '127.0.0.1, ::1, <script>'],
            );
          expect = 'any';
          break;
        }
      }
      // Without a body the route refuses anyway, or only reads; header abuse needs no body then.
      if (
        payload === undefined &&
        targetRoute.method !== 'GET' &&
        kind !== 'huge-header' &&
        kind !== 'many-headers'
      )
        expect = 'refused';
      return {
        category: 'headers',
        kind,
        routeKey: routeKeyOf(targetRoute),
        caller,
        method,
        target: fillPath(targetRoute.path, goodParams(targetRoute, targets)),
        headers,
        ...(payload ? { body: payload } : {}),
        expect,
      };
    });

const RAW_KINDS = [
  'nul-in-header',
  'bare-lf-in-header',
  'obs-fold',
  'utf8-token',
  'content-length-and-chunked',
  'bad-content-length',
  'two-content-lengths',
  'long-request-line',
  'garbage',
  'http-1.0',
  'raw-unicode-path',
  'space-in-path',
] as const;

/** What no HTTP client sends: raw bytes over a fresh connection. */
const rawHttp = (targets: Targets) =>
  fc
    .tuple(
      routeCaller(routes),
      fc.constantFrom(...RAW_KINDS),
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.nat({ max: 999_999 }),
    )
    .map(([[route, caller], kind, noise, index]): HostileRequest => {
      const routeKey = routeKeyOf(route);
      const target = fillPath(route.path, goodParams(route, targets));
      const body = template(routeKey, targets, index);
      const valid = body === undefined ? '' : JSON.stringify(body);
      const token = AUTHORIZATION[caller];
      const lines = (extra: string[], path = target, version = 'HTTP/1.1', authorization = token) => [
        `${route.method} ${path} ${version}`,
        'Host: localhost',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        ...(valid ? ['Content-Type: application/json'] : []),
        ...extra,
      ];
      const message = (head: string[], payload = valid) =>
        Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(payload, 'utf8')]);
      const length = `Content-Length: ${Buffer.byteLength(valid)}`;
      let raw: () => Buffer;
      let expect: Expectation = 'refused';
      switch (kind) {
        // Tokens with a NUL, a bare line feed or a folded line: no token at all.
        case 'nul-in-header':
          raw = () =>
            message(lines([length], target, 'HTTP/1.1', `${token ?? 'Bearer local:admin:root'}\u0000x`));
          break;
        case 'bare-lf-in-header':
          raw = () =>
            message(
              lines(
                [length],
                target,
                'HTTP/1.1',
                'Bearer local:platform:fuzz-a\nAuthorization: Bearer local:admin:root',
              ),
            );
          break;
        case 'obs-fold':
          raw = () => message(lines([length], target, 'HTTP/1.1', 'Bearer\r\n local:admin:root'));
          break;
        case 'utf8-token':
          raw = () =>
            Buffer.concat([
              Buffer.from(
                `${route.method} ${target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer local:admin:`,
                'latin1',
              ),
              Buffer.from('r\u00f6\u00f6t😀', 'utf8'),
              Buffer.from(
                `\r\n${valid ? 'Content-Type: application/json\r\n' : ''}${length}\r\n\r\n`,
                'latin1',
              ),
              Buffer.from(valid, 'utf8'),
            ]);
          if (route.roles.length === 0) expect = 'any';
          break;
        case 'content-length-and-chunked':
          raw = () =>
            message(
              lines([length, 'Transfer-Encoding: chunked']),
              `${Buffer.byteLength(valid).toString(16)}\r\n${valid}\r\n0\r\n\r\n`,
            );
          break;
        case 'bad-content-length':
          raw = () => message(lines(['Content-Length: 12abc']));
          break;
        case 'two-content-lengths':
          raw = () => message(lines([length, `Content-Length: ${Buffer.byteLength(valid) + 1}`]));
          break;
        case 'long-request-line':
          raw = () => message(lines([length], `${target}?q=${'q'.repeat(20_000)}`));
          break;
        case 'garbage':
          raw = () => Buffer.concat([Buffer.from(noise), Buffer.from('\r\n\r\n')]);
          break;
        case 'http-1.0':
          // HTTP/1.0 with a latin-1 header byte: a read is answered; an action gets a body that is a list.
          if (route.method === 'GET') {
            raw = () => message(lines(['Connection: close', 'X-Fuzz: \u00ff'], target, 'HTTP/1.0'), '');
            expect = 'any';
          } else {
            raw = () => message(lines(['Content-Length: 2', 'Connection: close'], target, 'HTTP/1.0'), '[]');
          }
          break;
        case 'raw-unicode-path':
          raw = () =>
            Buffer.concat([
              Buffer.from(`${route.method} `, 'latin1'),
              Buffer.from(`${target}/ünï😀`, 'utf8'),
              Buffer.from(` HTTP/1.1\r\nHost: localhost\r\n${length}\r\n\r\n${valid}`, 'utf8'),
            ]);
          break;
        default:
          raw = () => message(lines([length], `${target}/a b`));
      }
      return {
        category: 'raw-http',
        kind,
        routeKey,
        caller,
        method: route.method,
        target,
        headers: [],
        raw,
        expect,
      };
    });

const OTHER_METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'PROPFIND',
  'FUZZ',
] as const;

/** Every method a path has no route for. */
const wrongMethods = (targets: Targets) =>
  fc
    .tuple(routeCaller(routes), fc.constantFrom(...OTHER_METHODS), fc.boolean())
    .filter(
      ([[route], method]) => !routes.some((other) => other.path === route.path && other.method === method),
    )
    .map(
      ([[route, caller], method, withBody]): HostileRequest => ({
        category: 'methods',
        kind: method,
        routeKey: routeKeyOf(route),
        caller,
        method,
        target: fillPath(route.path, goodParams(route, targets)),
        headers: [...authHeaders(caller), ...(withBody && method !== 'HEAD' ? [JSON_TYPE] : [])],
        ...(withBody && method !== 'HEAD' && method !== 'GET'
          ? { body: text('{"reason":"wrong method"}') }
          : {}),
        expect: 'refused',
      }),
    );

const HOSTILE_SEGMENTS = [
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '..%2f',
  '%2e%2e%2f%2e%2e%2f',
  '..',
  '.',
  '%2e%2e',
  '%00',
  'dcl_%00',
  '%00.json',
  '%E0%A4%A',
  '%ZZ',
  '%',
  '%C0%AE%C0%AE%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '%F0%9F%98%80',
  '%E2%80%AE',
  'dcl_00000000000000000000000000',
  `dcl_${'0'.repeat(3000)}`,
  'a'.repeat(1100),
  '%20',
  '%2F',
  "'%20OR%201=1--",
  '%7B%22%24ne%22%3A1%7D',
  '%24%7Bjndi%3Aldap%3Ax%7D',
  '<script>',
] as const;

const PATH_MANGLES = [
  (path: string) => `/${path}`,
  (path: string) => path.replace('/v1/', '/v1//'),
  (path: string) => `${path}/`,
  (path: string) => `${path}/.`,
  (path: string) => `${path}/..`,
  (path: string) => path.replace('/v1/', '/v1/./'),
  (path: string) => path.replace('/v1/', '/v1/x/../'),
  (path: string) => path.toUpperCase(),
  (path: string) => path.replace('/v1/', '/%76%31/'),
  (path: string) => path.replace('/v1/', '/v1%2F'),
  (path: string) => `${path}%00`,
  (path: string) => `${path};jsessionid=1`,
  (path: string) => `${path}${'/x'.repeat(3000)}`,
] as const;

/** Path traversal, encoded NULs and malformed percent-encoding in path parameters; mangled paths. */
const hostilePaths = (targets: Targets) =>
  fc
    .tuple(routeCaller(routes), fc.nat(), fc.boolean(), fc.constantFrom(...HOSTILE_SEGMENTS))
    .map(([[route, caller], pick, mangle, segment]): HostileRequest => {
      const params = goodParams(route, targets);
      const names = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1] as string);
      let target: string;
      let kind: string;
      if (mangle || names.length === 0) {
        const change = PATH_MANGLES[pick % PATH_MANGLES.length] as (path: string) => string;
        // Mangled paths keep good parameters only on reads; an action gets an unknown id.
        const safe = route.method === 'GET' ? params : { ...params, id: 'dcl_00000000000000000000000000' };
        target = change(fillPath(route.path, safe));
        kind = `mangle-${pick % PATH_MANGLES.length}`;
      } else {
        const name = names[pick % names.length] as string;
        target = fillPath(
          route.path,
          { ...params, id: 'dcl_00000000000000000000000000' },
          { [name]: segment },
        );
        kind = `param:${segment.slice(0, 24)}`;
      }
      return {
        category: 'paths',
        kind,
        routeKey: routeKeyOf(route),
        caller,
        method: route.method,
        target,
        headers: authHeaders(caller),
        expect: route.method === 'GET' ? 'any' : 'refused',
      };
    });

const QUERY_PARTS = [
  'status=HELD&status=RELEASED',
  'limit=1&limit=2',
  'cursor=a&cursor=b',
  'since=a&since=b',
  'since=x.y',
  'since=%00',
  'since=eyJhZnRlciI6IkFUIyJ9.AAAAAAAAAAAAAAAAAAAAAA',
  `since=${'A'.repeat(3000)}`,
  'limit=1001',
  'filer=post:PostNL',
  `filer=${'f'.repeat(200)}`,
  'filer=a&filer=b',
  'filer=%00',
  'month=2026-01&month=2026-02',
  'limit=1e308',
  'limit=-0',
  'limit=0',
  'limit=101',
  'limit=1.5',
  'limit=0x10',
  'limit=',
  'limit=NaN',
  'limit=Infinity',
  'limit=18446744073709551616',
  'from=9999-99-99',
  'to=0000-01-01',
  'from=2026-02-30',
  'from=2020-01-01&to=2030-01-01',
  'from=2026-12-31&to=2026-01-01',
  'month=2026-13',
  'month=-1',
  'date=2026-02-29',
  'date=99999-01-01',
  '__proto__=x',
  '__proto__[polluted]=1',
  'constructor=x',
  'constructor[prototype][polluted]=1',
  'prototype=1',
  'hasOwnProperty=1',
  'toString=1',
  'groupBy=__proto__',
  'groupBy=constructor,platform',
  `groupBy=${'day,'.repeat(1000)}`,
  '%ZZ=1',
  'a=%',
  '%00=%00',
  'a=%E0%A4%A',
  'a=%ED%A0%80',
  'a=%F0%9F%98%80',
  `account=${'x'.repeat(1000)}`,
  'account=%00',
  'account=',
  'agency=fuzz',
  'agency=FOOD_SAFETY&agency=VETERINARY',
  'state=ALL',
  'kind=__proto__',
  `key=${'k'.repeat(500)}`,
  'validFrom=2020-01-01&validTo=2020-01-02',
  '&&&==&',
  'a[]=1&a[]=2',
] as const;

const cursorPart = fc.oneof(
  fc.integer({ min: 2_049, max: 12_000 }).map((size) => `cursor=${'A'.repeat(size)}`),
  fc.base64String({ maxLength: 200 }).map((value) => `cursor=${encodeURIComponent(value)}`),
  fc.constantFrom(
    'cursor=x.y',
    'cursor=.',
    'cursor=..',
    'cursor=%00',
    'cursor=eyJrZXkiOnt9fQ.AAAAAAAAAAAAAAAAAAAAAA',
    'cursor=eyJkYXkiOiI5OTk5LTk5LTk5In0.x',
    'cursor=e30',
    'cursor=',
  ),
);

/** Repeated parameters, huge and invalid cursors, hostile numbers and dates, prototype keys. */
const hostileQueries = (targets: Targets) =>
  fc
    .tuple(
      routeCaller(queryRoutes),
      fc.array(fc.oneof(fc.constantFrom(...QUERY_PARTS), cursorPart), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([[route, caller], parts, csv]): HostileRequest => {
      // A DELETE aims at a key that has no record, so even a valid query changes nothing.
      const params =
        route.method === 'DELETE'
          ? {
              ...goodParams(route, targets),
              id: 'FUZZ-NONE',
              hsCode: '970999',
              number: 'IM5280009999',
              hsPrefix: '9799',
            }
          : goodParams(route, targets);
      return {
        category: 'query',
        kind: parts[0]?.split('=')[0]?.slice(0, 20) ?? '',
        routeKey: routeKeyOf(route),
        caller,
        method: route.method,
        target: `${fillPath(route.path, params)}?${parts.join('&')}`,
        headers: [...authHeaders(caller), ...(csv ? ([['accept', 'text/csv']] as [string, string][]) : [])],
        expect: route.method === 'GET' ? 'any' : 'refused',
      };
    });

// ---------------------------------------------------------------------------------------------
// Hostile ITMATT messages: every one must be refused whole (4xx), and none may store an item
// ---------------------------------------------------------------------------------------------

const ITMATT_ROUTE = routes.find((route) => routeKeyOf(route) === 'POST /v1/postal/itmatt') as Route;
const XML_TYPE: [string, string] = ['content-type', 'application/xml'];

/** Ways to break a valid message, each named; `index` keeps the item ids of different requests apart. */
const XML_ATTACKS: Record<string, (valid: string, index: number) => Buffer> = {
  truncated: (valid, index) => Buffer.from(valid.slice(0, 40 + (index % (valid.length - 60))), 'utf8'),
  'billion-laughs': (valid) =>
    Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE ITMATT [<!ENTITY a "aaaaaaaaaa">${Array.from(
        { length: 9 },
        (_, level) =>
          `<!ENTITY ${'b'.repeat(level + 1)} "${`&${level === 0 ? 'a' : 'b'.repeat(level)};`.repeat(10)}">`,
      ).join('')}]>${valid.slice(valid.indexOf('<ITMATT')).replace('Shenzhen Gadget Store', '&bbbbbbbbb;')}`,
      'utf8',
    ),
  'external-entity': (valid) =>
    Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE ITMATT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${valid
        .slice(valid.indexOf('<ITMATT'))
        .replace('Shenzhen Gadget Store', '&xxe;')}`,
      'utf8',
    ),
  'external-dtd': (valid) =>
    Buffer.from(
      valid.replace('<ITMATT', '<!DOCTYPE ITMATT SYSTEM "http://127.0.0.1:1/itmatt.dtd"><ITMATT'),
      'utf8',
    ),
  'parameter-entity': (valid) =>
    Buffer.from(
      valid.replace('<ITMATT', '<!DOCTYPE ITMATT [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p">%p;]><ITMATT'),
      'utf8',
    ),
  'lowercase-doctype': (valid) => Buffer.from(valid.replace('<ITMATT', '<!doctype ITMATT><ITMATT'), 'utf8'),
  'undefined-entity': (valid) =>
    Buffer.from(valid.replace('Shenzhen Gadget Store', 'Shop &nbsp; &x;'), 'utf8'),
  'deep-nesting': (valid) =>
    Buffer.from(valid.replace('<Header>', `${'<Header>'.repeat(5_000)}${'</Header>'.repeat(4_999)}`), 'utf8'),
  'unknown-element': (valid) =>
    Buffer.from(valid.replace('</ItemId>', '</ItemId><Weight>1</Weight>'), 'utf8'),
  'wrong-namespace': (valid) =>
    Buffer.from(valid.replace('urn:clearway:itmatt:1', 'urn:example:other'), 'utf8'),
  'too-many-items': (valid) => {
    const item = valid.slice(valid.indexOf('<Item>'), valid.indexOf('</Item>') + '</Item>'.length);
    return Buffer.from(valid.replace(item, item.repeat(1_001)), 'utf8');
  },
  'long-text': (valid) => Buffer.from(valid.replace('Shenzhen Gadget Store', 'x'.repeat(1 << 20)), 'utf8'),
  'over-6-mb': (valid) => Buffer.from(valid.replace('Shenzhen Gadget Store', 'x'.repeat(7 << 20)), 'utf8'),
  'invalid-utf8': (valid) =>
    Buffer.concat([
      Buffer.from(valid.slice(0, 200), 'utf8'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(valid.slice(200), 'utf8'),
    ]),
  'nul-byte': (valid) => Buffer.from(valid.replace('Shenzhen', 'Shen\u0000zhen'), 'utf8'),
  'cdata-in-amount': (valid) =>
    Buffer.from(valid.replace('<Value>24.00</Value>', '<Value><![CDATA[1e308]]></Value>'), 'utf8'),
  'processing-instruction': (valid) =>
    Buffer.from(
      valid
        .replace('<ITMATT', '<?xml-stylesheet href="http://127.0.0.1:1/x.xsl"?><ITMATT')
        .replace('<ItemId>', '<ItemId>XX'),
      'utf8',
    ),
  'json-body': (_, index) =>
    Buffer.from(JSON.stringify({ items: [aPostalItem({ itemId: s10Id(index) })] }), 'utf8'),
  empty: () => Buffer.alloc(0),
  'not-xml': (_, index) => Buffer.from(`ITMATT ${index} <<<>>> &&& ]]>`, 'utf8'),
};

const hostileXml = (targets: Targets) =>
  fc
    .tuple(
      fc.constantFrom(...Object.keys(XML_ATTACKS)),
      fc.nat(),
      fc.constantFrom<Caller>('postA', 'postA', 'postA', 'platformA', 'none'),
    )
    .map(([kind, index, caller]): HostileRequest => {
      const valid = itmattMessage([postalItem(targets, index) as Record<string, unknown>]);
      const attack = XML_ATTACKS[kind] as (valid: string, index: number) => Buffer;
      return bodyRequest(
        targets,
        'xml',
        kind,
        { route: ITMATT_ROUTE, caller, index, body: null },
        () => attack(valid, index),
        'refused',
        kind === 'json-body' ? [JSON_TYPE] : [XML_TYPE],
      );
    });

/** A lodgement designed to be valid, sent by a platform: it must be accepted, and it alone may store. */
export const lodgesFor = (request: HostileRequest) =>
  request.expect === 'lodge' && lodgerOf(request.routeKey, request.caller);

export const CATEGORY_COUNTS: Record<Category, number> = {
  json: 1_500,
  numbers: 1_200,
  nesting: 400,
  'long-strings': 150,
  unicode: 1_700,
  'prototype-keys': 1_200,
  headers: 1_300,
  'raw-http': 300,
  xml: 400,
  methods: 800,
  paths: 1_200,
  query: 1_500,
};

const GENERATORS: Record<Category, (targets: Targets) => fc.Arbitrary<HostileRequest>> = {
  json: malformedJson,
  numbers: hostileNumbers,
  nesting: deepNesting,
  'long-strings': longStrings,
  unicode,
  'prototype-keys': prototypeKeys,
  headers: headerAbuse,
  'raw-http': rawHttp,
  xml: hostileXml,
  methods: wrongMethods,
  paths: hostilePaths,
  query: hostileQueries,
};

/**
 * The systematic part: every field and every nested object of every route's body, broken once in each
 * way, sent by a caller the route lets in. Random sampling alone could miss the one field that matters
 * (a risk profile's pattern takes any value: only its size and depth bound it).
 */
export const sweep = (targets: Targets): HostileRequest[] =>
  bodyRoutes.flatMap((route, routeIndex) => {
    const routeKey = routeKeyOf(route);
    const caller = route.roles.length === 0 ? 'none' : (CALLERS_OF_ROLE[route.roles[0] as Role][0] as Caller);
    const body = template(routeKey, targets, 1_000_000_000 + routeIndex) as Json;
    const c: BodyCase = { route, caller, index: 1_000_000_000 + routeIndex, body };
    const lodging = LODGING.has(routeKey);
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const perLeaf = leavesOf(body).flatMap((leaf, leafIndex): HostileRequest[] => {
      // A reference of its own per field, so the valid lodgements never collide.
      const body = template(routeKey, targets, 1_000_000_000 + routeIndex * 1_000 + leafIndex) as Json;
      const name = leaf.path.join('.');
      const kind = classify(leaf);
      const unsafe = UNSAFE[leafIndex % UNSAFE.length] as string;
      const requests = [
        bodyRequest(
          targets,
          'numbers',
          `sweep:${name}`,
          c,
          text(replaceAt(body, leaf.path, numberFits(leaf.path, 1e308) ? '-1' : '1e308')),
        ),
        bodyRequest(targets, 'nesting', `sweep:${name}`, c, () =>
          Buffer.from(replaceAt(body, leaf.path, deep), 'utf8'),
        ),
        bodyRequest(targets, 'long-strings', `sweep:${name}`, c, () =>
          Buffer.from(replaceAt(body, leaf.path, `"${'x'.repeat(1 << 20)}"`), 'utf8'),
        ),
      ];
      if (kind !== 'open' && kind !== 'number') {
        requests.push(
          bodyRequest(
            targets,
            'unicode',
            `sweep:${name}`,
            c,
            text(replaceAt(body, leaf.path, JSON.stringify(`Anna ${unsafe} de Vries`))),
          ),
        );
      }
      if (lodging && kind === 'text') {
        const value =
          leaf.path.at(-1) === 'reference'
            ? `Zoë 👩‍👩‍👧‍👦 ${routeIndex}-${leafIndex}`
            : 'Zoë 👩‍👩‍👧‍👦 e\u0301 漢字';
        requests.push(
          bodyRequest(
            targets,
            'unicode',
            `sweep-printable:${name}`,
            c,
            text(replaceAt(body, leaf.path, JSON.stringify(value))),
            'lodge',
          ),
        );
      }
      return requests;
    });
    const perObject = objectsOf(body).flatMap((path) => [
      ...PROTO_KEYS.map((key) =>
        inOpenRecord(path) && key === '__proto__'
          ? undefined
          : bodyRequest(
              targets,
              'prototype-keys',
              `sweep:${key}@${path.join('.') || 'root'}`,
              c,
              text(addKeyAt(body, path, key, '{"polluted":true}')),
            ),
      ),
      path.length === 0
        ? undefined
        : bodyRequest(targets, 'nesting', `sweep-object:${path.join('.')}`, c, () =>
            Buffer.from(replaceAt(body, path, deep), 'utf8'),
          ),
    ]);
    return [...perLeaf, ...perObject.filter((request): request is HostileRequest => request !== undefined)];
  });

/** Every request of the run: the sweep, then samples generated from `targets.seed`, shuffled with it. */
export const hostileRequests = (
  targets: Targets,
  counts: Record<Category, number> = CATEGORY_COUNTS,
): HostileRequest[] => {
  const all = [
    ...sweep(targets),
    ...(Object.keys(GENERATORS) as Category[]).flatMap((category, offset) =>
      fc.sample(GENERATORS[category](targets), { seed: targets.seed + offset, numRuns: counts[category] }),
    ),
  ];
  // A seeded Fisher-Yates shuffle, so big and small requests are spread over the whole run.
  let state = targets.seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as HostileRequest, all[i] as HostileRequest];
  }
  return all;
};
