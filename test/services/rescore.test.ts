// Re-scoring stored evaluations under another version writes new rows, leaves the evaluations untouched, and
// says how many changed grade; the CLI shows the same summary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import type { AppDeps } from '../../src/http/env.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import { LOCAL_OPERATOR } from '../../src/services/policy.js';
import { publishRuleSet } from '../../src/services/publish.js';
import { rescoreEvaluations } from '../../src/services/rescore.js';
import { submitEvaluation } from '../../src/services/submit.js';
import type { GoldenCase } from '../../src/engine/check/index.js';
import { ROOT, checkWithoutCaseGate, example, ruleSet } from '../support.js';

let deps: AppDeps;
let database: OpenDatabase;
let databasePath: string;
const unit = { tokenId: 'tok_test', role: 'unit' as const, unitId: 'mz-hpf-center' };

beforeAll(async () => {
  databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-rescore-')), 'r.db');
  ({ deps, database } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} }));
  // 2.0.0 halves 效果性 when all targets are met: 100 → 90 (still 优); 99.7 → 89.7 (优 → 良)
  const v2: any = ruleSet('gd-meizhou-2022');
  v2.version = '2.0.0';
  v2.fiscalYears = { from: 2030, to: 2030 };
  v2.rules.find((r: any) => r.name === 'effectiveness.met').event.params.award = { method: 'fraction', fraction: 0.5 };
  // the test is about re-scoring: 2.0.0 is published without golden cases of its own, so past the coverage gate
  // (test/engine/publish-gate.test.ts and the HTTP contract test the gate)
  const withoutGate = { ...deps, checkRuleSet: async (doc: unknown, cases: readonly GoldenCase[]) => checkWithoutCaseGate(doc, { cases }) };
  await publishRuleSet(withoutGate, { tokenId: 'tok_bureau', role: 'bureau', unitId: null }, { ruleset: v2 });

  await submitEvaluation(deps, unit, example('meizhou-2022.json'), undefined);
  const lower = example('meizhou-2022.json');
  lower.facts.fundsArrival.arrived = 40.491; // 90% arrived: 2.7 of 3 points
  delete lower.selfAssessment;
  await submitEvaluation(deps, unit, lower, undefined);
  await submitEvaluation(deps, { ...unit, unitId: 'demo-county-transport' }, example('national-road-maintenance-2023.json'), undefined);
});
afterAll(() => database.close());

describe('rescore', () => {
  it('writes new result rows only, and counts grade changes', async () => {
    const before = database.sqlite.prepare('SELECT id, result, total, grade_code FROM evaluations ORDER BY id').all();
    const progress: number[] = [];
    const summary = await rescoreEvaluations(deps, LOCAL_OPERATOR, {
      rulesetId: 'gd-meizhou-2022',
      version: '2.0.0',
      selection: { rulesetId: 'gd-meizhou-2022' },
      startedBy: 'test',
      batchSize: 1,
      onProgress: (done) => progress.push(done),
    });
    expect(summary).toMatchObject({ selected: 2, written: 2, failed: 0, gradeChanged: 1, totalChanged: 2, gradeTransitions: { 'excellent→good': 1 } });
    expect(progress).toEqual([1, 2]);
    const rows = database.sqlite.prepare('SELECT total, grade_code, previous_total, previous_grade_code FROM rescorings ORDER BY total').all();
    expect(rows).toEqual([
      { total: 89.7, grade_code: 'good', previous_total: 99.7, previous_grade_code: 'excellent' },
      { total: 90, grade_code: 'excellent', previous_total: 100, previous_grade_code: 'excellent' },
    ]);
    const after = database.sqlite.prepare('SELECT id, result, total, grade_code FROM evaluations ORDER BY id').all();
    expect(after).toEqual(before);
  });

  it('reports evaluations the chosen version cannot score instead of writing anything for them', async () => {
    const summary = await rescoreEvaluations(deps, LOCAL_OPERATOR, {
      rulesetId: 'gd-meizhou-2022',
      version: '2.0.0',
      selection: {},
      startedBy: 'test',
    });
    expect(summary.selected).toBe(3);
    expect(summary.failed).toBe(1);
    expect(summary.failures[0]!.reason).toContain('SUBMISSION_INVALID');
  });

  it('the CLI prints the summary (no progress bar when not on a terminal)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'rescore', '--ruleset', 'gd-meizhou-2022', '--version', '2.0.0', '--year', '2022'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('选中 2 条，写入新结果 2 条');
    expect(r.stdout).toContain('等级变化 1 条：excellent→good 1');
    expect(r.stderr).not.toContain('[#');
  });
});
