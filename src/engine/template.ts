// Explanation templates: "{name}" or "{name|format}" placeholders, nothing else. No expressions, no code.
import { formatNumber } from '../domain/methods.js';
import { roundHalfUp } from '../domain/rounding.js';

export const TEMPLATE_FORMATS = ['plain', 'percent', 'fixed2'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export interface Placeholder {
  readonly name: string;
  readonly format: string;
  readonly raw: string;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)(?:\|([A-Za-z0-9]+))?\}/g;

function placeholderOf(m: RegExpMatchArray): Placeholder {
  // group 1 is not optional in PLACEHOLDER: a match always has it
  return { name: m[1] ?? '', format: m[2] ?? 'plain', raw: m[0] };
}

export function placeholders(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map(placeholderOf);
}

/** Braces that do not form a placeholder are a typo the author should hear about. */
export function strayBraces(template: string): boolean {
  return /[{}]/.test(template.replace(PLACEHOLDER, ''));
}

export function formatValue(value: unknown, format: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (format === 'percent') return `${roundHalfUp(value * 100, 2).toFixed(2)}%`;
    if (format === 'fixed2') return roundHalfUp(value, 2).toFixed(2);
    return formatNumber(value);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

export type CompiledTemplate = (lookup: (name: string) => unknown) => string;

function partsOf(template: string): (string | Placeholder)[] {
  const parts: (string | Placeholder)[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(placeholderOf(m));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Splits a template once into literal text and placeholders, so rendering is a loop with no regular expression. */
export function compileTemplate(template: string): CompiledTemplate {
  const parts = partsOf(template);
  return (lookup) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : formatValue(lookup(part.name), part.format);
    return out;
  };
}

/**
 * The same with each placeholder's lookup chosen once, when the template is compiled: `bind(name)` gives the function
 * that reads the placeholder's value from what the template is rendered with. Renders as compileTemplate does with
 * `lookup = (name) => bind(name)(context)`.
 */
export function compileBoundTemplate<C>(template: string, bind: (name: string) => (context: C) => unknown): (context: C) => string {
  const parts = partsOf(template).map((part) =>
    typeof part === 'string' ? part : { read: bind(part.name), format: part.format },
  );
  return (context) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : formatValue(part.read(context), part.format);
    return out;
  };
}
