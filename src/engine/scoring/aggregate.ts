// Aggregation: subtotals as exact sums of rounded item points, the total (rescaled under the rescale policy), and the
// points lost per item, largest first.
import type { ItemResult, NodeResult, PointsLost, ScoreResult } from '../../domain/result.js';
import type { RuleSetDocument } from '../../domain/ruleset.js';
import { addRounded, fromUnits, roundHalfUp, sumRoundedOf, toUnits } from '../../domain/rounding.js';
import type { AllocatedGroup, AllocatedNode } from './instance-tree.js';

export interface Subtotals {
  /** every node below the root, parents before children, in table order */
  readonly nodes: readonly NodeResult[];
  /** the root's sum: the total before any rescaling */
  readonly rawTotal: number;
}

/** Sums the rounded points of the items (by id) up the tree. */
export function subtotals(root: AllocatedGroup, pointsById: ReadonlyMap<string, number>, decimals: number): Subtotals {
  // one walk, parents before children in table order: a group's slot is taken before its children are visited and
  // filled once their points are known (the same exact sum as sumRounded over the children's points)
  const nodes: NodeResult[] = [];
  const visit = (allocated: AllocatedNode): number => {
    if (allocated.kind === 'leaf') return pointsById.get(allocated.node.id) ?? 0;
    const node = allocated.node;
    const slot = nodes.length;
    if (node.level > 0) nodes.push(undefined as unknown as NodeResult);
    let units = 0;
    for (const child of allocated.children) units += toUnits(visit(child), decimals);
    const points = fromUnits(units, decimals);
    if (node.level > 0) {
      nodes[slot] = {
        id: node.id,
        name: node.name,
        level: node.level,
        parentId: node.parentId,
        points,
        max: allocated.max,
        declaredMax: node.declaredMax,
        applicable: node.applicable,
        children: node.children.map((c) => c.id),
      };
    }
    return points;
  };
  const rawTotal = visit(root);
  return { nodes, rawTotal };
}

export interface Total {
  readonly total: number;
  readonly rescale: ScoreResult['rescale'];
}

/** The total: the raw sum, or under the rescale policy with points not applicable, scaled to the table's total. */
export function totalOf(doc: RuleSetDocument, rawTotal: number, items: readonly ItemResult[]): Total {
  const decimals = doc.rounding.decimals;
  const applicableMax = sumRoundedOf(items, (i) => (i.applicable ? i.max : 0), decimals);
  if (doc.notApplicable.policy === 'rescale' && applicableMax < doc.total) {
    return {
      total: Math.min(doc.total, roundHalfUp((rawTotal * doc.total) / applicableMax, decimals)),
      rescale: { rawTotal, applicableMax },
    };
  }
  return { total: rawTotal, rescale: null };
}

/** Applicable items that lost points, most first (ties in table order), with the explanation as the reason. */
export function pointsLostOf(items: readonly ItemResult[], decimals: number): PointsLost[] {
  return items
    .map((item, order) => ({ item, order, lost: addRounded(item.max, -item.points, decimals) }))
    .filter((x) => x.item.applicable && x.lost > 0)
    .sort((a, b) => b.lost - a.lost || a.order - b.order)
    .map(({ item, lost }) => ({ itemId: item.id, name: item.name, lost, reason: item.explanation }));
}
