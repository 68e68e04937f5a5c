// Property: whatever the rule-set schema accepts either gets a coded diagnostic from the checker, or scores without
// throwing anything but a refusal of the submission. Rule sets are the shipped ones mutated (thresholds as numbers
// or quoted strings, every operator with every kind of value, all/any/not nesting, facts renamed to
// Object.prototype's names, rules removed, points changed); each run checks, then scores generated submissions
// directly (not through publishing, whose other gates would reject most of them first).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import type { CompiledRuleSet } from '../../src/engine/compiled.js';
import { scoreWithReference, scoreWithRuleSet } from '../../src/engine/score.js';
import { ruleSetShapeErrors } from '../../src/validation/index.js';
import { example, ruleSet, checkWithoutCaseGate } from '../support.js';

/** 300 by default; CHECKER_PROPERTY_RUNS=3000 for a longer search. */
const RUNS = Number(process.env.CHECKER_PROPERTY_RUNS ?? 300);
/**
 * A fixed seed by default, so `npm test` is reproducible; CHECKER_PROPERTY_SEED=random (with CHECKER_PROPERTY_RUNS=3000)
 * for a longer search. Such a search found the rule-group null gap now covered in checker-soundness.test.ts ("a rule
 * group probed with null…"), about once in 2,500 runs — too rarely for a random seed in CI, where a failure then
 * spent minutes shrinking. No shrinking by default: each step re-runs the checks, and the failure message already
 * shows the rules and facts (CHECKER_PROPERTY_SHRINK=1 to shrink).
 */
const SEED = process.env.CHECKER_PROPERTY_SEED === 'random' ? undefined : Number(process.env.CHECKER_PROPERTY_SEED ?? 20261202);
const SHRINK = process.env.CHECKER_PROPERTY_SHRINK === '1';

type Doc = Record<string, any>;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Object.prototype's member names the schema's identifier pattern lets through (constructor, valueOf, …). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => IDENTIFIER.test(n));
const OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn'] as const;
const BASES = {
  'gd-meizhou-2022': { submission: 'meizhou-2022.json' },
  'cn-mof-2020': { submission: 'national-training-2023.json' },
} as const;

const scalar = fc.oneof(
  fc.constantFrom(0, 0.5, 0.9, 0.95, 1, 2, -1),
  fc.double({ min: -2, max: 3, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
  fc.constantFrom('0.9', '1', '0.95', '', 'abc'), // quoted numbers and text
  fc.constantFrom('gte', 'lte', 'eq', 'qualitative', 'achieved'),
  fc.boolean(),
);
const conditionValue = fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 5 }));
const conditionFact = fc.oneof(fc.nat(), fc.constantFrom(...PROTOTYPE_NAMES));

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), rule: fc.nat(), cond: fc.nat(), value: conditionValue }),
  fc.record({ kind: fc.constant('operator' as const), rule: fc.nat(), cond: fc.nat(), operator: fc.constantFrom(...OPERATORS) }),
  fc.record({ kind: fc.constant('wrap' as const), rule: fc.nat(), how: fc.constantFrom('any', 'not', 'allNot', 'anyAll') }),
  fc.record({ kind: fc.constant('addCondition' as const), rule: fc.nat(), fact: conditionFact, operator: fc.constantFrom(...OPERATORS), value: conditionValue }),
  fc.record({ kind: fc.constant('conditionFact' as const), rule: fc.nat(), cond: fc.nat(), fact: conditionFact }),
  fc.record({ kind: fc.constant('renameFact' as const), leaf: fc.nat(), fact: fc.nat(), to: fc.constantFrom(...PROTOTYPE_NAMES), everywhere: fc.boolean() }),
  fc.record({ kind: fc.constant('addDerived' as const), leaf: fc.nat(), name: fc.constantFrom(...PROTOTYPE_NAMES), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('removeRule' as const), rule: fc.nat() }),
  fc.record({ kind: fc.constant('points' as const), leaf: fc.nat(), points: fc.constantFrom(0, 1, 2.5, 10) }),
  // a denominator that may now be 0 makes its ratio null at scoring time
  fc.record({ kind: fc.constant('zeroAllowed' as const), leaf: fc.nat(), fact: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** Leaves of the indicator tree (nodes with facts), and rule groups, as mutable objects with their scopes. */
function scopes(doc: Doc): { id: string; holder: Doc }[] {
  const out: { id: string; holder: Doc }[] = [];
  const walk = (nodes: Doc[]) => nodes.forEach((n) => (n.children ? walk(n.children) : n.facts && out.push({ id: n.id, holder: n })));
  walk(doc.indicators);
  for (const [id, g] of Object.entries(doc.ruleGroups ?? {})) out.push({ id, holder: g as Doc });
  return out;
}

function factConditionsOf(c: Doc, out: Doc[] = []): Doc[] {
  if ('fact' in c) out.push(c);
  else for (const k of ['all', 'any'] as const) if (Array.isArray(c[k])) c[k].forEach((x: Doc) => factConditionsOf(x, out));
  if (c.not) factConditionsOf(c.not, out);
  return out;
}

const pick = <T,>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);

function factNamesOf(doc: Doc, appliesTo: string): string[] {
  const scope = scopes(doc).find((s) => s.id === appliesTo)?.holder;
  return scope ? [...Object.keys(scope.facts ?? {}), ...Object.keys(scope.derived ?? {})] : [];
}

function apply(doc: Doc, m: Mutation): void {
  const rules: Doc[] = doc.rules;
  switch (m.kind) {
    case 'value':
    case 'operator':
    case 'conditionFact': {
      const rule = pick(rules, m.rule)!;
      const c = pick(factConditionsOf(rule.conditions), m.cond);
      if (!c) return;
      if (m.kind === 'value') c.value = m.value;
      else if (m.kind === 'operator') c.operator = m.operator;
      else c.fact = typeof m.fact === 'string' ? m.fact : (pick(factNamesOf(doc, rule.event.params.appliesTo), m.fact) ?? c.fact);
      return;
    }
    case 'wrap': {
      const rule = pick(rules, m.rule)!;
      const c = rule.conditions;
      rule.conditions = m.how === 'any' ? { any: [c] } : m.how === 'not' ? { not: c } : m.how === 'allNot' ? { all: [{ not: c }] } : { any: [{ all: [c] }] };
      return;
    }
    case 'addCondition': {
      const rule = pick(rules, m.rule)!;
      const list: Doc[] | undefined = rule.conditions.all ?? rule.conditions.any;
      if (!list || list.length >= 30) return;
      const fact = typeof m.fact === 'string' ? m.fact : pick(factNamesOf(doc, rule.event.params.appliesTo), m.fact);
      if (fact) list.push({ fact, operator: m.operator, value: m.value });
      return;
    }
    case 'renameFact': {
      const { id, holder } = pick(scopes(doc), m.leaf)!;
      const from = pick(Object.keys(holder.facts), m.fact)!;
      if (Object.hasOwn(holder.facts, m.to) || Object.hasOwn(holder.derived ?? {}, m.to)) return;
      const facts: Doc = {};
      for (const [k, v] of Object.entries(holder.facts)) facts[k === from ? m.to : k] = v;
      holder.facts = facts;
      if (!m.everywhere) return; // left dangling: the checker must say so
      for (const d of Object.values(holder.derived ?? {}) as Doc[]) d.of = d.of.map((x: string) => (x === from ? m.to : x));
      for (const rule of rules.filter((r) => r.event.params.appliesTo === id)) {
        for (const c of factConditionsOf(rule.conditions)) if (c.fact === from) c.fact = m.to;
        const award = rule.event.params.award;
        for (const k of Object.keys(award)) if (k !== 'method' && award[k] === from) award[k] = m.to;
        rule.event.params.explanation = rule.event.params.explanation.replaceAll(`{${from}}`, `{${m.to}}`).replaceAll(`{${from}|`, `{${m.to}|`);
      }
      return;
    }
    case 'addDerived': {
      const { holder } = pick(scopes(doc), m.leaf)!;
      const names = Object.keys(holder.facts);
      if (Object.hasOwn(holder.derived ?? {}, m.name) || Object.keys(holder.derived ?? {}).length >= 20) return;
      holder.derived = { ...(holder.derived ?? {}), [m.name]: { label: m.name, op: 'ratio', of: [pick(names, m.a)!, pick(names, m.b)!] } };
      return;
    }
    case 'removeRule':
      if (rules.length > 1) rules.splice(m.rule % rules.length, 1);
      return;
    case 'zeroAllowed': {
      const { holder } = pick(scopes(doc), m.leaf)!;
      const decl = holder.facts[pick(Object.keys(holder.facts), m.fact)!];
      if (decl.type !== 'number' && decl.type !== 'integer') return;
      delete decl.exclusiveMinimum;
      decl.minimum = 0;
      return;
    }
    case 'points': {
      const { holder } = pick(scopes(doc), m.leaf)!;
      if ('points' in holder) holder.points = m.points;
      return;
    }
  }
}

/** Numbers that sit on or next to the edges the rules draw (as raw facts and, over 100, as ratios). */
function edgesOf(doc: Doc): number[] {
  const out = new Set<number>([0, 1, 50, 100]);
  for (const r of doc.rules as Doc[]) {
    for (const c of factConditionsOf(r.conditions)) {
      for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
        const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
        if (Number.isFinite(x)) for (const y of [x, x * 100, x * 100 - 1, x * 100 + 1, x - 0.01]) out.add(Math.round(y * 1e6) / 1e6);
      }
    }
  }
  return [...out];
}

/** A submission for the compiled version: facts drawn per declaration, now and then one that is invalid. */
function submissionFor(g: fc.GeneratorValue, compiled: CompiledRuleSet, base: Doc): Doc {
  const edges = edgesOf(compiled.document as unknown as Doc);
  const number = (decl: Doc) => {
    const lo = decl.minimum ?? decl.exclusiveMinimum ?? -1000;
    const hi = decl.maximum ?? 1000;
    const inRange = (x: number) => x >= lo && x <= hi && (decl.exclusiveMinimum === undefined || x > decl.exclusiveMinimum);
    const near = edges.filter(inRange);
    const anywhere = fc.double({ min: Math.max(lo, -1e6), max: Math.min(hi, 1e6), noNaN: true }).filter(inRange);
    const x = g(() => (near.length > 0 ? fc.oneof(fc.constantFrom(...near), anywhere) : anywhere));
    return decl.type === 'integer' ? Math.round(x) : x;
  };
  const facts: Doc = {};
  for (const [id, visit] of compiled.index.leaves) {
    const values: Doc = {};
    for (const [name, decl] of Object.entries(visit.node.facts ?? {}) as [string, Doc][]) {
      if (decl.type === 'number' || decl.type === 'integer') values[name] = number(decl);
      else if (decl.type === 'boolean') values[name] = g(() => fc.boolean());
      else if (decl.type === 'string') values[name] = decl.enum ? g(() => fc.constantFrom(...decl.enum)) : 'text';
      else values[name] = Object.fromEntries((visit.node.checklist ?? []).map((r) => [r.id, g(() => fc.boolean())]));
    }
    facts[id] = values;
  }
  const indicators = (base.indicators ?? []).map((ind: Doc) =>
    ind.direction === 'qualitative' ? ind : { ...ind, target: g(() => fc.constantFrom(...edges)), actual: g(() => fc.constantFrom(...edges)) },
  );
  const sub: Doc = { ...base, facts, indicators: base.indicators ? indicators : undefined, selfAssessment: undefined };
  if (g(() => fc.nat(9)) === 0) {
    // an invalid value somewhere: must be refused as SUBMISSION_INVALID, never break scoring
    const leaf = pick(Object.keys(facts), g(() => fc.nat()))!;
    const key = pick(Object.keys(facts[leaf]), g(() => fc.nat()));
    if (key) facts[leaf][key] = g(() => fc.constantFrom('0.9', null, -5, true, {}));
  }
  if (sub.indicators === undefined) delete sub.indicators;
  delete sub.selfAssessment;
  return sub;
}

/** Scoring may refuse the submission; anything else (SCORING_INVARIANT_BROKEN, a TypeError) is a checker gap. */
async function scoresOrRefuses(compiled: CompiledRuleSet, submission: Doc): Promise<number> {
  let scored = 0;
  for (const score of [scoreWithRuleSet, scoreWithReference]) {
    try {
      await score(compiled, submission);
      scored++;
    } catch (e) {
      if (e instanceof DomainError && e.code === 'SUBMISSION_INVALID') continue;
      throw new Error(
        `checker accepted a rule set that then failed scoring: ${e instanceof DomainError ? e.code : ''} ${(e as Error).message}\n` +
          `rules: ${JSON.stringify(compiled.document.rules.map((r) => [r.name, r.conditions]))}\nsubmission facts: ${JSON.stringify(submission.facts)}`,
      );
    }
  }
  return scored;
}

describe.each(Object.keys(BASES) as (keyof typeof BASES)[])('check-then-score over mutated %s', (id) => {
  it(`never throws: refused with a diagnostic, or scores (numRuns ${RUNS})`, async () => {
    const base = example(BASES[id].submission);
    let accepted = 0;
    let scored = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.gen(), async (mutations, g) => {
        const doc: Doc = ruleSet(id);
        for (const m of mutations) apply(doc, m);
        expect(ruleSetShapeErrors(doc)).toEqual([]);
        const report = await checkWithoutCaseGate(doc);
        // a pass that threw is a gap too, even though the runner turned it into a diagnostic
        expect(report.diagnostics.filter((d) => d.code === 'CHECK_PASS_FAILED')).toEqual([]);
        if (!report.compiled) {
          expect(report.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          return;
        }
        accepted++;
        for (let i = 0; i < 3; i++) scored += await scoresOrRefuses(report.compiled, submissionFor(g, report.compiled, base));
      }),
      { numRuns: RUNS, endOnFailure: !SHRINK, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    // the mutations are small enough that some versions pass, and some submissions score
    if (process.env.CHECKER_PROPERTY_VERBOSE) console.log(id, { runs: RUNS, accepted, scored });
    expect(accepted).toBeGreaterThan(0);
    expect(scored).toBeGreaterThan(0);
  }, 600_000);
});
