// "What it would take": each method's inverse against its own award, both ways. For the points an input earns, the
// inverse contains that input; and every input the inverse names earns those points.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Award } from '../../src/domain/ruleset.js';
import type { FactScope } from '../../src/engine/facts.js';
import { fieldsOf, inInterval, type Inversion, type NumberInterval, type ScoringMethod } from '../../src/engine/methods/method.js';
import { SCORING_METHODS } from '../../src/engine/methods/registry.js';

const RUNS = Number(process.env.METHODS_INVERSE_RUNS ?? 2_000);
const EMPTY_SCOPE: FactScope = { facts: Object.create(null), derived: Object.create(null), checklist: [] };

const method = (name: string) => {
  const m = SCORING_METHODS.get(name);
  if (!m) throw new Error(`no method ${name}`);
  return m;
};

function facts(values: Record<string, unknown>) {
  return Object.assign(Object.create(null), values) as Record<string, unknown>;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Within the interval, allowing for floating-point noise at its ends. */
function nearlyIn(x: number, i: NumberInterval): boolean {
  return inInterval(x, i) || (Number.isFinite(i.from) && close(x, i.from)) || (Number.isFinite(i.to) && close(x, i.to));
}

/** A few members of an interval: its closed ends, its middle, and points towards any infinite end. */
function samples(i: NumberInterval): number[] {
  const out: number[] = [];
  if (i.fromInclusive) out.push(i.from);
  if (i.toInclusive) out.push(i.to);
  const lo = Number.isFinite(i.from) ? i.from : Number.isFinite(i.to) ? i.to - 1000 : -1000;
  const hi = Number.isFinite(i.to) ? i.to : lo + 2000;
  out.push((lo + hi) / 2, lo + (hi - lo) / 7);
  if (!Number.isFinite(i.to)) out.push(lo + 1e6);
  return out.filter((x) => inInterval(x, i));
}

/** Methods whose fact fields all take numbers: their inverse is a set of numbers for one of those facts. */
const numeric = [...SCORING_METHODS.values()].filter((m) => fieldsOf(m).every(([, f]) => f.kind !== 'fact' || f.accepts === 'number'));

/** The round trip for one award, facts and w: throws (via expect) when the inverse and the award disagree. */
function roundTrip(m: ScoringMethod, award: Award, values: Record<string, number>, w: number): Inversion {
  const input = { facts: facts(values), w, declaredMax: w, scope: EMPTY_SCOPE };
  const points = m.award(award, input).points;
  const inversion = m.invert(award, input, points);
  if (inversion.kind === 'constant') {
    expect(inversion.points).toBe(points);
    return inversion;
  }
  expect(inversion.kind).toBe('input');
  if (inversion.kind !== 'input') return inversion;
  const fact = (award as unknown as Record<string, string>)[inversion.field]!;
  expect(inversion.values.some((i) => nearlyIn(values[fact]!, i)), `${values[fact]} in ${JSON.stringify(inversion.values)} for ${points} of ${w}`).toBe(true);
  for (const interval of inversion.values) {
    for (const x of samples(interval)) {
      const again = m.award(award, { ...input, facts: facts({ ...values, [fact]: x }) }).points;
      expect(close(again, points), `${m.name}: ${fact} = ${x} earns ${again}, the inverse promised ${points}`).toBe(true);
    }
  }
  return inversion;
}

const amount = fc.oneof(fc.constant(0), fc.integer({ min: -50_000, max: 500_000 }).map((n) => n / 100), fc.integer({ min: 1, max: 300 }));
const points = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100));

describe('inverse round trip, for every method whose facts are numbers', () => {
  it('covers the numeric methods of the registry', () => {
    expect(numeric.map((m) => m.name).sort()).toEqual(expect.arrayContaining(['budgetExecution', 'equal', 'fixed', 'fraction', 'full', 'negative', 'positive', 'thresholdRate', 'zero']));
  });

  for (const m of numeric) {
    it(`${m.name}: the input is in the inverse of its points, and the inverse's inputs earn them`, () => {
      const factFields = fieldsOf(m).filter(([, f]) => f.kind === 'fact');
      const choices = fieldsOf(m).flatMap(([name, f]) => (f.kind === 'choice' ? [[name, f.values] as const] : []));
      fc.assert(
        fc.property(fc.array(amount, { minLength: factFields.length, maxLength: factFields.length }), points, fc.nat(), (values, w, pick) => {
          const award: Record<string, unknown> = { ...m.example.award };
          for (const [name, options] of choices) award[name] = options[pick % options.length];
          const byFact: Record<string, number> = {};
          factFields.forEach(([name], i) => (byFact[award[name] as string] = values[i]!));
          roundTrip(m, award as unknown as Award, byFact, w);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('points no input can earn have an empty inverse', () => {
    const positive = method('positive');
    const input = { facts: facts({ done: 0, planned: 120 }), w: 10, declaredMax: 10, scope: EMPTY_SCOPE };
    expect(positive.invert(positive.example.award, input, 11)).toEqual({ kind: 'input', field: 'actual', values: [] });
    expect(positive.invert(positive.example.award, input, -1)).toEqual({ kind: 'input', field: 'actual', values: [] });
  });
});

describe('inverse, by method', () => {
  const at = (name: string, values: Record<string, unknown>, p: number, w = 10, award?: Award, declaredMax = w) => {
    const m = method(name);
    return m.invert(award ?? m.example.award, { facts: facts(values), w, declaredMax, scope: EMPTY_SCOPE }, p);
  };
  const exactly = (x: number) => ({ from: x, fromInclusive: true, to: x, toInclusive: true });

  it('正向: 5 of 10 against 120 takes 60; full points take 120 or more; 0 takes nothing at all', () => {
    expect(at('positive', { planned: 120 }, 5)).toEqual({ kind: 'input', field: 'actual', values: [exactly(60)] });
    expect(at('positive', { planned: 120 }, 10)).toEqual({ kind: 'input', field: 'actual', values: [{ from: 120, fromInclusive: true, to: Infinity, toInclusive: false }] });
    expect(at('positive', { planned: 120 }, 0)).toEqual({ kind: 'input', field: 'actual', values: [{ from: -Infinity, fromInclusive: false, to: 0, toInclusive: true }] });
  });

  it('反向: linear 8.5 of 10 against 4 takes 4.6; ratio 5 of 10 takes 8; ratio never reaches 0, linear does from 2t', () => {
    const linear = { method: 'negative', actual: 'cost', target: 'budget', variant: 'linear' } as Award;
    const ratio = { ...linear, variant: 'ratio' } as Award;
    expect(at('negative', { budget: 4 }, 8.5, 10, linear)).toMatchObject({ values: [exactly(4.6)] });
    expect(at('negative', { budget: 4 }, 5, 10, ratio)).toMatchObject({ values: [exactly(8)] });
    expect(at('negative', { budget: 4 }, 0, 10, ratio)).toMatchObject({ values: [] });
    expect(at('negative', { budget: 4 }, 0, 10, linear)).toMatchObject({ values: [{ from: 8, fromInclusive: true, to: Infinity }] });
  });

  it('定性: the score that earns the points, and the tier it lies in, also after redistribution', () => {
    expect(at('qualitative', {}, 7, 10)).toEqual({ kind: 'input', field: 'score', values: [exactly(7)], with: { tier: 'partial' } });
    // 10 declared points redistributed to 12.5: 8.75 points come from a score of 7
    expect(at('qualitative', {}, 8.75, 12.5, undefined, 10)).toEqual({ kind: 'input', field: 'score', values: [exactly(7)], with: { tier: 'partial' } });
    expect(at('qualitative', {}, 8, 10)).toMatchObject({ with: { tier: 'achieved' } });
    expect(at('qualitative', {}, 10.5, 10)).toMatchObject({ values: [] });
    // round trip: the score and tier it names earn the points
    const q = method('qualitative');
    const inv = at('qualitative', {}, 8.75, 12.5, undefined, 10);
    if (inv.kind !== 'input') throw new Error('expected an input');
    const input = { facts: facts({ tier: inv.with?.tier, chosenScore: inv.values[0]!.from }), w: 12.5, declaredMax: 10, scope: EMPTY_SCOPE };
    expect(q.award(q.example.award, input).points).toBe(8.75);
  });

  it('扣分: not one input but the total deduction: w − p, or at least w for 0', () => {
    const c = method('checklist');
    const scope: FactScope = { ...EMPTY_SCOPE, checklist: c.example.checklist ?? [] };
    const input = { facts: facts(c.example.facts), w: 10, declaredMax: 10, scope };
    const earned = c.award(c.example.award, input);
    expect(earned.points).toBe(8.5);
    expect(c.invert(c.example.award, input, earned.points)).toEqual({ kind: 'deduction', field: 'checklist', deductions: [exactly(earned.values.deduction as number)] });
    expect(c.invert(c.example.award, input, 0)).toEqual({ kind: 'deduction', field: 'checklist', deductions: [{ from: 10, fromInclusive: true, to: Infinity, toInclusive: false }] });
    expect(c.invert(c.example.award, input, 11)).toEqual({ kind: 'deduction', field: 'checklist', deductions: [] });
  });

  it('满分 / 不得分 / 定分 / 按比例 do not depend on the facts', () => {
    expect(at('full', {}, 3)).toEqual({ kind: 'constant', points: 10 });
    expect(at('zero', {}, 3)).toEqual({ kind: 'constant', points: 0 });
    expect(at('fixed', {}, 3, 15, undefined, 30)).toEqual({ kind: 'constant', points: 1 });
    expect(at('fraction', {}, 3, 10)).toEqual({ kind: 'constant', points: 5 });
  });
});
