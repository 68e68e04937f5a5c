// The closed catalogue of scoring methods. Each is a pure function of facts and the leaf's points (w)
// and returns unrounded points within [0, w] plus the computed values an explanation may show.
import { denoise } from './rounding.js';

export type MethodValues = Record<string, number | string | boolean | null>;

export interface MethodOutcome {
  /** unrounded points, always within [0, w] */
  readonly points: number;
  /** computed values for explanation templates */
  readonly values: MethodValues;
}

export class QualitativeScoreOutOfTier extends Error {
  /** the fact that held the chosen score, filled in by the caller that knows it */
  fact?: string;
  constructor(
    readonly tier: QualitativeTier,
    readonly score: number,
    readonly lower: number,
    readonly upper: number,
    readonly upperInclusive: boolean,
  ) {
    super(`score ${score} outside tier ${tier}`);
  }
}

/** Within [0, w]; the value itself is left as computed (rounding happens once, per leaf, later). */
function clampPoints(points: number, w: number): number {
  if (!(points > 0)) return 0;
  return points > w ? w : points;
}

/** Negative actual values count as 0. */
function nonNegative(x: number): number {
  return x < 0 ? 0 : x;
}

/** Far over-achievement a table may ask the unit to explain (flag only, never a deduction). */
export const OVER_ACHIEVEMENT_RATIO = 1.3;

// Points are computed from the facts as given (a × w ÷ t), never from a ratio already cleaned for display or
// comparison: 73.75 ÷ 75 × 1.5 is exactly 1.475 and must round to 1.48, which a ratio cut to 10 places would lose.

/** 正向 (≥): a ≥ t → w; else a ÷ t × w. */
export function positive(actual: number, target: number, w: number): MethodOutcome {
  const a = nonNegative(actual);
  if (target <= 0) {
    return { points: a >= target ? w : 0, values: { ratio: null, overAchieved: false } };
  }
  const ratio = denoise(a / target);
  return {
    points: clampPoints(ratio >= 1 ? w : (a * w) / target, w),
    values: { ratio, overAchieved: ratio >= OVER_ACHIEVEMENT_RATIO },
  };
}

export type NegativeVariant = 'ratio' | 'linear';

/** 反向 (≤): a ≤ t → w; ratio variant t ÷ a × w; linear variant (1 − (a − t) ÷ t) × w, 0 at a ≥ 2t. */
export function negative(actual: number, target: number, w: number, variant: NegativeVariant): MethodOutcome {
  const a = nonNegative(actual);
  if (a <= target) return { points: w, values: { overrun: 0, ratio: target > 0 ? denoise(a / target) : null } };
  if (target <= 0) return { points: 0, values: { overrun: null, ratio: null } };
  const overrun = denoise((a - target) / target);
  const raw = variant === 'ratio' ? (target * w) / a : ((2 * target - a) * w) / target;
  return { points: clampPoints(raw, w), values: { overrun, ratio: denoise(a / target) } };
}

/** 等于 (=): scored like 正向; with target 0, a ≤ 0 → w, else 0. */
export function equal(actual: number, target: number, w: number): MethodOutcome {
  if (target === 0) return { points: actual <= 0 ? w : 0, values: { ratio: null, overAchieved: false } };
  return positive(actual, target, w);
}

export type QualitativeTier = 'achieved' | 'partial' | 'notAchieved';

export interface QualitativeCutPoints {
  /** lower bound of 达成 as a fraction of w (default 0.8) */
  readonly achieved: number;
  /** lower bound of 部分达成 as a fraction of w (default 0.6) */
  readonly partial: number;
}

export const DEFAULT_CUT_POINTS: QualitativeCutPoints = { achieved: 0.8, partial: 0.6 };

/** Tier range in points: 达成 [a·w, w], 部分达成 [p·w, a·w), 未达成 [0, p·w). */
export function qualitativeTierRange(
  tier: QualitativeTier,
  w: number,
  cut: QualitativeCutPoints = DEFAULT_CUT_POINTS,
): { lower: number; upper: number; upperInclusive: boolean } {
  switch (tier) {
    case 'achieved':
      return { lower: denoise(cut.achieved * w), upper: w, upperInclusive: true };
    case 'partial':
      return { lower: denoise(cut.partial * w), upper: denoise(cut.achieved * w), upperInclusive: false };
    case 'notAchieved':
      return { lower: 0, upper: denoise(cut.partial * w), upperInclusive: false };
  }
}

/** 定性: the evaluator's chosen score must lie in its tier; it is awarded as chosen. */
export function qualitative(
  tier: QualitativeTier,
  chosenScore: number,
  w: number,
  cut: QualitativeCutPoints = DEFAULT_CUT_POINTS,
): MethodOutcome {
  const range = qualitativeTierRange(tier, w, cut);
  const inside =
    chosenScore >= range.lower && (range.upperInclusive ? chosenScore <= range.upper : chosenScore < range.upper);
  // A zero-point leaf has empty lower tiers; only 0 makes sense there.
  if (!inside && !(w === 0 && chosenScore === 0)) {
    throw new QualitativeScoreOutOfTier(tier, chosenScore, range.lower, range.upper, range.upperInclusive);
  }
  return {
    points: clampPoints(chosenScore, w),
    values: { tierLower: range.lower, tierUpper: range.upper },
  };
}

export interface ChecklistRequirement {
  readonly id: string;
  readonly requirement: string;
  readonly deduction: number;
}

/** 扣分: each unmet requirement deducts its points; floored at 0 (扣完为止). */
export function checklistDeduction(
  requirements: readonly ChecklistRequirement[],
  met: Readonly<Record<string, boolean>>,
  w: number,
): MethodOutcome {
  const unmet = requirements.filter((r) => met[r.id] !== true);
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

/** 预算执行率: executed ÷ budget × w, the rate capped at 100%. */
export function budgetExecution(executed: number, budget: number, w: number): MethodOutcome {
  if (budget <= 0) return { points: 0, values: { rate: null } };
  const e = nonNegative(executed);
  const rate = denoise(e / budget);
  return { points: clampPoints(rate >= 1 ? w : (e * w) / budget, w), values: { rate } };
}

/** Threshold rate (e.g. 满意度): rate ≥ threshold → w, else rate ÷ threshold × w. */
export function thresholdRate(rate: number, threshold: number, w: number): MethodOutcome {
  const r = nonNegative(rate);
  return {
    points: clampPoints(r >= threshold ? w : (r * w) / threshold, w),
    values: { threshold, ratio: denoise(r / threshold) },
  };
}

/** Numbers in explanations: at most 4 decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  const rounded = Math.round(denoise(value) * 10000) / 10000;
  return String(rounded);
}
