// Explanations: the placeholders every explanation may use (one registry, read by the templates pass and by
// rendering), the explanation of a scored or not-applicable item, its evidence and the over-achievement warning.
import { formatNumber, type MethodOutcome, type MethodValues } from '../../domain/methods.js';
import type { Evidence } from '../../domain/result.js';
import { DIRECTION_LABELS, TIER_LABELS, ownValue, type UnitIndicator } from '../../domain/submission.js';
import { factConditionsInOrder, type ConditionTree } from '../conditions.js';
import type { FactMap, FactScope } from '../facts.js';
import { SCORING_METHODS } from '../methods/registry.js';
import type { ScoringTarget } from '../model.js';
import { compileBoundTemplate } from '../template.js';
import type { NotApplicablePolicy } from './instance-tree.js';

/** What an explanation is rendered from. */
export interface ExplanationContext {
  readonly points: number;
  readonly max: number;
  readonly declaredMax: number;
  readonly name: string;
  /** the label of the case that applied */
  readonly caseLabel: string;
  /** the target's facts, derived ones included */
  readonly facts: FactMap;
  /** the unit-written indicator, for items of the unit's own indicators */
  readonly indicator: UnitIndicator | undefined;
  /** the values the award method computed */
  readonly values: MethodValues;
}

/** A placeholder's answer that lets the method's values and then the facts answer instead. */
const PASS = Symbol('pass');

interface PlaceholderEntry {
  /** whether explanations of rules for this target may use it (the templates pass) */
  availableFor(target: ScoringTarget): boolean;
  /** its value (rendering), or PASS */
  resolve(ctx: ExplanationContext): unknown;
}

const everywhere = (resolve: (ctx: ExplanationContext) => unknown): PlaceholderEntry => ({ availableFor: () => true, resolve });
/** values of the unit-written indicator, for rule groups */
const ofIndicator = (resolve: (ind: UnitIndicator) => unknown): PlaceholderEntry => ({
  availableFor: (target) => target.kind === 'ruleGroup',
  resolve: (ctx) => (ctx.indicator ? resolve(ctx.indicator) : PASS),
});

/**
 * Placeholders besides the target's facts and its method's values (SCORING_METHODS' `placeholders`). They take
 * precedence, in this order: the case's own values, then the method's, then the facts.
 */
export const PLACEHOLDERS: ReadonlyMap<string, PlaceholderEntry> = new Map<string, PlaceholderEntry>([
  ['points', everywhere((ctx) => ctx.points)],
  ['max', everywhere((ctx) => ctx.max)],
  ['declaredMax', everywhere((ctx) => ctx.declaredMax)],
  ['name', everywhere((ctx) => ctx.name)],
  ['case', everywhere((ctx) => ctx.caseLabel)],
  [
    'tierLabel',
    {
      availableFor: (target) => Object.hasOwn(target.scope.facts, 'tier'),
      resolve: (ctx) => (typeof ctx.facts.tier === 'string' ? (ownValue(TIER_LABELS, ctx.facts.tier) ?? ctx.facts.tier) : PASS),
    },
  ],
  ['unitOfMeasure', ofIndicator((ind) => ind.unitOfMeasure ?? '')],
  ['targetText', ofIndicator((ind) => ind.target ?? '—')],
  ['actualText', ofIndicator((ind) => ind.actual ?? '—')],
  ['directionLabel', ofIndicator((ind) => ownValue(DIRECTION_LABELS, ind.direction))],
]);

/** Every name an explanation of a rule for this target, awarding by this method, may use. */
export function availablePlaceholders(target: ScoringTarget, method: string): Set<string> {
  const names = new Set<string>([...Object.keys(target.scope.facts), ...Object.keys(target.scope.derived)]);
  for (const [name, entry] of PLACEHOLDERS) if (entry.availableFor(target)) names.add(name);
  for (const name of SCORING_METHODS.get(method)?.placeholders ?? []) names.add(name);
  return names;
}

/** The value a placeholder names. */
export function placeholderValue(ctx: ExplanationContext, name: string): unknown {
  const entry = PLACEHOLDERS.get(name);
  if (entry) {
    const value = entry.resolve(ctx);
    if (value !== PASS) return value;
  }
  // own keys only: a fact called `constructor` must not find Object.prototype.constructor in the method's values
  return Object.hasOwn(ctx.values, name) ? ctx.values[name] : ctx.facts[name];
}

/** placeholderValue(ctx, name) as a function of ctx, with the placeholder's entry found once (compiled templates). */
export function placeholderReader(name: string): (ctx: ExplanationContext) => unknown {
  const entry = PLACEHOLDERS.get(name);
  const valueOrFact = (ctx: ExplanationContext): unknown => (Object.hasOwn(ctx.values, name) ? ctx.values[name] : ctx.facts[name]);
  if (!entry) return valueOrFact;
  return (ctx) => {
    const value = entry.resolve(ctx);
    return value !== PASS ? value : valueOrFact(ctx);
  };
}

/** A rule's explanation template compiled for rendering with placeholderReader. */
export type CompiledExplanation = (ctx: ExplanationContext) => string;

export function compileExplanation(template: string): CompiledExplanation {
  return compileBoundTemplate(template, placeholderReader);
}

/** The rendered explanation of a scored item, noting redistributed points. */
export function explainScored(template: CompiledExplanation, ctx: ExplanationContext): string {
  const text = template(ctx);
  if (ctx.max === ctx.declaredMax) return text;
  return `${text}（本项原分值 ${formatNumber(ctx.declaredMax)} 分，含不适用项调剂后为 ${formatNumber(ctx.max)} 分）`;
}

export function explainNotApplicable(reason: string, declaredMax: number, policy: NotApplicablePolicy): string {
  return (
    `不适用（${reason}）：本项 ${formatNumber(declaredMax)} 分不计分，` +
    (policy === 'redistribute' ? '已按比例调剂给同级适用指标。' : '总分按适用指标分值折算为满分制。')
  );
}

/** An item's explanation naming the goal (年度绩效目标) it belongs to, when the rule set groups by goal. */
export function withGoal(explanation: string, goalLabel: string | null): string {
  return goalLabel === null ? explanation : `${explanation}（属${goalLabel}）`;
}

/** The warning for far over-achievement, when the method flagged it. */
export function overAchievementWarning(itemName: string, outcome: MethodOutcome): string | null {
  if (outcome.overAchievedRatio === undefined) return null;
  return `「${itemName}」实际完成值达到目标的 ${formatNumber(Math.round(outcome.overAchievedRatio * 10000) / 100)}%，超额较多，应说明原因（不扣分）`;
}

/** A fact condition as json-rules-engine or the fast path leaves it after evaluating it. */
interface EvaluatedFactCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value?: unknown;
  readonly factResult?: unknown;
  readonly result?: boolean;
}

/** Flattens an evaluated condition tree into evidence rows, in document order (conditions actually evaluated). */
export function evidenceOf(conditions: unknown, scope: FactScope): Evidence[] {
  const out: Evidence[] = [];
  for (const condition of factConditionsInOrder<EvaluatedFactCondition>(conditions as ConditionTree<EvaluatedFactCondition>)) {
    if (!('factResult' in condition)) continue; // not evaluated
    const { fact, operator, value, factResult, result } = condition;
    out.push({
      fact,
      label: ownValue(scope.facts, fact)?.label ?? ownValue(scope.derived, fact)?.label ?? fact,
      operator: String(operator),
      threshold: value ?? null,
      actual: factResult ?? null,
      passed: result === true,
    });
  }
  return out;
}
