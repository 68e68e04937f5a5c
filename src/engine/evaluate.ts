// Scores one submission with one compiled rule-set version: the instance tree (scoring/instance-tree.ts) → the case of
// each applicable item, decided by the compiled conditions or by json-rules-engine as the reference → its award
// (scoring/award.ts) and explanation (scoring/explain.ts) → subtotals and total (scoring/aggregate.ts) →
// subtotals per goal where the rule set has goals (scoring/goals.ts) → reconciliation with the self-assessment
// (scoring/reconcile.ts) → the result document (scoring/assemble.ts).
import { DomainError, childPath, type ErrorDetail } from '../domain/errors.js';
import { gradeFor, nextGradeFor } from '../domain/grades.js';
import type { ItemResult, ScoreResult } from '../domain/result.js';
import { ownValue, type Submission } from '../domain/submission.js';
import { capDetails } from '../validation/index.js';
import type { CompiledRuleSet } from './compiled.js';
import { computeDerived, type FactMap } from './facts.js';
import type { LeanFiredRule } from './fast.js';
import { fireRules, type FiredRule } from './model.js';
import { pointsLostOf, subtotals, totalOf } from './scoring/aggregate.js';
import { assembleResult, notApplicableItem, scoredItem } from './scoring/assemble.js';
import { awardCase, type AwardedCase } from './scoring/award.js';
import { evidenceOf, explainNotApplicable, explainScored, overAchievementWarning, withGoal } from './scoring/explain.js';
import { goalLabeller, goalSubtotals } from './scoring/goals.js';
import { allocate, buildInstanceTree, leavesOf, type AllocatedGroup, type LeafNode } from './scoring/instance-tree.js';
import { reconcile, selfReported } from './scoring/reconcile.js';

export { applyAward } from './scoring/award.js';
export { evidenceOf } from './scoring/explain.js';

/** What an applicable leaf holds until its rules have run (one shape for every leaf, filled in place). */
const NOT_YET_DECIDED: readonly FiredRule[] = Object.freeze([]);

interface ApplicableLeaf {
  readonly kind: 'applicable';
  readonly leaf: LeafNode;
  /** the points it is scored out of */
  readonly max: number;
  /** its facts with the derived ones */
  readonly facts: FactMap;
  /** the rules that fired, once decided */
  readonly fired: readonly (FiredRule | LeanFiredRule)[];
}

interface NotApplicableLeaf {
  readonly kind: 'notApplicable';
  readonly leaf: LeafNode;
  readonly reason: string;
}

/** An applicable leaf after its rules ran: `fired`, the rules whose conditions held (exactly one, for a sound rule set). */
type DecidedLeaf = ApplicableLeaf;

interface Prepared {
  readonly root: AllocatedGroup;
  /** every leaf in table order */
  readonly leaves: readonly (ApplicableLeaf | NotApplicableLeaf)[];
}

function prepare(compiled: CompiledRuleSet, submission: Submission): Prepared {
  const doc = compiled.document;
  const tree = buildInstanceTree(compiled, submission);
  if (!tree.applicable) {
    throw new DomainError('SUBMISSION_INVALID', '所有指标均为不适用，无法评分', [{ path: '$.notApplicable', message: '至少应有一项指标适用' }]);
  }
  const root = allocate(tree, doc.total, doc.notApplicable.policy, doc.rounding.decimals);
  const leaves = leavesOf(root).map(({ node, max }): ApplicableLeaf | NotApplicableLeaf =>
    node.applicability.applicable
      ? { kind: 'applicable', leaf: node, max, facts: computeDerived(node.source.target.target.scope, node.source.facts), fired: NOT_YET_DECIDED }
      : { kind: 'notApplicable', leaf: node, reason: node.applicability.reason },
  );
  return { root, leaves };
}

/**
 * Scores a submission that passed the structural and fact checks, deciding cases with the compiled fast path.
 * Throws DomainError; never returns a partial result.
 */
export function evaluate(compiled: CompiledRuleSet, submission: Submission): ScoreResult {
  const { root, leaves } = prepare(compiled, submission);
  // decided in place: an applicable leaf becomes a decided one by gaining the rules that fired
  for (const l of leaves) if (l.kind === 'applicable') (l as { fired?: readonly LeanFiredRule[] }).fired = l.leaf.source.target.lean(l.facts);
  return finish(compiled, submission, root, leaves as readonly (DecidedLeaf | NotApplicableLeaf)[]);
}

/** The same, deciding cases with json-rules-engine itself (the reference; used by verify and the differential test). */
export async function evaluateWithReference(compiled: CompiledRuleSet, submission: Submission): Promise<ScoreResult> {
  const { root, leaves } = prepare(compiled, submission);
  const decided: (DecidedLeaf | NotApplicableLeaf)[] = [];
  for (const l of leaves) decided.push(l.kind === 'applicable' ? withFired(l, await fireRules(l.leaf.source.target.engine, l.facts)) : l);
  return finish(compiled, submission, root, decided);
}

function withFired(leaf: ApplicableLeaf, fired: readonly (FiredRule | LeanFiredRule)[]): DecidedLeaf {
  return { kind: leaf.kind, leaf: leaf.leaf, max: leaf.max, facts: leaf.facts, fired };
}

function finish(
  compiled: CompiledRuleSet,
  submission: Submission,
  root: AllocatedGroup,
  leaves: readonly (DecidedLeaf | NotApplicableLeaf)[],
): ScoreResult {
  const doc = compiled.document;
  const decimals = doc.rounding.decimals;
  const items: ItemResult[] = [];
  const warnings: string[] = [];
  const errors: ErrorDetail[] = [];
  const goalOf = goalLabeller(compiled.index, submission);
  for (const entry of leaves) {
    const leaf = entry.leaf;
    const remark = leaf.source.indicator?.deviationReason ?? ownValue(submission.remarks, leaf.id);
    const goal = goalOf(leaf.source.indicator?.goal);
    if (entry.kind === 'notApplicable') {
      const explanation = withGoal(explainNotApplicable(entry.reason, leaf.declaredMax, doc.notApplicable.policy), goal);
      items.push(notApplicableItem(leaf, entry.reason, remark, explanation));
      continue;
    }
    const awarded = awardCase(compiled, leaf, entry.facts, entry.fired, entry.max);
    if (awarded.kind === 'rejected') errors.push({ path: childPath(leaf.source.path, awarded.fact), message: awarded.reason });
    else items.push(scoredLeaf(entry, awarded, remark, warnings, goal));
  }
  if (errors.length > 0) throw new DomainError('SUBMISSION_INVALID', '提交的数据未通过校验', capDetails(errors));

  const { nodes, rawTotal } = subtotals(root, new Map(items.map((i) => [i.id, i.points])), decimals);
  const { total, rescale } = totalOf(doc, rawTotal, items);
  const grade = gradeFor(total, doc.grades);
  const self = submission.selfAssessment;
  const reconciliation = reconcile(self, items, total, grade, decimals, doc.notApplicable.policy);
  warnings.push(...reconciliation.warnings);
  if (doc.provisional) warnings.push(`本规则集为暂行分值：${doc.provisionalNote ?? ''}`);
  return assembleResult(compiled, submission, {
    items,
    nodes,
    goals: goalSubtotals(compiled.index, submission, items, decimals),
    total,
    rescale,
    grade,
    nextGrade: nextGradeFor(total, doc.grades, decimals),
    pointsLost: pointsLostOf(items, decimals),
    selfReported: selfReported(self),
    discrepancies: reconciliation.discrepancies,
    warnings,
  });
}

/** One applicable item: its case, points, explanation and evidence. */
function scoredLeaf(entry: DecidedLeaf, awarded: AwardedCase, remark: string | undefined, warnings: string[], goal: string | null): ItemResult {
  const { leaf, max, facts } = entry;
  const { rule, points, outcome } = awarded;
  const params = rule.rule.event.params;
  const explanation = withGoal(explainScored(rule.explanation, {
    points,
    max,
    declaredMax: leaf.declaredMax,
    name: leaf.name,
    caseLabel: params.case,
    facts,
    indicator: leaf.source.indicator,
    values: outcome.values,
  }), goal);
  const warning = overAchievementWarning(leaf.name, outcome);
  if (warning !== null) warnings.push(warning);
  return scoredItem(leaf, remark, {
    points,
    max,
    case: { rule: rule.rule.name, label: params.case, method: params.award.method },
    evidence: 'evidence' in awarded.fired ? awarded.fired.evidence : evidenceOf(awarded.fired.conditions, leaf.source.target.target.scope),
    facts,
    explanation,
  });
}
