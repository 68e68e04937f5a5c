// Scores one submission with one compiled rule-set version: instance tree → not-applicable allocation → the case of
// each item (compiled conditions, or json-rules-engine as the reference) → award method → rounding → subtotals,
// total, grade and explanations.
import { DomainError, childPath, type ErrorDetail } from '../domain/errors.js';
import { gradeFor, nextGradeFor } from '../domain/grades.js';
import * as methods from '../domain/methods.js';
import { nodeKind, type Award, type IndicatorNode } from '../domain/ruleset.js';
import { allocateProportionally, roundHalfUp, sumRounded } from '../domain/rounding.js';
import type { Discrepancy, Evidence, ItemResult, NodeResult, PointsLost, ScoreResult } from '../domain/result.js';
import { DIRECTION_LABELS, TIER_LABELS, ownValue, type Submission, type UnitIndicator } from '../domain/submission.js';
import { capDetails } from '../validation/index.js';
import { ENGINE_NAME, ENGINE_VERSION, type CompiledRuleSet } from './compiled.js';
import { computeDerived, type FactMap, type FactScope } from './facts.js';
import { fireRules, type FiredRule, type ScoringTarget } from './model.js';

interface ItemSource {
  readonly source: 'table' | 'unit';
  readonly targetId: string;
  readonly facts: FactMap;
  readonly indicator: UnitIndicator | undefined;
  /** JSON path of the item's data in the submission, for errors */
  readonly path: string;
}

/** A node of the tree as instantiated for one submission (unit-written indicators placed in their slots). */
class InstanceNode {
  applicable = true;
  notApplicableReason: string | undefined = undefined;
  /** some node below does not apply (so points move) */
  hasNotApplicableBelow = false;
  max = 0;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly level: number,
    readonly parentId: string | null,
    readonly namePath: readonly string[],
    readonly declaredMax: number,
    readonly children: InstanceNode[],
    /** leaves only */
    readonly item: ItemSource | null,
  ) {}
}

interface Prepared {
  readonly root: InstanceNode;
  readonly leaves: InstanceNode[];
  /** facts with derived facts, per applicable leaf */
  readonly facts: Map<InstanceNode, FactMap>;
}

function prepare(compiled: CompiledRuleSet, submission: Submission): Prepared {
  const doc = compiled.document;
  const root = buildInstanceTree(compiled, submission);
  markApplicability(root);
  if (!root.applicable) {
    throw new DomainError('SUBMISSION_INVALID', '所有指标均为不适用，无法评分', [{ path: '$.notApplicable', message: '至少应有一项指标适用' }]);
  }
  allocate(root, doc.total, doc.notApplicable.policy, doc.rounding.decimals);
  const leaves = leavesOf(root);
  const facts = new Map<InstanceNode, FactMap>();
  for (const leaf of leaves) {
    if (leaf.applicable) facts.set(leaf, computeDerived(compiled.index.targets.get(leaf.item!.targetId)!.scope, leaf.item!.facts));
  }
  return { root, leaves, facts };
}

/**
 * Scores a submission that passed the structural and fact checks, deciding cases with the compiled fast path.
 * Throws DomainError; never returns a partial result.
 */
export function evaluate(compiled: CompiledRuleSet, submission: Submission): ScoreResult {
  const prepared = prepare(compiled, submission);
  const fired = new Map<InstanceNode, FiredRule[]>();
  for (const [leaf, facts] of prepared.facts) fired.set(leaf, compiled.runners.get(leaf.item!.targetId)!(facts));
  return finish(compiled, submission, prepared, fired);
}

/** The same, deciding cases with json-rules-engine itself (the reference; used by verify and the differential test). */
export async function evaluateWithReference(compiled: CompiledRuleSet, submission: Submission): Promise<ScoreResult> {
  const prepared = prepare(compiled, submission);
  const fired = new Map<InstanceNode, FiredRule[]>();
  for (const [leaf, facts] of prepared.facts) fired.set(leaf, await fireRules(compiled.engines.get(leaf.item!.targetId)!, facts));
  return finish(compiled, submission, prepared, fired);
}

function finish(
  compiled: CompiledRuleSet,
  submission: Submission,
  { root, leaves, facts }: Prepared,
  fired: ReadonlyMap<InstanceNode, FiredRule[]>,
): ScoreResult {
  const doc = compiled.document;
  const decimals = doc.rounding.decimals;
  const items: ItemResult[] = [];
  const warnings: string[] = [];
  const errors: ErrorDetail[] = [];
  for (const leaf of leaves) {
    try {
      items.push(scoreItem(compiled, leaf, submission, warnings, facts.get(leaf), fired.get(leaf)));
    } catch (e) {
      if (e instanceof methods.QualitativeScoreOutOfTier) {
        const range = `[${methods.formatNumber(e.lower)}, ${methods.formatNumber(e.upper)}${e.upperInclusive ? ']' : ')'}`;
        errors.push({
          path: childPath(leaf.item!.path, e.fact ?? 'chosenScore'),
          message: `所选得分 ${methods.formatNumber(e.score)} 不在「${ownValue(TIER_LABELS, e.tier) ?? e.tier}」档的分值区间 ${range} 内`,
        });
      } else throw e;
    }
  }
  if (errors.length > 0) throw new DomainError('SUBMISSION_INVALID', '提交的数据未通过校验', capDetails(errors));

  const nodes: NodeResult[] = [];
  const pointsById = new Map(items.map((i) => [i.id, i.points]));
  const subtotal = (node: InstanceNode): number => {
    if (node.item) return pointsById.get(node.id)!;
    const at = nodes.length; // parents before children, in table order
    if (node.level > 0) nodes.push(undefined as never);
    const points = sumRounded(node.children.map(subtotal), decimals);
    if (node.level > 0) {
      nodes[at] = ({
        id: node.id,
        name: node.name,
        level: node.level,
        parentId: node.parentId,
        points,
        max: node.max,
        declaredMax: node.declaredMax,
        applicable: node.applicable,
        children: node.children.map((c) => c.id),
      });
    }
    return points;
  };
  const rawTotal = subtotal(root);

  const applicableMax = sumRounded(items.filter((i) => i.applicable).map((i) => i.max), decimals);
  let total = rawTotal;
  let rescale: ScoreResult['rescale'] = null;
  if (doc.notApplicable.policy === 'rescale' && applicableMax < doc.total) {
    total = Math.min(doc.total, roundHalfUp((rawTotal * doc.total) / applicableMax, decimals));
    rescale = { rawTotal, applicableMax };
  }

  const grade = gradeFor(total, doc.grades);
  const pointsLost: PointsLost[] = items
    .map((item, order) => ({ item, order, lost: sumRounded([item.max, -item.points], decimals) }))
    .filter((x) => x.item.applicable && x.lost > 0)
    .sort((a, b) => b.lost - a.lost || a.order - b.order)
    .map(({ item, lost }) => ({ itemId: item.id, name: item.name, lost, reason: item.explanation }));

  const self = submission.selfAssessment;
  const discrepancies: Discrepancy[] = [];
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
  if (doc.provisional) warnings.push(`本规则集为暂行分值：${doc.provisionalNote ?? ''}`);

  return {
    ruleset: { id: doc.id, version: doc.version, sha256: compiled.sha256, title: doc.title, provisional: doc.provisional },
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    project: {
      name: submission.project.name,
      ...(submission.project.code !== undefined ? { code: submission.project.code } : {}),
      unitId: submission.project.unitId,
      unitName: submission.project.unitName,
      fiscalYear: submission.project.fiscalYear,
    },
    items,
    nodes,
    total,
    maxTotal: doc.total,
    rescale,
    grade,
    nextGrade: nextGradeFor(total, doc.grades, decimals),
    pointsLost,
    selfReported: self && (self.total !== undefined || self.grade !== undefined)
      ? { total: self.total ?? null, grade: self.grade ?? null }
      : null,
    discrepancies,
    warnings,
  };
}

function buildInstanceTree(compiled: CompiledRuleSet, submission: Submission): InstanceNode {
  const decimals = compiled.document.rounding.decimals;
  const notApplicable = submission.notApplicable ?? {};
  const bySlot = new Map<string, { ind: UnitIndicator; i: number }[]>();
  (submission.indicators ?? []).forEach((ind, i) => {
    let list = bySlot.get(ind.category);
    if (!list) bySlot.set(ind.category, (list = []));
    list.push({ ind, i });
  });
  const build = (node: IndicatorNode, parentId: string, level: number, names: readonly string[]): InstanceNode => {
    const namePath = [...names, node.name];
    switch (nodeKind(node)) {
      case 'group': {
        const children = node.children!.map((c) => build(c, node.id, level + 1, namePath));
        const declaredMax = node.points ?? sumRounded(children.map((c) => c.declaredMax), decimals);
        return new InstanceNode(node.id, node.name, level, parentId, namePath, declaredMax, children, null);
      }
      case 'slot': {
        const children = (bySlot.get(node.id) ?? []).map(({ ind, i }) => {
          const leaf = new InstanceNode(ind.id, ind.name, level + 1, node.id, [...namePath, ind.name], ind.points, [], {
            source: 'unit',
            targetId: node.unitIndicators!.ruleGroup,
            facts: indicatorFacts(ind),
            indicator: ind,
            path: `$.indicators[${i}]`,
          });
          if (ind.notApplicable !== undefined) {
            leaf.applicable = false;
            leaf.notApplicableReason = ind.notApplicable;
          }
          return leaf;
        });
        const slot = new InstanceNode(node.id, node.name, level, parentId, namePath, sumRounded(children.map((c) => c.declaredMax), decimals), children, null);
        if (children.length === 0) slot.notApplicableReason = '单位未设置该类指标';
        return slot;
      }
      case 'leaf': {
        const leaf = new InstanceNode(node.id, node.name, level, parentId, namePath, node.points ?? 0, [], {
          source: 'table',
          targetId: node.id,
          facts: ownValue(submission.facts, node.id) ?? {},
          indicator: undefined,
          path: childPath('$.facts', node.id),
        });
        const reason = ownValue(notApplicable, node.id);
        if (reason !== undefined) {
          leaf.applicable = false;
          leaf.notApplicableReason = reason;
        }
        return leaf;
      }
    }
  };
  const doc = compiled.document;
  return new InstanceNode('$root', doc.title, 0, null, [], doc.total, doc.indicators.map((n) => build(n, '$root', 1, [])), null);
}

function indicatorFacts(ind: UnitIndicator): FactMap {
  return {
    direction: ind.direction,
    target: typeof ind.target === 'number' ? ind.target : null,
    actual: typeof ind.actual === 'number' ? ind.actual : null,
    tier: ind.tier ?? null,
    chosenScore: ind.chosenScore ?? null,
  };
}

/** A group applies when any child applies; it also learns whether anything below it does not. */
function markApplicability(node: InstanceNode): boolean {
  if (node.item) return node.applicable;
  let any = false;
  let missing = false;
  for (const child of node.children) {
    if (markApplicability(child)) any = true;
    if (!child.applicable || child.hasNotApplicableBelow) missing = true;
  }
  node.applicable = any;
  node.hasNotApplicableBelow = missing;
  if (!any && node.notApplicableReason === undefined) node.notApplicableReason = '下级指标均不适用';
  return any;
}

/**
 * Effective points ("max") of every node. redistribute: a node's points go to its applicable children in
 * proportion to their declared points (largest remainder, so they add up exactly). rescale: declared points
 * stay, not-applicable ones get 0 and the total is rescaled afterwards.
 */
function allocate(node: InstanceNode, amount: number, policy: 'redistribute' | 'rescale', decimals: number): void {
  node.max = node.applicable ? amount : 0;
  if (node.children.length === 0) return;
  if (!node.hasNotApplicableBelow && node.applicable && amount === node.declaredMax) {
    for (const c of node.children) allocate(c, c.declaredMax, policy, decimals); // nothing moves
    return;
  }
  if (policy === 'rescale' || !node.applicable) {
    for (const c of node.children) allocate(c, c.applicable ? c.declaredMax : 0, policy, decimals);
    if (policy === 'rescale' && node.applicable) node.max = sumRounded(node.children.map((c) => c.max), decimals);
    return;
  }
  const weights = node.children.map((c) => (c.applicable ? c.declaredMax : 0));
  const shares = allocateProportionally(amount, weights, decimals);
  node.children.forEach((c, i) => allocate(c, shares[i]!, policy, decimals));
}

function leavesOf(node: InstanceNode, out: InstanceNode[] = []): InstanceNode[] {
  if (node.item) out.push(node);
  else for (const c of node.children) leavesOf(c, out);
  return out;
}

function scoreItem(
  compiled: CompiledRuleSet,
  leaf: InstanceNode,
  submission: Submission,
  warnings: string[],
  facts: FactMap | undefined,
  firedRules: FiredRule[] | undefined,
): ItemResult {
  const item = leaf.item!;
  const decimals = compiled.document.rounding.decimals;
  const remark = item.indicator?.deviationReason ?? ownValue(submission.remarks, leaf.id);
  // Built field by field (no spreads): one object shape for every item keeps this hot path fast.
  const itemResult = (r: Pick<ItemResult, 'applicable' | 'points' | 'max' | 'case' | 'evidence' | 'facts' | 'explanation'>): ItemResult => {
    const out: { -readonly [K in keyof ItemResult]: ItemResult[K] } = {
      id: leaf.id,
      name: leaf.name,
      path: leaf.namePath,
      parentId: leaf.parentId!,
      source: item.source,
      applicable: r.applicable,
      points: r.points,
      max: r.max,
      declaredMax: leaf.declaredMax,
      case: r.case,
      evidence: r.evidence,
      facts: r.facts,
      explanation: r.explanation,
    };
    if (!r.applicable) out.notApplicableReason = leaf.notApplicableReason!;
    if (remark !== undefined) out.remark = remark;
    return out;
  };
  if (!leaf.applicable) {
    const policy = compiled.document.notApplicable.policy;
    return itemResult({
      applicable: false,
      points: 0,
      max: 0,
      case: null,
      evidence: [],
      facts: {},
      explanation:
        `不适用（${leaf.notApplicableReason}）：本项 ${methods.formatNumber(leaf.declaredMax)} 分不计分，` +
        (policy === 'redistribute' ? '已按比例调剂给同级适用指标。' : '总分按适用指标分值折算为满分制。'),
    });
  }

  const target = compiled.index.targets.get(item.targetId)!;
  const fired = firedRules!;
  if (fired.length !== 1) {
    throw new DomainError(
      'SCORING_INVARIANT_BROKEN',
      fired.length === 0
        ? `规则集 ${compiled.document.id} ${compiled.document.version} 对指标「${leaf.name}」没有适用的计分情形`
        : `规则集 ${compiled.document.id} ${compiled.document.version} 对指标「${leaf.name}」有多个计分情形同时适用：${fired.map((f) => f.name).join('、')}`,
    );
  }
  const firedRule = target.rules.find((r) => r.rule.name === fired[0]!.name)!.rule;
  const params = firedRule.event.params;
  const w = leaf.max;
  const outcome = applyAward(params.award, facts!, w, leaf.declaredMax, target);
  const points = Math.min(w, roundHalfUp(outcome.points, decimals));

  const ind = item.indicator;
  const f = facts!;
  // What a placeholder names, in order of precedence: the case's own values, then the method's, then the facts.
  const lookup = (name: string): unknown => {
    switch (name) {
      case 'points':
        return points;
      case 'max':
        return w;
      case 'declaredMax':
        return leaf.declaredMax;
      case 'name':
        return leaf.name;
      case 'case':
        return params.case;
      case 'tierLabel':
        if (typeof f.tier === 'string') return ownValue(TIER_LABELS, f.tier) ?? f.tier;
        break;
    }
    if (ind) {
      switch (name) {
        case 'unitOfMeasure':
          return ind.unitOfMeasure ?? '';
        case 'targetText':
          return ind.target ?? '—';
        case 'actualText':
          return ind.actual ?? '—';
        case 'directionLabel':
          return ownValue(DIRECTION_LABELS, ind.direction);
      }
    }
    // own keys only: a fact called `constructor` must not find Object.prototype.constructor in the method's values
    return Object.hasOwn(outcome.values, name) ? outcome.values[name] : f[name];
  };

  let explanation = compiled.templates.get(firedRule.name)!(lookup);
  if (w !== leaf.declaredMax) {
    explanation += `（本项原分值 ${methods.formatNumber(leaf.declaredMax)} 分，含不适用项调剂后为 ${methods.formatNumber(w)} 分）`;
  }
  if (outcome.values.overAchieved === true) {
    warnings.push(`「${leaf.name}」实际完成值达到目标的 ${methods.formatNumber(Math.round(Number(outcome.values.ratio) * 10000) / 100)}%，超额较多，应说明原因（不扣分）`);
  }

  return itemResult({
    applicable: true,
    points,
    max: w,
    case: { rule: firedRule.name, label: params.case, method: params.award.method },
    evidence: evidenceOf(fired[0]!.conditions, target.scope),
    facts: f,
    explanation,
  });
}

function num(facts: FactMap, name: string): number {
  const v = facts[name];
  if (typeof v !== 'number') {
    throw new DomainError('SCORING_INVARIANT_BROKEN', `计分所需的数值「${name}」缺失或不是数值`);
  }
  return v;
}

/** Applies the award of the case that fired. Qualitative scores are chosen on the declared points and scaled. */
export function applyAward(award: Award, facts: FactMap, w: number, declaredMax: number, target: ScoringTarget): methods.MethodOutcome {
  switch (award.method) {
    case 'full':
      return { points: w, values: {} };
    case 'zero':
      return { points: 0, values: {} };
    case 'fixed':
      return { points: Math.min(w, declaredMax === 0 ? 0 : (award.points * w) / declaredMax), values: {} };
    case 'fraction':
      return { points: award.fraction * w, values: { fraction: award.fraction } };
    case 'positive':
      return methods.positive(num(facts, award.actual), num(facts, award.target), w);
    case 'negative':
      return methods.negative(num(facts, award.actual), num(facts, award.target), w, award.variant);
    case 'equal':
      return methods.equal(num(facts, award.actual), num(facts, award.target), w);
    case 'qualitative': {
      const tier = facts[award.tier] as methods.QualitativeTier;
      let chosen: methods.MethodOutcome;
      try {
        chosen = methods.qualitative(tier, num(facts, award.score), declaredMax, award.cutPoints);
      } catch (e) {
        if (e instanceof methods.QualitativeScoreOutOfTier) e.fact = award.score;
        throw e;
      }
      return { points: declaredMax === 0 ? 0 : (chosen.points * w) / declaredMax, values: chosen.values };
    }
    case 'checklist':
      return methods.checklistDeduction(target.scope.checklist, (facts[award.checklist] ?? {}) as Record<string, boolean>, w);
    case 'budgetExecution':
      return methods.budgetExecution(num(facts, award.executed), num(facts, award.budget), w);
    case 'thresholdRate':
      return methods.thresholdRate(num(facts, award.rate), award.threshold, w);
  }
}

/** Flattens json-rules-engine's evaluated condition tree into evidence rows (conditions it actually evaluated). */
export function evidenceOf(conditions: unknown, scope: FactScope): Evidence[] {
  const out: Evidence[] = [];
  const visit = (c: unknown) => {
    if (c === null || typeof c !== 'object') return;
    const node = c as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) {
      if (Array.isArray(node[key])) (node[key] as unknown[]).forEach(visit);
    }
    if (node.not) visit(node.not);
    if (typeof node.fact === 'string' && 'factResult' in node) {
      const fact = node.fact;
      out.push({
        fact,
        label: ownValue(scope.facts, fact)?.label ?? ownValue(scope.derived, fact)?.label ?? fact,
        operator: String(node.operator),
        threshold: node.value ?? null,
        actual: node.factResult ?? null,
        passed: node.result === true,
      });
    }
  };
  visit(conditions);
  return out;
}
