// "What it would take" (还差什么能拿回分数): for every item that lost points, the smallest change of one input that earns
// its full points back, derived from each method's inverse in the registry and the rule's own conditions solved for
// that input (no trial scoring); and the fewest items whose recovery reaches the next grade band. Shown beside a
// result, never stored in it.
import { formatNumber, type ChecklistRequirement } from '../domain/methods.js';
import type { ItemResult, ScoreResult } from '../domain/result.js';
import { denoise, roundHalfUp, sumRounded, toUnits } from '../domain/rounding.js';
import { isChecklistFact, type FactCondition, type ScoringRule } from '../domain/ruleset.js';
import { TIER_LABELS, ownValue, type Submission } from '../domain/submission.js';
import type { CompiledRuleSet, CompiledTarget } from './compiled.js';
import { factConditionsInOrder, foldCondition } from './conditions.js';
import { compileCondition } from './fast.js';
import { computeDerived, factDomain, type FactMap, type FactScope } from './facts.js';
import { ALL_NUMBERS, awardField, inInterval, type Inversion, type NumberInterval } from './methods/method.js';
import { awardFactReferences, methodOf } from './methods/registry.js';
import { numbersWhere, operatorNamed } from './operators.js';

/** What an input must become. */
export type NeededValue =
  /** a number range (an absent end is unbounded) */
  | { readonly min?: number; readonly minInclusive?: boolean; readonly max?: number; readonly maxInclusive?: boolean }
  | { readonly equals: number | string | boolean }
  /** a qualitative tier and the score to choose in it (on the item's declared points) */
  | { readonly tier: string; readonly tierLabel: string; readonly score: number }
  /** checklist requirements that must be met */
  | { readonly requirements: readonly ChecklistRequirement[] };

export interface InputChange {
  /** the fact as the rule set names it */
  readonly fact: string;
  readonly label: string;
  readonly unit?: string;
  /** the submitted value (for a tier: tier, tierLabel and score as submitted) */
  readonly current: unknown;
  readonly needed: NeededValue;
}

export interface ItemRecovery {
  readonly itemId: string;
  readonly name: string;
  readonly path: readonly string[];
  readonly points: number;
  readonly max: number;
  /** max − points, in the item's points (under the rescale policy the total moves by lost × total ÷ applicable points) */
  readonly lost: number;
  readonly reachable: boolean;
  /** the rule (case) that would apply after the change, or null when none can earn the points */
  readonly rule: string | null;
  readonly case: string | null;
  readonly changes: readonly InputChange[];
  /** why no change of one input earns the points back (when not reachable) */
  readonly reason?: string;
  /** for people, in Chinese */
  readonly text: string;
}

export interface NextGradeRecovery {
  readonly code: string;
  readonly name: string;
  readonly label: string;
  readonly min: number;
  /** band minimum − total */
  readonly pointsNeeded: number;
  /** whether recovering every reachable item reaches the band */
  readonly reachable: boolean;
  /** the fewest reachable items whose recovery reaches the band, most points first (all reachable ones when it is not reached) */
  readonly items: readonly { readonly itemId: string; readonly name: string; readonly lost: number }[];
  /** the items' points recovered, in item points */
  readonly recovered: number;
  /** the total those items would give (rescaled under the rescale policy) */
  readonly totalAfter: number;
  readonly text: string;
}

export interface WhatItWouldTake {
  /** items that lost points, in table order */
  readonly items: readonly ItemRecovery[];
  /** null at the top band */
  readonly nextGrade: NextGradeRecovery | null;
}

/** Work bound per call: condition nodes visited while solving (a rule set may hold thousands of rules per target). */
const WORK_BUDGET = 200_000;

type Work = { left: number };

export function whatItWouldTake(compiled: CompiledRuleSet, result: ScoreResult, input?: Submission): WhatItWouldTake {
  const decimals = compiled.document.rounding.decimals;
  const work: Work = { left: WORK_BUDGET };
  const units = unitsOfMeasure(input);
  const items = result.items
    .filter((i) => i.applicable && toUnits(i.points, decimals) < toUnits(i.max, decimals))
    .map((i) => recoveryOf(compiled, i, decimals, work, (i.source === 'unit' ? units.get(i.id) : undefined) ?? NO_UNITS));
  return { items, nextGrade: nextGradeRecovery(compiled, result, items, decimals) };
}

// ---------------------------------------------------------------------------------------------------------------
// one item

interface Found {
  readonly rule: ScoringRule;
  readonly changes: InputChange[];
  /** how far the input moves (to prefer the nearest of several rules that earn the points) */
  readonly distance: number;
  /** 0 when the input is one an award computes with (an achievement), 1 for another fact a condition reads */
  readonly rank?: number;
}

function better(a: Found, b: Found | null): boolean {
  return b === null || (a.rank ?? 0) < (b.rank ?? 0) || ((a.rank ?? 0) === (b.rank ?? 0) && a.distance < b.distance);
}

/**
 * Facts of a unit-written indicator fixed when its targets were set (目标设置), not by what the project achieved:
 * "what it would take" never proposes changing them.
 */
const SET_WITH_THE_TARGETS: ReadonlySet<string> = new Set(['direction', 'target']);

/** What may change for one item, and which of those are the awards' own inputs. */
interface Changeable {
  readonly scope: FactScope;
  readonly fixed: ReadonlySet<string>;
  readonly awardInputs: ReadonlySet<string>;
  readonly units: ReadonlyMap<string, string>;
}

function recoveryOf(compiled: CompiledRuleSet, item: ItemResult, decimals: number, work: Work, units: ReadonlyMap<string, string>): ItemRecovery {
  const lost = sumRounded([item.max, -item.points], decimals);
  const unreachable = (reason: string): ItemRecovery =>
    itemRecovery(item, lost, false, null, null, [], reason, `无法通过改变一项数据挽回 ${formatNumber(lost)} 分：${reason}`);
  const target = targetOf(compiled, item);
  if (!target) return unreachable('规则集中找不到该项的计分对象');
  const scope = target.target.scope;
  const facts = nullProto(item.facts);
  const awardInputs = awardInputsOf(target);
  const changeable: Changeable = { scope, fixed: target.target.kind === 'ruleGroup' ? SET_WITH_THE_TARGETS : new Set(), awardInputs, units };
  let best: Found | null = null;
  let anyAwardGivesMax = false;
  for (const { rule } of target.target.rules) {
    if (work.left <= 0) return unreachable('超出单次计算量上限，未计算');
    const award = rule.event.params.award;
    let inversion: Inversion;
    // the method cannot invert with these facts (e.g. a quantitative method on a qualitative indicator): it throws,
    // which is expected here and caught at once — so no stack trace is recorded for it (recording one is most of the
    // cost of trying every rule of a target)
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      inversion = methodOf(award).invert(award, { facts, w: item.max, declaredMax: item.declaredMax, scope }, item.max);
    } catch {
      continue;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    const found = solveRule(rule, inversion, facts, changeable, item, decimals, work);
    if (found === 'awardCannot') continue;
    anyAwardGivesMax = true;
    if (found !== null && better(found, best)) best = found;
  }
  if (best === null) {
    return unreachable(anyAwardGivesMax ? '能得满分的计分情形的条件不能只靠改变一项数据满足' : `没有哪一计分情形能得满分 ${formatNumber(item.max)} 分`);
  }
  return itemRecovery(item, lost, true, best.rule.name, best.rule.event.params.case, best.changes, undefined, recoveryText(best.changes, item, lost));
}


/**
 * One item's recovery, written out field by field in one key order (a spread of a shared base plus more fields made
 * a slow object: it was most of recoveryOf's time). `reason` only when it is not reachable.
 */
function itemRecovery(
  item: ItemResult,
  lost: number,
  reachable: boolean,
  rule: string | null,
  caseLabel: string | null,
  changes: readonly InputChange[],
  reason: string | undefined,
  text: string,
): ItemRecovery {
  return reason === undefined
    ? { itemId: item.id, name: item.name, path: item.path, points: item.points, max: item.max, lost, reachable, rule, case: caseLabel, changes, text }
    : { itemId: item.id, name: item.name, path: item.path, points: item.points, max: item.max, lost, reachable, rule, case: caseLabel, changes, reason, text };
}

/** The inputs behind every fact the target's awards compute with: the same for every item of the target, found once. */
const awardInputsByTarget = new WeakMap<CompiledTarget, ReadonlySet<string>>();

function awardInputsOf(target: CompiledTarget): ReadonlySet<string> {
  let inputs = awardInputsByTarget.get(target);
  if (!inputs) {
    const found = new Set<string>();
    for (const { rule } of target.target.rules) {
      for (const ref of awardFactReferences(rule.event.params.award)) for (const i of inputsBehind(ref.fact, target.target.scope)) found.add(i);
    }
    awardInputsByTarget.set(target, (inputs = found));
  }
  return inputs;
}

function targetOf(compiled: CompiledRuleSet, item: ItemResult): CompiledTarget | undefined {
  if (item.source === 'table') return compiled.targets.get(item.id);
  const slot = compiled.index.slots.get(item.parentId);
  const group = slot?.node.unitIndicators?.ruleGroup;
  return group === undefined ? undefined : compiled.targets.get(group);
}

/** What a rule needs: the input its award inverts on, or (for an award that does not depend on the facts) the inputs
 * its failing conditions read, solved with the rule's conditions. 'awardCannot': its award never gives the max. */
function solveRule(
  rule: ScoringRule,
  inversion: Inversion,
  facts: FactMap,
  changeable: Changeable,
  item: ItemResult,
  decimals: number,
  work: Work,
): Found | null | 'awardCannot' {
  const award = rule.event.params.award;
  const { scope, units } = changeable;
  switch (inversion.kind) {
    case 'constant':
      if (Math.min(item.max, roundHalfUp(inversion.points, decimals)) !== item.max) return 'awardCannot';
      if (blockedByFixedFacts(rule, facts, changeable.fixed)) return null;
      return solveConditionsAlone(rule, facts, changeable, work);
    case 'deduction': {
      if (inversion.deductions.length === 0) return 'awardCannot';
      if (blockedByFixedFacts(rule, facts, changeable.fixed)) return null;
      const fact = awardField(award, inversion.field);
      return typeof fact === 'string' ? solveChecklist(rule, fact, inversion.deductions, facts, scope, work) : null;
    }
    case 'input': {
      if (inversion.values.length === 0) return 'awardCannot';
      if (blockedByFixedFacts(rule, facts, changeable.fixed)) return null;
      const fact = awardField(award, inversion.field);
      if (typeof fact !== 'string') return null;
      // inputs that come with it (a qualitative tier) are set first: the conditions may read them
      const withFacts: [string, string][] = [];
      for (const [field, value] of Object.entries(inversion.with ?? {})) {
        const f = awardField(award, field);
        if (typeof f === 'string') withFacts.push([f, value]);
      }
      const moved = withFacts.length === 0 ? facts : recompute(scope, facts, withFacts);
      const numeric = solveAwardInput(rule, fact, inversion.values, moved, changeable, work);
      if (numeric === null) return null;
      if (Object.hasOwn(inversion.with ?? {}, 'tier') && withFacts.length > 0) {
        const [tierFact, tier] = withFacts[0]!;
        return { ...numeric, changes: [tierChange(tierFact, tier, fact, facts, scope, numeric.value)] };
      }
      const extra = withFacts
        .filter(([f, v]) => facts[f] !== v)
        .map(([f, v]): InputChange => inputChange(f, scope, units, facts[f] ?? null, { equals: v }));
      return { ...numeric, changes: [...extra, ...numeric.changes] };
    }
  }
}

/**
 * Whether one of the conditions every case of the rule needs (the root condition, or a fact condition directly under a
 * root `all`) reads a fact that may not change (目标设置: direction, target of a unit's indicator) and fails now: then
 * no change of another input makes the rule hold, which the solver below would also find, at far greater cost.
 */
function blockedByFixedFacts(rule: ScoringRule, facts: FactMap, fixed: ReadonlySet<string>): boolean {
  if (fixed.size === 0) return false;
  const root = rule.conditions as unknown as Record<string, unknown>;
  const needed = Object.hasOwn(root, 'all') ? (root.all as readonly unknown[]) : Object.hasOwn(root, 'fact') ? [root] : [];
  for (const c of needed) {
    const condition = c as Partial<FactCondition>;
    if (typeof condition.fact !== 'string' || !fixed.has(condition.fact) || typeof condition.operator !== 'string') continue;
    if (Object.hasOwn(condition, 'any') || Object.hasOwn(condition, 'all') || Object.hasOwn(condition, 'not')) continue;
    const value = Object.hasOwn(facts, condition.fact) ? facts[condition.fact] : undefined;
    if (!operatorNamed(condition.operator).evaluate(value, condition.value)) return true;
  }
  return false;
}

/**
 * The award inverts on `fact`: solved for it when it is an input, or for the input behind a derived fact (its
 * first operand), the values mapped through the derived fact's k·x + c.
 */
function solveAwardInput(rule: ScoringRule, fact: string, values: readonly NumberInterval[], facts: FactMap, changeable: Changeable, work: Work): NumericFound | null {
  const { scope, units } = changeable;
  if (!Object.hasOwn(scope.derived, fact)) return changeable.fixed.has(fact) ? null : solveNumber(rule, fact, values, facts, scope, work, units);
  let best: NumericFound | null = null;
  for (const x of inputsBehind(fact, scope)) {
    if (changeable.fixed.has(x)) continue;
    const dep = dependenceOn(fact, x, facts, scope);
    if (dep.kind !== 'affine' || dep.k === 0) continue;
    const mapped = normalize(values.map((v) => mapInterval(v, dep.k, dep.c)));
    const found = solveNumber(rule, x, mapped, facts, scope, work, units);
    if (found !== null && better(found, best)) best = found;
  }
  return best;
}

/** The x with k·x + c in the interval. */
function mapInterval(i: NumberInterval, k: number, c: number): NumberInterval {
  const at = (v: number) => (Number.isFinite(v) ? denoise((v - c) / k) : k > 0 ? v : -v);
  return k > 0
    ? { from: at(i.from), fromInclusive: i.fromInclusive, to: at(i.to), toInclusive: i.toInclusive }
    : { from: at(i.to), fromInclusive: i.toInclusive, to: at(i.from), toInclusive: i.fromInclusive };
}

interface NumericFound extends Found {
  /** a value the input may take (the nearest), or NaN when the nearest end is open */
  readonly value: number;
}

/** The values of numeric input `x` that satisfy the rule's conditions (and the award's inverse), nearest to the current. */
function solveNumber(
  rule: ScoringRule,
  x: string,
  awardValues: readonly NumberInterval[],
  facts: FactMap,
  scope: FactScope,
  work: Work,
  units: ReadonlyMap<string, string>,
): NumericFound | null {
  const current = facts[x];
  if (typeof current !== 'number') return null;
  const byConditions = solveConditions(rule.conditions, x, facts, scope, work);
  if (byConditions === null) return null;
  let set = intersect(byConditions, normalize(awardValues));
  set = intersect(set, [domainInterval(x, scope)]);
  if (isInteger(x, scope)) set = set.map(integerInterval).filter(nonEmpty);
  const nearest = nearestInterval(set, current);
  if (nearest === null) return null;
  const { interval, distance } = nearest;
  const value = pointOf(interval, current);
  // the solver is checked against the compiled conditions wherever the nearest value is attained
  if (!Number.isNaN(value) && !conditionsHold(rule, recompute(scope, facts, [[x, value]]))) return null;
  const needed: NeededValue =
    interval.from === interval.to
      ? { equals: interval.from }
      : neededRange(interval);
  return { rule, distance, value, changes: [inputChange(x, scope, units, current, needed)] };
}

/** A rule whose award does not depend on the facts: one input its failing conditions read, changed until they hold. */
function solveConditionsAlone(rule: ScoringRule, facts: FactMap, changeable: Changeable, work: Work): Found | null {
  const { scope, units } = changeable;
  let best: Found | null = null;
  for (const x of inputsOfFailingConditions(rule, facts, scope)) {
    if (changeable.fixed.has(x)) continue;
    const decl = ownValue(scope.facts, x);
    let found: Found | null = null;
    if (decl?.type === 'number' || decl?.type === 'integer') found = solveNumber(rule, x, [ALL_NUMBERS], facts, scope, work, units);
    else if (isChecklistFact(decl)) found = solveChecklist(rule, x, null, facts, scope, work);
    else if (decl?.type === 'boolean' || (decl?.type === 'string' && decl.enum)) found = solveChoice(rule, x, facts, scope, work, units);
    if (found !== null) found = { ...found, rank: changeable.awardInputs.has(x) ? 0 : 1 };
    if (found !== null && better(found, best)) best = found;
  }
  return best;
}

/** A checklist: the fewest unmet requirements to meet — those that deduct, then all — so that the rule applies and
 * the deductions left are ones its award turns into the max (`deductions`; null: any). */
function solveChecklist(rule: ScoringRule, x: string, deductions: readonly NumberInterval[] | null, facts: FactMap, scope: FactScope, work: Work): Found | null {
  const answers = facts[x];
  const met = answers !== null && typeof answers === 'object' ? (answers as Record<string, unknown>) : {};
  const unmet = scope.checklist.filter((r) => ownValue(met, r.id) !== true);
  const deducting = unmet.filter((r) => r.deduction > 0);
  const options = deducting.length < unmet.length ? [deducting, unmet] : [unmet];
  for (const toMeet of options) {
    work.left -= 1 + scope.checklist.length;
    const left = unmet.filter((r) => !toMeet.includes(r));
    const deduction = denoise(left.reduce((s, r) => s + r.deduction, 0));
    if (deductions !== null && !deductions.some((i) => inInterval(deduction, i))) continue;
    const after = Object.assign(Object.create(null) as Record<string, unknown>, met);
    for (const r of toMeet) after[r.id] = true;
    if (!conditionsHold(rule, recompute(scope, facts, [[x, after]]))) continue;
    const decl = ownValue(scope.facts, x);
    return {
      rule,
      distance: toMeet.length,
      changes: [{ fact: x, label: decl?.label ?? x, current: answers ?? null, needed: { requirements: toMeet.map((r) => ({ id: r.id, requirement: r.requirement, deduction: r.deduction })) } }],
    };
  }
  return null;
}

/** A yes/no or enumerated input: the first other value (in the declared order) under which the conditions hold. */
function solveChoice(rule: ScoringRule, x: string, facts: FactMap, scope: FactScope, work: Work, units: ReadonlyMap<string, string>): Found | null {
  const domain = factDomain(x, scope);
  if (domain.kind !== 'values') return null;
  for (const value of domain.values) {
    if (value === facts[x] || (typeof value !== 'string' && typeof value !== 'boolean')) continue;
    work.left -= 1;
    if (conditionsHold(rule, recompute(scope, facts, [[x, value]]))) {
      return { rule, distance: 1, changes: [inputChange(x, scope, units, facts[x] ?? null, { equals: value })] };
    }
  }
  return null;
}

/** The declared inputs behind the rule's fact conditions that fail now: a ratio's or difference's first operand (the
 * achieved amount, not its reference), every operand of a sum, a checklist behind its counts; in condition order. */
function inputsOfFailingConditions(rule: ScoringRule, facts: FactMap, scope: FactScope): string[] {
  const out: string[] = [];
  for (const c of factConditionsInOrder<FactCondition>(rule.conditions)) {
    if (operatorNamed(c.operator).evaluate(facts[c.fact], c.value)) continue;
    for (const i of inputsBehind(c.fact, scope)) if (!out.includes(i)) out.push(i);
  }
  return out;
}

/** The declared inputs a fact moves with: itself, or behind a derived fact its first operand (every one of a sum). */
function inputsBehind(name: string, scope: FactScope): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (n: string) => {
    if (seen.has(n) || seen.size > 64) return;
    seen.add(n);
    const d = ownValue(scope.derived, n);
    if (!d) {
      if (Object.hasOwn(scope.facts, n)) out.push(n);
      return;
    }
    for (const o of d.op === 'sum' ? d.of : d.of.slice(0, 1)) add(o);
  };
  add(name);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// conditions solved for one numeric input

/** A fact as a function of the input x: k·x + c, a value that does not depend on x, or beyond this solver. */
type Dependence = { readonly kind: 'affine'; readonly k: number; readonly c: number } | { readonly kind: 'constant'; readonly value: unknown } | { readonly kind: 'unknown' };

function dependenceOn(name: string, x: string, facts: FactMap, scope: FactScope, depth = 0): Dependence {
  if (name === x) return { kind: 'affine', k: 1, c: 0 };
  const d = ownValue(scope.derived, name);
  const fixed: Dependence = { kind: 'constant', value: facts[name] ?? null };
  if (!d || depth > 32) return fixed;
  const parts = d.of.map((o) => dependenceOn(o, x, facts, scope, depth + 1));
  if (parts.every((p) => p.kind === 'constant')) return fixed;
  if (parts.some((p) => p.kind === 'unknown')) return { kind: 'unknown' };
  const asAffine = (p: Dependence): { k: number; c: number } | null =>
    p.kind === 'affine' ? p : typeof (p as { value: unknown }).value === 'number' ? { k: 0, c: (p as { value: number }).value } : null;
  const terms = parts.map(asAffine);
  // a non-numeric operand leaves the derived fact null whatever x is
  if (terms.some((t) => t === null)) return { kind: 'constant', value: null };
  const [a, b] = terms as { k: number; c: number }[];
  switch (d.op) {
    case 'ratio':
      if (b!.k !== 0) return { kind: 'unknown' }; // x in the denominator: not affine
      return b!.c === 0 ? { kind: 'constant', value: null } : { kind: 'affine', k: a!.k / b!.c, c: a!.c / b!.c };
    case 'difference':
      return { kind: 'affine', k: a!.k - b!.k, c: a!.c - b!.c };
    case 'sum':
      return { kind: 'affine', k: terms.reduce((s, t) => s + t!.k, 0), c: terms.reduce((s, t) => s + t!.c, 0) };
    default:
      return { kind: 'unknown' };
  }
}

/** The x values under which the condition tree holds, the other facts as given; null when it is beyond this solver. */
function solveConditions(conditions: ScoringRule['conditions'], x: string, facts: FactMap, scope: FactScope, work: Work): NumberInterval[] | null {
  return foldCondition<NumberInterval[] | null>(conditions, {
    fact: (c) => {
      work.left -= 1;
      return solveFactCondition(c, x, facts, scope);
    },
    all: (parts) => (parts.some((p) => p === null) ? null : parts.reduce<NumberInterval[]>((acc, p) => intersect(acc, p!), [ALL_NUMBERS])),
    any: (parts) => (parts.some((p) => p === null) ? null : normalize(parts.flatMap((p) => p!))),
    not: (part) => (part === null ? null : complement(part)),
  });
}

function solveFactCondition(c: FactCondition, x: string, facts: FactMap, scope: FactScope): NumberInterval[] | null {
  const dep = dependenceOn(c.fact, x, facts, scope);
  if (dep.kind === 'unknown') return null;
  if (dep.kind === 'constant') return operatorNamed(c.operator).evaluate(dep.value, c.value) ? [ALL_NUMBERS] : [];
  if (dep.k === 0) return operatorNamed(c.operator).evaluate(dep.c, c.value) ? [ALL_NUMBERS] : [];
  const region = numbersWhere(c.operator, c.value);
  if (region === null) return null;
  // x = (fact − c) ÷ k: each stretch of the fact's numbers maps to one of x's, ends swapped when k < 0
  const at = (v: number) => (Number.isFinite(v) ? denoise((v - dep.c) / dep.k) : v / dep.k);
  const mapped = normalize(
    region.stretches.map((s) =>
      dep.k > 0
        ? { from: at(s.from), fromInclusive: s.fromInclusive, to: at(s.to), toInclusive: s.toInclusive }
        : { from: at(s.to), fromInclusive: s.toInclusive, to: at(s.from), toInclusive: s.fromInclusive },
    ),
  );
  return region.holes ? complement(mapped) : mapped;
}

/** A rule's conditions compiled once (the solver checks its answer against them for every item it solves). */
const compiledConditions = new WeakMap<ScoringRule, ReturnType<typeof compileCondition>>();

function conditionsHold(rule: ScoringRule, facts: FactMap): boolean {
  let evaluate = compiledConditions.get(rule);
  if (!evaluate) compiledConditions.set(rule, (evaluate = compileCondition(rule.conditions)));
  try {
    return evaluate(facts).result;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// sets of numbers as sorted, disjoint intervals

function point(x: number): NumberInterval {
  return { from: x, fromInclusive: true, to: x, toInclusive: true };
}

function nonEmpty(i: NumberInterval): boolean {
  return i.from < i.to || (i.from === i.to && i.fromInclusive && i.toInclusive);
}

function normalize(list: readonly NumberInterval[]): NumberInterval[] {
  const sorted = list.filter(nonEmpty).sort((a, b) => a.from - b.from || Number(b.fromInclusive) - Number(a.fromInclusive));
  const out: NumberInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && (i.from < last.to || (i.from === last.to && (i.fromInclusive || last.toInclusive)))) {
      const to = i.to > last.to || (i.to === last.to && i.toInclusive) ? i : last;
      out[out.length - 1] = { from: last.from, fromInclusive: last.fromInclusive, to: to.to, toInclusive: to.toInclusive };
    } else out.push(i);
  }
  return out;
}

function intersect(a: readonly NumberInterval[], b: readonly NumberInterval[]): NumberInterval[] {
  const out: NumberInterval[] = [];
  for (const i of a) {
    for (const j of b) {
      const from = i.from > j.from ? i : i.from < j.from ? j : { from: i.from, fromInclusive: i.fromInclusive && j.fromInclusive };
      const to = i.to < j.to ? i : i.to > j.to ? j : { to: i.to, toInclusive: i.toInclusive && j.toInclusive };
      out.push({ from: from.from, fromInclusive: from.fromInclusive, to: to.to, toInclusive: to.toInclusive });
    }
  }
  return normalize(out);
}

function complement(set: readonly NumberInterval[]): NumberInterval[] {
  const out: NumberInterval[] = [];
  let from = -Infinity;
  let fromInclusive = false;
  for (const i of normalize(set)) {
    out.push({ from, fromInclusive, to: i.from, toInclusive: !i.fromInclusive });
    from = i.to;
    fromInclusive = !i.toInclusive;
  }
  out.push({ from, fromInclusive, to: Infinity, toInclusive: false });
  return normalize(out.filter((i) => !(i.from === -Infinity && i.to === -Infinity) && !(i.from === Infinity)));
}

function domainInterval(x: string, scope: FactScope): NumberInterval {
  const d = factDomain(x, scope);
  if (d.kind !== 'number') return ALL_NUMBERS;
  return { from: d.range.min, fromInclusive: d.range.minInclusive && d.range.min !== -Infinity, to: d.range.max, toInclusive: d.range.max !== Infinity };
}

function isInteger(x: string, scope: FactScope): boolean {
  return ownValue(scope.facts, x)?.type === 'integer';
}

function integerInterval(i: NumberInterval): NumberInterval {
  const from = i.from === -Infinity ? i.from : Number.isInteger(i.from) && !i.fromInclusive ? i.from + 1 : Math.ceil(i.from);
  const to = i.to === Infinity ? i.to : Number.isInteger(i.to) && !i.toInclusive ? i.to - 1 : Math.floor(i.to);
  return { from, fromInclusive: from !== -Infinity, to, toInclusive: to !== Infinity };
}

function nearestInterval(set: readonly NumberInterval[], current: number): { interval: NumberInterval; distance: number } | null {
  let best: { interval: NumberInterval; distance: number } | null = null;
  for (const interval of set) {
    const distance = current < interval.from ? interval.from - current : current > interval.to ? current - interval.to : 0;
    if (best === null || distance < best.distance) best = { interval, distance };
  }
  return best;
}

/** The value of the interval nearest to `current`, or NaN when that end is open (no nearest value). */
function pointOf(i: NumberInterval, current: number): number {
  if (inInterval(current, i)) return current;
  if (current < i.from) return i.fromInclusive ? i.from : Number.NaN;
  return i.toInclusive ? i.to : Number.NaN;
}

// ---------------------------------------------------------------------------------------------------------------
// facts and words

function nullProto(record: Readonly<Record<string, unknown>>): FactMap {
  return Object.assign(Object.create(null) as FactMap, record);
}

/** The facts with some inputs replaced and the derived ones computed again. */
function recompute(scope: FactScope, facts: FactMap, replaced: readonly (readonly [string, unknown])[]): FactMap {
  const base = Object.create(null) as FactMap;
  for (const key of Object.keys(facts)) if (!Object.hasOwn(scope.derived, key)) base[key] = facts[key];
  for (const [k, v] of replaced) base[k] = v;
  return computeDerived(scope, base);
}

/** A range of numbers as NeededValue: its bounded ends only, min before max. */
function neededRange(interval: NumberInterval): NeededValue {
  const bounded = { min: interval.from !== -Infinity, max: interval.to !== Infinity };
  if (bounded.min && bounded.max) return { min: interval.from, minInclusive: interval.fromInclusive, max: interval.to, maxInclusive: interval.toInclusive };
  if (bounded.min) return { min: interval.from, minInclusive: interval.fromInclusive };
  if (bounded.max) return { max: interval.to, maxInclusive: interval.toInclusive };
  return {};
}

/** An input to change: the fact, its label, its unit when it has one, what it is and what it must become (in this key order). */
function inputChange(x: string, scope: FactScope, units: ReadonlyMap<string, string>, current: unknown, needed: NeededValue): InputChange {
  const decl = ownValue(scope.facts, x);
  const unit = decl?.unit ?? units.get(x);
  const label = decl?.label ?? x;
  return unit ? { fact: x, label, unit, current, needed } : { fact: x, label, current, needed };
}

function tierLabelOf(tier: unknown, scope: FactScope, tierFact: string): string {
  if (typeof tier !== 'string') return '未选档次';
  return ownValue(ownValue(scope.facts, tierFact)?.enumLabels, tier) ?? ownValue(TIER_LABELS, tier) ?? tier;
}

function tierChange(tierFact: string, tier: string, scoreFact: string, facts: FactMap, scope: FactScope, score: number): InputChange {
  return {
    fact: tierFact,
    label: ownValue(scope.facts, tierFact)?.label ?? tierFact,
    current: { tier: facts[tierFact] ?? null, tierLabel: tierLabelOf(facts[tierFact], scope, tierFact), score: facts[scoreFact] ?? null },
    needed: { tier, tierLabel: tierLabelOf(tier, scope, tierFact), score },
  };
}

/** Units of measure of unit-written indicators by indicator id: they measure its actual and target. */
function unitsOfMeasure(input: Submission | undefined): ReadonlyMap<string, ReadonlyMap<string, string>> {
  const out = new Map<string, ReadonlyMap<string, string>>();
  for (const ind of input?.indicators ?? []) {
    if (ind.unitOfMeasure) out.set(ind.id, new Map([['actual', ind.unitOfMeasure], ['target', ind.unitOfMeasure]]));
  }
  return out;
}

const NO_UNITS: ReadonlyMap<string, string> = new Map();

function recoveryText(changes: readonly InputChange[], item: ItemResult, lost: number): string {
  const gain = `可得满分 ${formatNumber(item.max)} 分，挽回 ${formatNumber(lost)} 分`;
  const parts = changes.map((c) => changeText(c, lost, item.max));
  if (changes.length === 1 && 'requirements' in changes[0]!.needed) return parts[0]!;
  return `${parts.join('，')}，${gain}`;
}

function changeText(c: InputChange, lost: number, max: number): string {
  const n = c.needed;
  const unit = c.unit ?? '';
  const cur = typeof c.current === 'number' ? `${formatNumber(c.current)}${unit}` : String(c.current);
  if ('requirements' in n) {
    return `需满足：${n.requirements.map((r) => `「${r.requirement}」`).join('、')}（共挽回 ${formatNumber(lost)} 分，可得满分 ${formatNumber(max)} 分）`;
  }
  if ('tier' in n) {
    const current = c.current as { tier: unknown; tierLabel: string; score: unknown };
    const now = `现为『${current.tierLabel}』档${typeof current.score === 'number' ? ` ${formatNumber(current.score)} 分` : ''}`;
    return current.tier === n.tier
      ? `定性评价在『${n.tierLabel}』档内需选 ${formatNumber(n.score)} 分（${now}）`
      : `定性评价需达到『${n.tierLabel}』档并选 ${formatNumber(n.score)} 分（${now}）`;
  }
  if ('equals' in n) {
    const v = typeof n.equals === 'number' ? `${formatNumber(n.equals)}${unit}` : n.equals === true ? '是' : n.equals === false ? '否' : n.equals;
    return `${c.label}需为 ${v}（现为 ${cur}）`;
  }
  const current = typeof c.current === 'number' ? c.current : 0;
  if (n.min !== undefined && current < n.min) {
    return `${c.label}需${n.minInclusive ? '达到' : '高于'} ${formatNumber(n.min)}${unit}（现为 ${cur}）`;
  }
  if (n.max !== undefined) return `${c.label}需${n.maxInclusive ? '不超过' : '低于'} ${formatNumber(n.max)}${unit}（现为 ${cur}）`;
  return `${c.label}需改变（现为 ${cur}）`;
}

// ---------------------------------------------------------------------------------------------------------------
// the next grade

function nextGradeRecovery(compiled: CompiledRuleSet, result: ScoreResult, items: readonly ItemRecovery[], decimals: number): NextGradeRecovery | null {
  const next = result.nextGrade;
  if (next === null) return null;
  const doc = compiled.document;
  // most points first, ties in table order (items are in table order and the sort is stable): the first k reach the
  // most any k items can, so the first prefix that reaches the band is a smallest set
  const candidates = items.filter((i) => i.reachable).sort((a, b) => toUnits(b.lost, decimals) - toUnits(a.lost, decimals));
  const totalAfter = (recoveredUnits: number): number => {
    const recovered = recoveredUnits / 10 ** decimals;
    if (result.rescale === null) return sumRounded([result.total, recovered], decimals);
    const raw = sumRounded([result.rescale.rawTotal, recovered], decimals);
    return Math.min(doc.total, roundHalfUp((raw * doc.total) / result.rescale.applicableMax, decimals));
  };
  const minUnits = toUnits(next.min, decimals);
  let recoveredUnits = 0;
  const chosen: ItemRecovery[] = [];
  for (const item of candidates) {
    if (toUnits(totalAfter(recoveredUnits), decimals) >= minUnits) break;
    chosen.push(item);
    recoveredUnits += toUnits(item.lost, decimals);
  }
  const after = totalAfter(recoveredUnits);
  const reachable = toUnits(after, decimals) >= minUnits;
  const recovered = recoveredUnits / 10 ** decimals;
  const band = `『${next.label}』（≥ ${formatNumber(next.min)} 分）`;
  const scaled = result.rescale === null ? '' : '（按适用分值折算）';
  const text = reachable
    ? `距${band}还差 ${formatNumber(next.pointsNeeded)} 分：挽回${chosen.map((i) => `「${i.name}」${formatNumber(i.lost)} 分`).join('、')}，总分可达 ${formatNumber(after)} 分${scaled}`
    : `距${band}还差 ${formatNumber(next.pointsNeeded)} 分：即使挽回全部可挽回的 ${formatNumber(recovered)} 分，总分也只有 ${formatNumber(after)} 分${scaled}，达不到该等级`;
  return {
    code: next.code,
    name: next.name,
    label: next.label,
    min: next.min,
    pointsNeeded: next.pointsNeeded,
    reachable,
    items: chosen.map((i) => ({ itemId: i.itemId, name: i.name, lost: i.lost })),
    recovered,
    totalAfter: after,
    text,
  };
}
