// 扣分 checklist deduction: each requirement of the leaf's checklist the unit does not meet deducts its points,
// down to 0 (扣完为止).
import { clampPoints, formatNumber, type ChecklistRequirement, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { ownValue } from '../../domain/submission.js';
import { atLeast, exactly, type NumberInterval, type ScoringMethod } from './method.js';

type ChecklistAward = { readonly method: 'checklist'; readonly checklist: string };

/** w less the deductions of the requirements not answered true; floored at 0. */
export function checklistPoints(
  requirements: readonly ChecklistRequirement[],
  met: Readonly<Record<string, unknown>>,
  w: number,
): MethodOutcome {
  const unmet = requirements.filter((r) => ownValue(met, r.id) !== true);
  const deduction = denoise(unmet.reduce((sum, r) => sum + r.deduction, 0));
  return {
    points: clampPoints(w - deduction, w),
    values: {
      deduction,
      unmetCount: unmet.length,
      unmetItems: unmet.length === 0 ? '无' : unmet.map((r) => `${r.requirement}（扣 ${formatNumber(r.deduction)} 分）`).join('；'),
    },
  };
}

/** The total deductions that leave `points` of w: none for all of them, w or more for none. */
function deductionsLeaving(w: number, points: number): NumberInterval[] {
  if (w <= 0) return points === 0 ? [atLeast(0)] : [];
  if (points === 0) return [atLeast(w)];
  return points > 0 && points <= w ? [exactly(denoise(w - points))] : [];
}

export const checklist: ScoringMethod<ChecklistAward> = {
  name: 'checklist',
  label: '扣分',
  fields: { checklist: { kind: 'fact', accepts: 'checklist', required: true, label: '逐项答复' } },
  placeholders: ['deduction', 'unmetCount', 'unmetItems'],
  example: {
    award: { method: 'checklist', checklist: 'answers' },
    facts: { answers: { basis: true, procedure: false } },
    checklist: [
      { id: 'basis', requirement: '立项依据充分', deduction: 2 },
      { id: 'procedure', requirement: '审批程序规范', deduction: 1.5 },
    ],
  },
  award(award, { facts, w, scope }) {
    const answers = Object.hasOwn(facts, award.checklist) ? facts[award.checklist] : undefined;
    const met = answers !== null && typeof answers === 'object' ? (answers as Readonly<Record<string, unknown>>) : {};
    return checklistPoints(scope.checklist, met, w);
  },
  invert: (_award, { w }, points) => ({ kind: 'deduction', field: 'checklist', deductions: deductionsLeaving(w, points) }),
  defaultExplanation: () => '未满足的要求：{unmetItems}；共扣 {deduction} 分，得 {points} 分（满分 {max} 分）',
};
