// Pass "goldenCases": every golden case meant for this version scores as it expects, and (the publish gate) together
// they exercise every scoring rule and every grade band.
import { caseCoverage, caseOutcome, coverageGapDetails, type CaseOutcome } from '../../case-coverage.js';
import { compileChecked } from '../../compiled.js';
import { caseAppliesTo, runGoldenCase } from '../../golden.js';
import { MAX_CASE_RULE_EVALUATIONS } from '../budget.js';
import type { Pass } from '../diagnostics.js';

export const goldenCasesPass: Pass = {
  name: 'goldenCases',
  blocking: false,
  needsSoundStructure: true,
  async run(ctx) {
    if (ctx.cases.length === 0 && !ctx.requireCaseCoverage) return;
    const compiled = compileChecked(ctx.document);
    const applicable = ctx.cases.filter((c) => caseAppliesTo(compiled, c));
    const outcomes: CaseOutcome[] = [];
    // each case runs every rule of each scored target, twice (fast path and json-rules-engine): counted up front
    const cost = applicable.length * ctx.document.rules.length;
    if (cost > MAX_CASE_RULE_EVALUATIONS) {
      ctx.report({
        code: 'CHECK_BUDGET_EXCEEDED',
        severity: 'error',
        message: `测试用例检查超出工作量上限 MAX_CASE_RULE_EVALUATIONS = ${MAX_CASE_RULE_EVALUATIONS}：${applicable.length} 个用例 × ${ctx.document.rules.length} 条规则 = ${cost}；请减少用例或规则`,
        location: '$.rules',
      });
      return;
    }
    for (const goldenCase of applicable) {
      let outcome;
      try {
        outcome = await runGoldenCase(compiled, goldenCase);
      } catch (e) {
        // a throw that is not a coded refusal is a gap in the checker: refuse the version, name the case
        outcome = { failures: [`评分时发生意外错误（${e instanceof Error ? e.message : String(e)}）`], rulesFired: [] };
      }
      const { failures, rulesFired } = outcome;
      rulesFired.forEach((r) => ctx.coverage.rulesReachedByCases.add(r));
      outcomes.push(caseOutcome(goldenCase, outcome));
      for (const f of failures) {
        ctx.report({ code: 'CASE_FAILED', severity: 'error', message: `用例「${goldenCase.name}」未通过：${f}`, location: goldenCase.source });
      }
    }
    if (!ctx.requireCaseCoverage) return;
    const coverage = caseCoverage(compiled, outcomes);
    if (coverage.complete) return;
    // only passing cases count. While some fail, what they leave uncovered follows from them: one line, not one per
    // rule and band (a points error failing every case would otherwise bury its CASE_FAILED under dozens of gaps)
    if (outcomes.some((o) => !o.passed)) {
      const rules = coverage.unexercisedRules.length;
      const bands = coverage.unexercisedBands.length;
      ctx.report({
        code: 'CASE_COVERAGE_INCOMPLETE',
        severity: 'error',
        message: `有用例未通过（未通过的用例不计入覆盖）；其余用例未覆盖 ${rules} 条计分规则、${bands} 档等级。请先改正未通过的用例，再看覆盖`,
        location: '$',
      });
      return;
    }
    for (const gap of coverageGapDetails(coverage)) {
      ctx.report({ code: 'CASE_COVERAGE_INCOMPLETE', severity: 'error', message: gap.message, location: gap.path });
    }
  },
};
