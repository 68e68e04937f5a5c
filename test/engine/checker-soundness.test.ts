// Issue #9, rule-set side: whatever the schema accepts either gets a coded diagnostic or scores without throwing.
// Reproduces findings 3 (names of Object.prototype members), 5 (band coverage over quoted thresholds, `in` with a
// scalar), a pass that throws, and the check work budget.
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_BAND_RULE_EVALUATIONS,
  MAX_CASE_RULE_EVALUATIONS,
  MAX_PROBES_PER_TARGET,
  PASSES,
  type Diagnostic,
} from '../../src/engine/check/index.js';
import type { Pass } from '../../src/engine/check/diagnostics.js';
import { compileChecked } from '../../src/engine/compiled.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { example, ruleSet, checkWithoutCaseGate } from '../support.js';

type Doc = Record<string, any>;
const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');
const codes = (ds: readonly Diagnostic[]) => errors(ds).map((d) => d.code);
const rule = (doc: Doc, name: string) => doc.rules.find((r: Doc) => r.name === name);

/** The national example (cn-mof-2020) with the budget-execution leaf's facts replaced. */
function nationalWith(budgetExecution: Record<string, number>): Doc {
  const sub = example('national-training-2023.json');
  return { ...sub, facts: { budgetExecution } };
}

/** cn-mof-2020 with the budget-execution leaf cut to one fact `name` standing for the amount executed. */
function renamedExecuted(name: string): Doc {
  const doc: Doc = ruleSet('cn-mof-2020');
  const leaf = doc.indicators[0];
  leaf.facts = { [name]: leaf.facts.executed, budget: leaf.facts.budget };
  leaf.derived.executionRate.of = [name, 'budget'];
  for (const r of doc.rules) {
    if (r.event.params.award.executed) r.event.params.award.executed = name;
    r.event.params.explanation = r.event.params.explanation.replaceAll('{executed}', `{${name}}`);
  }
  return doc;
}

/** A cn-mof-2020 copy whose budget-execution leaf has `count` rules, one band of executionRate each (~660 KB). */
export function manyBandRuleSet(count: number): Doc {
  const doc: Doc = ruleSet('cn-mof-2020');
  const others = doc.rules.filter((r: Doc) => r.event.params.appliesTo !== 'budgetExecution');
  const edge = (i: number) => Math.round((i / count) * 1e6) / 1e6;
  const bands = Array.from({ length: count }, (_, i) => {
    const all = [];
    if (i > 0) all.push({ fact: 'executionRate', operator: 'greaterThanInclusive', value: edge(i) });
    if (i < count - 1) all.push({ fact: 'executionRate', operator: 'lessThan', value: edge(i + 1) });
    return {
      name: `budgetExecution.band${i}`,
      conditions: { all },
      event: { type: 'award', params: { appliesTo: 'budgetExecution', case: `第 ${i} 档`, award: { method: 'budgetExecution', executed: 'executed', budget: 'budget' }, explanation: '执行率 {executionRate|percent}' } },
    };
  });
  doc.rules = [...bands, ...others].slice(0, 2000);
  return doc;
}

const PROTOTYPE_NAMES = ['constructor', 'valueOf', 'toString', 'hasOwnProperty'] as const;

describe('finding 3: names of Object.prototype members in a rule set', () => {
  it.each(PROTOTYPE_NAMES)('a leaf fact named %s is checked (no throw) and scores', async (name) => {
    const doc = renamedExecuted(name);
    const report = await checkWithoutCaseGate(doc);
    expect(errors(report.diagnostics)).toEqual([]);
    const result = scoreWithRuleSet(report.compiled!, nationalWith({ [name]: 95, budget: 100 }));
    const shipped = scoreWithRuleSet(compileChecked(ruleSet('cn-mof-2020')), nationalWith({ executed: 95, budget: 100 }));
    const item = (r: typeof result) => r.items.find((i) => i.id === 'budgetExecution')!;
    expect(item(result).case?.rule).toBe('budgetExecution.proportional');
    expect(item(result).points).toBe(item(shipped).points);
  });

  it.each(PROTOTYPE_NAMES)('a derived fact named %s is not a false DUPLICATE_FACT', async (name) => {
    const doc: Doc = ruleSet('cn-mof-2020');
    doc.indicators[0].derived[name] = { label: '另一比率', op: 'ratio', of: ['executed', 'budget'] };
    const report = await checkWithoutCaseGate(doc);
    expect(codes(report.diagnostics)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a derived fact named __proto__ (as JSON.parse makes it, an own key) is refused, not accepted', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    doc.indicators[0].derived = JSON.parse('{"__proto__":{"label":"x","op":"ratio","of":["executed","budget"]},"executionRate":{"label":"预算执行率","op":"ratio","of":["executed","budget"]}}');
    const report = await checkWithoutCaseGate(doc);
    expect(report.ok).toBe(false);
    expect(report.diagnostics.some((d) => d.location.includes('__proto__'))).toBe(true);
  });

  it('a unit-indicator slot naming rule group "toString" that does not exist is refused with UNKNOWN_RULE_GROUP', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    doc.indicators[1].children[0].unitIndicators.ruleGroup = 'toString';
    const report = await checkWithoutCaseGate(doc);
    expect(codes(report.diagnostics)).toContain('UNKNOWN_RULE_GROUP');
  });

  it.each(PROTOTYPE_NAMES)('a rule-group fact named %s is refused with UNKNOWN_FACT (no throw)', async (name) => {
    const doc: Doc = ruleSet('cn-mof-2020');
    doc.ruleGroups.unitIndicator.facts[name] = { label: 'x', type: 'number', optional: true };
    const report = await checkWithoutCaseGate(doc);
    const d = report.diagnostics.find((x) => x.code === 'UNKNOWN_FACT')!;
    expect(d.location).toBe(`$.ruleGroups.unitIndicator.facts.${name}`);
  });

  it.each(PROTOTYPE_NAMES)('a condition on an undeclared fact named %s is UNKNOWN_FACT', async (name) => {
    const doc: Doc = ruleSet('cn-mof-2020');
    rule(doc, 'budgetExecution.low').conditions.all[0].fact = name;
    const report = await checkWithoutCaseGate(doc);
    expect(report.diagnostics.find((x) => x.code === 'UNKNOWN_FACT')!.location).toBe('$.rules[2].conditions.all[0].fact');
  });
});

describe('finding 5: operator and value types', () => {
  it('a quoted edge ("0.9") is OPERATOR_VALUE_TYPE at the value; compiled unchecked, rate 0.92 would break scoring', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    rule(doc, 'budgetExecution.proportional').conditions.all[0].value = 0.95;
    rule(doc, 'budgetExecution.low').conditions.all[0].value = '0.9';
    const report = await checkWithoutCaseGate(doc);
    expect(report.ok).toBe(false);
    const d = report.diagnostics.find((x) => x.code === 'OPERATOR_VALUE_TYPE')!;
    expect(d.severity).toBe('error');
    expect(d.location).toBe('$.rules[2].conditions.all[0].value');
    expect(d.message).toContain('"0.9"');
    // what the checker now prevents: the gap at 0.9–0.95 reached scoring
    const unchecked = compileChecked(doc as never);
    expect(() => scoreWithRuleSet(unchecked, nationalWith({ executed: 92, budget: 100 }))).toThrow(expect.objectContaining({ code: 'SCORING_INVARIANT_BROKEN' }));
  });

  it('`in` with a scalar value is a diagnostic, not a TypeError', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    rule(doc, 'budgetExecution.full').conditions.all[0] = { fact: 'executionRate', operator: 'in', value: 1 };
    const report = await checkWithoutCaseGate(doc);
    expect(report.diagnostics.find((x) => x.code === 'OPERATOR_VALUE_TYPE')!.location).toBe('$.rules[0].conditions.all[0].value');
    expect(report.diagnostics.every((d) => d.code !== 'CHECK_PASS_FAILED')).toBe(true);
  });

  it.each([
    ['notIn with a string', { fact: 'executionRate', operator: 'notIn', value: 'abc' }],
    ['in with a quoted number in the array', { fact: 'executionRate', operator: 'in', value: [1, '0.5'] }],
    ['equal with an array', { fact: 'executionRate', operator: 'equal', value: [1] }],
    ['equal with a boolean on a number fact', { fact: 'executionRate', operator: 'equal', value: true }],
    ['greaterThan with null', { fact: 'executionRate', operator: 'greaterThan', value: null }],
    ['lessThanInclusive with a boolean', { fact: 'executionRate', operator: 'lessThanInclusive', value: false }],
    ['lessThan on a string fact', { fact: 'direction', operator: 'lessThan', value: 1 }],
    ['equal with a number on a string fact', { fact: 'direction', operator: 'equal', value: 1 }],
    ['in with numbers on a string fact', { fact: 'direction', operator: 'in', value: [1, 2] }],
  ])('%s is OPERATOR_VALUE_TYPE', async (_label, condition) => {
    const doc: Doc = ruleSet('cn-mof-2020');
    const target = condition.fact === 'direction' ? 'indicator.qualitative' : 'budgetExecution.full';
    const r = rule(doc, target);
    r.conditions.all.push(condition);
    const index = doc.rules.indexOf(r);
    const report = await checkWithoutCaseGate(doc);
    const d = report.diagnostics.find((x) => x.code === 'OPERATOR_VALUE_TYPE');
    expect(d?.location).toBe(`$.rules[${index}].conditions.all[${r.conditions.all.length - 1}].value`);
  });

  it('well-typed values pass: in with strings on an enum fact, equal null on a derived fact', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    rule(doc, 'indicator.qualitative').conditions.all[0] = { fact: 'direction', operator: 'in', value: ['qualitative'] };
    rule(doc, 'budgetExecution.full').conditions.all.push({ fact: 'executionRate', operator: 'notEqual', value: null });
    const report = await checkWithoutCaseGate(doc);
    expect(codes(report.diagnostics)).toEqual([]);
  });
});

describe('gaps the property test points at: null ratios and qualitative tiers', () => {
  /** gd-meizhou-2022 with the economy leaf's planned cost allowed to be 0 (so costRatio may be null). */
  function zeroPlannedCost(): Doc {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    const economy = doc.indicators[2].children[0];
    expect(economy.id).toBe('economy');
    delete economy.facts.plannedCost.exclusiveMinimum;
    economy.facts.plannedCost.minimum = 0;
    return doc;
  }
  const zeroPlanSubmission = () => {
    const sub = example('meizhou-2022.json');
    sub.facts.economy = { plannedCost: 0, actualCost: 5 };
    return sub;
  };

  it('a ratio whose denominator may be 0: BAND_GAP at null; compiled unchecked, scoring would break', async () => {
    const doc = zeroPlannedCost();
    const report = await checkWithoutCaseGate(doc);
    const gap = report.diagnostics.find((d) => d.code === 'BAND_GAP')!;
    expect(gap.message).toContain('成本控制率（costRatio）= null');
    expect(() => scoreWithRuleSet(compileChecked(doc as never), zeroPlanSubmission())).toThrow(expect.objectContaining({ code: 'SCORING_INVARIANT_BROKEN' }));
  });

  it('a rule for the null case closes the gap and scores', async () => {
    const doc = zeroPlannedCost();
    doc.rules.push({
      name: 'economy.noPlan',
      conditions: { all: [{ fact: 'costRatio', operator: 'equal', value: null }] },
      event: { type: 'award', params: { appliesTo: 'economy', case: '无计划成本', award: { method: 'zero' }, explanation: '无计划成本，得 {points} 分' } },
    });
    const report = await checkWithoutCaseGate(doc);
    expect(codes(report.diagnostics)).toEqual([]);
    expect(scoreWithRuleSet(report.compiled!, zeroPlanSubmission()).items.find((i) => i.id === 'economy')!.points).toBe(0);
  });

  it('a rule group probed with null: qualitative indicators (no numeric target) reaching no case are a BAND_GAP', async () => {
    // found by the property test (CHECKER_PROPERTY_RUNS=3000): it passed every check, then scoring broke
    const doc: Doc = ruleSet('cn-mof-2020');
    rule(doc, 'indicator.qualitative').conditions.all.push({ fact: 'target', operator: 'notEqual', value: null });
    const report = await checkWithoutCaseGate(doc);
    const gap = errors(report.diagnostics).find((d) => d.code === 'BAND_GAP')!;
    expect(gap.location).toBe('$.ruleGroups.unitIndicator');
    expect(gap.message).toContain('指标方向（direction）= "qualitative"');
    expect(gap.message).toContain('年度指标值（target）= null（无法计算）');
    const training = example('national-training-2023.json'); // its qualitative indicators give text targets → null
    expect(() => scoreWithRuleSet(compileChecked(doc as never), training)).toThrow(expect.objectContaining({ code: 'SCORING_INVARIANT_BROKEN' }));
    // quantitative indicators always have numeric targets: no null probe for them, so the shipped set stays clean
    expect(codes((await checkWithoutCaseGate(ruleSet('cn-mof-2020'))).diagnostics)).toEqual([]);
  });

  it('a method computing with a ratio that may be null is AWARD_FACT_NULL', async () => {
    const doc = zeroPlannedCost();
    const overrun = rule(doc, 'economy.overrun');
    overrun.conditions = { not: { fact: 'costRatio', operator: 'lessThanInclusive', value: 1 } }; // also true for null
    overrun.event.params.award = { method: 'thresholdRate', rate: 'costRatio', threshold: 0.5 };
    overrun.event.params.explanation = '{points}';
    const report = await checkWithoutCaseGate(doc);
    const d = report.diagnostics.find((x) => x.code === 'AWARD_FACT_NULL')!;
    expect(d.location).toBe(`$.rules[${doc.rules.indexOf(overrun)}].event.params.award.rate`);
  });

  it('a qualitative award whose tier fact allows other values is FACT_TYPE (scoring has no range for it)', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    doc.ruleGroups.unitIndicator.facts.tier.enum.push('excellent');
    const report = await checkWithoutCaseGate(doc);
    const index = doc.rules.findIndex((r: Doc) => r.name === 'indicator.qualitative');
    expect(report.diagnostics.find((x) => x.code === 'FACT_TYPE')?.location).toBe(`$.rules[${index}].event.params.award.tier`);
  });
});

describe('the pass runner', () => {
  const added: Pass[] = [];
  afterEach(() => {
    for (const p of added.splice(0)) (PASSES as Pass[]).splice((PASSES as Pass[]).indexOf(p), 1);
  });

  it('turns a throw inside a pass into CHECK_PASS_FAILED naming the pass', async () => {
    const exploding: Pass = { name: 'exploding', blocking: false, needsSoundStructure: false, run: () => { throw new TypeError('boom'); } };
    added.push(exploding);
    (PASSES as Pass[]).push(exploding);
    const report = await checkWithoutCaseGate(ruleSet('cn-mof-2020'));
    expect(report.ok).toBe(false);
    expect(report.compiled).toBeNull();
    const d = report.diagnostics.find((x) => x.code === 'CHECK_PASS_FAILED')!;
    expect(d).toMatchObject({ pass: 'exploding', severity: 'error', location: '$' });
    expect(d.message).toContain('「exploding」');
    expect(d.message).toContain('boom');
  });

  it('conditions nested deeper than the stack allows: a diagnostic, never a throw out of checkRuleSet', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    let c: Doc = { fact: 'executionRate', operator: 'lessThan', value: 0.9 };
    for (let i = 0; i < 20_000; i++) c = { not: c };
    rule(doc, 'budgetExecution.low').conditions = { all: [c] };
    const report = await checkWithoutCaseGate(doc);
    expect(report.ok).toBe(false);
    expect(errors(report.diagnostics).length).toBeGreaterThan(0);
  });
});

describe('the check work budget', () => {
  it('exports its limits', () => {
    expect(MAX_PROBES_PER_TARGET).toBe(20_000);
    expect(MAX_BAND_RULE_EVALUATIONS).toBeGreaterThan(0);
    expect(MAX_CASE_RULE_EVALUATIONS).toBeGreaterThan(0);
  });

  it('2,000 rules on one fact: refused with CHECK_BUDGET_EXCEEDED naming the limit (before: ~110 s of probing)', async () => {
    const doc = manyBandRuleSet(1993);
    expect(doc.rules).toHaveLength(2000);
    const report = await checkWithoutCaseGate(doc);
    expect(report.ok).toBe(false);
    const d = report.diagnostics.find((x) => x.code === 'CHECK_BUDGET_EXCEEDED')!;
    expect(d).toMatchObject({ pass: 'bandCoverage', severity: 'error', location: '$.indicators[0]' });
    expect(d.message).toContain('MAX_BAND_RULE_EVALUATIONS');
  });

  it('a target with more probe combinations than MAX_PROBES_PER_TARGET: BAND_PROBE_LIMIT is an error', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    const edges = (fact: string) => ({ any: Array.from({ length: 15 }, (_, i) => ({ fact, operator: 'equal', value: 1 + i })) });
    doc.rules.push({
      name: 'economy.never',
      conditions: { any: [edges('plannedCost'), edges('actualCost'), edges('costRatio')] },
      event: { type: 'award', params: { appliesTo: 'economy', case: '从不适用', award: { method: 'zero' }, explanation: '{points}' } },
    });
    const report = await checkWithoutCaseGate(doc);
    const d = report.diagnostics.find((x) => x.code === 'BAND_PROBE_LIMIT')!;
    expect(d.severity).toBe('error');
    expect(d.message).toContain('MAX_PROBES_PER_TARGET');
    expect(report.ok).toBe(false);
  });

  it('golden cases × rules over MAX_CASE_RULE_EVALUATIONS: CHECK_BUDGET_EXCEEDED from goldenCases', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    // many cases on a small rule set stays within band coverage's budget but not the cases'
    const perCase = doc.rules.length;
    const count = Math.floor(MAX_CASE_RULE_EVALUATIONS / perCase) + 1;
    const seed = { source: 'inline', name: 'x', submission: example('national-training-2023.json'), expect: { total: 0, grade: 'poor', items: {} } };
    const cases = Array.from({ length: count }, (_, i) => ({ ...seed, name: `用例${i}` }));
    const report = await checkWithoutCaseGate(doc, { cases });
    const d = report.diagnostics.find((x) => x.code === 'CHECK_BUDGET_EXCEEDED')!;
    expect(d).toMatchObject({ pass: 'goldenCases', severity: 'error' });
    expect(d.message).toContain('MAX_CASE_RULE_EVALUATIONS');
  });
});

describe('the same submission on the shipped rule set', () => {
  it('cn-mof-2020 scores a rate of 0.92 (the submission in the quoted-edge test is itself valid)', async () => {
    const report = await checkWithoutCaseGate(ruleSet('cn-mof-2020'));
    const result = scoreWithRuleSet(report.compiled!, nationalWith({ executed: 92, budget: 100 }));
    expect(result.items.find((i) => i.id === 'budgetExecution')!.case?.rule).toBe('budgetExecution.proportional');
  });
});
