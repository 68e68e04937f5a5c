// `test [dir] [--coverage]`: run every golden case against the versions it is meant for; list band rules no case
// reaches, or with --coverage show every scoring rule and grade band as exercised or not.
import { checkRulesDir } from '../platform/rules-dir.js';
import { caseAppliesTo, runGoldenCase } from '../engine/golden.js';
import { caseCoverage, caseOutcome, renderCaseCoverage, type CaseOutcome } from '../engine/case-coverage.js';
import { compileChecked } from '../engine/compiled.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { parseCommandArgs, requireDirectory } from './args.js';

const TEST = {
  usage: `用法：npm run cli -- test [目录] [--coverage]
  对目录（默认 rules/）下的每个规则集版本运行其测试用例（cases/），并列出没有用例到达的计分规则；有失败时退出码为 1。
  --coverage  逐条列出每个规则集版本的计分规则和等级是否有通过的用例覆盖（✓/✗）；有未覆盖的规则或等级时退出码也为 1。`,
  options: { coverage: { type: 'boolean' } },
  positionals: { names: ['[目录]'], required: 0 },
} as const;

export async function testCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, TEST);
  const dir = parsed.positionals[0] ?? 'rules';
  const withCoverage = parsed.values.coverage === true;
  requireDirectory(dir, '规则集目录');
  const report = await checkRulesDir(dir);
  let passed = 0;
  let failed = 0;
  let versionsChecked = 0;
  let versionsUncovered = 0;
  const used = new Set<string>();
  for (const d of report.problems) {
    console.log(`✗ ${d.location}：${d.message}`);
    failed++;
  }
  for (const f of report.files) {
    const compiled = f.report.compiled;
    if (!compiled) {
      const blocking = f.report.diagnostics.filter((d) => d.severity === 'error' && d.pass !== 'goldenCases');
      if (blocking.length > 0) {
        console.log(`✗ ${f.file}：规则集未通过检查（${blocking.length} 个错误，详见 npm run cli -- lint），其用例无法运行`);
        failed++;
        continue;
      }
    }
    // A rule set refused only because of failing cases is still run case by case, to show which fail.
    const target = compiled ?? compileChecked(f.document as RuleSetDocument);
    const reached = new Set<string>();
    const outcomes: CaseOutcome[] = [];
    for (const c of report.cases) {
      if (!caseAppliesTo(target, c)) continue;
      used.add(c.source);
      const outcome = await runGoldenCase(target, c);
      outcome.rulesFired.forEach((r) => reached.add(r));
      outcomes.push(caseOutcome(c, outcome));
      if (outcome.failures.length === 0) {
        passed++;
        console.log(`✓ ${f.id} ${f.version} · ${c.name}`);
      } else {
        failed++;
        console.log(`✗ ${f.id} ${f.version} · ${c.name}（${c.source}）`);
        outcome.failures.forEach((m) => console.log(`    ${m}`));
      }
    }
    if (withCoverage) {
      // every scoring rule and grade band, ✓ or ✗: what the publish gate asks of a version
      const coverage = caseCoverage(target, outcomes);
      versionsChecked++;
      if (!coverage.complete) versionsUncovered++;
      renderCaseCoverage(coverage).forEach((line) => console.log(`  ${line}`));
    } else {
      const unreached = target.document.rules.filter((r) => !reached.has(r.name)).map((r) => r.name);
      if (unreached.length > 0) {
        console.log(`  ${f.id} ${f.version}：没有用例到达的计分规则（${unreached.length} 条）：${unreached.join('、')}`);
      }
    }
  }
  for (const c of report.cases) {
    if (!used.has(c.source)) console.log(`  提示：用例 ${c.source} 不适用于任何规则集版本，未运行`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (withCoverage) {
    console.log(
      versionsUncovered === 0
        ? `覆盖：${versionsChecked} 个规则集版本的计分规则和等级全部有用例覆盖`
        : `覆盖：${versionsChecked} 个规则集版本中有 ${versionsUncovered} 个存在没有用例覆盖的计分规则或等级`,
    );
  }
  return failed === 0 && passed > 0 && versionsUncovered === 0 ? 0 : 1;
}
