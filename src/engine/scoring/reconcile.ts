// Reconciliation with the unit's self-assessment: items and total that differ from the recomputed points, and a
// warning when the self-assessed grade is not the recomputed one.
import type { GradeOutcome } from '../../domain/grades.js';
import type { Discrepancy, ItemResult } from '../../domain/result.js';
import { sumRounded } from '../../domain/rounding.js';
import { ownValue, type Submission } from '../../domain/submission.js';

export interface Reconciliation {
  readonly discrepancies: readonly Discrepancy[];
  readonly warnings: readonly string[];
}

export function reconcile(
  self: Submission['selfAssessment'],
  items: readonly ItemResult[],
  total: number,
  grade: GradeOutcome,
  decimals: number,
): Reconciliation {
  const discrepancies: Discrepancy[] = [];
  const warnings: string[] = [];
  for (const item of items) {
    const reported = ownValue(self?.items, item.id);
    if (reported === undefined) continue;
    const difference = sumRounded([reported, -item.points], decimals);
    if (difference !== 0) discrepancies.push({ itemId: item.id, name: item.name, reported, recomputed: item.points, difference });
  }
  if (self?.total !== undefined) {
    const difference = sumRounded([self.total, -total], decimals);
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
