// The benchmark's comparison points must score like the service, or their speed means nothing.
import { describe, expect, it } from 'vitest';
import { benchCases } from '../../bench/cases.js';
import { HAND_WRITTEN } from '../../bench/handwritten.js';
import { naiveScore } from '../../bench/naive.js';
import { seededRandom, syntheticSubmission } from '../../bench/synthetic.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';

describe('benchmark comparison points', () => {
  it('hand-written and naive json-rules-engine scorers give our totals and grades on every case', async () => {
    for (const c of await benchCases()) {
      const ours = scoreWithRuleSet(c.ruleSet, c.submission);
      expect(HAND_WRITTEN[c.key](c.submission), c.key).toEqual({ total: ours.total, grade: ours.grade.code });
      expect(await naiveScore(c.ruleSet.document, c.submission), c.key).toEqual({ total: ours.total, grade: ours.grade.code });
    }
  });

  it('the hand-written synthetic scorer agrees on 300 generated submissions', async () => {
    const synthetic = (await benchCases()).find((c) => c.key === 'synthetic60')!;
    const r = seededRandom(99);
    for (let i = 0; i < 300; i++) {
      const s = syntheticSubmission(r);
      const ours = scoreWithRuleSet(synthetic.ruleSet, s);
      expect(HAND_WRITTEN.synthetic60(s)).toEqual({ total: ours.total, grade: ours.grade.code });
    }
  });
});
