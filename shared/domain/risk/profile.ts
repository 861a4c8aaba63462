// Risk profiles (DESIGN.md section 5): the contract format an admin PUTs, its validation, and the
// choice of the version in force on a date.
import * as z from 'zod';
import { type EventPattern, validatePattern } from '../../lib/event-pattern.js';
import { type FieldError, isoDate } from '../declaration/declaration.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../declaration/text.js';
import { isInForce } from '../reference/versions.js';
import { ENRICHED_FIELD_PATHS, ENRICHED_FIELDS, type FieldNode } from './enrich.js';
import { parseReason } from './reason.js';

/** The field paths a profile's `when` may test (defined by the enriched view). */
export { ENRICHED_FIELD_PATHS } from './enrich.js';

export const ProfileLane = z.enum(['AMBER', 'RED']);
export const ProfileAction = z.enum(['HOLD', 'REJECT']);
/** What a profile looks for; RESTRICTED hits are never lowered for trusted traders. */
export const ProfileCategory = z.enum([
  'RESTRICTED',
  'VALUATION',
  'DESCRIPTION',
  'SPLITTING',
  'SCHEME_MISUSE',
  'GIFT',
  'AGENCY',
  'OTHER',
]);

export type ProfileLane = z.infer<typeof ProfileLane>;
export type ProfileAction = z.infer<typeof ProfileAction>;
export type ProfileCategory = z.infer<typeof ProfileCategory>;

// ---------------------------------------------------------------------------------------------
// Field paths a pattern uses, checked against the enriched view
// ---------------------------------------------------------------------------------------------

type ObjectNode = Extract<FieldNode, { kind: 'object' }>;
type Segment = string | number;
interface PatternIssue {
  path: Segment[];
  message: string;
}

const OR_KEY = '$or';
const LEAF_PATHS: ReadonlySet<string> = new Set(ENRICHED_FIELD_PATHS);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const knownFields = (node: ObjectNode): string => {
  const names = [...node.fields.keys()].join(', ');
  return node.path === '' ? `known top-level fields are ${names}` : `known ${node.path} fields are ${names}`;
};

const article = (kind: string): string => (kind === 'object' ? 'an object' : `a ${kind}`);

const TEXT_OPERATORS: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'wildcard',
  'equals-ignore-case',
  'cidr',
]);

/** Why one match value can never match a field of this kind, or undefined when it can. */
const mismatch = (value: unknown, field: Extract<FieldNode, { kind: 'string' | 'number' | 'boolean' }>) => {
  const { kind, path } = field;
  if (value === null)
    return `null never matches: ${path} is never null (use {"exists": false} for a missing field)`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (typeof value === kind) return undefined;
    const hint = kind === 'boolean' ? ' (write true or false without quotes)' : '';
    return `${JSON.stringify(value)} is ${article(typeof value)} but ${path} is ${article(kind)}, so it never matches${hint}`;
  }
  if (!isPlainObject(value)) return undefined;
  const [operator] = Object.keys(value);
  if (operator === undefined || operator === 'exists') return undefined;
  if (operator === 'numeric' && kind !== 'number') {
    const hint = kind === 'string' ? ' (use prefix or a list of values for codes)' : '';
    return `numeric matching needs a number field; ${path} is ${article(kind)}${hint}`;
  }
  if (TEXT_OPERATORS.has(operator) && kind !== 'string') {
    return `"${operator}" matching needs a text field; ${path} is ${article(kind)}`;
  }
  if (operator === 'anything-but') {
    if (kind === 'boolean')
      return `anything-but never excludes a boolean; match the other value of ${path} instead`;
    const operand = value[operator];
    const values = Array.isArray(operand) ? operand : [operand];
    const wanted = isPlainObject(operand) ? 'string' : kind;
    if (wanted !== kind || values.some((item) => !isPlainObject(item) && typeof item !== kind)) {
      return `anything-but compares values of ${path}, which is ${article(kind)}; the excluded values must be too`;
    }
  }
  return undefined;
};

const walk = (pattern: Record<string, unknown>, node: ObjectNode, at: Segment[], issues: PatternIssue[]) => {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === OR_KEY) {
      if (Array.isArray(value)) {
        value.forEach((branch, index) => {
          if (isPlainObject(branch)) walk(branch, node, [...at, OR_KEY, index], issues);
        });
      }
      continue;
    }
    const path = [...at, key];
    const field = node.fields.get(key);
    if (field === undefined) {
      issues.push({ path, message: `unknown field; ${knownFields(node)}` });
    } else if (Array.isArray(value)) {
      if (field.kind === 'object') {
        issues.push({
          path,
          message: `is an object, not a value; match one of its fields (${[...field.fields.keys()].join(', ')})`,
        });
        continue;
      }
      for (const item of value) {
        const message = mismatch(item, field);
        if (message !== undefined) issues.push({ path, message });
      }
    } else if (isPlainObject(value)) {
      if (field.kind === 'object') walk(value, field, path, issues);
      else issues.push({ path, message: `${field.path} is ${article(field.kind)} value; it has no fields` });
    }
  }
};

const patternIssues = (when: EventPattern): PatternIssue[] => {
  const issues: PatternIssue[] = [];
  walk(when, ENRICHED_FIELDS, [], issues);
  return issues;
};

/**
 * Checks that a pattern only tests fields of the enriched declaration, with values of the field's type.
 * Assumes the pattern is valid (validatePattern). Paths are written `when.item.unitPrice`.
 */
export const patternFieldErrors = (when: EventPattern): FieldError[] =>
  patternIssues(when).map((issue) => ({ path: ['when', ...issue.path].join('.'), message: issue.message }));

/** The value paths a pattern tests, e.g. ["item.hsChapter", "seller.trusted"], $or branches included. */
export const patternFieldPaths = (when: EventPattern): string[] => {
  const paths = new Set<string>();
  const collect = (pattern: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(pattern)) {
      if (key === OR_KEY) {
        if (Array.isArray(value))
          for (const branch of value) if (isPlainObject(branch)) collect(branch, prefix);
      } else if (Array.isArray(value)) {
        paths.add(`${prefix}${key}`);
      } else if (isPlainObject(value)) {
        collect(value, `${prefix}${key}.`);
      }
    }
  };
  collect(when, '');
  return [...paths];
};

// ---------------------------------------------------------------------------------------------
// What a filer may learn from a hit
// ---------------------------------------------------------------------------------------------

/**
 * Facts that are not the filer's own: other consignments to the same consignee (any filer's) and
 * whether the registry trusts a party. A hit on a profile testing one of them is shown to officers only,
 * or lodging declarations would tell a platform about a consignee's other parcels.
 */
export const OFFICER_ONLY_FACTS: ReadonlySet<string> = new Set([
  'consignee.consignmentsLast72h',
  'consignee.valueLast72h',
  'consignment.exceedsLowValueWith72h',
  'seller.trusted',
  'platform.trusted',
]);

const CATEGORY_PUBLIC_REASONS: Readonly<Record<ProfileCategory, string>> = {
  RESTRICTED: 'The goods may be restricted and are checked',
  VALUATION: 'The declared value is checked',
  DESCRIPTION: 'An item description does not say what the goods are',
  SPLITTING: 'Selected for a customs check',
  SCHEME_MISUSE: 'The collection-scheme number is verified',
  GIFT: 'The gift claim is checked',
  AGENCY: 'The goods are checked by another border agency',
  OTHER: 'Selected for a customs check',
};

/** The sentence a filer sees for a hit, or undefined when the hit is for officers only. */
export const publicReasonOf = (
  profile: Pick<RiskProfile, 'when' | 'category' | 'publicReason'>,
): string | undefined => {
  if (patternFieldPaths(profile.when).some((path) => OFFICER_ONLY_FACTS.has(path))) return undefined;
  return profile.publicReason ?? CATEGORY_PUBLIC_REASONS[profile.category ?? 'OTHER'];
};

// ---------------------------------------------------------------------------------------------
// The profile
// ---------------------------------------------------------------------------------------------

const text = (min: number, max: number) =>
  z
    .string()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine(isPlainText, PLAIN_TEXT_MESSAGE);

export const RiskProfileSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1 to 64 letters, digits, "_", "." or "-"')
      .meta({ example: 'BUILTIN-WEAPONS' }),
    description: text(1, 512),
    validFrom: isoDate,
    validTo: isoDate.optional().meta({ description: 'Last day the version is in force (inclusive)' }),
    when: z.record(z.string(), z.unknown()).meta({
      description:
        'EventBridge-style pattern over the enriched declaration (item.*, consignee.*, consignment.*, seller.*, ...)',
      example: { item: { hsChapter: ['93'] } },
    }),
    score: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(1000, 'must be at most 1000'),
    lane: ProfileLane.optional(),
    action: ProfileAction.optional(),
    agency: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be an agency code in capitals, e.g. "FOOD_SAFETY"')
      .optional(),
    category: ProfileCategory.optional(),
    reason: text(1, 512).optional().meta({
      description:
        'Sentence for each hit; placeholders {item}, {item.hsCode}, {consignee.consignmentsLast72h}, ...',
      example: '{item} (HS {item.hsCode}) is a weapon or ammunition: restricted goods',
    }),
    publicReason: text(1, 256)
      .refine((value) => !/[{}]/.test(value), 'is shown as written: no placeholders')
      .optional()
      .meta({
        description:
          'What the filer is shown for a hit (default: a sentence for the category). Never shown for profiles that test facts about other consignments or trust',
        example: 'The goods may be restricted and are checked',
      }),
  })
  .superRefine((profile, ctx) => {
    if (profile.validTo !== undefined && profile.validTo < profile.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be on or after validFrom' });
    }
    if (profile.agency !== undefined && profile.action !== 'HOLD') {
      ctx.addIssue({
        code: 'custom',
        path: ['agency'],
        message: 'only applies to action HOLD (a hold placed for that agency)',
      });
    }
    const validation = validatePattern(profile.when);
    if (!validation.ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['when'],
        message: `is not a valid pattern: ${validation.reason}`,
      });
      return;
    }
    for (const issue of patternIssues(profile.when)) {
      ctx.addIssue({ code: 'custom', path: ['when', ...issue.path], message: issue.message });
    }
    if (profile.reason !== undefined) {
      const { reason, errors } = parseReason(profile.reason, (path) => LEAF_PATHS.has(path));
      for (const message of errors) ctx.addIssue({ code: 'custom', path: ['reason'], message });
      const testsItems = patternFieldPaths(profile.when).some((path) => path.startsWith('item.'));
      if (reason.perItem && !testsItems) {
        ctx.addIssue({
          code: 'custom',
          path: ['reason'],
          message: 'names an item ({item} or {item.<field>}) but the pattern tests no item field',
        });
      }
    }
  })
  .meta({ id: 'RiskProfile', description: 'A risk profile version' });

export type RiskProfile = z.infer<typeof RiskProfileSchema>;

/** Validates a profile; errors read `when.item.unitPrice: unknown field; known item fields are ...`. */
export const parseRiskProfile = (body: unknown) => RiskProfileSchema.safeParse(body);

/**
 * For each profile id, the version in force on `date` (YYYY-MM-DD): of the versions whose period
 * includes the date, the one with the latest validFrom (on a tie, the later one in the list).
 * Ids with no version in force are left out; ids keep the order of their first version in force.
 */
export const profilesInForce = <P extends Pick<RiskProfile, 'id' | 'validFrom' | 'validTo'>>(
  profiles: readonly P[],
  date: string,
): P[] => {
  const chosen = new Map<string, P>();
  for (const profile of profiles) {
    if (!isInForce(profile, date)) continue;
    const current = chosen.get(profile.id);
    if (current === undefined || profile.validFrom >= current.validFrom) chosen.set(profile.id, profile);
  }
  return [...chosen.values()];
};
