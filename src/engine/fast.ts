// The fast path: a rule set's json-rules-engine conditions compiled once into plain closures that give the same
// outcome and the same evaluated condition tree as json-rules-engine (the reference, see model.ts), synchronously.
// Semantics mirrored from json-rules-engine 7: the built-in operators with their number validator; conditions of
// one all/any are all evaluated (one priority set, no short-circuit), `not` negates its single condition; an
// unknown fact throws. test/engine/differential.test.ts holds the two paths to identical results.
import type { Condition, FactCondition } from '../domain/ruleset.js';
import type { FiredRule, IndexedRule } from './model.js';

type Facts = Readonly<Record<string, unknown>>;

/** Evaluates a condition tree into a fresh tree carrying factResult / result, like json-rules-engine's RuleResult. */
type Evaluator = (facts: Facts) => { result: boolean; tree: Record<string, unknown> };

// json-rules-engine's number validator; for numbers it reduces to "not NaN" without the string round trip.
const isNumberLike = (v: unknown) => (typeof v === 'number' ? v === v : Number.parseFloat(v as string).toString() !== 'NaN');

type Operator = (a: unknown, b: unknown) => boolean;
// A Map: an operator name is data from the rule set.
const OPERATORS = new Map<string, Operator>(Object.entries<Operator>({
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  lessThan: (a, b) => isNumberLike(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumberLike(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumberLike(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumberLike(a) && (a as number) >= (b as number),
}));

export class UndefinedFactError extends Error {}

function compileCondition(c: Condition): Evaluator {
  if ('all' in c || 'any' in c) {
    const kind = 'all' in c ? 'all' : 'any';
    const parts = ('all' in c ? c.all : c.any).map(compileCondition);
    return (facts) => {
      const evaluated = parts.map((p) => p(facts));
      const trees = evaluated.map((e) => e.tree);
      if (kind === 'all') {
        const result = evaluated.every((e) => e.result);
        return { result, tree: { all: trees, result } };
      }
      const result = evaluated.some((e) => e.result);
      return { result, tree: { any: trees, result } };
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (facts) => {
      const e = inner(facts);
      return { result: !e.result, tree: { not: e.tree, result: !e.result } };
    };
  }
  const { fact, operator, value } = c as FactCondition;
  const op = OPERATORS.get(operator);
  if (!op) throw new Error(`unknown operator ${operator}`);
  return (facts) => {
    // json-rules-engine registers the facts it is given with for…in into a Map, so a fact exists when it is an
    // enumerable property of the facts object; ours are null-prototype objects, where that means an own one.
    // (`in` would find Object.prototype.valueOf and the like.)
    if (!Object.hasOwn(facts, fact)) throw new UndefinedFactError(`Undefined fact: ${fact}`);
    const factResult = facts[fact];
    const result = op(factResult, value);
    return { result, tree: { fact, operator, value, factResult, result } };
  };
}

export type FastRunner = (facts: Facts) => FiredRule[];

/** Rules in json-rules-engine's order (priority, highest first; then as written), each compiled once. */
export function compileRules(rules: readonly IndexedRule[]): FastRunner {
  const compiled = [...rules]
    .map((r, i) => ({ name: r.rule.name, priority: r.rule.priority ?? 1, order: i, evaluate: compileCondition(r.rule.conditions) }))
    .sort((a, b) => b.priority - a.priority || a.order - b.order);
  return (facts) => {
    const fired: FiredRule[] = [];
    for (const r of compiled) {
      const { result, tree } = r.evaluate(facts);
      if (result) fired.push({ name: r.name, conditions: tree });
    }
    return fired;
  };
}
