// Pass "bandCoverage": for every valid input exactly one case applies per leaf. Conditions compare one fact with
// constants, so their truth only changes at the thresholds written in the rules: probing every threshold, the
// midpoints between them and a point beyond each end (within the fact's valid range) visits every band.
import { formatNumber } from '../../../domain/methods.js';
import { factDomain, type NumericRange } from '../../facts.js';
import { buildEngine, fireRules, type ScoringTarget } from '../../model.js';
import type { Pass } from '../diagnostics.js';
import { conditionFacts } from './references.js';

export const MAX_PROBES_PER_TARGET = 20_000;
const MAX_REPORTS_PER_KIND = 3;

function thresholdsOf(target: ScoringTarget, fact: string): unknown[] {
  const out: unknown[] = [];
  const visit = (c: unknown) => {
    const node = c as Record<string, unknown>;
    if (Array.isArray(node.all)) node.all.forEach(visit);
    if (Array.isArray(node.any)) node.any.forEach(visit);
    if (node.not) visit(node.not);
    if (node.fact === fact) {
      if (Array.isArray(node.value)) out.push(...node.value);
      else out.push(node.value);
    }
  };
  for (const { rule } of target.rules) visit(rule.conditions);
  return out;
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

function describeProbe(probe: Record<string, unknown>, target: ScoringTarget): string {
  return Object.entries(probe)
    .map(([k, v]) => {
      const label = target.scope.facts[k]?.label ?? target.scope.derived[k]?.label ?? k;
      return `${label}（${k}）= ${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`;
    })
    .join('，');
}

export const bandCoveragePass: Pass = {
  name: 'bandCoverage',
  blocking: false,
  needsSoundStructure: true,
  async run(ctx) {
    for (const target of ctx.index.targets.values()) {
      if (target.rules.length === 0) continue;
      const facts = [...new Set(target.rules.flatMap(({ rule }) => conditionFacts(rule.conditions, '').map((c) => c.fact)))];
      const axes = facts.map((fact) => {
        const domain = factDomain(fact, target.scope);
        const thresholds = thresholdsOf(target, fact);
        if (domain.kind === 'number') return { fact, values: numericProbes(thresholds.filter((x): x is number => typeof x === 'number'), domain.range) as unknown[] };
        const extra = domain.values.length === 1 && domain.values[0] === '（任意文字）' ? thresholds : [];
        return { fact, values: [...new Set([...domain.values, ...extra])] };
      });
      const combos = axes.reduce((n, a) => n * Math.max(1, a.values.length), 1);
      if (combos > MAX_PROBES_PER_TARGET) {
        ctx.report({ code: 'BAND_PROBE_LIMIT', severity: 'warning', message: `「${target.name}」的条件组合过多（${combos} 个），未做完整的覆盖检查`, location: target.location });
        continue;
      }
      const engine = buildEngine(target.rules);
      const reached = new Set<string>();
      let gaps = 0;
      let overlaps = 0;
      const probe: Record<string, unknown> = {};
      const walk = async (i: number): Promise<void> => {
        if (i === axes.length) {
          const fired = await fireRules(engine, { ...probe });
          fired.forEach((f) => reached.add(f.name));
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
  },
};
