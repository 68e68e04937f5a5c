// 定分 fixed: a number of points written in the rule, out of the declared points (scaled when points were redistributed).
import type { ScoringMethod } from './method.js';

type FixedAward = { readonly method: 'fixed'; readonly points: number };

/** The rule's points, scaled from the declared points to the effective ones, never above them. */
function fixedPoints(points: number, w: number, declaredMax: number): number {
  return Math.min(w, declaredMax === 0 ? 0 : (points * w) / declaredMax);
}

export const fixed: ScoringMethod<FixedAward> = {
  name: 'fixed',
  label: '定分',
  fields: { points: { kind: 'number', required: true, label: '得分' } },
  placeholders: [],
  example: { award: { method: 'fixed', points: 2 }, facts: {} },
  award: (award, { w, declaredMax }) => ({ points: fixedPoints(award.points, w, declaredMax), values: {} }),
  invert: (award, { w, declaredMax }) => ({ kind: 'constant', points: fixedPoints(award.points, w, declaredMax) }),
  defaultExplanation: () => '得 {points} 分（满分 {max} 分）',
};
