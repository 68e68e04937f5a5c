// The fast path (src/engine/fast.ts) against json-rules-engine itself over the whole condition language the schema
// allows — not only what the shipped rule sets happen to use. Generated rule sets nest all / any / not several levels
// deep and use every operator with every schema-valid kind of value (numbers, quoted numbers, strings, booleans,
// null, arrays, and the scalars the schema lets through for in / notIn); generated facts leave some out and are named
// after Object.prototype's members and __proto__. Both must throw, or neither; fire the same rules; and leave the same
// evaluated tree — the connective and result of every node, fact / operator / value / factResult / result of every
// fact condition — for every rule, fired or not.
// DIFFERENTIAL_LANGUAGE_RUNS sets the number of generated rule sets (default 10,000; npm run mutation lowers it).
import fc from 'fast-check';
import type { RuleResult } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import type { Condition, FactCondition } from '../../src/domain/ruleset.js';
import { evidenceOf } from '../../src/engine/evaluate.js';
import { compileCondition, compileLeanRules, compileRules, type LeanFiredRule } from '../../src/engine/fast.js';
import { buildEngine, fireRules, type IndexedRule } from '../../src/engine/model.js';
import { readJson } from '../support.js';

const RUNS = Number(process.env.DIFFERENTIAL_LANGUAGE_RUNS ?? 10_000);
/** PROPERTY_NO_SHRINK=1 (npm run mutation): stop at the first counterexample without shrinking it; only pass / fail matters there. */
const NO_SHRINK = process.env.PROPERTY_NO_SHRINK === '1';

const OPERATORS = readJson<{ $defs: { factCondition: { properties: { operator: { enum: string[] } } } } }>('schemas/ruleset.schema.json').$defs
  .factCondition.properties.operator.enum;
const PROTOTYPE_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];
const PLAIN_NAMES = ['rate', 'amount', 'tier', 'met'];

// ── generators ──────────────────────────────────────────────────────────────────────────────────────────────────
/** values that both facts and conditions draw from, so that equal / in / comparisons hold often enough */
const SHARED = [0, 1, -1, 2.5, 0.9, '0.9', '1', 'a', 'abc', '', true, false] as const;
const numberValue = fc.oneof(fc.constantFrom(0, -0, 1, -1, 2.5, 0.9, 1e21), fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const quotedNumber = fc.oneof(fc.constantFrom('1', '0.9', '-1', ' 2 ', '1e3', '0x10', '1abc', 'Infinity'), numberValue.map(String));
const stringValue = fc.oneof(fc.constantFrom('a', 'abc', 'bc', '', 'true', 'null', 'achieved'), fc.string({ maxLength: 3 }));
const arrayItem = fc.oneof(fc.constantFrom(...SHARED), numberValue, quotedNumber, stringValue, fc.boolean());
/** every value the schema admits in a condition: a scalar (number, string, boolean, null) or an array of non-null scalars */
const conditionValue = fc.oneof(
  fc.constantFrom(...SHARED),
  numberValue,
  quotedNumber,
  stringValue,
  fc.boolean(),
  fc.constant(null),
  fc.array(arrayItem, { maxLength: 4 }),
);
/** what a fact can hold at scoring time: numbers (NaN and infinities too, from derived facts), text, booleans, null, checklists */
const factValue = fc.oneof(
  fc.constantFrom(...SHARED),
  numberValue,
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  quotedNumber,
  stringValue,
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.constantFrom('a', 'b', 'toString'), fc.boolean(), { maxKeys: 2 }).map((requirements) => ({ requirements })),
);
const factName = fc.oneof(fc.constantFrom(...PLAIN_NAMES), fc.constantFrom(...PROTOTYPE_NAMES));

const scalarValue = fc.oneof(fc.constantFrom(...SHARED), numberValue, quotedNumber, stringValue, fc.boolean(), fc.constant(null));
/**
 * Any schema-valid value with any operator — but mostly the kind the operator is meant for (an array for in / notIn, a
 * scalar otherwise), since in / notIn with a number, boolean or null throw in both paths and would end most runs.
 */
const factCondition: fc.Arbitrary<FactCondition> = fc.constantFrom(...OPERATORS).chain((operator) =>
  fc.record({
    fact: factName,
    operator: fc.constant(operator),
    value: fc.oneof(
      { arbitrary: operator === 'in' || operator === 'notIn' ? fc.array(arrayItem, { maxLength: 4 }) : scalarValue, weight: 12 },
      { arbitrary: conditionValue, weight: 1 },
    ),
  }),
);

/** Schema-shaped trees: all / any with 1–4 conditions, not with one; nesting bounded (the schema's depth cap is 32). */
const { node: conditionNode } = fc.letrec<{ node: Condition; all: Condition; any: Condition; not: Condition }>((tie) => ({
  node: fc.oneof({ maxDepth: 5, depthSize: 'small' }, factCondition, tie('all'), tie('any'), tie('not')),
  all: fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  any: fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  not: fc.record({ not: tie('node') }),
}));
/** a rule's root is all / any / not (the schema's topCondition) */
const rootCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ all: fc.array(conditionNode, { minLength: 1, maxLength: 4 }) }),
  fc.record({ any: fc.array(conditionNode, { minLength: 1, maxLength: 4 }) }),
  fc.record({ not: conditionNode }),
);

const rulesArbitrary: fc.Arbitrary<IndexedRule[]> = fc
  .array(fc.record({ priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), conditions: rootCondition }), { minLength: 1, maxLength: 4 })
  .map((specs) =>
    specs.map(({ priority, conditions }, index) => ({
      index,
      rule: {
        name: `rule${index}`,
        ...(priority === undefined ? {} : { priority }),
        conditions,
        event: { type: 'award' as const, params: { appliesTo: 'target', case: `情形${index}`, award: { method: 'full' as const }, explanation: '说明' } },
      },
    })),
  );

function namesIn(rules: readonly IndexedRule[]): string[] {
  const names = new Set<string>();
  const visit = (c: Condition): void => {
    if ('fact' in c) names.add(c.fact);
    else if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else visit(c.not);
  };
  rules.forEach(({ rule }) => visit(rule.conditions));
  return [...names];
}

const MISSING = Symbol('missing');
/** Facts as scoring builds them (a null-prototype record): each fact the rules read is present 49 times in 50. */
const scenario = rulesArbitrary.chain((rules) => {
  const names = namesIn(rules);
  return fc.record({
    rules: fc.constant(rules),
    values: fc.tuple(...names.map(() => fc.option(factValue, { freq: 50, nil: MISSING }))),
    extra: fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'unused'), factValue, { maxKeys: 3 }),
  }).map(({ rules, values, extra }) => {
    const facts = Object.create(null) as Record<string, unknown>;
    for (const [name, value] of Object.entries(extra)) facts[name] = value;
    names.forEach((name, i) => {
      if (values[i] === MISSING) delete facts[name];
      else facts[name] = values[i];
    });
    return { rules, facts };
  });
});

// ── comparison ──────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * json-rules-engine's evaluated node, reduced to what the fast path records: connective and result (the engine
 * leaves none on a rule's root), or fact / operator / value / factResult / result. Written here rather than with
 * src/engine/conditions.ts, so that the walker under test is not its own oracle.
 */
function referenceTree(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.hasOwn(node, 'any')) out.any = (node.any as Record<string, unknown>[]).map(referenceTree);
  else if (Object.hasOwn(node, 'all')) out.all = (node.all as Record<string, unknown>[]).map(referenceTree);
  else if (Object.hasOwn(node, 'not')) out.not = referenceTree(node.not as Record<string, unknown>);
  else for (const key of ['fact', 'operator', 'value', 'factResult'] as const) if (Object.hasOwn(node, key)) out[key] = node[key];
  if (Object.hasOwn(node, 'result')) out.result = node.result;
  return out;
}

/** a scope without labels: evidence then names each fact by itself */
const NO_LABELS = { facts: Object.create(null), derived: Object.create(null), checklist: [] } as unknown as Parameters<typeof evidenceOf>[1];

interface Tally {
  runs: number;
  threw: number;
  fired: number;
  /** `${operator}:${result}` over every fact condition evaluated */
  verdicts: Map<string, number>;
  prototypeFactsRead: number;
  deepest: number;
  notAtRoot: number;
}

function depthOf(tree: Record<string, unknown>): number {
  for (const key of ['all', 'any'] as const) if (Array.isArray(tree[key])) return 1 + Math.max(...(tree[key] as Record<string, unknown>[]).map(depthOf));
  if (tree.not) return 1 + depthOf(tree.not as Record<string, unknown>);
  return 0;
}

function tallyFacts(tree: Record<string, unknown>, tally: Tally): void {
  for (const key of ['all', 'any'] as const) if (Array.isArray(tree[key])) (tree[key] as Record<string, unknown>[]).forEach((t) => tallyFacts(t, tally));
  if (tree.not) tallyFacts(tree.not as Record<string, unknown>, tally);
  if (typeof tree.fact === 'string') {
    const key = `${String(tree.operator)}:${String(tree.result)}`;
    tally.verdicts.set(key, (tally.verdicts.get(key) ?? 0) + 1);
    if (PROTOTYPE_NAMES.includes(tree.fact)) tally.prototypeFactsRead++;
  }
}

async function agree(rules: IndexedRule[], facts: Record<string, unknown>, tally: Tally): Promise<void> {
  tally.runs++;
  let fast: ReturnType<ReturnType<typeof compileRules>> | undefined;
  let fastError: unknown;
  try {
    fast = compileRules(rules)(facts);
  } catch (e) {
    fastError = e;
  }
  let reference: { results: RuleResult[]; failureResults: RuleResult[] } | undefined;
  let referenceError: unknown;
  try {
    reference = await buildEngine(rules).run(facts);
  } catch (e) {
    referenceError = e;
  }
  expect(fastError !== undefined, `fast path threw ${String(fastError)}; json-rules-engine threw ${String(referenceError)}`).toBe(referenceError !== undefined);
  // the scoring path's lean runner: the same fired rules and the evidence the tree gives, or the same error
  let lean: LeanFiredRule[] | undefined;
  try {
    lean = compileLeanRules(rules, (fact) => fact)(facts);
  } catch (e) {
    expect(String(e), 'lean runner threw differently').toBe(String(fastError));
  }
  if (fastError === undefined) {
    expect(lean, 'lean runner threw where the tree path did not').toBeDefined();
    expect(lean!.map((f) => ({ name: f.name, evidence: f.evidence }))).toStrictEqual(fast!.map((f) => ({ name: f.name, evidence: evidenceOf(f.conditions, NO_LABELS) })));
  } else expect(lean, 'lean runner did not throw where the tree path did').toBeUndefined();
  if (fastError !== undefined) {
    tally.threw++;
    return;
  }
  // the engine lists the fired rules of one priority as they finish; the fast path as written (see fast.ts)
  const priority = new Map(rules.map(({ rule }) => [rule.name, rule.priority ?? 1]));
  const order = new Map(rules.map(({ rule }, i) => [rule.name, i]));
  const referenceFired = reference!.results
    .map((r) => String(r.name))
    .sort((a, b) => priority.get(b)! - priority.get(a)! || order.get(a)! - order.get(b)!);
  expect(fast!.map((f) => f.name)).toEqual(referenceFired);
  tally.fired += fast!.length;

  const referenceByName = new Map([...reference!.results, ...reference!.failureResults].map((r) => [String(r.name), r]));
  for (const { rule } of rules) {
    const expected = referenceByName.get(rule.name)!;
    const expectedTree = referenceTree(expected.conditions as unknown as Record<string, unknown>);
    const evaluated = compileCondition(rule.conditions)(facts);
    expect(evaluated.result, rule.name).toBe(expected.result);
    expect(evaluated.tree, rule.name).toStrictEqual(expectedTree);
    tallyFacts(evaluated.tree, tally);
    tally.deepest = Math.max(tally.deepest, depthOf(evaluated.tree));
    if ('not' in rule.conditions) tally.notAtRoot++;
  }
  for (const f of fast!) {
    const expected = referenceByName.get(f.name)!.conditions;
    expect(f.conditions, f.name).toStrictEqual(referenceTree(expected as unknown as Record<string, unknown>));
    // and so the evidence a scored item shows is the same whichever path decided its case
    expect(evidenceOf(f.conditions, NO_LABELS), f.name).toStrictEqual(evidenceOf(expected, NO_LABELS));
  }
}

describe('fast path ≡ json-rules-engine over the condition language (differential)', () => {
  it(`${RUNS} generated rule sets and facts: same throw, same fired rules, same evaluated tree at every node`, async () => {
    const tally: Tally = { runs: 0, threw: 0, fired: 0, verdicts: new Map(), prototypeFactsRead: 0, deepest: 0, notAtRoot: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, ({ rules, facts }) => agree(rules, facts, tally)),
      { numRuns: RUNS, endOnFailure: NO_SHRINK },
    );
    if (process.env.DIFFERENTIAL_VERBOSE) console.log({ ...tally, verdicts: Object.fromEntries(tally.verdicts) });
    // the generator covers the language (so that agreement means something): every operator both holds and fails,
    // some runs throw on a missing fact and most do not, rules fire, nesting goes several levels deep
    const evaluatedRuns = tally.runs - tally.threw;
    expect(tally.threw).toBeGreaterThan(0);
    expect(evaluatedRuns).toBeGreaterThan(tally.runs / 3);
    expect(tally.fired).toBeGreaterThan(evaluatedRuns / 4);
    for (const op of OPERATORS) {
      expect(tally.verdicts.get(`${op}:true`) ?? 0, `${op} held`).toBeGreaterThan(0);
      expect(tally.verdicts.get(`${op}:false`) ?? 0, `${op} failed`).toBeGreaterThan(0);
    }
    expect(tally.prototypeFactsRead).toBeGreaterThan(0);
    expect(tally.notAtRoot).toBeGreaterThan(0);
    expect(tally.deepest).toBeGreaterThanOrEqual(Math.min(4, RUNS));
  }, 120_000);

  // Fixed examples of what the shipped rule sets never use (the random search finds these too; these make the kill
  // of each such mutation of fast.ts independent of the seed).
  const x = (operator: string, value: unknown): FactCondition => ({ fact: 'x', operator, value });
  const EXAMPLES: [string, Condition, unknown][] = [
    ['any with one condition holding', { any: [x('equal', 1), x('equal', 2)] }, 1],
    ['any with none holding', { any: [x('equal', 3), x('equal', 2)] }, 1],
    ['all with one condition failing', { all: [x('equal', 1), x('equal', 2)] }, 1],
    ['all with every condition holding', { all: [x('greaterThan', 0), x('lessThan', 2)] }, 1],
    ['not at the root', { not: x('equal', 1) }, 1],
    ['not at the root, negating a failure', { not: x('equal', 1) }, 2],
    ['not nested (its result recorded)', { all: [{ not: x('equal', 1) }, x('equal', 2)] }, 2],
    ['any and all nested (their results recorded)', { any: [{ all: [x('equal', 2)] }, { any: [x('equal', 1), x('equal', 3)] }] }, 1],
    ['notIn with the value in the array', { all: [x('notIn', [1, 2])] }, 1],
    ['notIn with the value outside the array', { all: [x('notIn', [1, 2])] }, 3],
    ['notIn with the first item', { all: [x('notIn', [1, 2])] }, 1],
    ['in with the first item', { all: [x('in', [1, 2])] }, 1],
    ['in with the value outside the array', { all: [x('in', [1, 2])] }, 0],
    ['notEqual', { all: [x('notEqual', 1)] }, 2],
    ['lessThanInclusive at the edge', { all: [x('lessThanInclusive', 1)] }, 1],
    ['greaterThanInclusive at the edge', { all: [x('greaterThanInclusive', 1)] }, 1],
    ['a comparison with a fact of no number (null)', { all: [x('lessThan', 1)] }, null],
  ];

  it.each(EXAMPLES)('%s', async (_, conditions, value) => {
    const tally: Tally = { runs: 0, threw: 0, fired: 0, verdicts: new Map(), prototypeFactsRead: 0, deepest: 0, notAtRoot: 0 };
    const rules: IndexedRule[] = [
      { index: 0, rule: { name: 'example', conditions, event: { type: 'award', params: { appliesTo: 't', case: 'c', award: { method: 'full' }, explanation: 'e' } } } },
    ];
    await agree(rules, Object.assign(Object.create(null) as Record<string, unknown>, { x: value }), tally);
    expect(tally.runs - tally.threw).toBe(1);
  });

  it('throws as json-rules-engine does on a missing fact, named after an Object.prototype member or not', async () => {
    for (const name of [...PROTOTYPE_NAMES, 'rate']) {
      const rules: IndexedRule[] = [
        { index: 0, rule: { name: 'r', conditions: { any: [{ fact: 'present', operator: 'equal', value: 1 }, { not: { fact: name, operator: 'equal', value: 1 } }] }, event: { type: 'award', params: { appliesTo: 't', case: 'c', award: { method: 'full' }, explanation: 'e' } } } },
      ];
      const facts = Object.assign(Object.create(null) as Record<string, unknown>, { present: 1 });
      await expect(fireRules(buildEngine(rules), facts), name).rejects.toThrow(`Undefined fact: ${name}`);
      expect(() => compileRules(rules)(facts), name).toThrow(`Undefined fact: ${name}`);
      expect(() => compileLeanRules(rules, (f) => f)(facts), name).toThrow(`Undefined fact: ${name}`);
    }
  });

  it("lists fired rules by priority, then as written; json-rules-engine's order within one priority is the order its rules finish", async () => {
    const always = (depth: number): Condition => {
      let c: Condition = { fact: 'x', operator: 'equal', value: 1 };
      for (let i = 0; i < depth; i++) c = { all: [c] };
      return { all: [c] };
    };
    const rules: IndexedRule[] = [
      { depth: 3, priority: undefined },
      { depth: 0, priority: 2 },
      { depth: 2, priority: undefined },
      { depth: 0, priority: undefined },
      { depth: 1, priority: 3 },
    ].map(({ depth, priority }, index) => ({
      index,
      rule: { name: `rule${index}`, ...(priority ? { priority } : {}), conditions: always(depth), event: { type: 'award', params: { appliesTo: 't', case: 'c', award: { method: 'full' }, explanation: 'e' } } },
    }));
    const facts = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 });
    expect(compileRules(rules)(facts).map((f) => f.name)).toEqual(['rule4', 'rule1', 'rule0', 'rule2', 'rule3']);
    // the shallowest rule of priority 1 finishes first in json-rules-engine
    expect((await fireRules(buildEngine(rules), facts)).map((f) => f.name)).toEqual(['rule4', 'rule1', 'rule3', 'rule2', 'rule0']);
  });
});
