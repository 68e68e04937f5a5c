// Pass "bandCoverage": for every valid input exactly one case applies per leaf. Conditions compare one fact with
// constants, so their truth only changes at the thresholds written in the rules: probing every threshold, the
// midpoints between them and a point beyond each end (within the fact's valid range) visits every band.
import { formatNumber } from '../../../domain/methods.js';
import { factConditions } from '../../conditions.js';
import { factDomain, type NumericRange } from '../../facts.js';
import { awardFactReferences } from '../../methods/registry.js';
import { buildEngine, fireRules, own, type ScoringTarget } from '../../model.js';
import { indicatorFactMayBeNull } from '../../scoring/instance-tree.js';
import { operatorNamed } from '../../operators.js';
import { MAX_BAND_RULE_EVALUATIONS, MAX_PROBES_PER_TARGET } from '../budget.js';
import type { Pass } from '../diagnostics.js';

export { MAX_PROBES_PER_TARGET } from '../budget.js';
const MAX_REPORTS_PER_KIND = 3;

/** The band edges the conditions on one fact put in the target's rules (see operators.ts), as written. */
function thresholdsOf(target: ScoringTarget, fact: string): unknown[] {
  return target.rules.flatMap(({ rule }) =>
    factConditions(rule.conditions)
      .filter(({ condition }) => condition.fact === fact)
      .flatMap(({ condition }) => operatorNamed(condition.operator).bandEdges(condition.value)),
  );
}

function inRange(x: number, r: NumericRange): boolean {
  return (r.minInclusive ? x >= r.min : x > r.min) && x <= r.max && (!r.integer || Number.isInteger(x));
}

export function numericProbes(thresholds: readonly number[], range: NumericRange): number[] {
  const t = [...new Set(thresholds.filter((x) => Number.isFinite(x)))].sort((a, b) => a - b);
  const candidates: number[] = [];
  if (Number.isFinite(range.min) && range.minInclusive) candidates.push(range.min);
  if (Number.isFinite(range.max)) candidates.push(range.max);
  if (t.length === 0) candidates.push(0, 1);
  else {
    candidates.push(t[0]! - Math.max(1, Math.abs(t[0]!)), t[t.length - 1]! + Math.max(1, Math.abs(t[t.length - 1]!)));
    t.forEach((x, i) => {
      candidates.push(x);
      if (i + 1 < t.length) candidates.push((x + t[i + 1]!) / 2);
      if (range.integer) candidates.push(Math.floor(x) - 1, Math.floor(x), Math.ceil(x), Math.ceil(x) + 1);
    });
    if (Number.isFinite(range.min) && range.min < t[0]!) candidates.push((range.min + t[0]!) / 2);
  }
  const probes = candidates.map((x) => (range.integer ? Math.round(x) : x)).filter((x) => inRange(x, range));
  return [...new Set(probes)].sort((a, b) => a - b);
}

/** A ratio whose denominator's valid range includes 0 (then it is null at scoring time). */
function ratioMayDivideByZero(d: { readonly op: string; readonly of: readonly string[] }, target: ScoringTarget, seen: ReadonlySet<string>): boolean {
  const denominatorFact = d.of[1];
  if (d.op !== 'ratio' || denominatorFact === undefined) return false;
  const denominator = factDomain(denominatorFact, target.scope, seen);
  if (denominator.kind !== 'number') return true;
  const r = denominator.range;
  return (r.minInclusive ? r.min <= 0 : r.min < 0) && r.max >= 0;
}

/**
 * Whether a derived fact of a fixed leaf can be null for valid input (a fixed leaf's declared facts are all required,
 * so only a ratio's zero denominator makes one). Rule groups are left out: their optional facts are null exactly for
 * the directions that do not use them, which the submission check enforces and probes cannot express.
 */
function derivedMayBeNull(name: string, target: ScoringTarget, seen: ReadonlySet<string> = new Set()): boolean {
  const d = own(target.scope.derived, name);
  if (!d || seen.has(name)) return false;
  const inner = new Set(seen).add(name);
  if (d.of.some((input) => derivedMayBeNull(input, target, inner))) return true;
  return ratioMayDivideByZero(d, target, inner);
}

/**
 * For a rule group (unit-written indicators), whether `fact` may be null for an indicator of `direction` (undefined:
 * the rules do not ask for the direction, so any): an optional fact its direction leaves out (indicatorFactMayBeNull),
 * a derived fact over one, or a ratio whose denominator may be 0. Probing these with null is what finds a rule set
 * whose qualitative indicators reach no case (e.g. a rule that also asks `target notEqual null`).
 */
function groupFactMayBeNull(name: string, target: ScoringTarget, direction: unknown, seen: ReadonlySet<string> = new Set()): boolean {
  const declared = own(target.scope.facts, name);
  if (declared) return indicatorFactMayBeNull(name, direction, declared.optional === true);
  const d = own(target.scope.derived, name);
  if (!d || seen.has(name)) return false;
  const inner = new Set(seen).add(name);
  if (d.of.some((input) => groupFactMayBeNull(input, target, direction, inner))) return true;
  return ratioMayDivideByZero(d, target, inner);
}

/** Whether `fact` may be null for the input a probe stands for. */
function mayBeNull(fact: string, target: ScoringTarget, probe: Readonly<Record<string, unknown>> | null): boolean {
  if (target.kind === 'leaf') return derivedMayBeNull(fact, target);
  const direction = probe !== null && Object.hasOwn(probe, 'direction') ? probe.direction : undefined;
  return groupFactMayBeNull(fact, target, direction);
}

function describeProbe(probe: Record<string, unknown>, target: ScoringTarget): string {
  return Object.entries(probe)
    .map(([k, v]) => {
      const label = own(target.scope.facts, k)?.label ?? own(target.scope.derived, k)?.label ?? k;
      return `${label}（${k}）= ${typeof v === 'number' ? formatNumber(v) : v === null ? 'null（无法计算）' : JSON.stringify(v)}`;
    })
    .join('，');
}

export const bandCoveragePass: Pass = {
  name: 'bandCoverage',
  blocking: false,
  needsSoundStructure: true,
  async run(ctx) {
    let evaluations = 0;
    const overBudget: string[] = [];
    for (const target of ctx.index.targets.values()) {
      if (target.rules.length === 0) continue;
      const facts = [...new Set(target.rules.flatMap(({ rule }) => factConditions(rule.conditions).map(({ condition }) => condition.fact)))];
      const axes = facts.map((fact) => {
        const domain = factDomain(fact, target.scope);
        const thresholds = thresholdsOf(target, fact);
        if (domain.kind === 'number') {
          const values: unknown[] = numericProbes(thresholds.filter((x): x is number => typeof x === 'number'), domain.range);
          // a ratio over a denominator that may be 0 is null at scoring time, and no comparison holds for null;
          // in a rule group, so are the facts an indicator's direction leaves out (probed only with that direction)
          if (mayBeNull(fact, target, null)) values.push(null);
          return { fact, values };
        }
        const extra = domain.values.length === 1 && domain.values[0] === '（任意文字）' ? thresholds : [];
        return { fact, values: [...new Set([...domain.values, ...extra])] };
      });
      const combos = axes.reduce((n, a) => n * Math.max(1, a.values.length), 1);
      if (combos > MAX_PROBES_PER_TARGET) {
        ctx.report({
          code: 'BAND_PROBE_LIMIT',
          severity: 'error',
          message: `「${target.name}」的条件组合过多（${combos} 个，上限 MAX_PROBES_PER_TARGET = ${MAX_PROBES_PER_TARGET}），无法完成覆盖检查；请减少条件所用的数据项或分界值`,
          location: target.location,
        });
        continue;
      }
      // counted before any probe runs, so an oversized rule set costs nothing beyond building the axes
      const cost = combos * target.rules.length;
      if (evaluations + cost > MAX_BAND_RULE_EVALUATIONS) {
        if (overBudget.length === 0) {
          ctx.report({
            code: 'CHECK_BUDGET_EXCEEDED',
            severity: 'error',
            message: `覆盖检查超出工作量上限 MAX_BAND_RULE_EVALUATIONS = ${MAX_BAND_RULE_EVALUATIONS} 次规则判断：「${target.name}」有 ${target.rules.length} 条规则、${combos} 个探测点，需 ${cost} 次（此前已用 ${evaluations} 次）；请拆分规则或减少分界值`,
            location: target.location,
          });
        }
        overBudget.push(target.name);
        continue;
      }
      evaluations += cost;
      const engine = buildEngine(target.rules);
      const reached = new Set<string>();
      // a method computing with a fact that is null for this probe cannot score (SCORING_INVARIANT_BROKEN)
      const axisFacts = new Set(facts);
      const nullReported = new Set<string>();
      const checkAwardFacts = (ruleName: string, probe: Readonly<Record<string, unknown>>) => {
        const found = target.rules.find((r) => r.rule.name === ruleName);
        if (!found) return;
        // the award fields that name a fact the method computes with as a number (from the method registry)
        const numericFacts = awardFactReferences(found.rule.event.params.award).filter((r) => r.accepts === 'number');
        for (const { field: param, fact } of numericFacts) {
          if (!mayBeNull(fact, target, probe)) continue;
          if (axisFacts.has(fact) && probe[fact] !== null) continue;
          if (nullReported.has(`${ruleName}\u0000${param}`)) continue;
          nullReported.add(`${ruleName}\u0000${param}`);
          ctx.report({
            code: 'AWARD_FACT_NULL',
            severity: 'error',
            message: `规则「${ruleName}」的计分方法用「${fact}」计算，但它${target.kind === 'leaf' ? '在分母为 0 时' : '在分母为 0 或该方向的指标不填相关数据项时'}为 null（无法计算）；请用条件排除这种情形（如 ${fact} notEqual null）`,
            location: `$.rules[${found.index}].event.params.award.${param}`,
          });
        }
      };
      let gaps = 0;
      let overlaps = 0;
      const probe: Record<string, unknown> = Object.create(null);
      const walk = async (i: number): Promise<void> => {
        if (i === axes.length) {
          // a null no input of this probe's direction can give (e.g. a quantitative indicator without a target)
          if (target.kind === 'ruleGroup' && axes.some(({ fact }) => probe[fact] === null && !mayBeNull(fact, target, probe))) return;
          const fired = await fireRules(engine, { ...probe });
          fired.forEach((f) => reached.add(f.name));
          if (fired.length === 1) checkAwardFacts(fired[0]!.name, probe);
          if (fired.length === 0 && gaps++ < MAX_REPORTS_PER_KIND) {
            ctx.report({ code: 'BAND_GAP', severity: 'error', message: `「${target.name}」在 ${describeProbe(probe, target)} 时没有适用的计分情形`, location: target.location });
          }
          if (fired.length > 1 && overlaps++ < MAX_REPORTS_PER_KIND) {
            ctx.report({
              code: 'BAND_OVERLAP',
              severity: 'error',
              message: `「${target.name}」在 ${describeProbe(probe, target)} 时有 ${fired.length} 个计分情形同时适用：${fired.map((f) => f.name).join('、')}`,
              location: target.location,
            });
          }
          return;
        }
        for (const v of axes[i]!.values) {
          probe[axes[i]!.fact] = v;
          await walk(i + 1);
        }
      };
      await walk(0);
      for (const { rule, index } of target.rules) {
        if (!reached.has(rule.name)) {
          ctx.report({ code: 'UNREACHABLE_RULE', severity: 'warning', message: `规则「${rule.name}」对任何有效输入都不会适用`, location: `$.rules[${index}]` });
        }
      }
    }
    if (overBudget.length > 1) {
      ctx.report({
        code: 'CHECK_BUDGET_EXCEEDED',
        severity: 'error',
        message: `因超出工作量上限 MAX_BAND_RULE_EVALUATIONS，共 ${overBudget.length} 个计分对象未做覆盖检查：${overBudget.slice(0, 10).join('、')}${overBudget.length > 10 ? ' 等' : ''}`,
        location: '$.rules',
      });
    }
  },
};
