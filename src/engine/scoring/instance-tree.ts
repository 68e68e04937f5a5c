// The indicator tree as instantiated for one submission: unit-written indicators placed in their slots, what does not
// apply marked, and the points every node is scored out of once not-applicable points have moved.
import { DomainError, childPath } from '../../domain/errors.js';
import type { IndicatorNode } from '../../domain/ruleset.js';
import { allocateProportionally, sumRoundedOf } from '../../domain/rounding.js';
import { ownValue, type Submission, type UnitIndicator } from '../../domain/submission.js';
import type { CompiledRuleSet, CompiledTarget } from '../compiled.js';
import type { FactMap } from '../facts.js';

/** Where a leaf's data comes from and what scores it. */
export interface LeafSource {
  readonly source: 'table' | 'unit';
  readonly target: CompiledTarget;
  /** the facts as submitted (derived facts are added for applicable leaves only) */
  readonly facts: FactMap;
  readonly indicator: UnitIndicator | undefined;
  /** JSON path of the item's data in the submission, for errors */
  readonly path: string;
}

export type Applicability = { readonly applicable: true } | { readonly applicable: false; readonly reason: string };

const APPLICABLE: Applicability = { applicable: true };

export interface LeafNode {
  readonly kind: 'leaf';
  readonly id: string;
  readonly name: string;
  readonly level: number;
  readonly parentId: string;
  /** names from the first level down to this node */
  readonly namePath: readonly string[];
  readonly declaredMax: number;
  readonly source: LeafSource;
  readonly applicability: Applicability;
}

export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  readonly name: string;
  /** 0 for the root, which stands for the whole table */
  readonly level: number;
  readonly parentId: string | null;
  readonly namePath: readonly string[];
  readonly declaredMax: number;
  readonly children: readonly InstanceNode[];
  /** some child applies */
  readonly applicable: boolean;
  /** some node below does not apply (so points move) */
  readonly hasNotApplicableBelow: boolean;
}

export type InstanceNode = LeafNode | GroupNode;

export function isApplicable(node: InstanceNode): boolean {
  return node.kind === 'leaf' ? node.applicability.applicable : node.applicable;
}

function groupNode(
  id: string,
  name: string,
  level: number,
  parentId: string | null,
  namePath: readonly string[],
  declaredMax: number,
  children: readonly InstanceNode[],
): GroupNode {
  let applicable = false;
  let hasNotApplicableBelow = false;
  for (const child of children) {
    if (isApplicable(child)) applicable = true;
    if (!isApplicable(child) || (child.kind === 'group' && child.hasNotApplicableBelow)) hasNotApplicableBelow = true;
  }
  return { kind: 'group', id, name, level, parentId, namePath, declaredMax, children, applicable, hasNotApplicableBelow };
}

function compiledTarget(compiled: CompiledRuleSet, id: string): CompiledTarget {
  const target = compiled.targets.get(id);
  if (!target) {
    throw new DomainError('SCORING_INVARIANT_BROKEN', `规则集 ${compiled.document.id} ${compiled.document.version} 中没有计分对象「${id}」`);
  }
  return target;
}

const QUANTITATIVE_DIRECTIONS: ReadonlySet<unknown> = new Set(['gte', 'lte', 'eq']);

/**
 * Whether indicatorFacts below can leave `fact` null for a unit-written indicator of `direction` (undefined: any
 * direction): a quantitative indicator has no tier or chosen score; any other may leave out target and actual
 * (the submission check requires the rest). Facts it does not fill are judged by the rule file's `optional`.
 */
export function indicatorFactMayBeNull(fact: string, direction: unknown, declaredOptional: boolean): boolean {
  if (direction === undefined) return declaredOptional;
  if (fact === 'direction') return false;
  if (fact === 'tier' || fact === 'chosenScore') return QUANTITATIVE_DIRECTIONS.has(direction);
  if (fact === 'target' || fact === 'actual') return !QUANTITATIVE_DIRECTIONS.has(direction);
  return declaredOptional;
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

/** What does not change from one submission to the next for a node of the rule set's tree. */
interface StaticNode {
  /** names from the first level down to this node (frozen: shared by every result) */
  readonly namePath: readonly string[];
  /** a leaf's or a slot's compiled target */
  readonly target: CompiledTarget | undefined;
  /** a table leaf's facts path in the submission */
  readonly factsPath: string;
}

const staticNodes = new WeakMap<CompiledRuleSet, Map<IndicatorNode, StaticNode>>();

function staticNodesOf(compiled: CompiledRuleSet): Map<IndicatorNode, StaticNode> {
  let byNode = staticNodes.get(compiled);
  if (!byNode) staticNodes.set(compiled, (byNode = new Map()));
  return byNode;
}

function staticNode(compiled: CompiledRuleSet, byNode: Map<IndicatorNode, StaticNode>, node: IndicatorNode, names: readonly string[]): StaticNode {
  let found = byNode.get(node);
  if (!found) {
    found = {
      namePath: Object.freeze([...names, node.name]),
      target: node.children ? undefined : compiledTarget(compiled, node.unitIndicators ? node.unitIndicators.ruleGroup : node.id),
      factsPath: node.children || node.unitIndicators ? '' : childPath('$.facts', node.id),
    };
    byNode.set(node, found);
  }
  return found;
}

/** The root (level 0) of the submission's tree, with applicability known at every node. */
export function buildInstanceTree(compiled: CompiledRuleSet, submission: Submission): GroupNode {
  const doc = compiled.document;
  const decimals = doc.rounding.decimals;
  const notApplicable = submission.notApplicable ?? {};
  const bySlot = new Map<string, { ind: UnitIndicator; i: number }[]>();
  (submission.indicators ?? []).forEach((ind, i) => {
    let list = bySlot.get(ind.category);
    if (!list) bySlot.set(ind.category, (list = []));
    list.push({ ind, i });
  });
  const byNode = staticNodesOf(compiled);
  const build = (node: IndicatorNode, parentId: string, level: number, names: readonly string[]): InstanceNode => {
    const fixed = staticNode(compiled, byNode, node, names);
    const namePath = fixed.namePath;
    if (node.children) {
      const children = node.children.map((c) => build(c, node.id, level + 1, namePath));
      const declaredMax = node.points ?? sumRoundedOf(children, (c) => c.declaredMax, decimals);
      return groupNode(node.id, node.name, level, parentId, namePath, declaredMax, children);
    }
    const target = fixed.target!;
    if (node.unitIndicators) {
      const children = (bySlot.get(node.id) ?? []).map(({ ind, i }): LeafNode => ({
        kind: 'leaf',
        id: ind.id,
        name: ind.name,
        level: level + 1,
        parentId: node.id,
        namePath: [...namePath, ind.name],
        declaredMax: ind.points,
        source: { source: 'unit', target, facts: indicatorFacts(ind), indicator: ind, path: `$.indicators[${i}]` },
        applicability: ind.notApplicable !== undefined ? { applicable: false, reason: ind.notApplicable } : APPLICABLE,
      }));
      // a slot without indicators applies to nothing: the unit set no indicator of this kind
      return groupNode(node.id, node.name, level, parentId, namePath, sumRoundedOf(children, (c) => c.declaredMax, decimals), children);
    }
    const reason = ownValue(notApplicable, node.id);
    return {
      kind: 'leaf',
      id: node.id,
      name: node.name,
      level,
      parentId,
      namePath,
      declaredMax: node.points ?? 0,
      source: {
        source: 'table',
        target,
        facts: ownValue(submission.facts, node.id) ?? {},
        indicator: undefined,
        path: fixed.factsPath,
      },
      applicability: reason !== undefined ? { applicable: false, reason } : APPLICABLE,
    };
  };
  return groupNode('$root', doc.title, 0, null, [], doc.total, doc.indicators.map((n) => build(n, '$root', 1, [])));
}

export interface AllocatedLeaf {
  readonly kind: 'leaf';
  readonly node: LeafNode;
  /** the points the leaf is scored out of */
  readonly max: number;
}

export interface AllocatedGroup {
  readonly kind: 'group';
  readonly node: GroupNode;
  readonly max: number;
  readonly children: readonly AllocatedNode[];
}

export type AllocatedNode = AllocatedLeaf | AllocatedGroup;

export type NotApplicablePolicy = 'redistribute' | 'rescale';

/**
 * Effective points ("max") of every node. redistribute: a node's points go to its applicable children in
 * proportion to their declared points (largest remainder, so they add up exactly). rescale: declared points
 * stay, not-applicable ones get 0 and the total is rescaled afterwards.
 */
export function allocate(node: GroupNode, amount: number, policy: NotApplicablePolicy, decimals: number): AllocatedGroup;
export function allocate(node: InstanceNode, amount: number, policy: NotApplicablePolicy, decimals: number): AllocatedNode;
export function allocate(node: InstanceNode, amount: number, policy: NotApplicablePolicy, decimals: number): AllocatedNode {
  const max = isApplicable(node) ? amount : 0;
  if (node.kind === 'leaf') return { kind: 'leaf', node, max };
  const group = (children: readonly AllocatedNode[], groupMax = max): AllocatedGroup => ({ kind: 'group', node, max: groupMax, children });
  if (node.children.length === 0) return group([]);
  if (!node.hasNotApplicableBelow && node.applicable && amount === node.declaredMax) {
    return group(node.children.map((c) => allocate(c, c.declaredMax, policy, decimals))); // nothing moves
  }
  if (policy === 'rescale' || !node.applicable) {
    const children = node.children.map((c) => allocate(c, isApplicable(c) ? c.declaredMax : 0, policy, decimals));
    return group(children, policy === 'rescale' && node.applicable ? sumRoundedOf(children, (c) => c.max, decimals) : max);
  }
  const shares = allocateProportionally(amount, node.children.map((c) => (isApplicable(c) ? c.declaredMax : 0)), decimals);
  return group(node.children.map((c, i) => allocate(c, shares[i] ?? 0, policy, decimals)));
}

/** The leaves in table order. */
export function leavesOf(node: AllocatedNode, out: AllocatedLeaf[] = []): AllocatedLeaf[] {
  if (node.kind === 'leaf') out.push(node);
  else for (const c of node.children) leavesOf(c, out);
  return out;
}
