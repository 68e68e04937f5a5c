// Threshold rate (e.g. 满意度): a rate at or above the threshold written in the rule earns all the points, a lower
// one rate ÷ threshold of them.
import { clampPoints, nonNegative, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { invertProportional, numberFact, type ScoringMethod } from './method.js';

type ThresholdRateAward = { readonly method: 'thresholdRate'; readonly rate: string; readonly threshold: number };

/** rate ≥ threshold → w, else rate ÷ threshold × w (the schema keeps the threshold within (0, 1]). */
export function thresholdRatePoints(rate: number, threshold: number, w: number): MethodOutcome {
  const r = nonNegative(rate);
  return {
    points: clampPoints(r >= threshold ? w : (r * w) / threshold, w),
    values: { threshold, ratio: denoise(r / threshold) },
  };
}

export const thresholdRate: ScoringMethod<ThresholdRateAward> = {
  name: 'thresholdRate',
  label: '达标率',
  fields: {
    rate: { kind: 'fact', accepts: 'number', required: true, label: '比率' },
    threshold: { kind: 'number', required: true, label: '满分线', share: true },
  },
  placeholders: ['threshold', 'ratio'],
  example: { award: { method: 'thresholdRate', rate: 'satisfaction', threshold: 0.9 }, facts: { satisfaction: 0.81 } },
  award: (award, { facts, w }) => thresholdRatePoints(numberFact(facts, award.rate), award.threshold, w),
  invert: (award, { w }, points) => invertProportional('rate', award.threshold, w, points),
  defaultExplanation: (award) => `{${award.rate}|percent}（满分线 {threshold|percent}），得 {points} 分（满分 {max} 分）`,
};
