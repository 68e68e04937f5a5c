// 等于 (=) equal: scored like 正向; with target 0, an actual of 0 or less earns all the points, anything else none.
import type { MethodOutcome } from '../../domain/methods.js';
import { ALL_NUMBERS, above, atMost, numberFact, type Inversion, type ScoringMethod } from './method.js';
import { ACTUAL_AND_TARGET_FIELDS, invertPositive, positivePoints } from './positive.js';

type EqualAward = { readonly method: 'equal'; readonly actual: string; readonly target: string };

export function equalPoints(actual: number, target: number, w: number): MethodOutcome {
  if (target === 0) return { points: actual <= 0 ? w : 0, values: { ratio: null, overAchieved: false } };
  return positivePoints(actual, target, w);
}

function invertEqual(target: number, w: number, points: number): Inversion {
  if (target !== 0) return invertPositive('actual', target, w, points);
  const values = w <= 0 ? (points === 0 ? [ALL_NUMBERS] : []) : points === w ? [atMost(0)] : points === 0 ? [above(0)] : [];
  return { kind: 'input', field: 'actual', values };
}

export const equal: ScoringMethod<EqualAward> = {
  name: 'equal',
  label: '等于',
  fields: ACTUAL_AND_TARGET_FIELDS,
  placeholders: ['ratio', 'overAchieved'],
  example: { award: { method: 'equal', actual: 'accidents', target: 'allowed' }, facts: { accidents: 0, allowed: 0 } },
  award: (award, { facts, w }) => equalPoints(numberFact(facts, award.actual), numberFact(facts, award.target), w),
  invert: (award, { facts, w }, points) => invertEqual(numberFact(facts, award.target), w, points),
  defaultExplanation: (award) => `实际 {${award.actual}}，目标值 {${award.target}}，得 {points} 分（满分 {max} 分）`,
};
