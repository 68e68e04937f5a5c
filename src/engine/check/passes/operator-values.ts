// Pass "operatorValues": each condition's value has the type its operator and fact need. The schema lets any
// scalar or array through; json-rules-engine then coerces (0.92 < "0.9" compares as numbers) or throws (`in` with a
// scalar), and band coverage, which reasons over typed thresholds, would miss the edge. So a value of the wrong type
// is refused here, before band coverage runs.
import type { Condition, FactCondition } from '../../../domain/ruleset.js';
import type { Pass } from '../diagnostics.js';
import { factKind } from './references.js';

type FactKind = NonNullable<ReturnType<typeof factKind>>;

const KIND_WORDS: Readonly<Record<FactKind, string>> = { number: '数值', string: '文字', boolean: 'true/false', checklist: '清单' };
const COMPARISONS: ReadonlySet<string> = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const MEMBERSHIP: ReadonlySet<string> = new Set(['in', 'notIn']);
const EQUALITY: ReadonlySet<string> = new Set(['equal', 'notEqual']);

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `数组 ${JSON.stringify(v)}`;
  if (typeof v === 'string') return `文字 ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `数值 ${v}`;
  return String(v);
}

/** Whether a scalar can meet a fact of this kind under strict equality (json-rules-engine's equal and in). */
function matchesKind(v: unknown, kind: FactKind): boolean {
  if (kind === 'checklist') return false; // an object fact never equals a constant
  return typeof v === kind;
}

/** Fact conditions with the JSON path of each, in document order. */
export function factConditions(c: Condition, path: string, out: { condition: FactCondition; location: string }[] = []) {
  if ('fact' in c) out.push({ condition: c, location: path });
  else if ('all' in c) c.all.forEach((x, i) => factConditions(x, `${path}.all[${i}]`, out));
  else if ('any' in c) c.any.forEach((x, i) => factConditions(x, `${path}.any[${i}]`, out));
  else if ('not' in c) factConditions(c.not, `${path}.not`, out);
  return out;
}

/** The problem with one condition's value, in Chinese, or null when the value fits operator and fact. */
export function operatorValueProblem(operator: string, value: unknown, kind: FactKind): string | null {
  const want = KIND_WORDS[kind];
  if (COMPARISONS.has(operator)) {
    if (kind !== 'number') return `运算符 ${operator} 只能用于数值数据项，该数据项为${want}`;
    if (typeof value !== 'number') {
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? `比较值须为数值，不能是带引号的文字 ${JSON.stringify(value)}（应写作 ${Number(value)}）`
        : `比较值须为数值，实际为${describeValue(value)}`;
    }
    return null;
  }
  if (MEMBERSHIP.has(operator)) {
    if (!Array.isArray(value)) return `运算符 ${operator} 的值须为数组（如 [${JSON.stringify(value)}]），实际为${describeValue(value)}`;
    if (kind === 'checklist') return `运算符 ${operator} 不能用于清单数据项`;
    const wrong = value.findIndex((v) => !matchesKind(v, kind));
    if (wrong >= 0) return `数组第 ${wrong + 1} 项须为${want}，实际为${describeValue(value[wrong])}`;
    return null;
  }
  if (EQUALITY.has(operator)) {
    if (Array.isArray(value)) return `运算符 ${operator} 的值不能是数组（数组从不与数据项相等；判断是否属于其中之一请用 in / notIn）`;
    if (kind === 'checklist') return `运算符 ${operator} 不能用于清单数据项`;
    // null: a derived fact is null when an input is missing or a denominator is 0, so "equal null" has a meaning
    if (value !== null && !matchesKind(value, kind)) return `比较值须为${want}，实际为${describeValue(value)}`;
    return null;
  }
  return `未知的运算符 ${operator}`;
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
