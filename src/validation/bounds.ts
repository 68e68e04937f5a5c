// The bounds pre-pass: one cheap, iterative walk over a parsed JSON document that refuses oversized or deeply
// nested input before the all-errors validator (whose work grows with the input) ever sees it.
import { childPath, type ErrorDetail } from '../domain/errors.js';
import { SCHEMA_CAPS, type CapNode } from './generated/caps.js';
import { MAX_DETAILS, capDetails } from './messages.js';

/**
 * Deepest nesting of arrays and objects: the document itself is level 1. The deepest valid document (a rule set
 * inside a publish request, conditions nested a dozen levels) stays well below; recursive code downstream
 * (the validators, json-rules-engine, the checker) then never meets a stack deeper than this.
 */
export const MAX_DEPTH = 32;
/**
 * Values (objects, arrays, strings, numbers, booleans, nulls) in one document. The largest valid submission
 * (200 leaves × 30 facts × 30-item checklists, 200 indicators) has about 190,000.
 */
export const MAX_NODES = 250_000;
/** Characters (UTF-16 code units) in one string or property name; no schema allows more than 4,000. */
export const MAX_STRING_LENGTH = 10_000;
/** Properties of one object where its schema sets no smaller maxProperties (the largest schema cap is 400). */
export const MAX_PROPERTIES = 1_000;
/** Items of one array where its schema sets no smaller maxItems (the largest schema cap, rules, is 2,000). */
export const MAX_ITEMS = 2_000;

/** The bounds of one kind of document: the generic limits above plus its schema's own caps. */
export type BoundedDocument = keyof typeof SCHEMA_CAPS;

interface CapIndex {
  readonly maxItems: number;
  readonly maxProperties: number;
  readonly properties: ReadonlyMap<string, number>;
  readonly additionalProperties: number;
  readonly items: number;
}

// Property names are user-supplied: Maps, never plain-object lookups.
const caps = new Map<string, CapIndex[]>(
  Object.entries(SCHEMA_CAPS as Record<string, CapNode[]>).map(([name, nodes]) => [
    name,
    nodes.map(([maxItems, maxProperties, properties, additionalProperties, items]) => ({
      maxItems,
      maxProperties,
      properties: new Map(properties),
      additionalProperties,
      items,
    })),
  ]),
);

interface Frame {
  readonly value: unknown;
  /** nesting level of this value if it is an array or object (the document is level 1) */
  readonly level: number;
  /** position in the schema's cap graph, -1 when no schema cap applies below */
  readonly cap: number;
  readonly parent: Frame | null;
  readonly key: string | number;
}

/** The JSON path of a frame, built only when a limit is broken. */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f && f.parent; f = f.parent) keys.push(f.key);
  let path = '$';
  for (let i = keys.length - 1; i >= 0; i--) path = childPath(path, keys[i]!);
  return path;
}

/**
 * Every place `document` breaks a limit (generic or its schema's caps), as details in Chinese; [] when within
 * bounds. Never recurses and never descends into an oversized container, so its work is bounded by MAX_NODES
 * whatever the input. Capped like every detail list (MAX_DETAILS, the last one saying how many more there were).
 */
export function boundsErrors(document: unknown, kind?: BoundedDocument): ErrorDetail[] {
  const graph = kind ? caps.get(kind) : undefined;
  const errors: ErrorDetail[] = [];
  let found = 0;
  // paths are built for the details kept only; the rest are counted
  const report = (frame: Frame | null, message: string) => {
    if (++found <= MAX_DETAILS) errors.push({ path: frame ? pathOf(frame) : '$', message });
  };
  const stack: Frame[] = [{ value: document, level: 1, cap: graph ? 0 : -1, parent: null, key: '' }];
  // counted as they are queued, so neither the walk nor its stack ever exceeds MAX_NODES
  let nodes = 1;
  const tooMany = (more: number) => {
    nodes += more;
    if (nodes <= MAX_NODES) return false;
    report(null, `数据项总数不能超过 ${MAX_NODES} 个`);
    stack.length = 0;
    return true;
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_LENGTH) {
        report(frame, `长度不能超过 ${MAX_STRING_LENGTH} 个字符（收到 ${value.length} 个）`);
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (frame.level > MAX_DEPTH) {
      report(frame, `嵌套层数不能超过 ${MAX_DEPTH} 层`);
      continue;
    }
    const cap = frame.cap >= 0 ? graph![frame.cap] : undefined;
    const level = frame.level + 1;
    if (Array.isArray(value)) {
      const limit = cap && cap.maxItems >= 0 ? Math.min(cap.maxItems, MAX_ITEMS) : MAX_ITEMS;
      if (value.length > limit) {
        report(frame, `最多只能有 ${limit} 项（收到 ${value.length} 项）`);
        continue;
      }
      if (tooMany(value.length)) break;
      const items = cap ? cap.items : -1;
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], level, cap: items, parent: frame, key: i });
      continue;
    }
    const keys = Object.keys(value);
    const limit = cap && cap.maxProperties >= 0 ? Math.min(cap.maxProperties, MAX_PROPERTIES) : MAX_PROPERTIES;
    if (keys.length > limit) {
      report(frame, `最多只能有 ${limit} 个属性（收到 ${keys.length} 个）`);
      continue;
    }
    if (tooMany(keys.length)) break;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key.length > MAX_STRING_LENGTH) {
        report(frame, `属性名长度不能超过 ${MAX_STRING_LENGTH} 个字符（收到 ${key.length} 个）`);
        continue;
      }
      const child = cap ? (cap.properties.get(key) ?? cap.additionalProperties) : -1;
      stack.push({ value: (value as Record<string, unknown>)[key], level, cap: child, parent: frame, key });
    }
  }
  return capDetails(errors, found);
}
