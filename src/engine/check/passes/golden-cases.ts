// Pass "goldenCases": every golden case meant for this version scores as it expects.
import { compileChecked } from '../../compiled.js';
import { caseAppliesTo, runGoldenCase } from '../../golden.js';
import type { Pass } from '../diagnostics.js';

export const goldenCasesPass: Pass = {
  name: 'goldenCases',
  blocking: false,
  needsSoundStructure: true,
  async run(ctx) {
    if (ctx.cases.length === 0) return;
    const compiled = compileChecked(ctx.document);
    for (const goldenCase of ctx.cases) {
      if (!caseAppliesTo(compiled, goldenCase)) continue;
      const { failures, rulesFired } = await runGoldenCase(compiled, goldenCase);
      rulesFired.forEach((r) => ctx.coverage.rulesReachedByCases.add(r));
      for (const f of failures) {
        ctx.report({ code: 'CASE_FAILED', severity: 'error', message: `用例「${goldenCase.name}」未通过：${f}`, location: goldenCase.source });
      }
    }
  },
};
