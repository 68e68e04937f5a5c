// Subtotals per goal (年度绩效目标) for rule sets that group the unit's indicators by goal, and the goal an item names.
import type { GoalResult, ItemResult } from '../../domain/result.js';
import { sumRounded } from '../../domain/rounding.js';
import type { PerformanceGoal, Submission } from '../../domain/submission.js';
import type { RuleSetIndex } from '../model.js';

/** The goal a unit-written item belongs to, as its explanation names it: 「年度绩效目标 2「…」」; null without goals. */
export function goalLabeller(index: RuleSetIndex, submission: Submission): (goalId: string | undefined) => string | null {
  const grouping = index.goals;
  const goals = submission.goals ?? [];
  if (!grouping || goals.length === 0) return () => null;
  const labels = new Map<string, string>();
  goals.forEach((g, i) => {
    if (!labels.has(g.id)) labels.set(g.id, `${grouping.declaration.label} ${i + 1}「${g.name}」`);
  });
  return (goalId) => (goalId === undefined ? null : (labels.get(goalId) ?? null));
}

/**
 * Per goal, in the submission's order: sums of its items' rounded points and of the points they are scored out of,
 * and the same under each child of the goals node (in table order, those it has items under). Undefined when the
 * rule set does not group by goal, so results of other rule sets keep their shape.
 */
export function goalSubtotals(index: RuleSetIndex, submission: Submission, items: readonly ItemResult[], decimals: number): GoalResult[] | undefined {
  const grouping = index.goals;
  if (!grouping) return undefined;
  const goalOfItem = new Map<string, string>();
  for (const ind of submission.indicators ?? []) if (ind.goal !== undefined) goalOfItem.set(ind.id, ind.goal);
  const children = grouping.visit.node.children ?? [];
  return (submission.goals ?? []).map((goal: PerformanceGoal): GoalResult => {
    const own = items.filter((item) => item.source === 'unit' && goalOfItem.get(item.id) === goal.id);
    const byDimension = children.flatMap((child) => {
      const under = own.filter((item) => grouping.childOfSlot.get(item.parentId)?.id === child.id);
      if (under.length === 0) return [];
      return [{ nodeId: child.id, name: child.name, points: sumRounded(under.map((i) => i.points), decimals), max: sumRounded(under.map((i) => i.max), decimals) }];
    });
    return {
      id: goal.id,
      name: goal.name,
      points: sumRounded(own.map((i) => i.points), decimals),
      max: sumRounded(own.map((i) => i.max), decimals),
      declaredMax: goal.points ?? sumRounded(own.map((i) => i.declaredMax), decimals),
      byDimension,
    };
  });
}
