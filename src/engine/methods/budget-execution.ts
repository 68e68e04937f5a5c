// 预算执行率 budget execution: executed ÷ budget × w, the rate capped at 100%; no budget earns nothing.
import { clampPoints, nonNegative, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { ALL_NUMBERS, invertProportional, numberFact, type Inversion, type ScoringMethod } from './method.js';

type BudgetExecutionAward = { readonly method: 'budgetExecution'; readonly executed: string; readonly budget: string };

export function budgetExecutionPoints(executed: number, budget: number, w: number): MethodOutcome {
  if (budget <= 0) return { points: 0, values: { rate: null } };
  const e = nonNegative(executed);
  const rate = denoise(e / budget);
  return { points: clampPoints(rate >= 1 ? w : (e * w) / budget, w), values: { rate } };
}

function invertBudgetExecution(budget: number, w: number, points: number): Inversion {
  if (budget <= 0) return { kind: 'input', field: 'executed', values: points === 0 ? [ALL_NUMBERS] : [] };
  return invertProportional('executed', budget, w, points);
}

export const budgetExecution: ScoringMethod<BudgetExecutionAward> = {
  name: 'budgetExecution',
  label: '预算执行率',
  fields: {
    executed: { kind: 'fact', accepts: 'number', required: true, label: '执行数' },
    budget: { kind: 'fact', accepts: 'number', required: true, label: '预算数' },
  },
  placeholders: ['rate'],
  example: { award: { method: 'budgetExecution', executed: 'executed', budget: 'budget' }, facts: { executed: 430, budget: 500 } },
  award: (award, { facts, w }) => budgetExecutionPoints(numberFact(facts, award.executed), numberFact(facts, award.budget), w),
  invert: (award, { facts, w }, points) => invertBudgetExecution(numberFact(facts, award.budget), w, points),
  defaultExplanation: (award) =>
    `执行数 {${award.executed}} ÷ 预算数 {${award.budget}}，执行率 {rate|percent}，得 {points} 分（满分 {max} 分）`,
};
