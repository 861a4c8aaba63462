// Amazon EventBridge event-pattern matching, in plain TypeScript, so the local event bus and the
// customs risk engine route and score events exactly as EventBridge would. Semantics follow the
// EventBridge user guide ("Event patterns", "Content filtering in Amazon EventBridge event patterns")
// and the open-source event-ruler library behind it.

/** An EventBridge event pattern: a JSON object whose leaves are arrays of match values. */
export type EventPattern = Record<string, unknown>;

/** Compiled matcher for one pattern; safe to call for any parsed JSON value. */
export type EventMatcher = (event: unknown) => boolean;

/** A pattern EventBridge would refuse; `reason` names the JSON path and the offending operator. */
export class InvalidPatternError extends Error {
  readonly reason: string;
  readonly path: string;

  constructor(path: string, detail: string) {
    const where = path === '' ? '(root)' : path;
    super(`${where}: ${detail}`);
    this.name = 'InvalidPatternError';
    this.reason = this.message;
    this.path = where;
  }
}

export type PatternValidation = { ok: true } | { ok: false; reason: string };

/** Checks a pattern against the rules EventBridge applies when a rule is created. */
export function validatePattern(pattern: unknown): PatternValidation {
  try {
    compilePattern(pattern);
    return { ok: true };
  } catch (error) {
    if (error instanceof InvalidPatternError) return { ok: false, reason: error.reason };
    throw error;
  }
}

/**
 * Validates the pattern (throwing InvalidPatternError) and returns a matcher with every operand
 * pre-parsed, so matching an event never re-reads the pattern.
 */
export function compilePattern(pattern: unknown): EventMatcher {
  if (!isPlainObject(pattern)) {
    throw new InvalidPatternError('', `pattern must be a JSON object, got ${describe(pattern)}`);
  }
  const { matcher } = compileObject(pattern, '', false, 1);
  // Measured once the depth is known to be bounded (serializing is recursive too).
  const length = JSON.stringify(pattern).length;
  if (length > MAX_PATTERN_LENGTH) {
    throw new InvalidPatternError(
      '',
      `patterns may be at most ${MAX_PATTERN_LENGTH} characters as JSON, got ${length}`,
    );
  }
  return matcher;
}

const compiledByPattern = new WeakMap<object, EventMatcher>();

/**
 * One-off convenience: compiles on first use and caches by object identity, so a pattern object
 * must not be mutated after it has been matched.
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  let matcher = compiledByPattern.get(pattern);
  if (matcher === undefined) {
    matcher = compilePattern(pattern);
    compiledByPattern.set(pattern, matcher);
  }
  return matcher(event);
}

// ---------------------------------------------------------------------------------------------
// Limits and vocabulary
// ---------------------------------------------------------------------------------------------

// EventBridge compares numbers in a fixed-point form: ±5.0e9 with six decimals.
const NUMERIC_LIMIT = 5e9;
const NUMERIC_MAX_DECIMALS = 6;

const OR_KEY = '$or';

// Levels of nested objects ($or branches included). EventBridge caps a pattern's size; no real pattern
// nests this deep, and compiling is recursive: a deeper one would exhaust the stack instead of failing.
export const MAX_PATTERN_DEPTH = 32;
// EventBridge's limit on a rule's pattern (PutRule EventPattern: at most 4096 characters). Patterns are
// stored (risk profiles) and compiled for every evaluation: a bigger one is refused here, not by the table.
export const MAX_PATTERN_LENGTH = 4096;

// Inside $or these names would be ambiguous with operators, so EventBridge refuses them as fields.
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

const OPERATORS = 'prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr';

// ---------------------------------------------------------------------------------------------
// Object levels: AND over fields, OR over the branches of each $or
// ---------------------------------------------------------------------------------------------

type FieldTest = (value: unknown) => boolean;

interface FieldMatcher {
  key: string;
  test: FieldTest;
}

interface CompiledObject {
  matcher: EventMatcher;
  /**
   * Paths (below this object) whose only match value is `exists: false`. Through an array of objects the
   * field must be absent from every element, as EventBridge flattens the array before testing `exists`.
   */
  absent: string[][];
}

function compileObject(
  pattern: Record<string, unknown>,
  path: string,
  insideOr: boolean,
  depth: number,
): CompiledObject {
  if (depth > MAX_PATTERN_DEPTH) fail(path, `patterns may nest at most ${MAX_PATTERN_DEPTH} levels`);
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path, 'empty objects are not allowed');

  const leaves: FieldMatcher[] = [];
  const nested: FieldMatcher[] = [];
  const ors: EventMatcher[][] = [];
  const absent: string[][] = [];
  for (const key of keys) {
    const value = pattern[key];
    const fieldPath = join(path, key);
    if (key === OR_KEY) {
      ors.push(compileOr(value, fieldPath, depth + 1));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(fieldPath, `"${key}" is a reserved operator name and cannot be used as a field name inside $or`);
    }
    if (Array.isArray(value)) {
      const leaf = compileLeaf(value, fieldPath);
      leaves.push({ key, test: leaf.test });
      if (leaf.absentOnly) absent.push([key]);
    } else if (isPlainObject(value)) {
      const sub = compileObject(value, fieldPath, insideOr, depth + 1);
      nested.push({ key, test: descendInto(sub) });
      absent.push(...sub.absent.map((below) => [key, ...below]));
    } else {
      fail(fieldPath, `must be an array of match values or a nested pattern object, got ${describe(value)}`);
    }
  }

  // Leaves first: they are the cheapest and usually the most selective.
  const fields = [...leaves, ...nested];
  const matcher: EventMatcher = (node) => {
    const object = isEventObject(node) ? node : undefined;
    for (const field of fields) {
      const value = object !== undefined && Object.hasOwn(object, field.key) ? object[field.key] : undefined;
      if (!field.test(value)) return false;
    }
    for (const branches of ors) {
      if (!anyBranch(branches, node)) return false;
    }
    return true;
  };
  return { matcher, absent };
}

function anyBranch(branches: EventMatcher[], node: unknown): boolean {
  for (const branch of branches) {
    if (branch(node)) return true;
  }
  return false;
}

function compileOr(value: unknown, path: string, depth: number): EventMatcher[] {
  if (!Array.isArray(value)) {
    fail(path, `$or must be an array of at least 2 pattern objects, got ${describe(value)}`);
  }
  if (value.length < 2) fail(path, `$or must be an array of at least 2 pattern objects, got ${value.length}`);
  return value.map((branch, index) => {
    const branchPath = `${path}[${index}]`;
    if (!isPlainObject(branch)) {
      fail(branchPath, `each $or entry must be a pattern object, got ${describe(branch)}`);
    }
    return compileObject(branch, branchPath, true, depth).matcher;
  });
}

// Outcome of scanning an array: nothing tested, tested without a match, or matched.
const Scan = { Empty: 0, NoMatch: 1, Matched: 2 } as const;
type ScanOutcome = (typeof Scan)[keyof typeof Scan];

// A nested pattern applies to the object at that path; through an array of objects, any one
// element must satisfy the whole sub-pattern (fields are never combined across elements), and a field
// that must not exist is absent from every element.
function descendInto(sub: CompiledObject): FieldTest {
  const { matcher, absent } = sub;
  return (value) => {
    if (!Array.isArray(value)) return matcher(value);
    if (absent.some((path) => leafAt(value, path, 0))) return false;
    const outcome = anyElement(value, matcher);
    return outcome === Scan.Matched || (outcome === Scan.Empty && matcher(undefined));
  };
}

// Whether a leaf value stands at `path` below `node`, through any element of any array on the way.
function leafAt(node: unknown, path: string[], depth: number): boolean {
  if (Array.isArray(node)) return node.some((element) => leafAt(element, path, depth));
  const key = path[depth];
  if (key === undefined) return node !== undefined && !isEventObject(node);
  return isEventObject(node) && Object.hasOwn(node, key) && leafAt(node[key], path, depth + 1);
}

// Nested arrays are flattened, as EventBridge does, before elements are tested.
function anyElement(values: unknown[], test: (element: unknown) => boolean): ScanOutcome {
  let outcome: ScanOutcome = Scan.Empty;
  for (const element of values) {
    if (Array.isArray(element)) {
      const inner = anyElement(element, test);
      if (inner === Scan.Matched) return Scan.Matched;
      if (inner === Scan.NoMatch) outcome = Scan.NoMatch;
    } else {
      if (test(element)) return Scan.Matched;
      outcome = Scan.NoMatch;
    }
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Leaves: OR over the values of one array
// ---------------------------------------------------------------------------------------------

type ValueTest = (value: unknown) => boolean;

function compileLeaf(items: unknown[], path: string): { test: FieldTest; absentOnly: boolean } {
  if (items.length === 0) fail(path, 'empty arrays are not allowed');

  let exact: Set<unknown> | undefined;
  const tests: ValueTest[] = [];
  let existsTrue = false;
  let existsFalse = false;
  for (const item of items) {
    if (item === null || typeof item === 'string' || typeof item === 'boolean' || typeof item === 'number') {
      if (typeof item === 'number' && !Number.isFinite(item)) fail(path, `${item} is not a JSON number`);
      // A Set compares with SameValueZero: "5" and 5, or "true" and true, stay distinct.
      exact ??= new Set();
      exact.add(item);
    } else if (Array.isArray(item)) {
      fail(path, 'nested arrays are not allowed in a list of match values');
    } else if (isPlainObject(item)) {
      const operator = compileOperator(item, path);
      if (operator === true) existsTrue = true;
      else if (operator === false) existsFalse = true;
      else tests.push(operator);
    } else {
      fail(
        path,
        `match values must be strings, numbers, true, false, null or operator objects, got ${describe(item)}`,
      );
    }
  }

  const matchesValue = anyOf(exact, tests);
  // Only scalars (null included) are leaf values: objects and empty arrays count as absent here.
  const isLeafValue = (element: unknown): boolean => !isEventObject(element);
  const scanTest = (element: unknown): boolean => isLeafValue(element) && matchesValue(element);
  const test: FieldTest = (value) => {
    if (value === undefined) return existsFalse;
    if (Array.isArray(value)) {
      if (anyElement(value, scanTest) === Scan.Matched) return true;
      if (existsTrue === existsFalse) return existsTrue;
      return hasLeaf(value) ? existsTrue : existsFalse;
    }
    if (isEventObject(value)) return existsFalse;
    return existsTrue || matchesValue(value);
  };
  return { test, absentOnly: existsFalse && !existsTrue && exact === undefined && tests.length === 0 };
}

function hasLeaf(values: unknown[]): boolean {
  for (const element of values) {
    if (Array.isArray(element) ? hasLeaf(element) : !isEventObject(element)) return true;
  }
  return false;
}

function anyOf(exact: Set<unknown> | undefined, tests: ValueTest[]): ValueTest {
  if (tests.length === 0) return exact === undefined ? () => false : (value) => exact.has(value);
  const [single] = tests;
  if (exact === undefined && tests.length === 1 && single !== undefined) return single;
  return (value) => {
    if (exact?.has(value)) return true;
    for (const test of tests) {
      if (test(value)) return true;
    }
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

/** A value test, or the boolean of an `exists` operator. */
type CompiledOperator = ValueTest | boolean;

function compileOperator(expression: Record<string, unknown>, path: string): CompiledOperator {
  const names = Object.keys(expression);
  const [name] = names;
  if (name === undefined) fail(path, `empty match expression; expected one of ${OPERATORS}`);
  if (names.length > 1) {
    fail(
      path,
      `only one operator is allowed per match expression, got ${names.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  const operand = expression[name];
  switch (name) {
    case 'prefix':
      return compileAffix('prefix', operand, path);
    case 'suffix':
      return compileAffix('suffix', operand, path);
    case 'equals-ignore-case': {
      const expected = foldCase(requireString('equals-ignore-case', operand, path));
      return (value) => typeof value === 'string' && foldCase(value) === expected;
    }
    case 'wildcard': {
      const glob = compileWildcard(requireString('wildcard', operand, path), path, 'wildcard');
      return (value) => typeof value === 'string' && glob(value);
    }
    case 'anything-but':
      return compileAnythingBut(operand, path);
    case 'numeric':
      return compileNumeric(operand, path);
    case 'exists':
      if (typeof operand !== 'boolean') {
        fail(path, `operator "exists" needs true or false, got ${describe(operand)}`);
      }
      return operand;
    case 'cidr':
      return compileCidr(operand, path);
    default:
      return fail(
        path,
        `unknown operator "${name}"; objects in a list of match values must be operators (${OPERATORS}), ` +
          'and a nested field pattern must be an object, not an element of an array',
      );
  }
}

function compileAffix(kind: 'prefix' | 'suffix', operand: unknown, path: string): ValueTest {
  if (typeof operand === 'string') {
    return kind === 'prefix'
      ? (value) => typeof value === 'string' && value.startsWith(operand)
      : (value) => typeof value === 'string' && value.endsWith(operand);
  }
  if (isPlainObject(operand)) {
    const names = Object.keys(operand);
    if (names.length !== 1 || names[0] !== 'equals-ignore-case') {
      fail(path, `operator "${kind}" only accepts a string or {"equals-ignore-case": string}`);
    }
    const text = foldCase(requireString(`${kind}/equals-ignore-case`, operand['equals-ignore-case'], path));
    return kind === 'prefix'
      ? (value) => typeof value === 'string' && foldCase(value).startsWith(text)
      : (value) => typeof value === 'string' && foldCase(value).endsWith(text);
  }
  return fail(path, `operator "${kind}" needs a string, got ${describe(operand)}`);
}

// anything-but never matches an absent field (no value to test); it excludes values of its own
// type only, so {"anything-but": "5"} still matches the number 5.
function compileAnythingBut(operand: unknown, path: string): ValueTest {
  if (typeof operand === 'string') return (value) => value !== operand;
  if (typeof operand === 'number') {
    requireNumericOperand('anything-but', operand, path);
    return (value) => value !== operand;
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) fail(path, 'operator "anything-but" needs a non-empty list');
    for (const item of operand) {
      if (typeof item === 'number') requireNumericOperand('anything-but', item, path);
      else if (typeof item !== 'string') {
        fail(path, `anything-but list values must be strings or numbers, got ${describe(item)}`);
      }
    }
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    if (!allStrings && !allNumbers) {
      fail(path, 'anything-but list must contain only strings or only numbers, not a mix');
    }
    const excluded = new Set<unknown>(operand);
    return (value) => !excluded.has(value);
  }
  if (isPlainObject(operand)) return compileAnythingButOperator(operand, path);
  return fail(
    path,
    'operator "anything-but" needs a string, a number, a list of strings or of numbers, ' +
      `or an object with prefix, suffix, equals-ignore-case or wildcard; got ${describe(operand)}`,
  );
}

function compileAnythingButOperator(operand: Record<string, unknown>, path: string): ValueTest {
  const names = Object.keys(operand);
  const [name] = names;
  if (name === undefined || names.length > 1) {
    fail(path, 'anything-but object needs exactly one of prefix, suffix, equals-ignore-case, wildcard');
  }
  if (name !== 'prefix' && name !== 'suffix' && name !== 'equals-ignore-case' && name !== 'wildcard') {
    fail(
      path,
      `unsupported anything-but operator "${name}"; use prefix, suffix, equals-ignore-case or wildcard`,
    );
  }
  const inner = operand[name];
  const texts = typeof inner === 'string' ? [inner] : Array.isArray(inner) ? inner : undefined;
  if (
    texts === undefined ||
    texts.length === 0 ||
    !texts.every((text): text is string => typeof text === 'string')
  ) {
    fail(
      path,
      `anything-but "${name}" needs a string or a non-empty list of strings, got ${describe(inner)}`,
    );
  }
  const strings = texts;
  if ((name === 'prefix' || name === 'suffix') && strings.includes('')) {
    fail(path, `anything-but "${name}" value must not be empty`);
  }

  // Values of other types are never excluded by a string-based anything-but.
  let excludes: (value: string) => boolean;
  switch (name) {
    case 'prefix':
      excludes = (value) => strings.some((prefix) => value.startsWith(prefix));
      break;
    case 'suffix':
      excludes = (value) => strings.some((suffix) => value.endsWith(suffix));
      break;
    case 'equals-ignore-case': {
      const folded = new Set(strings.map(foldCase));
      excludes = (value) => folded.has(foldCase(value));
      break;
    }
    default: {
      const globs = strings.map((text) => compileWildcard(text, path, 'anything-but wildcard'));
      excludes = (value) => globs.some((glob) => glob(value));
    }
  }
  return (value) => typeof value !== 'string' || !excludes(value);
}

// ---------------------------------------------------------------------------------------------
// numeric
// ---------------------------------------------------------------------------------------------

type Bound = { value: number; inclusive: boolean };

function compileNumeric(operand: unknown, path: string): ValueTest {
  if (!Array.isArray(operand) || operand.length === 0) {
    fail(path, `operator "numeric" needs an array such as [">", 0, "<=", 5], got ${describe(operand)}`);
  }
  const [first, firstValue, second, secondValue] = operand;
  if (typeof first !== 'string') {
    fail(path, `numeric expression must start with an operator, got ${describe(first)}`);
  }
  if (first !== '=' && first !== '<' && first !== '<=' && first !== '>' && first !== '>=') {
    fail(path, `unknown numeric operator "${first}"; use =, <, <=, > or >=`);
  }
  const firstNumber = requireNumericOperand(`numeric operator "${first}"`, firstValue, path);

  if (first === '=' || first === '<' || first === '<=') {
    if (operand.length > 2) {
      fail(path, `numeric operator "${first}" takes a single number; a range must start with ">" or ">="`);
    }
    if (first === '=') return (value) => isComparableNumber(value) && value === firstNumber;
    return rangeTest(undefined, { value: firstNumber, inclusive: first === '<=' });
  }

  const lower: Bound = { value: firstNumber, inclusive: first === '>=' };
  if (operand.length === 2) return rangeTest(lower, undefined);
  if (second !== '<' && second !== '<=') {
    fail(path, `numeric range must continue with "<" or "<=" after "${first}", got ${describe(second)}`);
  }
  const secondNumber = requireNumericOperand(`numeric operator "${second}"`, secondValue, path);
  if (operand.length > 4) fail(path, 'numeric expression allows at most two comparisons');
  if (!(firstNumber < secondNumber)) {
    fail(path, `numeric range lower bound ${firstNumber} must be less than upper bound ${secondNumber}`);
  }
  return rangeTest(lower, { value: secondNumber, inclusive: second === '<=' });
}

function rangeTest(lower: Bound | undefined, upper: Bound | undefined): ValueTest {
  const low = lower?.value ?? -Infinity;
  const high = upper?.value ?? Infinity;
  const lowInclusive = lower?.inclusive ?? true;
  const highInclusive = upper?.inclusive ?? true;
  return (value) =>
    isComparableNumber(value) &&
    (lowInclusive ? value >= low : value > low) &&
    (highInclusive ? value <= high : value < high);
}

// Only JSON numbers inside EventBridge's comparable range take part in numeric matching;
// the string "5" never does.
function isComparableNumber(value: unknown): value is number {
  return typeof value === 'number' && value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT;
}

function requireNumericOperand(what: string, value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(path, `${what} needs a number, got ${describe(value)}`);
  }
  if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) {
    fail(path, `${what} value ${value} is outside the supported range -5e9 to 5e9`);
  }
  if (decimalPlaces(value) > NUMERIC_MAX_DECIMALS) {
    fail(path, `${what} value ${value} has more than ${NUMERIC_MAX_DECIMALS} decimal places`);
  }
  return value;
}

function decimalPlaces(value: number): number {
  const match = /^\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(value)));
  if (match === null) return 0;
  const fraction = match[1]?.length ?? 0;
  const exponent = match[2] === undefined ? 0 : Number(match[2]);
  return Math.max(0, fraction - exponent);
}

// ---------------------------------------------------------------------------------------------
// wildcard
// ---------------------------------------------------------------------------------------------

// `*` matches any run of characters; `\*` and `\\` are a literal asterisk and backslash.
function compileWildcard(text: string, path: string, what: string): (value: string) => boolean {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '*') {
      if (text[i + 1] === '*') {
        fail(path, `${what} "${text}" has consecutive wildcard characters at position ${i}`);
      }
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') {
        fail(path, `${what} "${text}" has an invalid escape at position ${i}; only \\* and \\\\ are allowed`);
      }
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return globMatcher(segments);
}

// Segments are the literal text between wildcards; greedy leftmost search is exact for `*`-only
// globs and has no regex backtracking.
function globMatcher(segments: string[]): (value: string) => boolean {
  const head = segments[0] ?? '';
  if (segments.length === 1) return (value) => value === head;
  const tail = segments[segments.length - 1] ?? '';
  const middle = segments.slice(1, -1).filter((segment) => segment !== '');
  const minLength = head.length + tail.length + middle.reduce((sum, segment) => sum + segment.length, 0);
  return (value) => {
    if (value.length < minLength || !value.startsWith(head) || !value.endsWith(tail)) return false;
    let position = head.length;
    const end = value.length - tail.length;
    for (const segment of middle) {
      const at = value.indexOf(segment, position);
      if (at < 0 || at + segment.length > end) return false;
      position = at + segment.length;
    }
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// cidr
// ---------------------------------------------------------------------------------------------

type IpAddress = { family: 4; value: number } | { family: 6; value: bigint };

function compileCidr(operand: unknown, path: string): ValueTest {
  const text = requireString('cidr', operand, path);
  const parts = text.split('/');
  const [address, bitsText] = parts;
  if (parts.length !== 2 || address === undefined || bitsText === undefined) {
    fail(path, `invalid CIDR "${text}": exactly one "/" is required`);
  }
  if (!/^\d{1,3}$/.test(bitsText)) {
    fail(path, `invalid CIDR "${text}": mask bits must be a non-negative integer`);
  }
  const base = parseIp(address);
  if (base === undefined) fail(path, `invalid CIDR "${text}": "${address}" is not an IPv4 or IPv6 address`);
  const bits = Number(bitsText);

  if (base.family === 4) {
    if (bits > 32) fail(path, `invalid CIDR "${text}": IPv4 mask bits must be at most 32`);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const low = (base.value & mask) >>> 0;
    const high = (low | ~mask) >>> 0;
    return (value) => {
      if (typeof value !== 'string') return false;
      const ip = parseIp(value);
      return ip?.family === 4 && ip.value >= low && ip.value <= high;
    };
  }
  if (bits > 128) fail(path, `invalid CIDR "${text}": IPv6 mask bits must be at most 128`);
  const hostBits = (1n << BigInt(128 - bits)) - 1n;
  const low = base.value & ~hostBits;
  const high = low | hostBits;
  return (value) => {
    if (typeof value !== 'string') return false;
    const ip = parseIp(value);
    return ip?.family === 6 && ip.value >= low && ip.value <= high;
  };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
// Same shape check as EventBridge: hex digits and colons only (no zone ids or dotted tails).
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIp(text: string): IpAddress | undefined {
  const v4 = IPV4.exec(text);
  if (v4 !== null) {
    let value = 0;
    for (let i = 1; i <= 4; i++) {
      const octet = Number(v4[i]);
      if (octet > 255) return undefined;
      value = value * 256 + octet;
    }
    return { family: 4, value };
  }
  if (!IPV6_SHAPE.test(text)) return undefined;
  const value = parseIpv6(text);
  if (value === undefined) return undefined;
  // An IPv4-mapped address (::ffff:a.b.c.d written in hex) is the IPv4 address, as on the JVM.
  if (value >> 32n === 0xffffn) return { family: 4, value: Number(value & 0xffffffffn) };
  return { family: 6, value };
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined): string[] =>
    half === undefined || half === '' ? [] : half.split(':');
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const explicit = head.length + tail.length;
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return undefined;
  const groups = [...head, ...Array<string>(8 - explicit).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!IPV6_GROUP.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

// Every UTF-16 unit below 0x80 (written as a negated range: the linter forbids control-character escapes).
const ASCII = /^[^\u0080-\uffff]*$/;

/**
 * Case folding as event-ruler does it: each code point on its own, to one code point. Lower-casing the
 * whole string differs twice: "İ" would become "i" plus a combining dot, and a final "Σ" would become "ς".
 */
export function foldCase(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let folded = '';
  for (const character of text) folded += String.fromCodePoint(character.toLowerCase().codePointAt(0) ?? 0);
  return folded;
}

function fail(path: string, detail: string): never {
  throw new InvalidPatternError(path, detail);
}

function requireString(what: string, value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `operator "${what}" needs a string, got ${describe(value)}`);
  return value;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// Events come from JSON, so any non-array object is a JSON object.
function isEventObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Only used to word validation errors, never while matching.
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return typeof value;
  }
}
