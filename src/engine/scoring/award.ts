// Awarding points to one applicable leaf: exactly one case must have fired; its award method (from the registry)
// gives unrounded points, rounded here once, half-up, never above the leaf's points.
import { DomainError } from '../../domain/errors.js';
import type { MethodOutcome } from '../../domain/methods.js';
import type { Award } from '../../domain/ruleset.js';
import { roundHalfUp } from '../../domain/rounding.js';
import type { CompiledRule, CompiledRuleSet } from '../compiled.js';
import type { FactMap } from '../facts.js';
import { AwardInputRejected, awardField } from '../methods/method.js';
import { methodOf } from '../methods/registry.js';
import type { LeanFiredRule } from '../fast.js';
import type { FiredRule, ScoringTarget } from '../model.js';
import type { LeafNode } from './instance-tree.js';

export interface AwardedCase {
  readonly kind: 'awarded';
  readonly rule: CompiledRule;
  /** the rule that fired: with json-rules-engine's evaluated condition tree, or (fast path) with its evidence rows */
  readonly fired: FiredRule | LeanFiredRule;
  readonly outcome: MethodOutcome;
  /** rounded, within [0, max] */
  readonly points: number;
}

/** The one rule that fired for the leaf; none or several is a rule set the checker should have refused. */
export function firedCase<F extends FiredRule | LeanFiredRule>(compiled: CompiledRuleSet, leaf: LeafNode, fired: readonly F[]): { rule: CompiledRule; only: F } {
  const only = fired.length === 1 ? fired[0] : undefined;
  const rule = only ? leaf.source.target.rules.get(only.name) : undefined;
  if (!only || !rule) {
    const { id, version } = compiled.document;
    throw new DomainError(
      'SCORING_INVARIANT_BROKEN',
      fired.length === 0
        ? `规则集 ${id} ${version} 对指标「${leaf.name}」没有适用的计分情形`
        : fired.length > 1
          ? `规则集 ${id} ${version} 对指标「${leaf.name}」有多个计分情形同时适用：${fired.map((f) => f.name).join('、')}`
          : `规则集 ${id} ${version} 中「${leaf.name}」没有名为「${fired[0]?.name}」的计分规则`,
    );
  }
  return { rule, only };
}

/** Where the fired case's method refused the data: the fact at fault and why (in Chinese). */
export interface AwardRejected {
  readonly kind: 'rejected';
  readonly fact: string;
  readonly reason: string;
}

/** Points of the case that fired, out of `max` (the leaf's points after redistribution); or the method's refusal. */
export function awardCase(
  compiled: CompiledRuleSet,
  leaf: LeafNode,
  facts: FactMap,
  fired: readonly (FiredRule | LeanFiredRule)[],
  max: number,
): AwardedCase | AwardRejected {
  const { rule, only } = firedCase(compiled, leaf, fired);
  const award = rule.rule.event.params.award;
  let outcome: MethodOutcome;
  try {
    outcome = applyAward(award, facts, max, leaf.declaredMax, leaf.source.target.target);
  } catch (e) {
    if (!(e instanceof AwardInputRejected)) throw e;
    const fact = awardField(award, e.field);
    return { kind: 'rejected', fact: typeof fact === 'string' ? fact : e.field, reason: e.reason };
  }
  const points = Math.min(max, roundHalfUp(outcome.points, compiled.document.rounding.decimals));
  return { kind: 'awarded', rule, fired: only, outcome, points };
}

/** Applies an award by its registered method. Qualitative scores are chosen on the declared points and scaled. */
export function applyAward(award: Award, facts: FactMap, w: number, declaredMax: number, target: ScoringTarget): MethodOutcome {
  return methodOf(award).award(award, { facts, w, declaredMax, scope: target.scope });
}
