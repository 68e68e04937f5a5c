// 区间 interval: an actual within [low, high] earns all the points; below it, actual ÷ low of them; above it,
// high ÷ actual. Negative actual values count as 0. The schema keeps low and high at 0 or more, and the check
// below wants low ≤ high. With low = 0 nothing falls short below (every actual up to high earns all the points);
// with high = 0 any actual above 0 earns nothing; an actual of 0 (or less) under a low above 0 earns nothing.
import { clampPoints, nonNegative, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { ALL_NUMBERS, above, atMost, between, exactly, numberFact, type NumberInterval, type ScoringMethod } from './method.js';

type IntervalAward = { readonly method: 'interval'; readonly actual: string; readonly low: number; readonly high: number };

export function intervalPoints(actual: number, low: number, high: number, w: number): MethodOutcome {
  const a = nonNegative(actual);
  if (a < low) return { points: clampPoints((a * w) / low, w), values: { low, high, deviation: denoise((low - a) / low) } };
  if (a > high) {
    return { points: high > 0 ? clampPoints((high * w) / a, w) : 0, values: { low, high, deviation: high > 0 ? denoise((a - high) / high) : null } };
  }
  return { points: w, values: { low, high, deviation: 0 } };
}

/** The actual values that earn `points`: the interval itself for all of them, one value on each side in between. */
function actualsEarning(low: number, high: number, w: number, points: number): NumberInterval[] {
  if (w <= 0) return points === 0 ? [ALL_NUMBERS] : [];
  if (points === w) return [low > 0 ? between(low, high) : atMost(high)];
  if (points > 0 && points < w) {
    return [...(low > 0 ? [exactly((points * low) / w)] : []), ...(high > 0 ? [exactly((high * w) / points)] : [])];
  }
  // nothing: 0 (or less) under a low above 0; anything above a high of 0 (above a high over 0, only in the limit)
  if (points === 0) return [...(low > 0 ? [atMost(0)] : []), ...(high === 0 ? [above(0)] : [])];
  return [];
}

export const interval: ScoringMethod<IntervalAward> = {
  name: 'interval',
  label: '区间',
  fields: {
    actual: { kind: 'fact', accepts: 'number', required: true, label: '实际值' },
    low: { kind: 'number', required: true, label: '区间下限' },
    high: { kind: 'number', required: true, label: '区间上限' },
  },
  placeholders: ['low', 'high', 'deviation'],
  example: { award: { method: 'interval', actual: 'costRatio', low: 0.9, high: 1.1 }, facts: { costRatio: 1.2 } },
  check: (award) =>
    award.low > award.high ? [{ code: 'INTERVAL_BOUNDS', field: 'low', message: `区间下限 ${award.low} 大于上限 ${award.high}` }] : [],
  award: (award, { facts, w }) => intervalPoints(numberFact(facts, award.actual), award.low, award.high, w),
  invert: (award, { w }, points) => ({ kind: 'input', field: 'actual', values: actualsEarning(award.low, award.high, w, points) }),
  defaultExplanation: (award) => `{${award.actual}}，区间 [{low}, {high}]，偏离 {deviation|percent}，得 {points} 分（满分 {max} 分）`,
};
