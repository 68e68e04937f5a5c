import { describe, expect, it } from 'vitest';
import { gradeFor, nextGradeFor } from '../../src/domain/grades.js';

const bands = [
  { code: 'poor', name: '差', label: '差', min: 0 },
  { code: 'excellent', name: '优', label: '优秀', min: 90 },
  { code: 'fair', name: '中', label: '中', min: 60 },
  { code: 'good', name: '良', label: '良好', min: 80 },
];

describe('grade bands (inclusive lower bounds)', () => {
  it.each([
    [100, 'excellent'],
    [90, 'excellent'],
    [89.99, 'good'],
    [80, 'good'],
    [79.99, 'fair'],
    [60, 'fair'],
    [59.99, 'poor'],
    [0, 'poor'],
  ])('%f → %s', (total, code) => expect(gradeFor(total, bands).code).toBe(code));

  it('uses the bands the rule set declares (优 ≥ 80 installations)', () => {
    const alt = [
      { code: 'a', name: '优', label: '优', min: 80 },
      { code: 'b', name: '差', label: '差', min: 0 },
    ];
    expect(gradeFor(80, alt).code).toBe('a');
    expect(gradeFor(79.99, alt).code).toBe('b');
  });

  it('says how far the next band is, exactly', () => {
    expect(nextGradeFor(88.45, bands, 2)).toMatchObject({ code: 'excellent', pointsNeeded: 1.55 });
    expect(nextGradeFor(59.99, bands, 2)).toMatchObject({ code: 'fair', pointsNeeded: 0.01 });
    expect(nextGradeFor(90, bands, 2)).toBeNull();
  });
});
