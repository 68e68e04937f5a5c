// "What it would take" is shown beside a result and never stored: the stored result stays the result document alone,
// so verify on an evaluation stored before the change (the same bytes) still answers identical; the score response,
// the evaluation view and `cli score --format json` carry it beside the result.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { contentHash } from '../../src/engine/hash.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import type { AppDeps } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import { getEvaluation } from '../../src/services/evaluation-view.js';
import { trialScore } from '../../src/services/scoring.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { verifyEvaluation } from '../../src/services/verify.js';
import { ROOT, compiled, example } from '../support.js';

let deps: AppDeps;
let database: OpenDatabase;
const unit = { tokenId: 'tok_unit', role: 'unit' as const, unitId: 'demo-county-transport' };
const reviewer = { tokenId: 'tok_reviewer', role: 'reviewer' as const, unitId: null };

beforeAll(async () => {
  ({ deps, database } = await buildNodeDeps({ databasePath: join(mkdtempSync(join(tmpdir(), 'jxzp-wiwt-')), 'w.db'), rulesDir: join(ROOT, 'rules'), log: () => {} }));
});
afterAll(() => database.close());

describe('what it would take beside stored evaluations', () => {
  it('an evaluation stored as before (the result document alone) still verifies identical, and its view shows what it would take', async () => {
    const submission = example('national-road-maintenance-2023.json');
    const { evaluation } = await submitEvaluation(deps, unit, submission, undefined);
    const row = database.sqlite.prepare('SELECT result, input_sha256 FROM evaluations WHERE id = ?').get(evaluation.id) as { result: string; input_sha256: string };
    // the stored document is exactly the result as scoring gave it before this change: nothing added, same hash
    const before = scoreWithRuleSet(compiled('cn-mof-2020'), submission);
    expect(JSON.parse(row.result)).not.toHaveProperty('whatItWouldTake');
    expect(canonicalJson(JSON.parse(row.result))).toBe(canonicalJson(before));
    expect(contentHash(JSON.parse(row.result))).toBe(contentHash(before));

    const report = await verifyEvaluation(deps, reviewer, evaluation.id);
    expect(report).toMatchObject({ evaluationId: evaluation.id, identical: true, inputSha256Matches: true, differences: [] });

    const view = await getEvaluation(deps, reviewer, evaluation.id);
    expect(view.result).toEqual(JSON.parse(row.result));
    expect(view.whatItWouldTake?.nextGrade).toMatchObject({ code: 'excellent', pointsNeeded: 1.55, items: [{ itemId: 'travelImproved', lost: 4.09 }], totalAfter: 92.54 });
    expect(view.whatItWouldTake?.items.find((i) => i.itemId === 'costPerKm')?.text).toBe('实际完成值需不超过 4万元（现为 4.6万元），可得满分 10 分，挽回 1.5 分');
    // reading the view stores nothing: verify still answers identical
    expect((await verifyEvaluation(deps, reviewer, evaluation.id)).identical).toBe(true);
    expect((database.sqlite.prepare('SELECT result FROM evaluations WHERE id = ?').get(evaluation.id) as { result: string }).result).toBe(row.result);
  });

  it('the trial score answer is the result with whatItWouldTake beside its fields', async () => {
    const submission = example('national-road-maintenance-2023.json');
    const shown = await trialScore(deps, reviewer, submission);
    const { whatItWouldTake, ...result } = shown;
    expect(canonicalJson(result)).toBe(canonicalJson(scoreWithRuleSet(compiled('cn-mof-2020'), submission)));
    expect(whatItWouldTake.items.map((i) => i.itemId)).toEqual(['budgetExecution', 'roadKm', 'costPerKm', 'travelImproved', 'residentSatisfaction']);
    expect(whatItWouldTake.items[0]!.changes).toEqual([
      { fact: 'executed', label: '全年执行数', unit: '万元', current: 430, needed: { min: 500, minInclusive: true, max: 1e12, maxInclusive: true } },
    ]);
  });

  it('cli score --format json prints whatItWouldTake beside the result, and the table a section for it', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'score', 'examples/national-road-maintenance-2023.json', ...args], { cwd: ROOT, encoding: 'utf8' });
    const json = run('--format', 'json');
    expect(json.status, json.stderr).toBe(0);
    const printed = JSON.parse(json.stdout);
    expect(printed.total).toBe(88.45);
    expect(printed.whatItWouldTake.nextGrade.text).toBe('距『优秀』（≥ 90 分）还差 1.55 分：挽回「群众出行条件改善」4.09 分，总分可达 92.54 分');
    expect(printed.whatItWouldTake.items.find((i: any) => i.itemId === 'budgetExecution').text).toBe('全年执行数需达到 500万元（现为 430万元），可得满分 10 分，挽回 1.4 分');
    const table = run();
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain('还差什么能拿回分数：\n  · 预算执行率：全年执行数需达到 500万元（现为 430万元），可得满分 10 分，挽回 1.4 分');
  });
});
