// Facts of one scoring target: the declared facts a submission supplies, plus derived facts from a closed catalogue.
import { denoise } from '../domain/rounding.js';
import type { ChecklistRequirement } from '../domain/methods.js';
import type { DerivedFact, FactDeclaration } from '../domain/ruleset.js';
import { ownValue } from '../domain/submission.js';

/** Fact name → value. A null-prototype object: fact names come from rule sets and submissions (`valueOf` is one). */
export type FactMap = Record<string, unknown>;

/** What a scoring target (a fixed leaf, or a rule group for unit-written indicators) declares. */
export interface FactScope {
  readonly facts: Readonly<Record<string, FactDeclaration>>;
  readonly derived: Readonly<Record<string, DerivedFact>>;
  readonly checklist: readonly ChecklistRequirement[];
}

/** What a fact holds, as a rule's condition or an award method sees it: integers are numbers, derived facts numbers. */
export type FactKind = 'number' | 'string' | 'boolean' | 'checklist';

/** The kind of a fact of the scope, or null when the scope does not declare it. */
export function factKind(scope: FactScope, name: string): FactKind | null {
  const decl = ownValue(scope.facts, name);
  if (decl) return decl.type === 'integer' ? 'number' : decl.type;
  return Object.hasOwn(scope.derived, name) ? 'number' : null;
}

/**
 * Fact maps are made by this constructor: their prototype is an empty object with no prototype, so, as with
 * Object.create(null), nothing is inherited (`valueOf` is no fact unless supplied) — but V8 keeps them in fast mode
 * (an object made by Object.create(null) is a hash table from the start, slower to fill and to read).
 */
function FactObject(): void {}
FactObject.prototype = Object.create(null);

/** A derived fact's computation with its inputs' names bound, as deriveOne computes it. */
type Derivation = readonly [name: string, derive: (facts: FactMap) => unknown];

const derivations = new WeakMap<object, readonly Derivation[]>();

/** The scope's derived facts in dependency order, each compiled once per scope. */
function derivationsOf(scope: FactScope): readonly Derivation[] {
  let list = derivations.get(scope.derived);
  if (!list) derivations.set(scope.derived, (list = orderDerived(scope.derived).map(([name, d]) => [name, derivation(d, scope.checklist)] as const)));
  return list;
}

/**
 * The supplied facts (own keys only) and the derived ones in dependency order (null when an input is missing or a
 * ratio's denominator is 0), in a null-prototype object: json-rules-engine enumerates it with for…in and the fast
 * path asks Object.hasOwn, so both see exactly these names and nothing inherited.
 */
export function computeDerived(scope: FactScope, facts: Readonly<FactMap>): FactMap {
  const list = derivationsOf(scope);
  const out = new (FactObject as unknown as new () => FactMap)();
  for (const key of Object.keys(facts)) out[key] = facts[key];
  for (let i = 0; i < list.length; i++) {
    const [name, derive] = list[i]!;
    out[name] = derive(out);
  }
  return out;
}

function derivation(d: DerivedFact, checklist: readonly ChecklistRequirement[]): (facts: FactMap) => unknown {
  const [first = '', second = ''] = d.of;
  switch (d.op) {
    case 'ratio':
      return (facts) => {
        const a = facts[first];
        const b = facts[second];
        if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null;
        return denoise(a / b);
      };
    case 'difference':
      return (facts) => {
        const a = facts[first];
        const b = facts[second];
        if (typeof a !== 'number' || typeof b !== 'number') return null;
        return denoise(a - b);
      };
    default:
      return (facts) => deriveOne(d, facts, checklist);
  }
}

function deriveOne(d: DerivedFact, facts: FactMap, checklist: readonly ChecklistRequirement[]): unknown {
  const nums = d.of.map((f) => facts[f]);
  switch (d.op) {
    case 'ratio': {
      const [a, b] = nums;
      if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null;
      return denoise(a / b);
    }
    case 'difference': {
      const [a, b] = nums;
      if (typeof a !== 'number' || typeof b !== 'number') return null;
      return denoise(a - b);
    }
    case 'sum': {
      if (nums.some((n) => typeof n !== 'number')) return null;
      return denoise((nums as number[]).reduce((s, n) => s + n, 0));
    }
    case 'checklistUnmet':
    case 'checklistDeduction': {
      const answers = nums[0];
      if (answers === null || typeof answers !== 'object') return null;
      const unmet = checklist.filter((r) => ownValue(answers as Record<string, boolean>, r.id) !== true);
      return d.op === 'checklistUnmet' ? unmet.length : denoise(unmet.reduce((s, r) => s + r.deduction, 0));
    }
  }
}

/** Topological order of derived facts (a derived fact may use another). Cycles are left to the checker. */
export function orderDerived(derived: Readonly<Record<string, DerivedFact>>): [string, DerivedFact][] {
  const done = new Set<string>();
  const out: [string, DerivedFact][] = [];
  const visiting = new Set<string>();
  const visit = (name: string, d: DerivedFact) => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const dep of d.of) {
      const inner = ownValue(derived, dep);
      if (inner) visit(dep, inner);
    }
    visiting.delete(name);
    done.add(name);
    out.push([name, d]);
  };
  for (const [name, d] of Object.entries(derived)) visit(name, d);
  return out;
}

export function findDerivedCycle(derived: Readonly<Record<string, DerivedFact>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of ownValue(derived, name)?.of ?? []) {
      if (Object.hasOwn(derived, dep)) {
        const cycle = visit(dep);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(derived)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}

/** The range of values a numeric fact can take for valid input; used to probe rule bands. */
export interface NumericRange {
  readonly min: number;
  readonly minInclusive: boolean;
  readonly max: number;
  readonly integer: boolean;
}

export type FactDomain =
  | { readonly kind: 'number'; readonly range: NumericRange }
  | { readonly kind: 'values'; readonly values: readonly unknown[] };

export function factDomain(name: string, scope: FactScope, seen: ReadonlySet<string> = new Set()): FactDomain {
  const declared = ownValue(scope.facts, name);
  if (declared) {
    switch (declared.type) {
      case 'boolean':
        return { kind: 'values', values: [true, false] };
      case 'string':
        return { kind: 'values', values: declared.enum ? [...declared.enum] : ['（任意文字）'] };
      case 'checklist':
        return { kind: 'values', values: [{}] };
      default: {
        const exclusiveMinimum = declared.exclusiveMinimum;
        return {
          kind: 'number',
          range: {
            min: exclusiveMinimum !== undefined ? exclusiveMinimum : (declared.minimum ?? -Infinity),
            minInclusive: exclusiveMinimum === undefined,
            max: declared.maximum ?? Infinity,
            integer: declared.type === 'integer',
          },
        };
      }
    }
  }
  const d = ownValue(scope.derived, name);
  const unbounded: FactDomain = { kind: 'number', range: { min: -Infinity, minInclusive: false, max: Infinity, integer: false } };
  if (!d || seen.has(name)) return unbounded;
  const inner = new Set(seen).add(name);
  const ranges = d.of.map((f) => factDomain(f, scope, inner));
  const nonNegative = ranges.every((r) => r.kind === 'number' && r.range.min >= 0);
  switch (d.op) {
    case 'ratio':
    case 'sum':
      return nonNegative ? { kind: 'number', range: { min: 0, minInclusive: true, max: Infinity, integer: false } } : unbounded;
    case 'difference':
      return unbounded;
    case 'checklistUnmet':
      return { kind: 'number', range: { min: 0, minInclusive: true, max: scope.checklist.length, integer: true } };
    case 'checklistDeduction':
      return {
        kind: 'number',
        range: { min: 0, minInclusive: true, max: scope.checklist.reduce((s, r) => s + r.deduction, 0), integer: false },
      };
  }
}
