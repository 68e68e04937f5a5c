// The json-rules-engine reference path (verify, golden cases) scores correctly when several runs overlap on one
// compiled rule set: json-rules-engine's Engine is not re-entrant, so runs on one engine must take turns.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { scoreWithReference, scoreWithRuleSet } from '../../src/engine/score.js';
import { compiled, example, readJson } from '../support.js';

describe('reference scoring, overlapping runs', () => {
  it('20 overlapping reference runs over the same rule set each equal the fast path', async () => {
    const rules = compiled('cn-mof-2020');
    const submissions = [
      example('national-road-maintenance-2023.json'),
      example('national-training-2023.json'),
      (readJson('rules/cn-mof-2020/cases/waste-collection-fair-2022.json') as { submission: unknown }).submission,
      (readJson('rules/cn-mof-2020/cases/water-supply-excellent-2023.json') as { submission: unknown }).submission,
    ];
    const inputs = Array.from({ length: 20 }, (_, i) => submissions[i % submissions.length]);
    const results = await Promise.all(inputs.map((s) => scoreWithReference(rules, s)));
    results.forEach((r, i) => expect(canonicalJson(r), `run ${i}`).toBe(canonicalJson(scoreWithRuleSet(rules, inputs[i]))));
  });
});
