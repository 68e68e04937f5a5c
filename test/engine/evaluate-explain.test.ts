// The placeholder registry is read by the templates pass (what a rule may write) and by rendering (what it shows):
// every placeholder the pass allows for a target renders to a value for an item of that target, and the parts of
// evaluate.ts keep their own ideas (instance tree and allocation, aggregation, reconciliation).
import { describe, expect, it } from 'vitest';
import { gradeFor } from '../../src/domain/grades.js';
import type { ItemResult } from '../../src/domain/result.js';
import type { UnitIndicator } from '../../src/domain/submission.js';
import { computeDerived } from '../../src/engine/facts.js';
import { SCORING_METHODS } from '../../src/engine/methods/registry.js';
import { subtotals, totalOf } from '../../src/engine/scoring/aggregate.js';
import { PLACEHOLDERS, availablePlaceholders, placeholderValue, type ExplanationContext } from '../../src/engine/scoring/explain.js';
import { allocate, buildInstanceTree, leavesOf } from '../../src/engine/scoring/instance-tree.js';
import { reconcile } from '../../src/engine/scoring/reconcile.js';
import { compiled, example } from '../support.js';

const cn = compiled('cn-mof-2020');
const gd = compiled('gd-meizhou-2022');

const indicator: UnitIndicator = {
  id: 'i1', category: 'quantity', name: '养护里程', unitOfMeasure: '公里', direction: 'gte', target: 120, actual: 118, points: 10,
};

function context(facts: Record<string, unknown>, ind: UnitIndicator | undefined): ExplanationContext {
  return {
    points: 9.83, max: 10, declaredMax: 10, name: '养护里程', caseLabel: '未完成', indicator: ind,
    facts: Object.assign(Object.create(null), facts), values: { ratio: 0.9833, overAchieved: false },
  };
}

describe('placeholders: one registry for the templates pass and for rendering', () => {
  it('every placeholder allowed for a rule group renders to a value for a unit-written indicator', () => {
    const group = [...cn.index.targets.values()].find((t) => t.kind === 'ruleGroup')!;
    const available = availablePlaceholders(group, 'positive');
    const facts = computeDerived(group.scope, { direction: 'gte', target: 120, actual: 118, tier: null, chosenScore: null });
    const ctx = context(facts, indicator);
    for (const name of available) {
      if (name === 'tierLabel' || name === 'tier' || name === 'chosenScore') continue; // null for a quantitative indicator
      expect(placeholderValue(ctx, name), name).not.toBeUndefined();
    }
    expect(placeholderValue(ctx, 'unitOfMeasure')).toBe('公里');
    expect(placeholderValue(ctx, 'directionLabel')).toBe('正向（≥）');
    expect(placeholderValue(ctx, 'tierLabel')).toBeUndefined(); // no tier chosen: nothing to show (rendered as —)
    expect(placeholderValue({ ...ctx, facts: Object.assign(Object.create(null), { tier: 'partial' }) }, 'tierLabel')).toBe('部分达成并具有一定效果');
  });

  it("a fixed leaf is offered neither the unit indicator's values nor tierLabel, and rendering falls back to its facts", () => {
    const leaf = gd.index.targets.get('payment')!;
    const available = availablePlaceholders(leaf, 'positive');
    for (const name of ['unitOfMeasure', 'targetText', 'actualText', 'directionLabel', 'tierLabel']) expect(available.has(name), name).toBe(false);
    for (const name of ['points', 'max', 'declaredMax', 'name', 'case', 'ratio', 'overAchieved', 'spent', 'arrived', 'paymentRate']) {
      expect(available.has(name), name).toBe(true);
    }
    // a fact a leaf happens to call unitOfMeasure is its own value where there is no unit-written indicator
    expect(placeholderValue(context({ unitOfMeasure: '台' }, undefined), 'unitOfMeasure')).toBe('台');
  });

  it("each method's values are offered only under that method", () => {
    const leaf = gd.index.targets.get('payment')!;
    for (const [name, method] of SCORING_METHODS) {
      const available = availablePlaceholders(leaf, name);
      for (const p of method.placeholders) expect(available.has(p), `${name}: ${p}`).toBe(true);
    }
    expect(availablePlaceholders(leaf, 'full').has('ratio')).toBe(false);
    expect([...PLACEHOLDERS.keys()]).toEqual(['points', 'max', 'declaredMax', 'name', 'case', 'tierLabel', 'unitOfMeasure', 'targetText', 'actualText', 'directionLabel']);
  });
});

describe('the parts of evaluation', () => {
  const submission = example('national-training-2023.json') as never;

  it('instance tree: applicability from the leaves up, and redistributed points adding up to the total', () => {
    const tree = buildInstanceTree(cn, submission);
    expect(tree.applicable).toBe(true);
    expect(tree.hasNotApplicableBelow).toBe(true); // no satisfaction indicator: its 10 points move
    const root = allocate(tree, cn.document.total, 'redistribute', 2);
    const leaves = leavesOf(root);
    const applicable = leaves.filter((l) => l.node.applicability.applicable);
    expect(Math.round(applicable.reduce((s, l) => s + l.max, 0) * 100) / 100).toBe(100);
    expect(leaves.every((l) => l.node.applicability.applicable || l.max === 0)).toBe(true);
  });

  it('aggregation: subtotals are exact sums, parents before children; rescale scales the total', () => {
    const tree = allocate(buildInstanceTree(gd, example('meizhou-2022.json') as never), 100, 'redistribute', 2);
    const points = new Map(leavesOf(tree).map((l) => [l.node.id, 1.25] as const));
    const { nodes, rawTotal } = subtotals(tree, points, 2);
    expect(nodes.map((n) => n.id).slice(0, 2)).toEqual(['decision', 'projectApproval']);
    const at = new Map(nodes.map((n, i) => [n.id, i]));
    for (const [i, n] of nodes.entries()) if (n.parentId !== '$root') expect(at.get(n.parentId!)!).toBeLessThan(i);
    expect(rawTotal).toBe(leavesOf(tree).length * 1.25);
    expect(nodes.find((n) => n.id === 'decision')?.points).toBe(5 * 1.25); // five leaves under 决策
    const items = [{ applicable: true, max: 40 }, { applicable: false, max: 0 }] as ItemResult[];
    const doc = { ...gd.document, notApplicable: { policy: 'rescale' as const } };
    expect(totalOf(doc, 30, items)).toEqual({ total: 75, rescale: { rawTotal: 30, applicableMax: 40 } });
    expect(totalOf(gd.document, 30, items)).toEqual({ total: 30, rescale: null });
  });

  it('reconciliation: differing items and total, and a grade warning', () => {
    const items = [{ id: 'a', name: '甲', points: 4 }, { id: 'b', name: '乙', points: 5 }] as ItemResult[];
    const grade = gradeFor(9, gd.document.grades);
    const r = reconcile({ total: 10, grade: '优', items: { a: 4, b: 6 } }, items, 9, grade, 2);
    expect(r.discrepancies.map((d) => [d.itemId, d.difference])).toEqual([['b', 1], ['total', 1]]);
    expect(r.warnings).toEqual(['自评等级「优」与复算等级「差」不一致']);
    expect(reconcile(undefined, items, 9, grade, 2)).toEqual({ discrepancies: [], warnings: [] });
  });
});
