// 区间 interval: within [low, high] full points; below, actual ÷ low × w; above, high ÷ actual × w; and its edges.
import { describe, expect, it } from 'vitest';
import { roundHalfUp } from '../../src/domain/rounding.js';
import { intervalPoints } from '../../src/engine/methods/interval.js';
import { checkRuleSet } from '../../src/engine/check/index.js';
import { readJson, checkWithoutCaseGate, shippedCases } from '../support.js';

const W = 10;
const points = (a: number, low: number, high: number) => roundHalfUp(intervalPoints(a, low, high, W).points, 2);

describe('区间 interval', () => {
  it('within the interval, both ends included: full points', () => {
    expect(points(1, 0.9, 1.1)).toBe(10);
    expect(points(0.9, 0.9, 1.1)).toBe(10);
    expect(points(1.1, 0.9, 1.1)).toBe(10);
  });

  it('below: actual ÷ low × w', () => {
    expect(points(0.72, 0.9, 1.1)).toBe(8);
    expect(intervalPoints(0.72, 0.9, 1.1, W).values).toEqual({ low: 0.9, high: 1.1, deviation: 0.2 });
  });

  it('above: high ÷ actual × w', () => {
    expect(points(1.32, 0.9, 1.1)).toBe(8.33);
    expect(points(2.2, 0.9, 1.1)).toBe(5);
    expect(intervalPoints(2.2, 0.9, 1.1, W).values.deviation).toBe(1);
  });

  it('actual 0 under a low above 0 earns nothing; a negative actual counts as 0', () => {
    expect(points(0, 800, 1200)).toBe(0);
    expect(points(-5, 800, 1200)).toBe(0);
    expect(intervalPoints(0, 800, 1200, W).values.deviation).toBe(1);
  });

  it('low = 0: nothing falls short below, so 0 (and a negative actual) earns full points', () => {
    expect(points(0, 0, 5)).toBe(10);
    expect(points(-3, 0, 5)).toBe(10);
    expect(points(10, 0, 5)).toBe(5);
  });

  it('high = 0: only 0 earns the points, anything above earns nothing (no division by zero)', () => {
    expect(points(0, 0, 0)).toBe(10);
    expect(points(0.01, 0, 0)).toBe(0);
    expect(intervalPoints(3, 0, 0, W).values.deviation).toBeNull();
  });

  it('the checker refuses low above high, and the schema refuses a negative bound', async () => {
    const doc: Record<string, any> = readJson('rules/xx-demo-interval/1.0.0.json');
    const rule = doc.rules.findIndex((r: any) => r.name === 'served.any');
    doc.rules[rule].event.params.award.low = 1500;
    const report = await checkWithoutCaseGate(doc);
    expect(report.ok).toBe(false);
    const d = report.diagnostics.find((x) => x.code === 'INTERVAL_BOUNDS');
    expect(d?.location).toBe(`$.rules[${rule}].event.params.award.low`);
    expect(d?.message).toBe('区间下限 1500 大于上限 1200');

    doc.rules[rule].event.params.award.low = -1;
    const negative = await checkWithoutCaseGate(doc);
    expect(negative.diagnostics.filter((x) => x.code === 'SCHEMA_VIOLATION').map((x) => x.location)).toContain(`$.rules[${rule}].event.params.award.low`);
  });

  it('the demo rule set passes every check, the publish gate on its cases included', async () => {
    const report = await checkRuleSet(readJson('rules/xx-demo-interval/1.0.0.json'), {
      expected: { id: 'xx-demo-interval', version: '1.0.0' },
      cases: shippedCases('xx-demo-interval'),
    });
    expect(report.diagnostics).toEqual([]);
  });
});
