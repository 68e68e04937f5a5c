// 反向 (≤) negative: at or under the target earns all the points; over it, the ratio variant earns t ÷ a of them and
// the linear variant (1 − (a − t) ÷ t), nothing from 2t on.
import { clampPoints, nonNegative, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { ALL_NUMBERS, above, atLeast, atMost, exactly, numberFact, type Inversion, type NumberInterval, type ScoringMethod } from './method.js';

const VARIANTS = ['ratio', 'linear'] as const;
export type NegativeVariant = (typeof VARIANTS)[number];

type NegativeAward = { readonly method: 'negative'; readonly actual: string; readonly target: string; readonly variant: NegativeVariant };

/** a ≤ t → w; ratio variant t ÷ a × w; linear variant (1 − (a − t) ÷ t) × w, 0 at a ≥ 2t. */
export function negativePoints(actual: number, target: number, w: number, variant: NegativeVariant): MethodOutcome {
  const a = nonNegative(actual);
  if (a <= target) return { points: w, values: { overrun: 0, ratio: target > 0 ? denoise(a / target) : null } };
  if (target <= 0) return { points: 0, values: { overrun: null, ratio: null } };
  const overrun = denoise((a - target) / target);
  const raw = variant === 'ratio' ? (target * w) / a : ((2 * target - a) * w) / target;
  return { points: clampPoints(raw, w), values: { overrun, ratio: denoise(a / target) } };
}

function actualsEarning(target: number, w: number, variant: NegativeVariant, points: number): NumberInterval[] {
  if (w <= 0) return points === 0 ? [ALL_NUMBERS] : [];
  if (target < 0) return points === 0 ? [ALL_NUMBERS] : []; // no actual (counted from 0) is within it
  if (target === 0) return points === w ? [atMost(0)] : points === 0 ? [above(0)] : [];
  if (points === w) return [atMost(target)];
  if (points > 0 && points < w) return [exactly(variant === 'ratio' ? (target * w) / points : 2 * target - (points * target) / w)];
  // the ratio variant only approaches 0 as the actual grows without bound
  if (points === 0) return variant === 'ratio' ? [] : [atLeast(2 * target)];
  return [];
}

export const negative: ScoringMethod<NegativeAward> = {
  name: 'negative',
  label: '反向',
  fields: {
    actual: { kind: 'fact', accepts: 'number', required: true, label: '实际值' },
    target: { kind: 'fact', accepts: 'number', required: true, label: '目标值（上限）' },
    variant: { kind: 'choice', values: VARIANTS, required: true, label: '超出时的计分方式' },
  },
  placeholders: ['overrun', 'ratio'],
  example: { award: { method: 'negative', actual: 'cost', target: 'budget', variant: 'linear' }, facts: { cost: 46, budget: 40 } },
  award: (award, { facts, w }) => negativePoints(numberFact(facts, award.actual), numberFact(facts, award.target), w, award.variant),
  invert: (award, { facts, w }, points): Inversion => ({
    kind: 'input',
    field: 'actual',
    values: actualsEarning(numberFact(facts, award.target), w, award.variant, points),
  }),
  defaultExplanation: (award) =>
    `实际 {${award.actual}}，目标不超过 {${award.target}}，超出 {overrun|percent}，得 {points} 分（满分 {max} 分）`,
};
