// What every scoring method shares: its outcome, the clamping of points and negative inputs, number formatting.
// The methods themselves (one module each: fields, checks, points, inverse, explanations) are in src/engine/methods/.
import { denoise } from './rounding.js';

export type MethodValues = Readonly<Record<string, number | string | boolean | null>>;

export interface MethodOutcome {
  /** unrounded points, always within [0, w] */
  readonly points: number;
  /** computed values for explanation templates */
  readonly values: MethodValues;
  /** actual ÷ target when it reaches OVER_ACHIEVEMENT_RATIO: the unit should explain it (a warning, never a deduction) */
  readonly overAchievedRatio?: number;
}

/** Far over-achievement a table may ask the unit to explain (flag only, never a deduction). */
export const OVER_ACHIEVEMENT_RATIO = 1.3;

/** Within [0, w]; the value itself is left as computed (rounding happens once, per leaf, later). */
export function clampPoints(points: number, w: number): number {
  if (!(points > 0)) return 0;
  return points > w ? w : points;
}

/** Negative actual values count as 0. */
export function nonNegative(x: number): number {
  return x < 0 ? 0 : x;
}

export interface ChecklistRequirement {
  readonly id: string;
  readonly requirement: string;
  readonly deduction: number;
}

/** Numbers in explanations: at most 4 decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  // an integer of ordinary size is its own rounding (denoise and the 4-decimal rounding leave it as it is)
  if (Number.isInteger(value) && value > -1e5 && value < 1e5) return String(value === 0 ? 0 : value);
  // turning a fraction into text is the costly part, and explanations repeat the same few values (rates, thresholds,
  // points): remembered, in a table emptied when full so it stays small
  let text = formatted.get(value);
  if (text === undefined) {
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    text = String(Math.round(denoise(value) * 10000) / 10000);
    formatted.set(value, text);
  }
  return text;
}

const FORMATTED_MAX = 4096;
const formatted = new Map<number, string>();
