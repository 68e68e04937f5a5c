// `test [dir]`: run every golden case against the versions it is meant for; list band rules no case reaches.
import { checkRulesDir } from '../platform/rules-dir.js';
import { caseAppliesTo, runGoldenCase } from '../engine/golden.js';
import { compileChecked } from '../engine/compiled.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { parseArgs } from './args.js';

export async function testCommand(args: string[]): Promise<number> {
  const dir = parseArgs(args, []).positional[0] ?? 'rules';
  const report = await checkRulesDir(dir);
  let passed = 0;
  let failed = 0;
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
    for (const c of report.cases) {
      if (!caseAppliesTo(target, c)) continue;
      used.add(c.source);
      const outcome = await runGoldenCase(target, c);
      outcome.rulesFired.forEach((r) => reached.add(r));
      if (outcome.failures.length === 0) {
        passed++;
        console.log(`✓ ${f.id} ${f.version} · ${c.name}`);
      } else {
        failed++;
        console.log(`✗ ${f.id} ${f.version} · ${c.name}（${c.source}）`);
        outcome.failures.forEach((m) => console.log(`    ${m}`));
      }
    }
    const unreached = target.document.rules.filter((r) => !reached.has(r.name)).map((r) => r.name);
    if (unreached.length > 0) {
      console.log(`  ${f.id} ${f.version}：没有用例到达的计分规则（${unreached.length} 条）：${unreached.join('、')}`);
    }
  }
  for (const c of report.cases) {
    if (!used.has(c.source)) console.log(`  提示：用例 ${c.source} 不适用于任何规则集版本，未运行`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}
