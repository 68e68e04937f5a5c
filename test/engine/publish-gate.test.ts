// The publish gate on case coverage (issue #11, item 3): a version is accepted only when its golden cases exercise
// every scoring rule and every grade band — in the checker (publish, CLI) and when rules/ is loaded at start-up.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRuleSet, type Diagnostic } from '../../src/engine/check/index.js';
import { loadRegistry } from '../../src/platform/rules-dir.js';
import { ROOT, ruleSet, shippedCases } from '../support.js';

const gaps = (ds: readonly Diagnostic[]) => ds.filter((d) => d.code === 'CASE_COVERAGE_INCOMPLETE');
const otherErrors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error' && d.code !== 'CASE_COVERAGE_INCOMPLETE');
/** the cases each rule set shipped with before the gate existed */
const ORIGINAL_CASES = {
  'cn-mof-2020': ['road-maintenance-2023.json', 'training-no-satisfaction-2023.json', 'rejected-budget-and-tier.json', 'rejected-score-outside-tier.json'],
  'gd-meizhou-2022': ['not-applicable-redistributed.json', 'rejected-bad-facts.json', 'seed-meizhou-2022.json', 'shortfalls.json'],
};

describe('publish gate on case coverage', () => {
  it('cn-mof-2020 with only its original cases is refused: budgetExecution.full and the 优/中/差 bands are listed', async () => {
    const cases = shippedCases('cn-mof-2020').filter((c) => ORIGINAL_CASES['cn-mof-2020'].some((f) => c.source.endsWith(f)));
    expect(cases).toHaveLength(4);
    const report = await checkRuleSet(ruleSet('cn-mof-2020'), { cases });
    expect(report.ok).toBe(false);
    expect(otherErrors(report.diagnostics)).toEqual([]);
    expect(gaps(report.diagnostics).map((d) => [d.location, d.message])).toEqual([
      ['$.rules[0]', '没有测试用例覆盖计分规则 budgetExecution.full（预算执行率：执行率达到 100%）；请增加一个适用该情形的用例'],
      ['$.grades[0]', '没有测试用例的总分落在等级 优（优秀，90 ≤ 总分 ≤ 100） 内；请增加一个该等级的用例'],
      ['$.grades[2]', '没有测试用例的总分落在等级 中（60 ≤ 总分 < 80） 内；请增加一个该等级的用例'],
      ['$.grades[3]', '没有测试用例的总分落在等级 差（0 ≤ 总分 < 60） 内；请增加一个该等级的用例'],
    ]);
  });

  it('gd-meizhou-2022 with only its original cases is refused: safeguards.deduct, fundsAllocation.deduct, 良 and 差', async () => {
    const cases = shippedCases('gd-meizhou-2022').filter((c) => ORIGINAL_CASES['gd-meizhou-2022'].some((f) => c.source.endsWith(f)));
    const report = await checkRuleSet(ruleSet('gd-meizhou-2022'), { cases });
    expect(report.ok).toBe(false);
    const listed = gaps(report.diagnostics).map((d) => d.message.match(/计分规则 (\S+)（|等级 (\S)（/)!.slice(1).find(Boolean));
    expect(listed).toEqual(['safeguards.deduct', 'fundsAllocation.deduct', '良', '差']);
  });

  it('every shipped rule set passes with its shipped cases', async () => {
    for (const id of ['cn-mof-2020', 'gd-meizhou-2022', 'xx-demo-methods', 'xx-demo-interval']) {
      const report = await checkRuleSet(ruleSet(id as 'cn-mof-2020'), { cases: shippedCases(id) });
      expect(report.diagnostics.filter((d) => d.severity === 'error'), id).toEqual([]);
    }
  });

  it('a failing case counts for nothing: besides CASE_FAILED, one line counts what the others leave uncovered', async () => {
    const cases = shippedCases('cn-mof-2020');
    const excellent = cases.find((c) => c.source.endsWith('water-supply-excellent-2023.json'))!;
    (excellent.expect as { total: number }).total = 99;
    const report = await checkRuleSet(ruleSet('cn-mof-2020'), { cases });
    expect(report.diagnostics.filter((d) => d.code === 'CASE_FAILED').map((d) => d.location)).toEqual([excellent.source]);
    // the excellent case alone reached budgetExecution.full and 优
    expect(gaps(report.diagnostics).map((d) => [d.location, d.message])).toEqual([
      ['$', '有用例未通过（未通过的用例不计入覆盖）；其余用例未覆盖 1 条计分规则、1 档等级。请先改正未通过的用例，再看覆盖'],
    ]);
  });

  it('no case at all: every scoring rule and every band is listed', async () => {
    const doc = ruleSet('gd-meizhou-2022');
    const report = await checkRuleSet(doc, {});
    expect(gaps(report.diagnostics).map((d) => d.location)).toEqual([...doc.rules.map((_, i) => `$.rules[${i}]`), '$.grades[0]', '$.grades[1]', '$.grades[2]', '$.grades[3]']);
  });

  it('at start-up: a version in rules/ whose cases leave a rule unexercised is refused and not served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-gate-'));
    try {
      cpSync(join(ROOT, 'rules', 'cn-mof-2020'), join(dir, 'cn-mof-2020'), { recursive: true });
      cpSync(join(ROOT, 'rules', 'gd-meizhou-2022'), join(dir, 'gd-meizhou-2022'), { recursive: true });
      rmSync(join(dir, 'cn-mof-2020', 'cases', 'water-supply-excellent-2023.json'));
      const { registry, refused } = await loadRegistry(dir);
      expect(refused.map((f) => f.id)).toEqual(['cn-mof-2020']);
      expect(gaps(refused[0]!.report.diagnostics).map((d) => d.location)).toEqual(['$.rules[0]', '$.grades[0]']);
      expect(registry.get('cn-mof-2020', '1.0.0')).toBeUndefined();
      expect(registry.get('gd-meizhou-2022', '1.0.0')).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the repository’s rules/ loads with nothing refused (the start-up gate over what ships)', async () => {
    const { refused, report } = await loadRegistry(join(ROOT, 'rules'));
    expect(refused.map((f) => `${f.file}: ${f.report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`)).toEqual([]);
    expect(report.files.length).toBeGreaterThanOrEqual(4);
  });
});
