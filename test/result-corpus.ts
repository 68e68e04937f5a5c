// A fixed corpus of submissions and what scoring gives for it, hashed: every golden case, every example and 10,000
// generated submissions (a seeded generator, no Math.random) — so a change meant to be "faster, same results" can show
// that the result JSON of each is byte for byte what it was (test/engine/result-hashes.test.ts, issue #14) — and what
// it would take, shown beside each generated result.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, syntheticRuleSet, syntheticSubmission } from '../bench/synthetic.js';
import { canonicalJson } from '../src/domain/canonical.js';
import { DomainError } from '../src/domain/errors.js';
import { compileChecked, type CompiledRuleSet } from '../src/engine/compiled.js';
import { caseAppliesTo } from '../src/engine/golden.js';
import type { RuleSetRegistry } from '../src/engine/registry.js';
import { scoreWithRuleSet } from '../src/engine/score.js';
import { whatItWouldTake } from '../src/engine/what-it-would-take.js';
import { ROOT, readJson, shippedCases, shippedRegistry } from './support.js';

/** Generated submissions per family (gd-meizhou-2022, cn-mof-2020, synthetic-60): 10,002 in all. */
export const GENERATED_PER_FAMILY = 3334;
export const CORPUS_SEED = 20261202;

type Submission = Record<string, unknown>;

/** The result's canonical JSON, or the refusal's code, message and details. */
export function outcomeText(rules: CompiledRuleSet | RuleSetRegistry, submission: unknown): string {
  return outcomeTexts(rules, submission).result;
}

/** The same, and what it would take (shown beside a result: its canonical JSON, or '' for a refusal). */
export function outcomeTexts(rules: CompiledRuleSet | RuleSetRegistry, submission: unknown): { result: string; whatItWouldTake: string } {
  try {
    const compiled = 'document' in rules ? rules : resolveFor(rules, submission);
    const result = scoreWithRuleSet(compiled, submission);
    return { result: canonicalJson(result), whatItWouldTake: canonicalJson(whatItWouldTake(compiled, result, submission as never)) };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { result: canonicalJson({ error: e.code, message: e.message, details: e.details }), whatItWouldTake: '' };
  }
}

function resolveFor(registry: RuleSetRegistry, submission: unknown): CompiledRuleSet {
  const s = submission as { ruleset: { id: string; version?: string }; project: { fiscalYear: number } };
  return registry.resolve(s.ruleset.id, s.ruleset.version, s.project.fiscalYear);
}

const sha256 = (parts: readonly string[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\n');
  return h.digest('hex');
};

const money = (r: () => number, max: number) => Math.round(r() * max * 100) / 100;
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
const checklist = (r: () => number, ...ids: string[]) => Object.fromEntries(ids.map((id) => [id, r() < 0.75]));

export function gdSubmission(r: () => number): Submission {
  const budget = money(r, 1000) + 1;
  const arrived = Math.round(budget * (r() < 0.5 ? 1 : r() * 1.2) * 100) / 100 || 0.01;
  const planned = money(r, 500) + 0.01;
  const outputs = 1 + Math.floor(r() * 200);
  const targetsSet = 1 + Math.floor(r() * 10);
  const facts: Record<string, unknown> = {
    decisionBasis: { requirements: checklist(r, 'legalBasis', 'approvalProcedure', 'dutyMatch') },
    targetSetting: { requirements: checklist(r, 'targetsSet', 'targetsRelevant', 'targetsQuantified') },
    safeguards: { requirements: checklist(r, 'measuresInPlace', 'measuresEffective') },
    fundsArrival: { budget, arrived },
    fundsAllocation: { requirements: checklist(r, 'allocationBasis', 'allocationReasonable') },
    payment: { arrived, spent: Math.round(arrived * (r() < 0.5 ? 1 : r() * 1.1) * 100) / 100 },
    spendingCompliance: { requirements: checklist(r, 'noMisappropriation', 'approvalComplete', 'accountingCompliant') },
    implementationProcedure: { requirements: checklist(r, 'procedureFollowed', 'rulesInPlace') },
    managementPractice: { requirements: checklist(r, 'rulesExecuted', 'oversight') },
    economy: { plannedCost: planned, actualCost: Math.round(planned * (r() < 0.4 ? 1 : r() * 2.5) * 100) / 100 },
    efficiency: { plannedOutputs: outputs, completedOutputs: Math.round(outputs * (r() < 0.5 ? 1 : r() * 1.3) * 100) / 100 },
    effectiveness: { targetsSet, targetsMet: Math.floor(r() * 13) },
    fairness: { satisfactionRate: r() < 0.3 ? 0.9 : money(r, 1) },
  };
  const notApplicable: Record<string, string> = {};
  for (const id of ['fundsAllocation', 'safeguards', 'economy', 'fairness', 'effectiveness']) {
    if (r() < 0.1) {
      delete facts[id];
      notApplicable[id] = '生成的不适用项';
    }
  }
  return {
    ruleset: { id: 'gd-meizhou-2022' },
    project: { name: '生成项目', unitId: 'gen-unit', unitName: '生成单位', fiscalYear: 2022 },
    facts,
    notApplicable,
    ...(r() < 0.5 ? { selfAssessment: { total: money(r, 100) } } : {}),
  };
}

const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  output: ['quantity', 'quality', 'timeliness', 'cost'],
  benefit: ['economicBenefit', 'socialBenefit', 'ecologicalBenefit', 'sustainableImpact'],
  satisfaction: ['serviceSatisfaction'],
};
const BLOCK: Readonly<Record<string, number>> = { output: 50, benefit: 30, satisfaction: 10 };

export function cnSubmission(r: () => number): Submission {
  const indicators: Record<string, unknown>[] = [];
  for (const group of ['output', 'benefit', 'satisfaction']) {
    if (group === 'satisfaction' && r() < 0.2) continue;
    const k = 1 + Math.floor(r() * 5);
    const weights = Array.from({ length: k }, () => 1 + Math.floor(r() * 10));
    const sum = weights.reduce((a, b) => a + b, 0);
    const points = weights.map((w) => Math.floor((w * BLOCK[group]!) / sum));
    points[0]! += BLOCK[group]! - points.reduce((a, b) => a + b, 0);
    points.forEach((p) => {
      const i = indicators.length;
      const direction = pick(r, ['gte', 'lte', 'eq', 'qualitative'] as const);
      const target = r() < 0.1 ? 0 : money(r, 200);
      const base = { id: `ind${i}`, category: pick(r, CATEGORIES[group]!), name: `指标${i}`, direction, points: p };
      if (r() < 0.08) return void indicators.push({ ...base, target, notApplicable: '生成的不适用项' });
      if (direction === 'qualitative') {
        const tier = pick(r, ['achieved', 'partial', 'notAchieved'] as const);
        const [lo, hi] = tier === 'achieved' ? [0.8, 1] : tier === 'partial' ? [0.6, 0.8] : [0, 0.6];
        const min = Math.ceil(p * lo * 100);
        const max = Math.max(min, Math.ceil(p * hi * 100) - (tier === 'achieved' ? 0 : 1));
        return void indicators.push({ ...base, target: '定性目标', actual: '定性完成情况', tier, chosenScore: Math.floor(min + r() * (max - min + 1)) / 100 });
      }
      const kind = r();
      indicators.push({ ...base, target, actual: kind < 0.3 ? target : kind < 0.35 ? -money(r, 400) : money(r, 400) });
    });
  }
  const budget = money(r, 1000) + 1;
  const share = r() < 0.3 ? 1 : r() < 0.3 ? 0.9 : r() * 1.2;
  return {
    ruleset: { id: 'cn-mof-2020' },
    project: { name: '生成项目', unitId: 'gen-unit', unitName: '生成单位', fiscalYear: 2023 },
    ...(r() < 0.05 ? { notApplicable: { budgetExecution: '生成的不适用项' } } : { facts: { budgetExecution: { budget, executed: Math.round(budget * share * 100) / 100 } } }),
    indicators,
  };
}

/** The corpus's hashes: per family of generated submissions, golden cases and examples. */
export function corpusHashes(): Record<string, string> {
  const registry = shippedRegistry();
  const synthetic = compileChecked(syntheticRuleSet());
  const r = seededRandom(CORPUS_SEED);
  const shown: Record<string, string> = {};
  const generated = (family: string, make: (r: () => number) => unknown, rules: CompiledRuleSet | RuleSetRegistry) => {
    const outcomes = Array.from({ length: GENERATED_PER_FAMILY }, () => outcomeTexts(rules, make(r)));
    shown[`whatItWouldTake:${family}`] = sha256(outcomes.map((o) => o.whatItWouldTake));
    return sha256(outcomes.map((o) => o.result));
  };

  const goldenOutcomes: string[] = [];
  for (const id of readdirSync(join(ROOT, 'rules')).sort()) {
    for (const c of shippedCases(id)) {
      for (const version of registry.versions(id).filter((v) => caseAppliesTo(v, c))) goldenOutcomes.push(`${c.source} ${version.document.version} ${outcomeText(version, c.submission)}`);
    }
  }
  const examples = readdirSync(join(ROOT, 'examples')).sort().map((f) => `${f} ${outcomeText(registry, readJson(`examples/${f}`))}`);
  return {
    goldenCases: sha256(goldenOutcomes),
    examples: sha256(examples),
    'generated:gd-meizhou-2022': generated('gd-meizhou-2022', gdSubmission, registry),
    'generated:cn-mof-2020': generated('cn-mof-2020', cnSubmission, registry),
    'generated:synthetic-60': generated('synthetic-60', (rr) => syntheticSubmission(rr), synthetic),
    // what it would take, for the same submissions (shown beside results, never stored; a speed-up leaves it as it was)
    ...shown,
  };
}
