// Review totals: reviewed items take the reviewer's points, the rest keep the machine's; same rounding and grading.
import { gradeFor, type GradeBand, type GradeOutcome } from './grades.js';
import type { ScoreResult } from './result.js';
import { roundHalfUp, sumRounded } from './rounding.js';

export interface ReviewedPoints {
  readonly itemId: string;
  readonly points: number;
}

export function reviewTotal(
  result: ScoreResult,
  reviewed: ReadonlyMap<string, number>,
  bands: readonly GradeBand[],
  decimals: number,
): { total: number; grade: GradeOutcome } {
  const raw = sumRounded(
    result.items.map((i) => reviewed.get(i.id) ?? i.points),
    decimals,
  );
  const total = result.rescale
    ? Math.min(result.maxTotal, roundHalfUp((raw * result.maxTotal) / result.rescale.applicableMax, decimals))
    : raw;
  return { total, grade: gradeFor(total, bands) };
}

/** Points a reviewer may give an item: within [0, max], at most `decimals` places. */
export function reviewPointsProblem(points: number, max: number, decimals: number): string | null {
  if (points < 0 || points > max) return `复核分 ${points} 超出该项分值范围 [0, ${max}]`;
  if (roundHalfUp(points, decimals) !== points) return `复核分最多保留 ${decimals} 位小数`;
  return null;
}
