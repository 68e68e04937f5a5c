// The compiled fast path against json-rules-engine (the reference): for ≥ 10,000 generated submissions per shipped
// rule set and the synthetic one, both give identical results (points, cases, evidence, explanations, totals) or
// identical rejections. The condition language itself, beyond what these rule sets use, is covered by
// differential-language.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { DomainError } from '../../src/domain/errors.js';
import type { CompiledRuleSet } from '../../src/engine/compiled.js';
import { scoreWithReference, scoreWithRuleSet } from '../../src/engine/score.js';
import { seededRandom, syntheticRuleSet, syntheticSubmission } from '../../bench/synthetic.js';
import type { RuleSetDocument } from '../../src/domain/ruleset.js';
import { compileChecked } from '../../src/engine/compiled.js';
import { ROOT, compiled, checkWithoutCaseGate } from '../support.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Submissions per rule set; DIFFERENTIAL_RUNS lowers it (npm run mutation) or raises it. */
export const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 10_000);
const PROTOTYPE_RUNS = Math.ceil(RUNS * 0.3);
/** PROPERTY_NO_SHRINK=1 (npm run mutation): stop at the first counterexample without shrinking it; only pass / fail matters there. */
const NO_SHRINK = process.env.PROPERTY_NO_SHRINK === '1';

/** Renames in gd-meizhou-2022 and its generated submissions (quoted, so rule names like fairness.below stay). */
const PROTOTYPE_RENAMES: readonly [string, string][] = [
  ['"fairness"', '"valueOf"'],
  ['satisfactionRate', 'constructor'],
  ['targetsMet', 'toString'],
  ['targetsSet', 'hasOwnProperty'],
  ['achievementRate', 'isPrototypeOf'],
  ['legalBasis', 'propertyIsEnumerable'],
  ['dutyMatch', 'toLocaleString'],
];

async function outcome(run: () => unknown): Promise<string> {
  try {
    return canonicalJson(await run());
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return canonicalJson({ error: e.code, message: e.message, details: e.details });
  }
}

async function agree(rules: CompiledRuleSet, submission: unknown): Promise<void> {
  const fast = await outcome(() => scoreWithRuleSet(rules, submission));
  const reference = await outcome(() => scoreWithReference(rules, submission));
  expect(fast).toBe(reference);
}

const cents = (max: number) => fc.integer({ min: 0, max: Math.round(max * 100) }).map((n) => n / 100);
/** amounts that often sit exactly on the target, as real data does */
const around = (target: number) => fc.oneof(fc.constant(target), cents(target * 2.5), fc.constant(0));
const tierAndScore = (points: number) =>
  fc.constantFrom('achieved', 'partial', 'notAchieved').chain((tier) => {
    const [lo, hi] = tier === 'achieved' ? [0.8, 1] : tier === 'partial' ? [0.6, 0.8] : [0, 0.6];
    return fc.integer({ min: Math.ceil(points * lo * 100), max: Math.floor(points * hi * 100) }).map((s) => ({ tier, chosenScore: s / 100 }));
  });

const checklist = (...ids: string[]) => fc.tuple(...ids.map(() => fc.boolean())).map((bs) => Object.fromEntries(ids.map((id, i) => [id, bs[i]])));

const gdSubmission = fc
  .record({
    budget: cents(1000).map((x) => x + 1),
    arrivedShare: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1.2, noNaN: true })),
    spentShare: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1.1, noNaN: true })),
    decisionBasis: checklist('legalBasis', 'approvalProcedure', 'dutyMatch'),
    targetSetting: checklist('targetsSet', 'targetsRelevant', 'targetsQuantified'),
    safeguards: checklist('measuresInPlace', 'measuresEffective'),
    fundsAllocation: checklist('allocationBasis', 'allocationReasonable'),
    spendingCompliance: checklist('noMisappropriation', 'approvalComplete', 'accountingCompliant'),
    implementationProcedure: checklist('procedureFollowed', 'rulesInPlace'),
    managementPractice: checklist('rulesExecuted', 'oversight'),
    planned: cents(500).map((x) => x + 0.01),
    costShare: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 2.5, noNaN: true })),
    outputs: fc.integer({ min: 1, max: 200 }),
    doneShare: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1.3, noNaN: true })),
    targetsSet: fc.integer({ min: 1, max: 10 }),
    targetsMet: fc.integer({ min: 0, max: 12 }),
    satisfaction: fc.oneof(fc.constant(0.9), cents(1)),
    notApplicable: fc.subarray(['fundsAllocation', 'safeguards', 'economy', 'fairness', 'effectiveness']),
    selfTotal: fc.option(cents(100), { nil: undefined }),
  })
  .map((g) => {
    const c = (x: number) => Math.round(x * 100) / 100;
    const arrived = c(g.budget * g.arrivedShare) || 0.01;
    const facts: Record<string, unknown> = {
      decisionBasis: { requirements: g.decisionBasis },
      targetSetting: { requirements: g.targetSetting },
      safeguards: { requirements: g.safeguards },
      fundsArrival: { budget: g.budget, arrived },
      fundsAllocation: { requirements: g.fundsAllocation },
      payment: { arrived, spent: c(arrived * g.spentShare) },
      spendingCompliance: { requirements: g.spendingCompliance },
      implementationProcedure: { requirements: g.implementationProcedure },
      managementPractice: { requirements: g.managementPractice },
      economy: { plannedCost: g.planned, actualCost: c(g.planned * g.costShare) },
      efficiency: { plannedOutputs: g.outputs, completedOutputs: c(g.outputs * g.doneShare) },
      effectiveness: { targetsSet: g.targetsSet, targetsMet: g.targetsMet },
      fairness: { satisfactionRate: g.satisfaction },
    };
    const notApplicable: Record<string, string> = {};
    for (const id of g.notApplicable) {
      delete facts[id];
      notApplicable[id] = '生成的不适用项';
    }
    return {
      ruleset: { id: 'gd-meizhou-2022' },
      project: { name: '生成项目', unitId: 'gen-unit', unitName: '生成单位', fiscalYear: 2022 },
      facts,
      notApplicable,
      ...(g.selfTotal !== undefined ? { selfAssessment: { total: g.selfTotal } } : {}),
    };
  });

const CATEGORIES: Record<string, string[]> = {
  output: ['quantity', 'quality', 'timeliness', 'cost'],
  benefit: ['economicBenefit', 'socialBenefit', 'ecologicalBenefit', 'sustainableImpact'],
  satisfaction: ['serviceSatisfaction'],
};
const BUDGET: Record<string, number> = { output: 50, benefit: 30, satisfaction: 10 };

/** k indicators whose integer points fill `budget` exactly. */
const indicatorsFor = (group: string) =>
  fc.integer({ min: 1, max: 5 }).chain((k) =>
    fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: k, maxLength: k }),
        fc.array(
          fc.record({
            category: fc.constantFrom(...CATEGORIES[group]!),
            direction: fc.constantFrom('gte', 'lte', 'eq', 'qualitative'),
            target: fc.oneof(fc.constant(0), cents(200)),
            actualKind: fc.constantFrom('same', 'random', 'negative'),
            actual: cents(400),
            notApplicable: fc.boolean().map((b) => b && Math.random() < 0.3),
            tierSeed: fc.integer({ min: 0, max: 1_000_000 }),
          }),
          { minLength: k, maxLength: k },
        ),
      )
      .map(([weights, specs]) => {
        const total = weights.reduce((a, b) => a + b, 0);
        const points = weights.map((w) => Math.floor((w * BUDGET[group]!) / total));
        points[0]! += BUDGET[group]! - points.reduce((a, b) => a + b, 0);
        return specs.map((s, i) => ({ ...s, points: points[i]! }));
      }),
  );

const cnSubmission = fc
  .record({
    budget: cents(1000).map((x) => x + 1),
    executedShare: fc.oneof(fc.constant(1), fc.constant(0.9), fc.double({ min: 0, max: 1.2, noNaN: true })),
    output: indicatorsFor('output'),
    benefit: indicatorsFor('benefit'),
    satisfaction: fc.option(indicatorsFor('satisfaction'), { nil: undefined }),
    budgetNotApplicable: fc.boolean().map((b) => b && Math.random() < 0.1),
  })
  .map((g) => {
    const indicators = [...g.output, ...g.benefit, ...(g.satisfaction ?? [])].map((s, i) => {
      const base = { id: `ind${i}`, category: s.category, name: `指标${i}`, direction: s.direction, points: s.points };
      if (s.notApplicable) return { ...base, target: s.target, notApplicable: '生成的不适用项' };
      if (s.direction === 'qualitative') {
        const r = seededRandom(s.tierSeed);
        const tier = (['achieved', 'partial', 'notAchieved'] as const)[Math.floor(r() * 3)]!;
        const [lo, hi] = tier === 'achieved' ? [0.8, 1] : tier === 'partial' ? [0.6, 0.8] : [0, 0.6];
        const min = Math.ceil(s.points * lo * 100);
        const max = Math.max(min, Math.ceil(s.points * hi * 100) - (tier === 'achieved' ? 0 : 1));
        return { ...base, target: '定性目标', actual: '定性完成情况', tier, chosenScore: Math.floor(min + r() * (max - min + 1)) / 100 };
      }
      const actual = s.actualKind === 'same' ? s.target : s.actualKind === 'negative' ? -s.actual : s.actual;
      return { ...base, target: s.target, actual };
    });
    return {
      ruleset: { id: 'cn-mof-2020' },
      project: { name: '生成项目', unitId: 'gen-unit', unitName: '生成单位', fiscalYear: 2023 },
      ...(g.budgetNotApplicable
        ? { notApplicable: { budgetExecution: '生成的不适用项' } }
        : { facts: { budgetExecution: { budget: g.budget, executed: Math.round(g.budget * g.executedShare * 100) / 100 } } }),
      indicators,
    };
  });

describe('fast path ≡ json-rules-engine (differential)', () => {
  it(`gd-meizhou-2022: ${RUNS} generated submissions`, async () => {
    const rules = compiled('gd-meizhou-2022');
    await fc.assert(fc.asyncProperty(gdSubmission, (s) => agree(rules, s)), { numRuns: RUNS, endOnFailure: NO_SHRINK });
  }, 600_000);

  it(`cn-mof-2020: ${RUNS} generated submissions`, async () => {
    const rules = compiled('cn-mof-2020');
    await fc.assert(fc.asyncProperty(cnSubmission, (s) => agree(rules, s)), { numRuns: RUNS, endOnFailure: NO_SHRINK });
  }, 600_000);

  it(`synthetic-60: ${RUNS} generated submissions`, async () => {
    const report = await checkWithoutCaseGate(syntheticRuleSet());
    expect(report.diagnostics).toEqual([]);
    const rules = report.compiled!;
    const leafIds = Array.from({ length: 60 }, (_, i) => `leaf${i}`);
    const submission = fc.record({ seed: fc.integer(), na: fc.subarray(leafIds, { maxLength: 8 }) }).map(({ seed, na }) => {
      const s = syntheticSubmission(seededRandom(seed)) as { facts: Record<string, unknown>; notApplicable?: Record<string, string> };
      for (const id of na) delete s.facts[id];
      if (na.length > 0) s.notApplicable = Object.fromEntries(na.map((id) => [id, '生成的不适用项']));
      return s;
    });
    await fc.assert(fc.asyncProperty(submission, (s) => agree(rules, s)), { numRuns: RUNS, endOnFailure: NO_SHRINK });
  }, 600_000);

  // The rule-set schema's identifier pattern (^[A-Za-z][A-Za-z0-9_]{0,63}$) admits Object.prototype's own names that
  // start with a letter (constructor, valueOf, toString, hasOwnProperty, isPrototypeOf, propertyIsEnumerable,
  // toLocaleString) as leaf ids, fact names, derived facts and checklist ids; `__proto__` and the __define…__ family
  // cannot be named. Both paths must see such names as data: the fast path looks facts up with Object.hasOwn, as
  // json-rules-engine registers them (for…in into a Map).
  it(`gd-meizhou-2022 with leaves, facts, derived facts and checklist ids named after Object.prototype members: ${PROTOTYPE_RUNS} generated submissions`, async () => {
    const rename = (text: string) => PROTOTYPE_RENAMES.reduce((t, [from, to]) => t.replaceAll(from, to), text);
    const doc = JSON.parse(rename(readFileSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), 'utf8'))) as RuleSetDocument;
    const rules = compileChecked(doc);
    expect([...rules.index.leaves.keys()]).toContain('valueOf');
    let scoredPrototypeLeaf = 0;
    await fc.assert(
      fc.asyncProperty(gdSubmission, async (s) => {
        const renamed = JSON.parse(rename(JSON.stringify(s))) as unknown;
        await agree(rules, renamed);
        try {
          if (scoreWithRuleSet(rules, renamed).items.some((i) => i.id === 'valueOf' && i.applicable && i.case)) scoredPrototypeLeaf++;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
        }
      }),
      { numRuns: PROTOTYPE_RUNS, endOnFailure: NO_SHRINK },
    );
    // about half score the renamed leaf; a quarter leaves room for chance at the low run counts of npm run mutation
    expect(scoredPrototypeLeaf).toBeGreaterThan(PROTOTYPE_RUNS / 4);
  }, 600_000);

  it('the generators reach every rule of both shipped rule sets, and mostly produce scorable submissions', async () => {
    for (const [id, arb] of [['gd-meizhou-2022', gdSubmission], ['cn-mof-2020', cnSubmission]] as const) {
      const rules = compiled(id);
      const fired = new Set<string>();
      let scored = 0;
      for (const s of fc.sample(arb as fc.Arbitrary<unknown>, { numRuns: 2000, seed: 42 })) {
        try {
          const r = scoreWithRuleSet(rules, s);
          scored++;
          r.items.forEach((i) => i.case && fired.add(i.case.rule));
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
        }
      }
      expect(scored, id).toBeGreaterThan(1500);
      expect(rules.document.rules.map((r) => r.name).filter((n) => !fired.has(n)), id).toEqual([]);
    }
  });
});
