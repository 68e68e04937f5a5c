// Runs every golden case under rules/*/cases through the same runner the CLI and the checker use.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GoldenCase } from '../../src/engine/check/index.js';
import { caseAppliesTo, runGoldenCase } from '../../src/engine/golden.js';
import { scoreSubmission } from '../../src/services/scoring.js';
import { goldenCaseShapeErrors, resultShapeErrors } from '../../src/validation/index.js';
import { ROOT, readJson, shippedRegistry } from '../support.js';

const registry = shippedRegistry();
const cases: GoldenCase[] = readdirSync(join(ROOT, 'rules')).flatMap((id) =>
  readdirSync(join(ROOT, 'rules', id, 'cases')).map((f) => ({
    ...readJson<Omit<GoldenCase, 'source'>>(`rules/${id}/cases/${f}`),
    source: `rules/${id}/cases/${f}`,
  })),
);

describe('golden cases', () => {
  it('exist for both shipped rule sets, with valid shape', () => {
    expect(cases.filter((c) => c.source.includes('gd-meizhou-2022')).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.source.includes('cn-mof-2020')).length).toBeGreaterThanOrEqual(2);
    for (const { source, ...c } of cases) expect(goldenCaseShapeErrors(c), source).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.source}: ${c.name}`, async () => {
      const versions = registry.ids().flatMap((id) => registry.versions(id)).filter((v) => caseAppliesTo(v, c));
      expect(versions.length, 'the case applies to some shipped version').toBeGreaterThan(0);
      for (const v of versions) {
        const outcome = await runGoldenCase(v, c);
        expect(outcome.failures).toEqual([]);
      }
    });
  }

  it('a case whose expectation is off by 0.01 fails (the runner can fail)', async () => {
    const seed = cases.find((c) => c.source.endsWith('seed-meizhou-2022.json'))!;
    const expect0 = seed.expect as { total: number; items: Record<string, number> };
    const off: GoldenCase = { ...seed, expect: { ...expect0, total: expect0.total - 0.01, grade: 'good' } };
    const outcome = await runGoldenCase(registry.get('gd-meizhou-2022', '1.0.0')!, off);
    expect(outcome.failures.join('\n')).toContain('总分为 100，期望 99.99');
    expect(outcome.failures.join('\n')).toContain('期望 good');
  });

  it('every example under examples/ is the submission of a golden case, so examples cannot drift from checked cases', () => {
    for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'))) {
      const submission = readJson(`examples/${file}`);
      expect(cases.some((c) => JSON.stringify(c.submission) === JSON.stringify(submission)), file).toBe(true);
    }
  });

  it('every successful result matches schemas/result.schema.json', async () => {
    for (const c of cases.filter((c) => !('error' in c.expect))) {
      const result = await scoreSubmission(registry, c.submission);
      expect(resultShapeErrors(result), c.source).toEqual([]);
    }
  });
});
