// The rule-set checker refuses deliberately broken copies of the shipped rule sets, each with its own diagnostic.
import { describe, expect, it } from 'vitest';
import { checkRuleSet, type Diagnostic } from '../../src/engine/check/index.js';
import { example, ruleSet, checkWithoutCaseGate, shippedCases } from '../support.js';

type Doc = Record<string, any>;
const codes = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => d.code);
const rule = (doc: Doc, name: string) => doc.rules.find((r: Doc) => r.name === name);

async function refused(doc: unknown) {
  const report = await checkWithoutCaseGate(doc);
  expect(report.ok).toBe(false);
  expect(report.compiled).toBeNull();
  return report.diagnostics;
}

describe.each(['gd-meizhou-2022', 'cn-mof-2020'] as const)('shipped rule set %s', (id) => {
  it('passes every pass, the publish gate on case coverage included, with no diagnostics at all', async () => {
    const report = await checkRuleSet(ruleSet(id), { expected: { id, version: '1.0.0' }, cases: shippedCases(id) });
    expect(report.diagnostics).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.compiled?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('wrong sums: refused with TREE_SUM_MISMATCH / TOTAL_MISMATCH', async () => {
    const doc: Doc = ruleSet(id);
    doc.indicators[1].points += 5;
    const ds = await refused(doc);
    expect(codes(ds)).toContain('TOTAL_MISMATCH');
    if (id === 'gd-meizhou-2022') {
      expect(codes(ds)).toContain('TREE_SUM_MISMATCH');
      const d = ds.find((x) => x.code === 'TREE_SUM_MISMATCH')!;
      expect(d.location).toBe('$.indicators[1].points');
      expect(d.message).toContain('「管理」分值 30 分，但其下级指标分值之和为 25 分');
    }
  });

  it('unresolved placeholder: refused with TEMPLATE_UNRESOLVED naming the rule and placeholder', async () => {
    const doc: Doc = ruleSet(id);
    const r = doc.rules[0];
    r.event.params.explanation += '（{notAFact}）';
    const ds = await refused(doc);
    expect(codes(ds)).toEqual(['TEMPLATE_UNRESOLVED']);
    expect(ds[0]!.message).toContain('{notAFact}');
    expect(ds[0]!.location).toBe('$.rules[0].event.params.explanation');
  });

  it('unknown template format and stray braces are refused', async () => {
    const doc: Doc = ruleSet(id);
    doc.rules[0].event.params.explanation = '{points|money} 分 }';
    expect(codes(await refused(doc))).toEqual(expect.arrayContaining(['TEMPLATE_FORMAT', 'TEMPLATE_SYNTAX']));
  });
});

describe('band coverage', () => {
  it('overlapping bands: refused with BAND_OVERLAP and the probe where both apply', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    // short now also covers exactly 100%
    rule(doc, 'fundsArrival.short').conditions.all[0].operator = 'lessThanInclusive';
    const ds = await refused(doc);
    expect(codes(ds)).toEqual(['BAND_OVERLAP']);
    expect(ds[0]!.message).toContain('资金到位率（arrivalRate）= 1');
    expect(ds[0]!.message).toContain('fundsArrival.met、fundsArrival.short');
  });

  it('a gap between bands: refused with BAND_GAP', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    rule(doc, 'budgetExecution.proportional').conditions.all[0].value = 0.95; // 90%–95% now uncovered
    const ds = await refused(doc);
    expect(codes(ds)).toContain('BAND_GAP');
    expect(ds.find((d) => d.code === 'BAND_GAP')!.message).toContain('预算执行率（executionRate）= 0.9 时没有适用的计分情形');
  });

  it('a direction no rule handles: refused with BAND_GAP on the rule group', async () => {
    const doc: Doc = ruleSet('cn-mof-2020');
    doc.rules = doc.rules.filter((r: Doc) => r.name !== 'indicator.qualitative');
    const ds = await refused(doc);
    expect(codes(ds)).toContain('BAND_GAP');
    expect(ds.find((d) => d.code === 'BAND_GAP')!.message).toContain('"qualitative"');
  });

  it('checklist leaves: an unmet count nobody scores is a gap', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    rule(doc, 'safeguards.deduct').conditions.all[0] = { fact: 'unmetCount', operator: 'greaterThan', value: 1 };
    const ds = await refused(doc);
    expect(ds.find((d) => d.code === 'BAND_GAP')!.message).toContain('未满足的要求数（unmetCount）= 1');
  });
});

describe('structure and references', () => {
  it('duplicate ids and rule names are refused', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    doc.indicators[0].children[0].children[1].id = 'decisionBasis';
    doc.rules[1].name = doc.rules[0].name;
    const ds = await refused(doc);
    expect(codes(ds)).toEqual(expect.arrayContaining(['DUPLICATE_ID', 'DUPLICATE_RULE_NAME']));
  });

  it('a leaf without rules is refused', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    doc.rules = doc.rules.filter((r: Doc) => r.event.params.appliesTo !== 'economy');
    const ds = await refused(doc);
    expect(ds.find((d) => d.code === 'LEAF_WITHOUT_RULES')!.message).toContain('经济性');
  });

  it('conditions and awards may only name declared facts of their own leaf', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    const overrun = doc.rules.findIndex((r: Doc) => r.name === 'economy.overrun');
    const short = doc.rules.findIndex((r: Doc) => r.name === 'payment.short');
    doc.rules[overrun].conditions.all[0].fact = 'arrivalRate'; // belongs to another leaf
    doc.rules[short].event.params.award.actual = 'spentTypo';
    const ds = await refused(doc);
    expect(ds.filter((d) => d.code === 'UNKNOWN_FACT').map((d) => d.location).sort()).toEqual(
      [`$.rules[${overrun}].conditions.all[0].fact`, `$.rules[${short}].event.params.award.actual`].sort(),
    );
  });

  it('a rule applying to nothing known is refused', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    doc.rules[0].event.params.appliesTo = 'nowhere';
    expect(codes(await refused(doc))).toContain('UNKNOWN_TARGET');
  });

  it('derived-fact cycles are refused', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    const leaf = doc.indicators[2].children[0];
    leaf.derived.a = { label: 'a', op: 'ratio', of: ['b', 'plannedCost'] };
    leaf.derived.b = { label: 'b', op: 'ratio', of: ['a', 'plannedCost'] };
    expect(codes(await refused(doc))).toContain('DERIVED_CYCLE');
  });

  it('grade bands without a 0 band, or with duplicates, are refused', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    doc.grades = doc.grades.filter((g: Doc) => g.min !== 0);
    doc.grades[1].code = doc.grades[0].code;
    expect(codes(await refused(doc))).toEqual(expect.arrayContaining(['GRADE_GAP', 'GRADE_DUPLICATE']));
  });

  it('the file name and directory must match id and version', async () => {
    const report = await checkWithoutCaseGate(ruleSet('gd-meizhou-2022'), { expected: { id: 'gd-meizhou-2022', version: '1.0.1' } });
    expect(codes(report.diagnostics)).toEqual(['IDENTITY_MISMATCH']);
  });
});

describe('no code in rule files', () => {
  it.each([
    ['a JSONPath in a condition', (d: Doc) => (d.rules[0].conditions.all[0].path = '$..[?(@.x)]'), '$.rules[0].conditions'],
    ['a custom operator', (d: Doc) => (d.rules[0].conditions.all[0].operator = 'eval'), '$.rules[0].conditions'],
    ['a function-valued field', (d: Doc) => (d.rules[0].event.params.award = { method: 'script', code: 'return 1' }), '$.rules[0].event.params.award'],
    ['an event other than award', (d: Doc) => (d.rules[0].event.type = 'exec'), '$.rules[0].event.type'],
    ['a named shared condition', (d: Doc) => (d.rules[0].conditions = { condition: 'shared' }), '$.rules[0].conditions'],
  ])('%s is refused by the schema pass', async (_label, breakIt, path) => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    breakIt(doc);
    const ds = await refused(doc);
    expect(ds[0]!.pass).toBe('schema');
    expect(ds.some((d) => d.location.startsWith(path))).toBe(true);
    expect(ds.at(-1)!.code).toBe('PASSES_SKIPPED');
  });

  it('a provisional rule set must say why', async () => {
    const doc: Doc = ruleSet('gd-meizhou-2022');
    delete doc.provisionalNote;
    const ds = await refused(doc);
    expect(ds.some((d) => d.location === '$.provisionalNote' && d.message.includes('缺少必填项'))).toBe(true);
  });
});

describe('golden cases as a pass', () => {
  it('a failing golden case refuses the version with CASE_FAILED; the same file without cases passes', async () => {
    const doc = ruleSet('gd-meizhou-2022') as Doc;
    rule(doc, 'payment.met').event.params.award = { method: 'fraction', fraction: 0.5 };
    const seed = {
      source: 'rules/gd-meizhou-2022/cases/inline.json',
      name: '种子案例',
      submission: example('meizhou-2022.json'),
      expect: { total: 100, grade: 'excellent', items: { payment: 8 } },
    };
    const report = await checkWithoutCaseGate(doc, { cases: [seed] });
    expect(report.ok).toBe(false);
    expect(codes(report.diagnostics)).toEqual(['CASE_FAILED', 'CASE_FAILED']);
    const messages = report.diagnostics.map((d) => d.message).join('\n');
    expect(messages).toContain('总分为 96，期望 100');
    expect(messages).toContain('payment（资金支付）得分 4，期望 8');
    expect(report.diagnostics[0]!.location).toBe(seed.source);
    expect((await checkWithoutCaseGate(doc)).ok).toBe(true);
  });
});
