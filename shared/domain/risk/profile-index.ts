// Pre-selection of the profiles worth matching against a declaration, so the engine does not run
// 200 matchers when a handful can hit.
//
// From each pattern we take guards: conditions the pattern cannot match without. A leaf such as
// `item.hsHeading: ["9503"]` or `item.unitValue: [{numeric: [">", 100]}]` is a guard (a value at that
// path equal to one of the values, starting with one of the prefixes, or inside the numeric range); a
// $or whose every branch has a guard is one guard made of the branches' alternatives. A profile is a
// candidate when every one of its guards holds for some value of the view; one without guards always
// is. Guards only prune: the compiled matcher still decides, so a pattern the index does not
// understand is simply matched every time.
import type { EventPattern } from '../../lib/event-pattern.js';

const OR_KEY = '$or';

type Scalar = string | number | boolean;

interface ValuesCondition {
  kind: 'values';
  path: string;
  exact: Scalar[];
  prefixes: string[];
}

interface RangeCondition {
  kind: 'range';
  path: string;
  low: number;
  lowInclusive: boolean;
  high: number;
  highInclusive: boolean;
}

type Condition = ValuesCondition | RangeCondition;
/** At least one of the conditions holds whenever the pattern matches. */
type Guard = Condition[];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const numericOperand = (value: unknown): unknown[] | undefined =>
  isPlainObject(value) && Object.keys(value).length === 1 && Array.isArray(value.numeric)
    ? value.numeric
    : undefined;

type Range = Omit<RangeCondition, 'kind' | 'path'>;

/** The range of a numeric expression the matcher accepted: ["<", 5], [">=", 1, "<", 9], ["=", 3]. */
const rangeOf = (expression: unknown[]): Range | undefined => {
  const [first, firstValue, second, secondValue] = expression;
  if (typeof firstValue !== 'number') return undefined;
  const range: Range = { low: -Infinity, lowInclusive: true, high: Infinity, highInclusive: true };
  if (first === '=') return { low: firstValue, lowInclusive: true, high: firstValue, highInclusive: true };
  if (first === '<' || first === '<=') return { ...range, high: firstValue, highInclusive: first === '<=' };
  if (first !== '>' && first !== '>=') return undefined;
  range.low = firstValue;
  range.lowInclusive = first === '>=';
  if (second === undefined) return range;
  if ((second !== '<' && second !== '<=') || typeof secondValue !== 'number') return undefined;
  return { ...range, high: secondValue, highInclusive: second === '<=' };
};

/** The smallest range holding all the given ones. */
const hull = (ranges: Range[]): Range => {
  const result: Range = { low: Infinity, lowInclusive: false, high: -Infinity, highInclusive: false };
  for (const range of ranges) {
    if (range.low < result.low) {
      result.low = range.low;
      result.lowInclusive = range.lowInclusive;
    } else if (range.low === result.low) result.lowInclusive ||= range.lowInclusive;
    if (range.high > result.high) {
      result.high = range.high;
      result.highInclusive = range.highInclusive;
    } else if (range.high === result.high) result.highInclusive ||= range.highInclusive;
  }
  return result;
};

/** The guard of one leaf: literal values and prefixes, or numbers and numeric ranges; else none. */
const leafCondition = (path: string, values: unknown[]): Condition | undefined => {
  const exact: Scalar[] = [];
  const prefixes: string[] = [];
  let literalsOnly = true;
  for (const value of values) {
    if (isScalar(value)) exact.push(value);
    else if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value.prefix === 'string') {
      if (value.prefix === '') return undefined;
      prefixes.push(value.prefix);
    } else literalsOnly = false;
  }
  if (literalsOnly) return { kind: 'values', path, exact, prefixes };

  const ranges: Range[] = [];
  for (const value of values) {
    const expression = numericOperand(value);
    const range =
      typeof value === 'number'
        ? { low: value, lowInclusive: true, high: value, highInclusive: true }
        : expression && rangeOf(expression);
    if (range === undefined) return undefined;
    ranges.push(range);
  }
  return { kind: 'range', path, ...hull(ranges) };
};

const conditionRank = (condition: Condition): number => {
  if (condition.kind === 'range') return 2;
  return condition.prefixes.length > 0 || condition.exact.some((value) => typeof value !== 'boolean') ? 3 : 1;
};

/** The most selective guard of a branch: best-ranked alternatives, then the fewest. */
const bestGuard = (guards: Guard[]): Guard | undefined => {
  let best: Guard | undefined;
  let bestRank = -1;
  for (const guard of guards) {
    const rank = Math.min(...guard.map(conditionRank)) * 1000 - guard.length;
    if (rank > bestRank) {
      best = guard;
      bestRank = rank;
    }
  }
  return best;
};

/** Every guard of a pattern level: its leaves, its nested objects and its complete $or. */
const guardsOf = (pattern: Record<string, unknown>, prefix: string): Guard[] => {
  const guards: Guard[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === OR_KEY) {
      if (!Array.isArray(value)) continue;
      const alternatives: Condition[] = [];
      let complete = true;
      for (const branch of value) {
        const guard = isPlainObject(branch) ? bestGuard(guardsOf(branch, prefix)) : undefined;
        if (guard === undefined) {
          complete = false;
          break;
        }
        alternatives.push(...guard);
      }
      if (complete) guards.push(alternatives);
    } else if (Array.isArray(value)) {
      const condition = leafCondition(`${prefix}${key}`, value);
      if (condition !== undefined) guards.push([condition]);
    } else if (isPlainObject(value)) {
      guards.push(...guardsOf(value, `${prefix}${key}.`));
    }
  }
  return guards;
};

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

interface RangeSlot extends Range {
  slot: number;
}

/** Guard slots keyed by what a value at one path must be for them to hold. */
interface PathIndex {
  readonly path: readonly string[];
  readonly exact: Map<Scalar, number[]>;
  readonly prefixes: Map<string, number[]>;
  /** Distinct prefix lengths, ascending. */
  readonly prefixLengths: number[];
  /** Sorted by `low`, ascending. */
  readonly ranges: RangeSlot[];
  /** Scratch: the numbers met at this path by one selectCandidates, matched against `ranges` at once. */
  numbers: Float64Array;
  numberCount: number;
}

/**
 * Built once per profile set. Holds its own scratch space (generation stamps), so `selectCandidates`
 * allocates nothing; evaluation is synchronous, so one index is never used by two evaluations at once.
 */
export interface ProfileIndex {
  readonly paths: readonly PathIndex[];
  /** Guards each profile needs; 0 means the profile is matched on every declaration. */
  readonly needed: Uint16Array;
  /** Profile of each guard slot. */
  readonly profileOfSlot: Uint32Array;
  readonly slotStamp: Uint32Array;
  readonly profileStamp: Uint32Array;
  readonly held: Uint16Array;
  generation: number;
}

const MAX_GUARDS = 0xffff;

const addSlot = <K>(map: Map<K, number[]>, key: K, slot: number) => {
  const slots = map.get(key);
  if (slots === undefined) map.set(key, [slot]);
  else if (slots[slots.length - 1] !== slot) slots.push(slot);
};

export const buildProfileIndex = (patterns: readonly EventPattern[]): ProfileIndex => {
  const byPath = new Map<string, PathIndex>();
  const needed = new Uint16Array(patterns.length);
  const profileOfSlot: number[] = [];
  const pathIndex = (path: string): PathIndex => {
    let index = byPath.get(path);
    if (index === undefined) {
      index = {
        path: path.split('.'),
        exact: new Map(),
        prefixes: new Map(),
        prefixLengths: [],
        ranges: [],
        numbers: new Float64Array(16),
        numberCount: 0,
      };
      byPath.set(path, index);
    }
    return index;
  };
  patterns.forEach((pattern, position) => {
    const guards = guardsOf(pattern, '').slice(0, MAX_GUARDS);
    needed[position] = guards.length;
    for (const guard of guards) {
      const slot = profileOfSlot.push(position) - 1;
      for (const condition of guard) {
        const index = pathIndex(condition.path);
        if (condition.kind === 'range') {
          const { kind: _kind, path: _path, ...range } = condition;
          index.ranges.push({ ...range, slot });
          continue;
        }
        for (const value of condition.exact) addSlot(index.exact, value, slot);
        for (const prefix of condition.prefixes) {
          addSlot(index.prefixes, prefix, slot);
          if (!index.prefixLengths.includes(prefix.length)) index.prefixLengths.push(prefix.length);
        }
      }
    }
  });
  for (const index of byPath.values()) {
    index.prefixLengths.sort((a, b) => a - b);
    index.ranges.sort((a, b) => a.low - b.low);
  }
  return {
    paths: [...byPath.values()],
    needed,
    profileOfSlot: Uint32Array.from(profileOfSlot),
    slotStamp: new Uint32Array(profileOfSlot.length),
    profileStamp: new Uint32Array(patterns.length),
    held: new Uint16Array(patterns.length),
    generation: 0,
  };
};

const holdSlot = (index: ProfileIndex, slot: number) => {
  const { generation } = index;
  if (index.slotStamp[slot] === generation) return;
  index.slotStamp[slot] = generation;
  const profile = index.profileOfSlot[slot] as number;
  if (index.profileStamp[profile] !== generation) {
    index.profileStamp[profile] = generation;
    index.held[profile] = 0;
  }
  index.held[profile] = (index.held[profile] as number) + 1;
};

const holdSlots = (index: ProfileIndex, slots: number[] | undefined) => {
  if (slots === undefined) return;
  for (const slot of slots) holdSlot(index, slot);
};

const aboveLow = (value: number, range: Range): boolean =>
  range.lowInclusive ? value >= range.low : value > range.low;

const belowHigh = (value: number, range: Range): boolean =>
  range.highInclusive ? value <= range.high : value < range.high;

/**
 * Holds the ranges that contain one of the numbers met at the path. With the numbers sorted, a range
 * contains one exactly when the smallest number above its low end is below its high end, so each range
 * costs a binary search rather than a pass over every item's value.
 */
const holdRanges = (index: ProfileIndex, at: PathIndex) => {
  const count = at.numberCount;
  if (count === 0) return;
  at.numberCount = 0;
  const values = count === 1 ? at.numbers : at.numbers.subarray(0, count).sort();
  const largest = values[count - 1] as number;
  // Ranges are sorted by their low end: none after the first that starts above every value holds one.
  for (const range of at.ranges) {
    if (range.low > largest) break;
    let from = 0;
    let to = count;
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (aboveLow(values[middle] as number, range)) to = middle;
      else from = middle + 1;
    }
    if (from < count && belowHigh(values[from] as number, range)) holdSlot(index, range.slot);
  }
};

const holdValue = (index: ProfileIndex, at: PathIndex, value: unknown) => {
  if (typeof value === 'string') {
    holdSlots(index, at.exact.get(value));
    for (const length of at.prefixLengths) {
      if (length > value.length) break;
      holdSlots(index, at.prefixes.get(value.slice(0, length)));
    }
  } else if (typeof value === 'number') {
    if (at.exact.size > 0) holdSlots(index, at.exact.get(value));
    // Ranges are matched once all the numbers at the path are known (holdRanges); NaN is in none.
    if (at.ranges.length > 0 && !Number.isNaN(value)) {
      if (at.numberCount === at.numbers.length) {
        const grown = new Float64Array(at.numbers.length * 2);
        grown.set(at.numbers);
        at.numbers = grown;
      }
      at.numbers[at.numberCount++] = value;
    }
  } else if (typeof value === 'boolean') {
    holdSlots(index, at.exact.get(value));
  }
};

// Walks the path through objects and arrays, as the matcher does, and holds the guards each value meets.
const visit = (index: ProfileIndex, at: PathIndex, node: unknown, depth: number): void => {
  if (Array.isArray(node)) {
    for (const element of node) visit(index, at, element, depth);
    return;
  }
  if (depth === at.path.length) {
    holdValue(index, at, node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const key = at.path[depth] as string;
  if (Object.hasOwn(node, key)) visit(index, at, (node as Record<string, unknown>)[key], depth + 1);
};

/** Marks the profiles whose guards all hold for this view; read the marks with isCandidate. */
export const selectCandidates = (index: ProfileIndex, view: unknown): void => {
  index.generation = (index.generation + 1) >>> 0;
  if (index.generation === 0) {
    index.slotStamp.fill(0);
    index.profileStamp.fill(0);
    index.generation = 1;
  }
  for (const at of index.paths) {
    visit(index, at, view, 0);
    holdRanges(index, at);
  }
};

/** After selectCandidates: whether the profile at this position can match the view. */
export const isCandidate = (index: ProfileIndex, position: number): boolean => {
  const needed = index.needed[position] as number;
  return (
    needed === 0 || (index.profileStamp[position] === index.generation && index.held[position] === needed)
  );
};
