import { describe, expect, it } from 'vitest';
// The points each scoring method awards (the method modules' own functions), at the edges that matter.
import { roundHalfUp } from '../../src/domain/rounding.js';
import { budgetExecutionPoints } from '../../src/engine/methods/budget-execution.js';
import { checklistPoints } from '../../src/engine/methods/checklist.js';
import { equalPoints } from '../../src/engine/methods/equal.js';
import { AwardInputRejected } from '../../src/engine/methods/method.js';
import { negativePoints } from '../../src/engine/methods/negative.js';
import { positivePoints } from '../../src/engine/methods/positive.js';
import { qualitativePoints, qualitativeTierRange } from '../../src/engine/methods/qualitative.js';
import { thresholdRatePoints } from '../../src/engine/methods/threshold-rate.js';

const m = {
  positive: positivePoints,
  negative: negativePoints,
  equal: equalPoints,
  qualitative: qualitativePoints,
  qualitativeTierRange,
  checklistDeduction: checklistPoints,
  budgetExecution: budgetExecutionPoints,
  thresholdRate: thresholdRatePoints,
};

const W = 10;

describe('正向 positive (a ≥ t → w; else a ÷ t × w)', () => {
  it('exactly at target: full', () => expect(m.positive(120, 120, W).points).toBe(10));
  it('just below target: proportional', () => expect(m.positive(119.99, 120, W).points).toBeCloseTo(9.999167, 5));
  it('zero actual: 0', () => expect(m.positive(0, 120, W).points).toBe(0));
  it('twice the target: full, flagged as over-achieved', () => {
    const r = m.positive(240, 120, W);
    expect(r.points).toBe(10);
    expect(r.values.overAchieved).toBe(true);
    expect(r.overAchievedRatio).toBe(2);
  });
  it('just under 130% is not flagged', () => {
    expect(m.positive(155, 120, W).values.overAchieved).toBe(false);
    expect(m.positive(155, 120, W).overAchievedRatio).toBeUndefined();
  });
  it('negative actual counts as 0', () => expect(m.positive(-5, 120, W).points).toBe(0));
  it('target 0: any non-negative actual meets it', () => expect(m.positive(0, 0, W).points).toBe(10));
});

describe('exact halves survive to the rounding', () => {
  // 73.75 ÷ 75 × 1.5 = 1.475 exactly: half-up gives 1.48 (a ratio cut to 10 places first would give 1.47)
  it('正向', () => expect(roundHalfUp(m.positive(73.75, 75, 1.5).points, 2)).toBe(1.48));
  it('反向 ratio: t ÷ a × w', () => expect(roundHalfUp(m.negative(75, 73.75, 1.5, 'ratio').points, 2)).toBe(1.48));
  it('反向 linear: (2t − a) ÷ t × w', () => expect(roundHalfUp(m.negative(76.25, 75, 1.5, 'linear').points, 2)).toBe(1.48));
  it('预算执行率', () => expect(roundHalfUp(m.budgetExecution(73.75, 75, 1.5).points, 2)).toBe(1.48));
  it('threshold rate', () => expect(roundHalfUp(m.thresholdRate(0.885, 0.9, 1.5).points, 2)).toBe(1.48));
});

describe('反向 negative, ratio variant (t ÷ a × w)', () => {
  it('exactly at target: full', () => expect(m.negative(4, 4, W, 'ratio').points).toBe(10));
  it('below target: full', () => expect(m.negative(3, 4, W, 'ratio').points).toBe(10));
  it('just above target', () => expect(m.negative(4.01, 4, W, 'ratio').points).toBeCloseTo(9.97506, 5));
  it('twice the target: half', () => expect(m.negative(8, 4, W, 'ratio').points).toBe(5));
  it('zero actual: full', () => expect(m.negative(0, 4, W, 'ratio').points).toBe(10));
  it('negative actual counts as 0: full', () => expect(m.negative(-1, 4, W, 'ratio').points).toBe(10));
  it('target 0 and any cost: 0', () => expect(m.negative(1, 0, W, 'ratio').points).toBe(0));
});

describe('反向 negative, linear variant ((1 − (a − t) ÷ t) × w)', () => {
  it('exactly at target: full', () => expect(m.negative(4, 4, W, 'linear').points).toBe(10));
  it('15% over: 85%', () => {
    const r = m.negative(4.6, 4, W, 'linear');
    expect(r.points).toBe(8.5);
    expect(r.values.overrun).toBe(0.15);
  });
  it('just below 2t: almost 0', () => expect(m.negative(7.99, 4, W, 'linear').points).toBeCloseTo(0.025, 6));
  it('at 2t: 0', () => expect(m.negative(8, 4, W, 'linear').points).toBe(0));
  it('beyond 2t: still 0, never negative', () => expect(m.negative(20, 4, W, 'linear').points).toBe(0));
  it('zero actual: full', () => expect(m.negative(0, 4, W, 'linear').points).toBe(10));
});

describe('等于 equal', () => {
  it('exactly at target: full', () => expect(m.equal(100, 100, W).points).toBe(10));
  it('below target: like 正向', () => expect(m.equal(90, 100, W).points).toBe(9));
  it('target 0, actual 0: full', () => expect(m.equal(0, 0, W).points).toBe(10));
  it('target 0, actual negative: full', () => expect(m.equal(-1, 0, W).points).toBe(10));
  it('target 0, actual 1: 0', () => expect(m.equal(1, 0, W).points).toBe(0));
});

describe('定性 qualitative tiers (80–100% / 60–80% / 0–60%)', () => {
  it('accepts the tier bounds', () => {
    expect(m.qualitative('achieved', 8, W).points).toBe(8);
    expect(m.qualitative('achieved', 10, W).points).toBe(10);
    expect(m.qualitative('partial', 6, W).points).toBe(6);
    expect(m.qualitative('partial', 7.99, W).points).toBe(7.99);
    expect(m.qualitative('notAchieved', 0, W).points).toBe(0);
    expect(m.qualitative('notAchieved', 5.99, W).points).toBe(5.99);
  });
  it.each([
    ['achieved', 7.99],
    ['partial', 8],
    ['partial', 5.99],
    ['notAchieved', 6],
    ['achieved', 10.01],
  ] as const)('refuses %s with %f points', (tier, score) => {
    expect(() => m.qualitative(tier, score, W)).toThrow(AwardInputRejected);
  });
  it('says which score, which tier and which range, for the submission error', () => {
    expect(() => m.qualitative('achieved', 7.99, W)).toThrow('所选得分 7.99 不在「达成年度指标」档的分值区间 [8, 10] 内');
    expect(() => m.qualitative('partial', 8, W)).toThrow('所选得分 8 不在「部分达成并具有一定效果」档的分值区间 [6, 8) 内');
  });
  it('uses configurable cut points (80/50 variant)', () => {
    const cut = { achieved: 0.8, partial: 0.5 };
    expect(m.qualitative('partial', 5, W, cut).points).toBe(5);
    expect(() => m.qualitative('partial', 4.99, W, cut)).toThrow(AwardInputRejected);
    expect(m.qualitativeTierRange('notAchieved', W, cut)).toEqual({ lower: 0, upper: 5, upperInclusive: false });
  });
});

describe('扣分 checklist deduction', () => {
  const reqs = [
    { id: 'a', requirement: '要求甲', deduction: 3 },
    { id: 'b', requirement: '要求乙', deduction: 2 },
    { id: 'c', requirement: '要求丙', deduction: 4 },
  ];
  it('all met: full, nothing deducted', () => {
    const r = m.checklistDeduction(reqs, { a: true, b: true, c: true }, 7);
    expect(r.points).toBe(7);
    expect(r.values.unmetItems).toBe('无');
  });
  it('one unmet: deducts its points and names it', () => {
    const r = m.checklistDeduction(reqs, { a: true, b: false, c: true }, 7);
    expect(r.points).toBe(5);
    expect(r.values.unmetItems).toBe('要求乙（扣 2 分）');
  });
  it('deductions beyond the points floor at 0 (扣完为止)', () => {
    const r = m.checklistDeduction(reqs, { a: false, b: false, c: false }, 7);
    expect(r.points).toBe(0);
    expect(r.values.deduction).toBe(9);
  });
  it('a requirement left unanswered counts as unmet', () => {
    expect(m.checklistDeduction(reqs, { a: true, b: true }, 7).points).toBe(3);
  });
});

describe('预算执行率 budget execution (rate capped at 100%)', () => {
  it('exactly executed: full', () => expect(m.budgetExecution(44.99, 44.99, W).points).toBe(10));
  it('just below', () => expect(m.budgetExecution(449.9, 500, W).points).toBeCloseTo(8.998, 6));
  it('over-executed is capped', () => expect(m.budgetExecution(1000, 500, W).points).toBe(10));
  it('nothing executed: 0', () => expect(m.budgetExecution(0, 500, W).points).toBe(0));
  it('negative executed counts as 0', () => expect(m.budgetExecution(-10, 500, W).points).toBe(0));
  it('86% gives 8.6', () => expect(m.budgetExecution(430, 500, W).points).toBe(8.6));
});

describe('threshold rate (满意度 ≥ 90% full, else proportional)', () => {
  it('exactly at threshold: full', () => expect(m.thresholdRate(0.9, 0.9, W).points).toBe(10));
  it('just below', () => expect(m.thresholdRate(0.8999, 0.9, W).points).toBeCloseTo(9.99889, 5));
  it('zero: 0', () => expect(m.thresholdRate(0, 0.9, W).points).toBe(0));
  it('above: full', () => expect(m.thresholdRate(1, 0.9, W).points).toBe(10));
  it('81%: 9 points', () => expect(roundHalfUp(m.thresholdRate(0.81, 0.9, W).points, 2)).toBe(9));
  it('negative counts as 0', () => expect(m.thresholdRate(-0.1, 0.9, W).points).toBe(0));
});
