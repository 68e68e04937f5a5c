// "What it would take": every registered method handled, the change it names really earns the points (the one place
// trial scoring is allowed: as a cross-check), the fewest items for the next grade, the top grade, unreachable items,
// rescaled totals, and golden cases that fail on a wrong expectation.
import { describe, expect, it } from 'vitest';
import type { ScoreResult } from '../../src/domain/result.js';
import type { RuleSetDocument } from '../../src/domain/ruleset.js';
import { compileChecked, type CompiledRuleSet } from '../../src/engine/compiled.js';
import { runGoldenCase } from '../../src/engine/golden.js';
import { SCORING_METHODS } from '../../src/engine/methods/registry.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { whatItWouldTake, type InputChange, type ItemRecovery } from '../../src/engine/what-it-would-take.js';
import { roundHalfUp, sumRounded } from '../../src/domain/rounding.js';
import { ruleSet, shippedCases, shippedRegistry } from '../support.js';

const registry = shippedRegistry();

function compiledFor(submission: any): CompiledRuleSet {
  const found = registry.versions(submission.ruleset.id).find((v) => v.document.version === (submission.ruleset.version ?? '1.0.0'));
  if (!found) throw new Error(`no rule set ${submission.ruleset.id}`);
  return found;
}

/** The submission with one item's inputs changed as `changes` says (the nearest needed value). */
function applied(submission: any, item: ItemRecovery, changes: readonly InputChange[]): any {
  const s = structuredClone(submission);
  const indicator = (s.indicators ?? []).find((i: any) => i.id === item.itemId);
  const facts = indicator ?? s.facts[item.itemId];
  for (const c of changes) {
    const n: any = c.needed;
    if ('requirements' in n) for (const r of n.requirements) facts[c.fact][r.id] = true;
    else if ('tier' in n) {
      facts[c.fact] = n.tier;
      facts.chosenScore = n.score;
    } else if ('equals' in n) facts[c.fact] = n.equals;
    else {
      const below = n.min !== undefined && (c.current as number) < n.min;
      const value = below ? n.min : n.max;
      expect(below ? n.minInclusive : n.maxInclusive, `${item.itemId}: the nearest end is attained`).toBe(true);
      facts[c.fact] = value;
    }
  }
  return s;
}

/** A one-leaf rule set scoring 100 points with `award`, its facts declared from the method's example. */
function oneLeaf(award: Record<string, unknown>, facts: Record<string, unknown>, checklist?: readonly unknown[]): RuleSetDocument {
  const doc: any = ruleSet('cn-mof-2020');
  const declared: Record<string, unknown> = { applies: { label: '适用', type: 'boolean' } };
  for (const [name, value] of Object.entries(facts)) {
    declared[name] =
      typeof value === 'number' ? { label: `数据${name}`, type: 'number' }
      : typeof value === 'string' ? { label: '评价档次', type: 'string', enum: ['achieved', 'partial', 'notAchieved'] }
      : { label: '逐项答复', type: 'checklist' };
  }
  doc.ruleGroups = undefined;
  delete doc.ruleGroups;
  doc.indicators = [{ id: 'item', name: '试验指标', points: 100, facts: declared, ...(checklist ? { checklist } : {}) }];
  doc.rules = [
    {
      name: 'item.only',
      conditions: { all: [{ fact: 'applies', operator: 'equal', value: true }] },
      event: { type: 'award', params: { appliesTo: 'item', case: '唯一情形', award, explanation: '得 {points} 分' } },
    },
  ];
  return doc as RuleSetDocument;
}

function submissionFor(doc: RuleSetDocument, facts: Record<string, unknown>): any {
  return {
    ruleset: { id: doc.id, version: doc.version },
    project: { name: '试验项目', unitId: 'u1', unitName: '试验单位', fiscalYear: 2023 },
    facts: { item: { applies: true, ...structuredClone(facts) } },
  };
}

/**
 * What each registered method's example (facts changed where the example earns full points) gives. A method added to
 * the registry without an entry here fails the first test.
 */
const BY_METHOD: Record<string, { facts?: Record<string, unknown>; expect: 'none' | { text: string } | { unreachable: string } }> = {
  budgetExecution: { expect: { text: '数据executed需达到 500（现为 430），可得满分 100 分，挽回 14 分' } },
  checklist: { expect: { text: '需满足：「审批程序规范」（共挽回 1.5 分，可得满分 100 分）' } },
  equal: { facts: { accidents: 2, allowed: 0 }, expect: { text: '数据accidents需不超过 0（现为 2），可得满分 100 分，挽回 100 分' } },
  fixed: { expect: { unreachable: '没有哪一计分情形能得满分 100 分' } },
  fraction: { expect: { unreachable: '没有哪一计分情形能得满分 100 分' } },
  full: { expect: 'none' },
  interval: { expect: { text: '数据costRatio需不超过 1.1（现为 1.2），可得满分 100 分，挽回 8.33 分' } },
  negative: { expect: { text: '数据cost需不超过 40（现为 46），可得满分 100 分，挽回 15 分' } },
  positive: { expect: { text: '数据done需达到 120（现为 96），可得满分 100 分，挽回 20 分' } },
  qualitative: { facts: { tier: 'partial', chosenScore: 70 }, expect: { text: '定性评价需达到『达成年度指标』档并选 100 分（现为『部分达成并具有一定效果』档 70 分），可得满分 100 分，挽回 30 分' } },
  thresholdRate: { expect: { text: '数据satisfaction需达到 0.9（现为 0.81），可得满分 100 分，挽回 10 分' } },
  zero: { expect: { unreachable: '没有哪一计分情形能得满分 100 分' } },
};

describe('what it would take, per scoring method', () => {
  it('every registered method has its case here', () => {
    expect(Object.keys(BY_METHOD).sort()).toEqual([...SCORING_METHODS.keys()].sort());
  });

  for (const [name, method] of SCORING_METHODS) {
    it(`${name}: the inverse gives the change, and the change earns the points`, () => {
      const spec = BY_METHOD[name]!;
      const facts = spec.facts ?? method.example.facts;
      const doc = oneLeaf(method.example.award as unknown as Record<string, unknown>, facts, method.example.checklist);
      const compiled = compileChecked(doc);
      const submission = submissionFor(doc, facts);
      const result = scoreWithRuleSet(compiled, submission);
      const wiwt = whatItWouldTake(compiled, result, submission);
      if (spec.expect === 'none') {
        expect(result.items[0]!.points).toBe(100);
        expect(wiwt.items).toEqual([]);
        expect(wiwt.nextGrade).toBeNull();
        return;
      }
      expect(wiwt.items).toHaveLength(1);
      const item = wiwt.items[0]!;
      if ('unreachable' in spec.expect) {
        expect(item).toMatchObject({ reachable: false, rule: null, changes: [], reason: spec.expect.unreachable });
        expect(item.text).toContain('无法通过改变一项数据挽回');
        return;
      }
      expect(item.reachable).toBe(true);
      expect(item.rule).toBe('item.only');
      expect(item.text).toBe(spec.expect.text);
      const again = scoreWithRuleSet(compiled, applied(submission, item, item.changes));
      expect(again.items[0]!.points).toBe(100);
    });
  }
});

describe('what it would take, on the shipped golden cases', () => {
  const cases = [...shippedCases('cn-mof-2020'), ...shippedCases('gd-meizhou-2022')].filter((c) => !('error' in c.expect));

  it('names a change for every item that lost points, and applying it earns exactly the points back', () => {
    let checked = 0;
    for (const c of cases) {
      const compiled = compiledFor(c.submission);
      const result = scoreWithRuleSet(compiled, c.submission);
      const wiwt = whatItWouldTake(compiled, result, c.submission as any);
      const lostIds = result.pointsLost.map((l) => l.itemId).sort();
      expect(wiwt.items.map((i) => i.itemId).sort(), c.source).toEqual(lostIds);
      for (const item of wiwt.items) {
        expect(item.reachable, `${c.source} ${item.itemId}: ${item.text}`).toBe(true);
        const again = scoreWithRuleSet(compiled, applied(c.submission, item, item.changes));
        const after = again.items.find((i) => i.id === item.itemId)!;
        expect(after.points, `${c.source} ${item.itemId}`).toBe(item.max);
        expect(after.case?.rule).toBe(item.rule);
        // only this item moves
        expect(sumRounded([again.total, -result.total], 2), `${c.source} ${item.itemId}`).toBe(item.lost);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('the next grade takes the fewest items: no smaller set of reachable items reaches the band', () => {
    let withNext = 0;
    for (const c of cases) {
      const compiled = compiledFor(c.submission);
      const result = scoreWithRuleSet(compiled, c.submission);
      const { items, nextGrade } = whatItWouldTake(compiled, result, c.submission as any);
      if (result.nextGrade === null) {
        expect(nextGrade, c.source).toBeNull();
        continue;
      }
      withNext++;
      const lost = items.map((i) => i.lost);
      // brute force over every subset (at most a dozen items here)
      let fewest = Infinity;
      for (let mask = 1; mask < 1 << lost.length; mask++) {
        const chosen = lost.filter((_, i) => mask & (1 << i));
        if (sumRounded([result.total, ...chosen], 2) >= result.nextGrade.min) fewest = Math.min(fewest, chosen.length);
      }
      expect(nextGrade!.reachable, c.source).toBe(fewest !== Infinity);
      if (nextGrade!.reachable) {
        expect(nextGrade!.items.length, c.source).toBe(fewest);
        expect(nextGrade!.totalAfter).toBe(sumRounded([result.total, ...nextGrade!.items.map((i) => i.lost)], 2));
        expect(nextGrade!.totalAfter).toBeGreaterThanOrEqual(result.nextGrade.min);
      }
    }
    expect(withNext).toBeGreaterThanOrEqual(5);
  });

  it('shortfalls: ties of 5 points go in table order, and the text says what the total becomes', () => {
    const c = shippedCases('gd-meizhou-2022').find((x) => x.source.endsWith('shortfalls.json'))!;
    const compiled = compiledFor(c.submission);
    const { nextGrade } = whatItWouldTake(compiled, scoreWithRuleSet(compiled, c.submission), c.submission as any);
    expect(nextGrade).toMatchObject({
      code: 'good',
      pointsNeeded: 8.58,
      reachable: true,
      items: [
        { itemId: 'spendingCompliance', lost: 5 },
        { itemId: 'implementationProcedure', lost: 5 },
      ],
      recovered: 10,
      totalAfter: 81.42,
    });
    expect(nextGrade!.text).toBe('距『良好』（≥ 80 分）还差 8.58 分：挽回「支出规范性」5 分、「实施程序」5 分，总分可达 81.42 分');
  });

  it('at the top grade there is no next grade', () => {
    const seed = shippedCases('gd-meizhou-2022').find((x) => x.source.endsWith('seed-meizhou-2022.json'))!;
    const compiled = compiledFor(seed.submission);
    expect(whatItWouldTake(compiled, scoreWithRuleSet(compiled, seed.submission), seed.submission as any)).toEqual({ items: [], nextGrade: null });
    const water = shippedCases('cn-mof-2020').find((x) => x.source.endsWith('water-supply-excellent-2023.json'))!;
    const r = scoreWithRuleSet(compiledFor(water.submission), water.submission);
    const w = whatItWouldTake(compiledFor(water.submission), r, water.submission as any);
    expect(r.grade.code).toBe('excellent');
    expect(w.nextGrade).toBeNull();
    expect(w.items.map((i) => i.itemId)).toEqual(['repairOnTime', 'maintenanceMechanism']);
  });

  it('a stored result read back from JSON gives the same answer (facts are plain objects there)', () => {
    const c = shippedCases('cn-mof-2020').find((x) => x.source.endsWith('road-maintenance-2023.json'))!;
    const compiled = compiledFor(c.submission);
    const result = scoreWithRuleSet(compiled, c.submission);
    const stored = JSON.parse(JSON.stringify(result)) as ScoreResult;
    expect(whatItWouldTake(compiled, stored, c.submission as any)).toEqual(whatItWouldTake(compiled, result, c.submission as any));
    expect(Object.keys(result)).not.toContain('whatItWouldTake');
  });
});

describe('what it would take: unreachable and rescaled', () => {
  it('an item no case can give full points is unreachable, and so is a band only it could reach', () => {
    const doc = oneLeaf({ method: 'zero' }, {});
    const compiled = compileChecked(doc);
    const submission = submissionFor(doc, {});
    const result = scoreWithRuleSet(compiled, submission);
    const w = whatItWouldTake(compiled, result, submission);
    expect(w.items[0]).toMatchObject({ itemId: 'item', lost: 100, reachable: false, reason: '没有哪一计分情形能得满分 100 分' });
    expect(w.nextGrade).toMatchObject({ code: 'fair', reachable: false, items: [], recovered: 0, totalAfter: 0 });
    expect(w.nextGrade!.text).toBe('距『中』（≥ 60 分）还差 60 分：即使挽回全部可挽回的 0 分，总分也只有 0 分，达不到该等级');
  });

  it('a case whose conditions no single input can meet is unreachable', () => {
    const doc: any = oneLeaf({ method: 'positive', actual: 'done', target: 'planned' }, { done: 96, planned: 120 });
    // full points only when a yes/no fact that is not an award input holds and the actual is met — two changes at once
    doc.indicators[0].facts.audited = { label: '已审计', type: 'boolean' };
    doc.rules[0].conditions = { all: [{ fact: 'done', operator: 'lessThan', value: 120 }] };
    doc.rules.push({
      name: 'item.met',
      conditions: { all: [{ fact: 'done', operator: 'greaterThanInclusive', value: 120 }, { fact: 'audited', operator: 'equal', value: true }] },
      event: { type: 'award', params: { appliesTo: 'item', case: '达标且已审计', award: { method: 'full' }, explanation: '满分' } },
    });
    doc.rules.push({
      name: 'item.unaudited',
      conditions: { all: [{ fact: 'done', operator: 'greaterThanInclusive', value: 120 }, { fact: 'audited', operator: 'equal', value: false }] },
      event: { type: 'award', params: { appliesTo: 'item', case: '未审计', award: { method: 'fraction', fraction: 0.5 }, explanation: '半分' } },
    });
    const compiled = compileChecked(doc);
    const submission = submissionFor(doc, { done: 96, planned: 120 });
    submission.facts.item.audited = false;
    const w = whatItWouldTake(compiled, scoreWithRuleSet(compiled, submission), submission);
    expect(w.items[0]).toMatchObject({ reachable: false, reason: '能得满分的计分情形的条件不能只靠改变一项数据满足' });
  });

  it('under the rescale policy the next grade counts recovered points scaled to the full total', () => {
    const doc: any = ruleSet('cn-mof-2020');
    doc.notApplicable = { policy: 'rescale' };
    const compiled = compileChecked(doc);
    const c = shippedCases('cn-mof-2020').find((x) => x.source.endsWith('road-maintenance-2023.json'))!;
    const result = scoreWithRuleSet(compiled, c.submission);
    expect(result.rescale).not.toBeNull();
    const { rawTotal, applicableMax } = result.rescale!;
    const w = whatItWouldTake(compiled, result, c.submission as any);
    const next = w.nextGrade!;
    expect(next.reachable).toBe(true);
    // the chosen items' points, raised to the 100-point scale, reach the band; one fewer would not
    const scaled = (raw: number) => Math.min(100, roundHalfUp((raw * 100) / applicableMax, 2));
    expect(next.totalAfter).toBe(scaled(sumRounded([rawTotal, ...next.items.map((i) => i.lost)], 2)));
    expect(next.totalAfter).toBeGreaterThanOrEqual(next.min);
    expect(scaled(sumRounded([rawTotal, ...next.items.slice(0, -1).map((i) => i.lost)], 2))).toBeLessThan(next.min);
    expect(next.text).toContain('（按适用分值折算）');
  });
});

describe('golden cases check what it would take', () => {
  const road = () => structuredClone(shippedCases('cn-mof-2020').find((x) => x.source.endsWith('road-maintenance-2023.json'))!);

  it('the shipped expectation passes', async () => {
    const c = road();
    expect((await runGoldenCase(compiledFor(c.submission), c)).failures).toEqual([]);
  });

  it('a wrong phrase, a wrong set of items or a wrong next grade fails', async () => {
    const c: any = road();
    c.expect.whatItWouldTake.items.roadKm = ['实际完成值需达到 121公里'];
    c.expect.whatItWouldTake.nextGrade.items = ['roadKm'];
    expect((await runGoldenCase(compiledFor(c.submission), c)).failures).toEqual([
      'roadKm 的「还差什么」中没有「实际完成值需达到 121公里」（实际：实际完成值需达到 120公里（现为 96公里），可得满分 20 分，挽回 4 分）',
      '达到下一等级需挽回的指标为 [travelImproved]，期望 [roadKm]',
    ]);
    c.expect.whatItWouldTake = { nextGrade: null };
    expect((await runGoldenCase(compiledFor(c.submission), c)).failures).toEqual(['「还差什么」给出了下一等级 excellent，期望没有']);
  });
});
