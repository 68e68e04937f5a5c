// Pass "operatorValues": each condition's value has the type its operator and fact need. The schema lets any
// scalar or array through; json-rules-engine then coerces (0.92 < "0.9" compares as numbers) or throws (`in` with a
// scalar), and band coverage, which reasons over typed thresholds, would miss the edge. So a value of the wrong type
// is refused here, before band coverage runs.
import { factConditions } from '../../conditions.js';
import { OPERATORS, type FactKind } from '../../operators.js';
import type { Pass } from '../diagnostics.js';
import { factKind } from './references.js';

/** The problem with one condition's value, in Chinese, or null when the value fits operator and fact. */
export function operatorValueProblem(operator: string, value: unknown, kind: FactKind): string | null {
  const definition = OPERATORS.get(operator);
  return definition === undefined ? `未知的运算符 ${operator}` : definition.valueProblem(value, kind);
}

export const operatorValuesPass: Pass = {
  name: 'operatorValues',
  blocking: true,
  needsSoundStructure: false,
  run(ctx) {
    ctx.document.rules.forEach((rule, i) => {
      const target = ctx.index.targets.get(rule.event.params.appliesTo);
      if (!target) return; // reported by references
      for (const { condition, location } of factConditions(rule.conditions, `$.rules[${i}].conditions`)) {
        const kind = factKind(target.scope, condition.fact);
        if (!kind) continue; // reported by references
        const problem = operatorValueProblem(condition.operator, condition.value, kind);
        if (problem) {
          ctx.report({ code: 'OPERATOR_VALUE_TYPE', severity: 'error', message: `规则「${rule.name}」的条件（${condition.fact} ${condition.operator}）：${problem}`, location: `${location}.value` });
        }
      }
    });
  },
};
