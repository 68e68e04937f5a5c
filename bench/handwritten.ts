// Hand-written TypeScript that scores each benchmark case directly: the practical speed limit. Points and totals
// only (no explanations, evidence or validation); test/bench/handwritten.test.ts keeps them equal to ours.
import { syntheticLeafPoints, type SyntheticSize } from './synthetic.js';

const round2 = (x: number) => Math.floor(x * 100 + 0.5 + 1e-9) / 100;
const positive = (a: number, t: number, w: number) => (a >= t ? w : (Math.max(0, a) / t) * w);
const thresholdRate = (r: number, t: number, w: number) => (r >= t ? w : (Math.max(0, r) / t) * w);
const negativeRatio = (a: number, t: number, w: number) => (a <= t ? w : (t / a) * w);
const negativeLinear = (a: number, t: number, w: number) => (a <= t ? w : t <= 0 ? 0 : Math.max(0, (1 - (a - t) / t) * w));
const checklist = (answers: Record<string, boolean>, deductions: readonly (readonly [string, number])[], w: number) => {
  let d = 0;
  for (const [id, points] of deductions) if (answers[id] !== true) d += points;
  return Math.max(0, w - d);
};
function grade(total: number): string {
  return total >= 90 ? 'excellent' : total >= 80 ? 'good' : total >= 60 ? 'fair' : 'poor';
}
function finish(points: number[]): { total: number; grade: string } {
  let cents = 0;
  for (const p of points) cents += Math.round(round2(p) * 100);
  const total = cents / 100;
  return { total, grade: grade(total) };
}

export function handScoreGdSeed(s: any): { total: number; grade: string } {
  const f = s.facts;
  return finish([
    checklist(f.decisionBasis.requirements, [['legalBasis', 2], ['approvalProcedure', 2], ['dutyMatch', 1]], 5),
    checklist(f.targetSetting.requirements, [['targetsSet', 2], ['targetsRelevant', 1], ['targetsQuantified', 2]], 5),
    checklist(f.safeguards.requirements, [['measuresInPlace', 2], ['measuresEffective', 2]], 4),
    positive(f.fundsArrival.arrived, f.fundsArrival.budget, 3),
    checklist(f.fundsAllocation.requirements, [['allocationBasis', 1.5], ['allocationReasonable', 1.5]], 3),
    positive(f.payment.spent, f.payment.arrived, 8),
    checklist(f.spendingCompliance.requirements, [['noMisappropriation', 3], ['approvalComplete', 2], ['accountingCompliant', 2]], 7),
    checklist(f.implementationProcedure.requirements, [['procedureFollowed', 3], ['rulesInPlace', 2]], 5),
    checklist(f.managementPractice.requirements, [['rulesExecuted', 3], ['oversight', 2]], 5),
    negativeRatio(f.economy.actualCost, f.economy.plannedCost, 10),
    positive(f.efficiency.completedOutputs, f.efficiency.plannedOutputs, 15),
    positive(f.effectiveness.targetsMet, f.effectiveness.targetsSet, 20),
    thresholdRate(f.fairness.satisfactionRate, 0.9, 10),
  ]);
}

export function handScoreNational(s: any): { total: number; grade: string } {
  const b = s.facts.budgetExecution;
  const points = [Math.min(1, Math.max(0, b.executed) / b.budget) * 10];
  for (const ind of s.indicators) {
    const w = ind.points;
    switch (ind.direction) {
      case 'gte':
        points.push(ind.target <= 0 ? (ind.actual >= ind.target ? w : 0) : positive(ind.actual, ind.target, w));
        break;
      case 'lte':
        points.push(negativeLinear(Math.max(0, ind.actual), ind.target, w));
        break;
      case 'eq':
        points.push(ind.target === 0 ? (ind.actual <= 0 ? w : 0) : positive(ind.actual, ind.target, w));
        break;
      default:
        points.push(ind.chosenScore);
    }
  }
  return finish(points);
}

/** The synthetic rule set of `leaves` leaves (bench/synthetic.ts), its leaf points fixed in advance. */
export function handScoreSyntheticOf(leaves: SyntheticSize): (s: any) => { total: number; grade: string } {
  const weights = syntheticLeafPoints(leaves);
  return (s) => {
    const points: number[] = [];
    for (let i = 0; i < weights.length; i++) {
      const f = s.facts[`leaf${i}`];
      const w = weights[i]!;
      switch (i % 5) {
        case 0:
          points.push(positive(f.done, f.planned, w));
          break;
        case 1:
          points.push(negativeLinear(f.cost, f.budget, w));
          break;
        case 2:
          points.push(checklist(f.requirements, [['a', w / 2], ['b', w / 2], ['c', w / 4]], w));
          break;
        case 3:
          points.push(thresholdRate(f.satisfaction, 0.9, w));
          break;
        default:
          points.push(f.score);
      }
    }
    return finish(points);
  };
}

export const handScoreSynthetic = handScoreSyntheticOf(60);

export const HAND_WRITTEN = { gdSeed: handScoreGdSeed, national12: handScoreNational, synthetic60: handScoreSynthetic } as const;
