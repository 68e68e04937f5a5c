// The naive use of json-rules-engine for the same rules: a new Engine per scoring target per submission, nothing
// cached or compiled; points by the same award methods; no explanations, no evidence.
import { Engine } from 'json-rules-engine';
import { nodeKind, walkIndicators, type IndicatorNode, type RuleSetDocument } from '../src/domain/ruleset.js';
import { roundHalfUp, sumRounded } from '../src/domain/rounding.js';
import { gradeFor } from '../src/domain/grades.js';
import { computeDerived } from '../src/engine/facts.js';
import { applyAward } from '../src/engine/evaluate.js';
import { indexRuleSet } from '../src/engine/model.js';

export async function naiveScore(doc: RuleSetDocument, submission: any): Promise<{ total: number; grade: string }> {
  const index = indexRuleSet(doc);
  const points: number[] = [];
  const run = async (targetId: string, facts: Record<string, unknown>, w: number) => {
    const target = index.targets.get(targetId)!;
    const engine = new Engine(target.rules.map((r) => ({ name: r.rule.name, conditions: r.rule.conditions as never, event: r.rule.event as never })));
    const all = computeDerived(target.scope, facts);
    const { events } = await engine.run(all);
    const award = (events[0]!.params as { award: never }).award;
    points.push(roundHalfUp(applyAward(award, all, w, w, target).points, doc.rounding.decimals));
  };
  for (const { node } of walkIndicators(doc.indicators)) {
    if (nodeKind(node) === 'leaf') await run(node.id, submission.facts[node.id], node.points!);
    if (nodeKind(node) === 'slot') {
      for (const ind of (submission.indicators ?? []).filter((i: any) => i.category === (node as IndicatorNode).id)) {
        const facts = { direction: ind.direction, target: typeof ind.target === 'number' ? ind.target : null, actual: typeof ind.actual === 'number' ? ind.actual : null, tier: ind.tier ?? null, chosenScore: ind.chosenScore ?? null };
        await run(node.unitIndicators!.ruleGroup, facts, ind.points);
      }
    }
  }
  const total = sumRounded(points, doc.rounding.decimals);
  return { total, grade: gradeFor(total, doc.grades).code };
}
