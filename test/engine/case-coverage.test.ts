// Coverage of scoring rules and grade bands by golden cases: the module on shipped and broken case sets,
// every rule set under rules/ fully covered, and `cli test --coverage` exit codes.
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseCoverage,
  caseOutcome,
  coverageGapDetails,
  renderCaseCoverage,
  type CaseOutcome,
  type CoverageRuleSet,
} from '../../src/engine/case-coverage.js';
import type { GoldenCase } from '../../src/engine/check/index.js';
import type { CompiledRuleSet } from '../../src/engine/compiled.js';
import { caseAppliesTo, runGoldenCase } from '../../src/engine/golden.js';
import { checkRulesDir } from '../../src/platform/rules-dir.js';
import { ROOT, compiled, readJson } from '../support.js';
import { lines, runCli } from '../cli/run-cli.js';

const RULES = join(ROOT, 'rules');

function casesOf(id: string): GoldenCase[] {
  return readdirSync(join(RULES, id, 'cases'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...readJson<Omit<GoldenCase, 'source'>>(`rules/${id}/cases/${f}`), source: `rules/${id}/cases/${f}` }));
}

async function outcomesOf(target: CompiledRuleSet, cases: readonly GoldenCase[]): Promise<CaseOutcome[]> {
  const out: CaseOutcome[] = [];
  for (const c of cases) if (caseAppliesTo(target, c)) out.push(caseOutcome(c, await runGoldenCase(target, c)));
  return out;
}

const without = (cases: readonly GoldenCase[], ...files: string[]) => cases.filter((c) => !files.some((f) => c.source.endsWith(`/${f}`)));

describe('case coverage of the shipped rule sets', () => {
  it('cn-mof-2020: all its cases exercise every rule and band; without the 优 case, budgetExecution.full and 优 are reported', async () => {
    const national = compiled('cn-mof-2020');
    const all = casesOf('cn-mof-2020');
    expect(caseCoverage(national, await outcomesOf(national, all)).complete).toBe(true);

    const report = caseCoverage(national, await outcomesOf(national, without(all, 'water-supply-excellent-2023.json')));
    expect(report.complete).toBe(false);
    expect(report.unexercisedRules.map((r) => r.rule)).toEqual(['budgetExecution.full']);
    expect(report.unexercisedBands.map((b) => b.code)).toEqual(['excellent']);
    expect(report.unexercisedRules[0]).toMatchObject({ indicatorName: '预算执行率', caseLabel: '执行率达到 100%', location: '$.rules[0]' });
    expect(report.unexercisedBands[0]).toMatchObject({ name: '优', label: '优秀', min: 90, max: 100, maxInclusive: true, location: '$.grades[0]' });

    const text = renderCaseCoverage(report);
    expect(text).toContain('    ✗ budgetExecution.full　预算执行率：执行率达到 100%');
    expect(text).toContain('    ✗ 优（优秀，90 ≤ 总分 ≤ 100）');
    expect(text).toContain('    ✓ 良（良好，80 ≤ 总分 < 90）　2 个用例');
    expect(text).toContain('    ✓ indicator.qualitative　单位自设三级指标：定性指标，在评价档次内取分　4 个用例');
    expect(text).toContain('  cn-mof-2020 1.0.0：没有用例覆盖的计分规则（1 条）：budgetExecution.full（预算执行率：执行率达到 100%）');
    expect(text).toContain('  cn-mof-2020 1.0.0：没有用例覆盖的等级（1 档）：优（优秀，90 ≤ 总分 ≤ 100）');
    expect(coverageGapDetails(report, '$.ruleset')).toEqual([
      { path: '$.ruleset.rules[0]', message: '没有测试用例覆盖计分规则 budgetExecution.full（预算执行率：执行率达到 100%）；请增加一个适用该情形的用例' },
      { path: '$.ruleset.grades[0]', message: '没有测试用例的总分落在等级 优（优秀，90 ≤ 总分 ≤ 100） 内；请增加一个该等级的用例' },
    ]);
  });

  it('gd-meizhou-2022: without the two new cases, safeguards.deduct, fundsAllocation.deduct, 良 and 差 are reported with Chinese names', async () => {
    const meizhou = compiled('gd-meizhou-2022');
    const all = casesOf('gd-meizhou-2022');
    expect(caseCoverage(meizhou, await outcomesOf(meizhou, all)).complete).toBe(true);

    const report = caseCoverage(
      meizhou,
      await outcomesOf(meizhou, without(all, 'safeguards-and-allocation-good.json', 'stalled-project-poor.json')),
    );
    expect(report.unexercisedRules.map((r) => r.rule)).toEqual(['safeguards.deduct', 'fundsAllocation.deduct']);
    expect(report.unexercisedBands.map((b) => b.name)).toEqual(['良', '差']);
    const text = renderCaseCoverage(report);
    expect(text).toContain('    ✗ safeguards.deduct　保障措施（决策 / 项目立项）：有要求未满足，逐项扣分');
    expect(text).toContain('    ✗ fundsAllocation.deduct　资金分配（决策 / 资金落实）：有要求未满足，逐项扣分');
    expect(text).toContain('    ✗ 差（0 ≤ 总分 < 60）');
    expect(text).toContain('    ✓ 中（60 ≤ 总分 < 80）　1 个用例');
    // each of the two new cases alone brings back both deduction rules
    for (const kept of ['safeguards-and-allocation-good.json', 'stalled-project-poor.json']) {
      const other = kept === 'stalled-project-poor.json' ? 'safeguards-and-allocation-good.json' : 'stalled-project-poor.json';
      const partial = caseCoverage(meizhou, await outcomesOf(meizhou, without(all, other)));
      expect(partial.unexercisedRules, kept).toEqual([]);
    }
  });

  it('a case that does not pass exercises nothing, and a rejected submission exercises no band', async () => {
    const national = compiled('cn-mof-2020');
    const excellent = casesOf('cn-mof-2020').find((c) => c.source.endsWith('water-supply-excellent-2023.json'))!;
    const wanted = excellent.expect as { total: number };
    const off: GoldenCase = { ...excellent, expect: { ...(excellent.expect as object), total: wanted.total - 0.01 } as GoldenCase['expect'] };
    const [failing] = await outcomesOf(national, [off]);
    expect(failing!.passed).toBe(false);
    expect(failing!.rulesApplied).toContain('budgetExecution.full');
    const report = caseCoverage(national, [failing!]);
    expect(report.cases).toEqual({ run: 1, passed: 0, scored: 0 });
    expect(report.rules.every((r) => !r.exercised)).toBe(true);
    expect(report.bands.every((b) => !b.exercised)).toBe(true);

    const rejected = casesOf('cn-mof-2020').filter((c) => 'error' in c.expect);
    const onlyRejected = caseCoverage(national, await outcomesOf(national, rejected));
    expect(onlyRejected.cases).toEqual({ run: rejected.length, passed: rejected.length, scored: 0 });
    expect(onlyRejected.unexercisedBands).toHaveLength(4);
    expect(onlyRejected.unexercisedRules).toHaveLength(national.document.rules.length);
  });

  it('bands are ordered from the top, bounded by the next band and the total; rules of a group are named by the group', () => {
    const doc: CoverageRuleSet = {
      id: 'demo',
      version: '2.0.0',
      total: 100,
      grades: [
        { code: 'c', name: '合格', label: '合格', min: 60 },
        { code: 'a', name: '优', label: '优秀', min: 85 },
        { code: 'd', name: '不合格', label: '不合格', min: 0 },
      ],
      indicators: [{ id: 'block', name: '绩效指标', children: [{ id: 'leaf', name: '完成率' }] }],
      ruleGroups: { own: { name: '单位自设指标' } },
      rules: [
        { name: 'leaf.met', event: { params: { appliesTo: 'leaf', case: '达到' } } },
        { name: 'own.any', event: { params: { appliesTo: 'own', case: '任意' } } },
      ],
    };
    const outcome = (grade: string | null, rules: string[]): CaseOutcome => ({ name: `用例 ${grade}`, source: 'x.json', passed: true, rulesApplied: rules, grade });
    const report = caseCoverage({ document: doc }, [outcome('a', ['leaf.met', 'leaf.met']), outcome('c', ['leaf.met'])]);
    expect(report.bands.map((b) => [b.code, b.min, b.max, b.maxInclusive, b.location])).toEqual([
      ['a', 85, 100, true, '$.grades[1]'],
      ['c', 60, 85, false, '$.grades[0]'],
      ['d', 0, 60, false, '$.grades[2]'],
    ]);
    expect(report.rules[0]).toMatchObject({ indicatorName: '完成率', indicatorPath: ['绩效指标', '完成率'], exercisedBy: ['用例 a', '用例 c'] });
    expect(report.rules[1]).toMatchObject({ indicatorName: '单位自设指标', indicatorPath: [], exercised: false });
    expect(renderCaseCoverage(report)).toEqual([
      'demo 2.0.0 用例覆盖（运行 2 个用例，通过 2 个，其中评分成功 2 个；未通过的用例不计）：',
      '  计分规则 2 条，有用例覆盖 1 条：',
      '    ✓ leaf.met　完成率（绩效指标）：达到　2 个用例',
      '    ✗ own.any　单位自设指标：任意',
      '  等级 3 档，有用例覆盖 2 档：',
      '    ✓ 优（优秀，85 ≤ 总分 ≤ 100）　1 个用例',
      '    ✓ 合格（60 ≤ 总分 < 85）　1 个用例',
      '    ✗ 不合格（0 ≤ 总分 < 60）',
      '  demo 2.0.0：没有用例覆盖的计分规则（1 条）：own.any（单位自设指标：任意）',
      '  demo 2.0.0：没有用例覆盖的等级（1 档）：不合格（0 ≤ 总分 < 60）',
    ]);
  });
});

// Derived from the directory, so a rule set added under rules/ is held to the same gate as the shipped ones.
const versionFiles = readdirSync(RULES)
  .filter((id) => statSync(join(RULES, id)).isDirectory())
  .sort()
  .flatMap((id) => readdirSync(join(RULES, id)).filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f)).map((f) => ({ id, version: f.slice(0, -5) })));

describe('every rule set under rules/ is fully covered by its golden cases', () => {
  let report: Awaited<ReturnType<typeof checkRulesDir>>;
  beforeAll(async () => {
    report = await checkRulesDir(RULES);
  }, 120_000);

  it('finds the shipped rule sets', () => {
    expect(versionFiles).toEqual(expect.arrayContaining([{ id: 'cn-mof-2020', version: '1.0.0' }, { id: 'gd-meizhou-2022', version: '1.0.0' }]));
  });

  for (const { id, version } of versionFiles) {
    it(`${id} ${version}`, async () => {
      const file = report.files.find((f) => f.id === id && f.version === version);
      if (!file) throw new Error(`rules/${id}/${version}.json was not read by checkRulesDir`);
      const errors = file.report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location}：${d.message}`);
      expect(errors, 'the rule set passes its checks').toEqual([]);
      const coverage = caseCoverage(file.report.compiled!, await outcomesOf(file.report.compiled!, report.cases));
      expect(coverage.cases.passed).toBe(coverage.cases.run);
      expect([...coverage.unexercisedRules.map((r) => r.rule), ...coverage.unexercisedBands.map((b) => b.name)], renderCaseCoverage(coverage).join('\n')).toEqual([]);
    });
  }
});

describe('cli test --coverage', () => {
  let dir: string;
  beforeAll(() => {
    // cn-mof-2020 without the one case that reaches budgetExecution.full and the 优 band
    dir = mkdtempSync(join(tmpdir(), 'jxzp-coverage-'));
    cpSync(join(RULES, 'cn-mof-2020'), join(dir, 'cn-mof-2020'), { recursive: true });
    rmSync(join(dir, 'cn-mof-2020', 'cases', 'water-supply-excellent-2023.json'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on rules/ with every rule and band ✓, 1 when a case is missing, and plain `test` is unchanged', async () => {
    const [full, gap, plain, help] = await Promise.all([
      runCli(['test', '--coverage']),
      runCli(['test', dir, '--coverage']),
      runCli(['test', dir]),
      runCli(['test', '--help']),
    ]);

    expect(full.code, full.stdout + full.stderr).toBe(0);
    expect(full.stdout).toContain('✓ budgetExecution.full　预算执行率：执行率达到 100%');
    expect(full.stdout).toContain('✓ safeguards.deduct　保障措施（决策 / 项目立项）：有要求未满足，逐项扣分');
    expect(full.stdout).toContain('✓ fundsAllocation.deduct　资金分配（决策 / 资金落实）：有要求未满足，逐项扣分');
    for (const band of ['优（优秀，90 ≤ 总分 ≤ 100）', '良（良好，80 ≤ 总分 < 90）', '中（60 ≤ 总分 < 80）', '差（0 ≤ 总分 < 60）']) {
      expect(full.stdout).toContain(`✓ ${band}`);
    }
    expect(full.stdout).not.toContain('✗');
    expect(full.stdout).toMatch(/^覆盖：\d+ 个规则集版本的计分规则和等级全部有用例覆盖$/m);

    expect(gap.code).toBe(1);
    expect(gap.stderr).toBe('');
    expect(lines(gap.stdout).filter((l) => l.includes('✗'))).toEqual([
      '      ✗ budgetExecution.full　预算执行率：执行率达到 100%',
      '      ✗ 优（优秀，90 ≤ 总分 ≤ 100）',
    ]);
    expect(gap.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(gap.stdout).toContain('覆盖：1 个规则集版本中有 1 个存在没有用例覆盖的计分规则或等级');

    // without the flag: cases only, the old one-line list of unreached rules, exit 0
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('  cn-mof-2020 1.0.0：没有用例到达的计分规则（1 条）：budgetExecution.full');
    expect(plain.stdout).not.toContain('用例覆盖');
    expect(plain.stdout).not.toContain('覆盖：');

    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--coverage');
  });
});
