// The fast path: a rule set's json-rules-engine conditions compiled once into plain closures that give the same
// outcome and the same evaluated condition tree as json-rules-engine 7.3.1 (the reference, see model.ts),
// synchronously, for every condition the schema allows. Mirrored from the engine: the operators (operators.ts);
// every condition of an all/any is evaluated (one priority set, no short-circuit), so an unknown fact anywhere
// throws; `not` negates its one condition; each nested all/any/not node carries its result, the rule's root node
// does not (the engine evaluates the root without recording it). test/engine/differential-language.test.ts holds
// the two paths to identical results.
import type { Evidence } from '../domain/result.js';
import type { Condition, FactCondition } from '../domain/ruleset.js';
import { foldCondition, type ConditionFold, type ConditionTree } from './conditions.js';
import type { FiredRule, IndexedRule } from './model.js';
import { operatorNamed } from './operators.js';

type Facts = Readonly<Record<string, unknown>>;

/** A condition's verdict and its evaluated tree, like the node json-rules-engine leaves in its RuleResult. */
interface Evaluated {
  readonly result: boolean;
  readonly tree: Record<string, unknown>;
}
type Evaluator = (facts: Facts) => Evaluated;

export class UndefinedFactError extends Error {}

/** Every part of an all / any is evaluated (json-rules-engine runs them concurrently), so any of them may throw. */
function evaluateAll(parts: readonly Evaluator[], facts: Facts): { evaluated: Evaluated[]; trees: Record<string, unknown>[] } {
  const evaluated = parts.map((p) => p(facts));
  return { evaluated, trees: evaluated.map((e) => e.tree) };
}

// The rule's root (depth 0) records no result, as in json-rules-engine; nested nodes do.
function all(parts: readonly Evaluator[], depth: number): Evaluator {
  return (facts) => {
    const { evaluated, trees } = evaluateAll(parts, facts);
    const result = evaluated.every((e) => e.result);
    return { result, tree: depth === 0 ? { all: trees } : { all: trees, result } };
  };
}

function any(parts: readonly Evaluator[], depth: number): Evaluator {
  return (facts) => {
    const { evaluated, trees } = evaluateAll(parts, facts);
    const result = evaluated.some((e) => e.result);
    return { result, tree: depth === 0 ? { any: trees } : { any: trees, result } };
  };
}

const compiler: ConditionFold<FactCondition, Evaluator> = {
  fact({ fact, operator, value }) {
    const { evaluate } = operatorNamed(operator);
    return (facts) => {
      // json-rules-engine registers the facts it is given with for…in into a Map, so a fact exists when it is an
      // enumerable property of the facts object; ours are null-prototype objects, where that means an own one.
      // (`in` would find Object.prototype.valueOf and the like.)
      if (!Object.hasOwn(facts, fact)) throw new UndefinedFactError(`Undefined fact: ${fact}`);
      const factResult = facts[fact];
      const result = evaluate(factResult, value);
      return { result, tree: { fact, operator, value, factResult, result } };
    };
  },
  all: (parts, { depth }) => all(parts, depth),
  any: (parts, { depth }) => any(parts, depth),
  not: (part, { depth }) => (facts) => {
    const inner = part(facts);
    const result = !inner.result;
    return { result, tree: depth === 0 ? { not: inner.tree } : { not: inner.tree, result } };
  },
};

/** One rule's conditions as a closure. */
export function compileCondition(conditions: Condition): Evaluator {
  return foldCondition(conditions, compiler);
}

export type FastRunner = (facts: Facts) => FiredRule[];

/**
 * Rules in order of priority (highest first), then as written, each compiled once. (json-rules-engine evaluates the
 * rules of one priority concurrently and lists them as they finish, so when several fire its order can differ.)
 */
export function compileRules(rules: readonly IndexedRule[]): FastRunner {
  const compiled = rules
    .map(({ rule }) => ({ name: rule.name, priority: rule.priority ?? 1, evaluate: compileCondition(rule.conditions) }))
    .sort((a, b) => b.priority - a.priority); // stable: as written within one priority
  return (facts) => {
    const fired: FiredRule[] = [];
    for (const r of compiled) {
      const { result, tree } = r.evaluate(facts);
      if (result) fired.push({ name: r.name, conditions: tree });
    }
    return fired;
  };
}

/** What the scoring path needs of a rule whose conditions held: its name and the evidence of its fact conditions. */
export interface LeanFiredRule {
  readonly name: string;
  /** the rule's fact conditions in document order with what they found: evidenceOf(tree) of the tree path's result */
  readonly evidence: Evidence[];
}

export type LeanRunner = (facts: Facts) => LeanFiredRule[];

/** One fact condition of a rule, with everything its evidence row holds that does not depend on the facts. */
interface FlatCondition {
  readonly fact: string;
  readonly evaluate: (factValue: unknown, value: unknown) => unknown;
  readonly value: unknown;
  readonly label: string;
  readonly operator: string;
  readonly threshold: unknown;
}

/** A rule's verdict from the verdicts of its fact conditions (indices in document order). */
type Verdict = (results: readonly unknown[]) => boolean;

const verdictFold: ConditionFold<number, Verdict> = {
  // truthiness, as the tree path's all/any/not read a fact condition's result
  fact: (i) => (results) => !!results[i],
  all: (parts) => (results) => {
    for (const p of parts) if (!p(results)) return false;
    return true;
  },
  any: (parts) => (results) => {
    for (const p of parts) if (p(results)) return true;
    return false;
  },
  not: (part) => (results) => !part(results),
};

/** Operators that compare a fact with a number, a string… by `<`, `<=`, …: they read the fact's text, so an object may throw. */
const ORDER_OPERATORS: ReadonlySet<string> = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/** Whether a condition can never throw, whatever primitive its fact holds (an object fact is checked per evaluation). */
function staticallySafe(operator: string, value: unknown): boolean {
  if (operator === 'equal' || operator === 'notEqual') return true; // === and !== never throw
  if (operator === 'in' || operator === 'notIn') return Array.isArray(value); // Array#indexOf never throws
  if (ORDER_OPERATORS.has(operator)) return value === null || ['number', 'string', 'boolean'].includes(typeof value);
  return false;
}

/** A fact value that an order comparison reads without calling user code: a primitive other than a symbol. */
function primitive(value: unknown): boolean {
  const type = typeof value;
  return value === null || type === 'number' || type === 'string' || type === 'boolean' || type === 'undefined' || type === 'bigint';
}

type FastVerdict = (facts: Facts) => boolean;

/**
 * The same rules for the scoring path, building no condition trees: the evidence of a rule that fired is built
 * directly, not flattened from a tree. `label(fact)` is the evidence label (the scope's fact or derived-fact label,
 * else the fact's name). Two ways to reach the same outcome:
 * - when every fact the rules read is present and no condition can throw (operators and values checked once; a fact
 *   an order comparison reads holds a primitive), verdicts short-circuit and only the rule that fired evaluates all of
 *   its conditions — nothing skipped could have thrown or changed a result;
 * - otherwise every fact condition of every rule is evaluated in the tree path's order, so a missing fact or a
 *   throwing comparison throws exactly where compileRules throws.
 * test/engine/differential-language.test.ts holds it to compileRules + evidenceOf.
 */
export function compileLeanRules(rules: readonly IndexedRule[], label: (fact: string) => string): LeanRunner {
  let safe = true;
  const read = new Set<string>();
  const readByOrder = new Set<string>();
  const compiled = rules
    .map(({ rule }) => {
      const flat: FlatCondition[] = [];
      // fact conditions replaced by their index in document order (foldCondition visits them in that order)
      const numbered = foldCondition<ConditionTree<number>, FactCondition>(rule.conditions, {
        fact: ({ fact, operator, value }) => {
          flat.push({ fact, evaluate: operatorNamed(operator).evaluate, value, label: label(fact), operator: String(operator), threshold: value ?? null });
          if (!staticallySafe(String(operator), value)) safe = false;
          read.add(fact);
          if (ORDER_OPERATORS.has(String(operator))) readByOrder.add(fact);
          return flat.length - 1;
        },
        all: (parts) => ({ all: parts }),
        any: (parts) => ({ any: parts }),
        not: (part) => ({ not: part }),
      });
      const verdict = foldCondition<Verdict, number>(numbered, verdictFold);
      const fast = foldCondition<FastVerdict, number>(numbered, {
        fact: (i) => {
          const { fact, evaluate, value } = flat[i]!;
          return (facts) => !!evaluate(facts[fact], value);
        },
        all: (parts) => (facts) => {
          for (const p of parts) if (!p(facts)) return false;
          return true;
        },
        any: (parts) => (facts) => {
          for (const p of parts) if (p(facts)) return true;
          return false;
        },
        not: (part) => (facts) => !part(facts),
      });
      return { name: rule.name, priority: rule.priority ?? 1, flat, verdict, fast };
    })
    .sort((a, b) => b.priority - a.priority);
  const readFacts = [...read];
  const orderFacts = [...readByOrder];

  const evidenceOfRule = (flat: readonly FlatCondition[], facts: Facts, results: readonly unknown[] | null): Evidence[] => {
    const evidence: Evidence[] = new Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const c = flat[i]!;
      const actual = facts[c.fact];
      const passed = results ? results[i] === true : c.evaluate(actual, c.value) === true;
      evidence[i] = { fact: c.fact, label: c.label, operator: c.operator, threshold: c.threshold, actual: actual ?? null, passed };
    }
    return evidence;
  };

  const shortCircuits = (facts: Facts): boolean => {
    if (!safe) return false;
    for (const fact of readFacts) if (!Object.hasOwn(facts, fact)) return false;
    for (const fact of orderFacts) if (!primitive(facts[fact])) return false;
    return true;
  };

  return (facts) => {
    let fired: LeanFiredRule[] | undefined;
    if (shortCircuits(facts)) {
      for (const r of compiled) if (r.fast(facts)) (fired ??= []).push({ name: r.name, evidence: evidenceOfRule(r.flat, facts, null) });
      return fired ?? [];
    }
    for (const r of compiled) {
      const { flat } = r;
      const results: unknown[] = new Array(flat.length);
      for (let i = 0; i < flat.length; i++) {
        const c = flat[i]!;
        if (!Object.hasOwn(facts, c.fact)) throw new UndefinedFactError(`Undefined fact: ${c.fact}`);
        results[i] = c.evaluate(facts[c.fact], c.value);
      }
      if (!r.verdict(results)) continue;
      (fired ??= []).push({ name: r.name, evidence: evidenceOfRule(flat, facts, results) });
    }
    return fired ?? [];
  };
}
