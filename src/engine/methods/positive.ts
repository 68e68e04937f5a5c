// 正向 (≥) positive: a ≥ t earns all the points, less earns a ÷ t of them.
import { OVER_ACHIEVEMENT_RATIO, clampPoints, nonNegative, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { ALL_NUMBERS, invertProportional, numberFact, type Inversion, type ScoringMethod } from './method.js';

type PositiveAward = { readonly method: 'positive'; readonly actual: string; readonly target: string };

// Points are computed from the facts as given (a × w ÷ t), never from a ratio already cleaned for display or
// comparison: 73.75 ÷ 75 × 1.5 is exactly 1.475 and must round to 1.48, which a ratio cut to 10 places would lose.

/** a ≥ t → w; else a ÷ t × w. Negative actual values count as 0; with t ≤ 0 every actual meets the target. */
export function positivePoints(actual: number, target: number, w: number): MethodOutcome {
  const a = nonNegative(actual);
  if (target <= 0) {
    return { points: a >= target ? w : 0, values: { ratio: null, overAchieved: false } };
  }
  const ratio = denoise(a / target);
  const points = clampPoints(ratio >= 1 ? w : (a * w) / target, w);
  if (ratio >= OVER_ACHIEVEMENT_RATIO) return { points, values: { ratio, overAchieved: true }, overAchievedRatio: ratio };
  return { points, values: { ratio, overAchieved: false } };
}

/** The actual values that earn `points` against target t. */
export function invertPositive(field: string, target: number, w: number, points: number): Inversion {
  if (target <= 0) return { kind: 'input', field, values: points === w ? [ALL_NUMBERS] : [] };
  return invertProportional(field, target, w, points);
}

/** The rule-file fields of the methods that compare an actual value with a target (正向, 等于). */
export const ACTUAL_AND_TARGET_FIELDS = {
  actual: { kind: 'fact', accepts: 'number', required: true, label: '实际完成值' },
  target: { kind: 'fact', accepts: 'number', required: true, label: '目标值' },
} as const;

export const positive: ScoringMethod<PositiveAward> = {
  name: 'positive',
  label: '正向',
  fields: ACTUAL_AND_TARGET_FIELDS,
  placeholders: ['ratio', 'overAchieved'],
  example: { award: { method: 'positive', actual: 'done', target: 'planned' }, facts: { done: 96, planned: 120 } },
  award: (award, { facts, w }) => positivePoints(numberFact(facts, award.actual), numberFact(facts, award.target), w),
  invert: (award, { facts, w }, points) => invertPositive('actual', numberFact(facts, award.target), w, points),
  defaultExplanation: (award) =>
    `实际完成 {${award.actual}}，目标 {${award.target}}，完成率 {ratio|percent}，得 {points} 分（满分 {max} 分）`,
};
