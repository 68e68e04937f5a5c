// Reconciliation with the unit's self-assessment: items and total that differ from the recomputed points (not-applicable
// items under the rescale policy excepted), and a warning when the self-assessed grade is not the recomputed one.
import type { GradeOutcome } from '../../domain/grades.js';
import type { Discrepancy, ItemResult } from '../../domain/result.js';
import { formatNumber } from '../../domain/methods.js';
import { addRounded } from '../../domain/rounding.js';
import { ownValue, type Submission } from '../../domain/submission.js';
import type { NotApplicablePolicy } from './instance-tree.js';

export interface Reconciliation {
  readonly discrepancies: readonly Discrepancy[];
  readonly warnings: readonly string[];
}

/**
 * Under the rescale policy a not-applicable item is left out of the item comparison: its 0 is not comparable with what
 * the unit wrote for it (tables print such a row with its points, or as 满分, or as 0, while the total is what gets
 * rescaled); a non-zero self-score there becomes a warning, and the total is still compared. Under redistribute it
 * stays a discrepancy: the item's points were moved to its siblings, so a self-score on it counts them twice.
 */
export function reconcile(
  self: Submission['selfAssessment'],
  items: readonly ItemResult[],
  total: number,
  grade: GradeOutcome,
  decimals: number,
  policy: NotApplicablePolicy = 'redistribute',
): Reconciliation {
  const discrepancies: Discrepancy[] = [];
  const warnings: string[] = [];
  for (const item of items) {
    const reported = ownValue(self?.items, item.id);
    if (reported === undefined) continue;
    const difference = addRounded(reported, -item.points, decimals);
    if (difference === 0) continue;
    if (policy === 'rescale' && !item.applicable) {
      warnings.push(`「${item.name}」不适用，总分已按适用指标折算为满分制，其自评分 ${formatNumber(reported)} 分不作比对`);
      continue;
    }
    discrepancies.push({ itemId: item.id, name: item.name, reported, recomputed: item.points, difference });
  }
  if (self?.total !== undefined) {
    const difference = addRounded(self.total, -total, decimals);
    if (difference !== 0) discrepancies.push({ itemId: 'total', name: '总分', reported: self.total, recomputed: total, difference });
  }
  if (self?.grade !== undefined && ![grade.code, grade.name, grade.label].includes(self.grade)) {
    warnings.push(`自评等级「${self.grade}」与复算等级「${grade.label}」不一致`);
  }
  return { discrepancies, warnings };
}

/** The self-reported total and grade as the result shows them, or null when the unit gave neither. */
export function selfReported(self: Submission['selfAssessment']): { total: number | null; grade: string | null } | null {
  return self && (self.total !== undefined || self.grade !== undefined) ? { total: self.total ?? null, grade: self.grade ?? null } : null;
}
