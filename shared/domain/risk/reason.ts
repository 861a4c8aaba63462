// Reason templates: the sentence a risk hit shows an officer or a platform. Placeholders name fields of
// the enriched view, e.g. "{item} (HS {item.hsCode}) is a weapon or ammunition: restricted goods".
//   {item}              "Item 2": the matching item, by its line in the declaration
//   {item.<field>}      that field of the matching item; the sentence is written once per matching item
//   {<path>}            any other field of the enriched view, e.g. {consignee.consignmentsLast72h}
//   {<path>|percent}    a ratio written as a percentage, e.g. {item.referencePriceRatio|percent} -> "23%"
import type { EnrichedDeclaration, EnrichedItem } from './enrich.js';

export type ReasonFormat = 'plain' | 'percent';

export type ReasonPart =
  | { kind: 'text'; text: string }
  | { kind: 'line' }
  | { kind: 'item'; field: string; format: ReasonFormat }
  | { kind: 'field'; path: readonly string[]; format: ReasonFormat };

export interface CompiledReason {
  parts: readonly ReasonPart[];
  /** True when the sentence speaks about one item and is written for each matching item. */
  perItem: boolean;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const FORMATS: ReadonlySet<string> = new Set(['plain', 'percent']);

/**
 * Parses a template. `isKnownPath` tells whether a dotted path is a value of the enriched view; every
 * problem found is returned, worded for the person who wrote the template.
 */
export const parseReason = (
  template: string,
  isKnownPath: (path: string) => boolean,
): { reason: CompiledReason; errors: string[] } => {
  const parts: ReasonPart[] = [];
  const errors: string[] = [];
  let perItem = false;
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [whole, inner = ''] = match;
    if (match.index > last) parts.push({ kind: 'text', text: template.slice(last, match.index) });
    last = match.index + whole.length;
    const [name = '', format = 'plain', ...rest] = inner.split('|').map((piece) => piece.trim());
    if (!FORMATS.has(format) || rest.length > 0) {
      errors.push(`{${inner}}: unknown format "${inner.slice(name.length + 1)}"; use |percent or nothing`);
      continue;
    }
    const checkedFormat = format as ReasonFormat;
    if (name === 'item') {
      parts.push({ kind: 'line' });
      perItem = true;
    } else if (!isKnownPath(name)) {
      errors.push(`{${inner}}: unknown field "${name}"; use {item} or a field of the enriched declaration`);
    } else if (name.startsWith('item.')) {
      parts.push({ kind: 'item', field: name.slice('item.'.length), format: checkedFormat });
      perItem = true;
    } else {
      parts.push({ kind: 'field', path: name.split('.'), format: checkedFormat });
    }
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  return { reason: { parts, perItem }, errors };
};

export const formatValue = (value: unknown, format: ReasonFormat): string => {
  if (value === undefined || value === null) return 'unknown';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (format === 'percent') {
      const percent = value * 100;
      return `${percent < 10 && !Number.isInteger(percent) ? percent.toFixed(1) : Math.round(percent)}%`;
    }
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
  return String(value);
};

const valueAt = (view: unknown, path: readonly string[]): unknown => {
  let node = view;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
};

/** Writes the sentence for the declaration, and for one item when the template speaks about items. */
export const renderReason = (
  reason: CompiledReason,
  view: EnrichedDeclaration,
  item: EnrichedItem | undefined,
): string => {
  let text = '';
  for (const part of reason.parts) {
    switch (part.kind) {
      case 'text':
        text += part.text;
        break;
      case 'line':
        text += item === undefined ? 'An item' : `Item ${item.line}`;
        break;
      case 'item':
        text += formatValue(item === undefined ? undefined : valueAt(item, [part.field]), part.format);
        break;
      case 'field':
        text += formatValue(valueAt(view, part.path), part.format);
        break;
    }
  }
  return text;
};
