// Re-scoring on a pool of worker threads writes exactly the rows the in-process scorer writes (same result text,
// totals, order, summary and progress), refusals included; the impact preview reports the same on either; the pool
// ends its threads when closed; and a thread that throws or dies fails the run with a Chinese error, the pages
// before the failing one written in full and it and the later ones not at all.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stricterFairness } from '../../bench/batch-parallel.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import type { GoldenCase } from '../../src/engine/check/index.js';
import { compileChecked, ENGINE_VERSION, type CompiledRuleSet } from '../../src/engine/compiled.js';
import { contentHash } from '../../src/engine/hash.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import type { AppDeps } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import { RescorePool } from '../../src/platform/rescore-pool.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import type { ThreadChecker } from '../../src/platform/thread-checker.js';
import { LOCAL_OPERATOR } from '../../src/services/policy.js';
import { publishRuleSet } from '../../src/services/publish.js';
import { previewImpact, rescoreEvaluations, type RescoreRequest, type RescoreSummary } from '../../src/services/rescore.js';
import { ROOT, example, ruleSet } from '../support.js';

let deps: AppDeps;
let database: OpenDatabase;
let databasePath: string;
let checker: ThreadChecker;
let v11: CompiledRuleSet;
let v10: CompiledRuleSet;
const STORED = 300;
/** every 25th stored evaluation is another rule set's submission: 1.1.0 refuses it */
const refusedAt = (i: number) => i % 25 === 7;
const CLOCK = () => new Date('2026-12-02T00:00:00.000Z');

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-rescore-parallel-'));
  databasePath = join(dir, 'p.db');
  ({ deps, database, checker } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} }));
  v10 = (await deps.ruleSets.get('gd-meizhou-2022', '1.0.0'))!;
  const national = (await deps.ruleSets.get('cn-mof-2020', '1.0.0'))!;
  const insert = database.sqlite.prepare(
    `INSERT INTO evaluations (id, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, engine_version,
      input, input_sha256, result, total, grade_code, submitted_by, idempotency_key, created_at)
     VALUES (?, ?, 2022, ?, 'gd-meizhou-2022', '1.0.0', ?, ?, ?, ?, ?, ?, ?, 'tok_test', NULL, ?)`,
  );
  const seed = example('meizhou-2022.json');
  const other = example('national-road-maintenance-2023.json');
  // a fixed spread of stored inputs, as bench/run.ts makes them: funds, payment, satisfaction and targets vary
  for (let i = 0; i < STORED; i++) {
    const s = refusedAt(i) ? structuredClone(other) : structuredClone(seed);
    const compiled = refusedAt(i) ? national : v10;
    s.project.unitId = `unit-${i % 17}`;
    if (!refusedAt(i)) {
      const budget = 100 + (i % 13) * 7.5;
      const arrived = i % 3 === 0 ? budget : Math.round(budget * (0.6 + (i % 7) * 0.05) * 100) / 100;
      s.facts.fundsArrival = { budget, arrived };
      s.facts.payment = { arrived, spent: i % 4 === 0 ? arrived : Math.round(arrived * (0.5 + (i % 5) * 0.1) * 100) / 100 };
      s.facts.fairness.satisfactionRate = 0.85 + (i % 15) / 100;
      s.facts.effectiveness = { targetsSet: 4, targetsMet: i % 6 === 0 ? 3 : 4 };
      delete s.selfAssessment;
    }
    const result = scoreWithRuleSet(compiled, s);
    const id = `ev_${String(i).padStart(24, '0')}`;
    insert.run(id, s.project.unitId, `项目 ${i}`, compiled.sha256, ENGINE_VERSION, JSON.stringify(s), contentHash(s), JSON.stringify(result), result.total, result.grade.code, CLOCK().toISOString());
  }
  // 1.1.0: 公平性 full marks only from 95% satisfaction (as the bench), published past the case-coverage gate
  const next = stricterFairness(ruleSet('gd-meizhou-2022'));
  const withoutGate = { ...deps, checkRuleSet: (doc: unknown, cases: readonly GoldenCase[]) => checker.check(doc, cases, { requireCaseCoverage: false }) };
  await publishRuleSet(withoutGate, { tokenId: 'tok_bureau', role: 'bureau', unitId: null }, { ruleset: next });
  v11 = (await deps.ruleSets.get('gd-meizhou-2022', '1.1.0'))!;
}, 60_000);
afterAll(async () => {
  await checker.close();
  await database.close();
});

interface WrittenRow {
  id: string;
  evaluation_id: string;
  result: string;
  total: number;
  grade_code: string;
  previous_total: number;
  previous_grade_code: string;
  created_at: string;
}

/** a run's rows in the order they were written (rowid), the run id taken out of the row id */
function written(runId: string): WrittenRow[] {
  const rows = database.sqlite
    .prepare('SELECT id, evaluation_id, result, total, grade_code, previous_total, previous_grade_code, created_at FROM rescorings WHERE run_id = ? ORDER BY rowid')
    .all(runId) as WrittenRow[];
  return rows.map((r) => ({ ...r, id: r.id.replace(`${runId}:`, '<run>:') }));
}

const request = (progress: number[], batchSize = 37): RescoreRequest => ({
  rulesetId: 'gd-meizhou-2022',
  version: '1.1.0',
  selection: {}, // every stored evaluation, the other rule set's too
  startedBy: 'test',
  batchSize,
  onProgress: (done, total) => progress.push(done, total),
});

const comparable = (s: RescoreSummary) => ({ ...s, runId: '<run>', seconds: 0 });

describe('re-scoring on worker threads', () => {
  it('writes exactly the rows the in-process scorer writes, refusals and all, and closes its threads', async () => {
    const inProcessProgress: number[] = [];
    const inProcess = await rescoreEvaluations({ ...deps, clock: CLOCK }, LOCAL_OPERATOR, request(inProcessProgress));
    const pool = new RescorePool({ threads: 2 });
    const poolProgress: number[] = [];
    const pooled = await rescoreEvaluations({ ...deps, clock: CLOCK, rescoreScorer: pool.scorer }, LOCAL_OPERATOR, request(poolProgress));
    expect(pool.threads).toBe(2); // idle threads stay for the next run until closed
    await pool.close();
    expect(pool.closed).toBe(true);
    expect(pool.threads).toBe(0);

    const refused = Array.from({ length: STORED }, (_, i) => i).filter(refusedAt).length;
    expect(inProcess).toMatchObject({ selected: STORED, written: STORED - refused, failed: refused });
    expect(inProcess.failures).toHaveLength(10);
    expect(inProcess.failures[0]).toMatchObject({ evaluationId: `ev_${'7'.padStart(24, '0')}` });
    expect(inProcess.failures[0]!.reason).toMatch(/^SUBMISSION_INVALID: /);
    expect(inProcess.gradeChanged).toBeGreaterThan(0);
    expect(comparable(pooled)).toEqual(comparable(inProcess));
    // pages of 37: progress after each, as without threads
    const pages = Math.ceil(STORED / 37);
    expect(inProcessProgress).toEqual(Array.from({ length: pages }, (_, k) => [Math.min(STORED, 37 * (k + 1)), STORED]).flat());
    expect(poolProgress).toEqual(inProcessProgress);

    const rowsInProcess = written(inProcess.runId);
    const rowsPooled = written(pooled.runId);
    expect(rowsInProcess).toHaveLength(STORED - refused);
    expect(rowsPooled).toEqual(rowsInProcess);
    // and they are what scoring each stored input on its own gives
    const stored = database.sqlite.prepare('SELECT id, input FROM evaluations ORDER BY id').all() as { id: string; input: string }[];
    const expected = stored
      .filter((_, i) => !refusedAt(i))
      .map((e) => {
        const result = scoreWithRuleSet(v11, JSON.parse(e.input));
        return { evaluation_id: e.id, result: JSON.stringify(result), total: result.total, grade_code: result.grade.code };
      });
    expect(rowsPooled.map(({ evaluation_id, result, total, grade_code }) => ({ evaluation_id, result, total, grade_code }))).toEqual(expected);
  });

  it('gives the impact preview the same report as in-process', async () => {
    const candidateDoc = structuredClone(v11.document) as any;
    candidateDoc.version = '1.2.0';
    candidateDoc.fiscalYears = { from: 2022, to: 2022 };
    const candidate = compileChecked(candidateDoc);
    const inProcess = await previewImpact(deps, LOCAL_OPERATOR, { candidate, batchSize: 41 });
    const pool = new RescorePool({ threads: 2 });
    try {
      const pooled = await previewImpact({ ...deps, rescoreScorer: pool.scorer }, LOCAL_OPERATOR, { candidate, batchSize: 41 });
      expect(pooled).toEqual(inProcess);
      expect(inProcess.scored).toBe(STORED - Array.from({ length: STORED }, (_, i) => i).filter(refusedAt).length);
      expect(inProcess.gradeChanged).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
    expect(pool.threads).toBe(0);
  });
});

describe('a failing thread', () => {
  const batchSize = 50;
  /** the first evaluation of the third page */
  const failingId = `ev_${String(2 * batchSize).padStart(24, '0')}`;

  /**
   * A stand-in thread body (plain JavaScript, no loader needed): "scores" every row as fake-result text, and does
   * `fail` on the chunk holding `failingId`.
   */
  function fakeWorker(fail: string): URL {
    const file = join(mkdtempSync(join(tmpdir(), 'jxzp-rescore-worker-')), 'worker.mjs');
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.kind !== 'score') return;
  if (m.ids.includes(${JSON.stringify(failingId)})) { ${fail} }
  parentPort.postMessage({ job: m.job, outcomes: m.ids.map((id) => ({ ok: true, resultText: JSON.stringify({ fake: id }), total: 1, gradeCode: 'fake' })) });
});
`,
    );
    return pathToFileURL(file);
  }

  /** `scores(i)`: whether the stored evaluation i gives a row (the stand-in thread "scores" every one) */
  async function failedRun(pool: RescorePool, scores: (i: number) => boolean = () => true): Promise<{ error: DomainError; runId: string }> {
    const runsBefore = new Set((database.sqlite.prepare('SELECT id FROM rescore_runs').all() as { id: string }[]).map((r) => r.id));
    const progress: number[] = [];
    let error: unknown;
    try {
      await rescoreEvaluations({ ...deps, rescoreScorer: pool.scorer }, LOCAL_OPERATOR, request(progress, batchSize));
    } catch (e) {
      error = e;
    } finally {
      await pool.close();
    }
    expect(pool.threads).toBe(0);
    expect(error).toBeInstanceOf(DomainError);
    const runId = (database.sqlite.prepare('SELECT id FROM rescore_runs').all() as { id: string }[]).map((r) => r.id).find((id) => !runsBefore.has(id))!;
    // the two pages before the failing one were written in full (and reported), nothing of it or after it
    const firstTwoPages = Array.from({ length: 2 * batchSize }, (_, i) => i).filter(scores);
    expect(written(runId).map((r) => r.evaluation_id)).toEqual(firstTwoPages.map((i) => `ev_${String(i).padStart(24, '0')}`));
    expect(progress).toEqual([batchSize, STORED, 2 * batchSize, STORED]);
    return { error: error as DomainError, runId };
  }

  it('that dies fails the run in Chinese, writing no part of its page', async () => {
    const { error } = await failedRun(new RescorePool({ threads: 2, entry: fakeWorker('process.exit(7);') }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(`重新评分中止：第 3 页（评价 ${failingId} 起）评分出错：重新评分线程意外退出（退出码 7）；此前 100 条已处理（已写入的结果保留），本页及以后各页未写入`);
  });

  it('that throws fails the run in Chinese, writing no part of its page', async () => {
    const { error } = await failedRun(new RescorePool({ threads: 2, entry: fakeWorker(`throw new Error('线程内部故障');`) }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('第 3 页');
    expect(error.message).toContain('重新评分线程出错：线程内部故障');
  });

  it('scoring a stored input that is not JSON fails the run naming the evaluation, as in-process', async () => {
    const original = database.sqlite.prepare('SELECT input FROM evaluations WHERE id = ?').get(failingId) as { input: string };
    database.sqlite.prepare('UPDATE evaluations SET input = ? WHERE id = ?').run('{"broken', failingId);
    try {
      const { error } = await failedRun(new RescorePool({ threads: 2 }), (i) => !refusedAt(i));
      expect(error.message).toMatch(new RegExp(`^重新评分中止：第 3 页（评价 ${failingId} 起）评分出错：评价 ${failingId}：SyntaxError: `));
      // in-process: the same pages written, the same failure (its cause said by the engine's own error)
      let inProcessError: unknown;
      await rescoreEvaluations(deps, LOCAL_OPERATOR, request([], batchSize)).catch((e: unknown) => (inProcessError = e));
      expect(inProcessError).toBeInstanceOf(DomainError);
      expect((inProcessError as DomainError).message).toMatch(new RegExp(`^重新评分中止：第 3 页（评价 ${failingId} 起）评分出错：`));
    } finally {
      database.sqlite.prepare('UPDATE evaluations SET input = ? WHERE id = ?').run(original.input, failingId);
    }
  });
});

/** The CLI in its own process group, killed (group and all) if it has not exited in time: a thread left running would keep it alive. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 50_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('cli rescore', () => {
  it('scores on threads, prints the same summary and exits (its threads ended)', async () => {
    const r = await cli(['rescore', '--ruleset', 'gd-meizhou-2022', '--version', '1.1.0', '--threads', '2']);
    expect(r.status, r.stderr).toBe(0);
    const refused = Array.from({ length: STORED }, (_, i) => i).filter(refusedAt).length;
    expect(r.stdout).toContain(`选中 ${STORED} 条，写入新结果 ${STORED - refused} 条，无法用该版本评分 ${refused} 条`);
  }, 60_000);

  it('refuses a thread count out of range', async () => {
    const r = await cli(['rescore', '--ruleset', 'gd-meizhou-2022', '--version', '1.1.0', '--threads', '0']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--threads 应为 1–64 的整数，不能是「0」');
  }, 60_000);
});
