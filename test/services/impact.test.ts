// The impact preview of an unpublished candidate: its grade changes, delta buckets and most-affected units are
// those of re-scoring each stored evaluation one by one; it writes nothing; years, the row cap and roles bound it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkRuleSet } from '../../src/engine/check/index.js';
import { compileChecked, type CompiledRuleSet } from '../../src/engine/compiled.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import type { AppDeps } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import type { ThreadChecker } from '../../src/platform/thread-checker.js';
import type { Principal } from '../../src/services/ports.js';
import { IMPACT_MAX_ROWS, previewImpact, previewImpactOfDocument, type ImpactReport } from '../../src/services/rescore.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { ROOT, example, readJson } from '../support.js';
import { candidateCaseFiles, candidateCases, candidateRuleSet, storedSubmissions } from './impact-candidate.js';

const bureau: Principal = { tokenId: 'tok_bureau', role: 'bureau', unitId: null };
let deps: AppDeps;
let database: OpenDatabase;
let checker: ThreadChecker;
let candidate: CompiledRuleSet;

beforeAll(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'jxzp-impact-')), 'i.db');
  ({ deps, database, checker } = await buildNodeDeps({ databasePath: path, rulesDir: join(ROOT, 'rules'), log: () => {} }));
  for (const s of storedSubmissions()) {
    await submitEvaluation(deps, { tokenId: `tok_${s.project.unitId}`, role: 'unit', unitId: s.project.unitId }, s, undefined);
  }
  // another rule set's evaluations: never selected for a cn-mof-2020 candidate
  await submitEvaluation(deps, { tokenId: 'tok_mz', role: 'unit', unitId: 'mz-hpf-center' }, example('meizhou-2022.json'), undefined);
  const check = await checkRuleSet(candidateRuleSet(), { cases: candidateCases() });
  expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  candidate = check.compiled!;
}, 60_000);
afterAll(async () => {
  await checker.close();
  await database.close();
});

interface StoredRow {
  id: string;
  unit_id: string;
  fiscal_year: number;
  input: string;
  total: number;
  grade_code: string;
}

const storedRows = (where = "ruleset_id = 'cn-mof-2020'"): StoredRow[] =>
  database.sqlite.prepare(`SELECT id, unit_id, fiscal_year, input, total, grade_code FROM evaluations WHERE ${where} ORDER BY id`).all() as StoredRow[];

const tableCounts = () =>
  Object.fromEntries(['evaluations', 'rescore_runs', 'rescorings'].map((t) => [t, (database.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]));

/** The done-when check, written independently of the service: score each stored input, compare in hundredths. */
function oneByOne(rows: readonly StoredRow[], compiled: CompiledRuleSet) {
  const transitions: Record<string, number> = {};
  const buckets = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const units = new Map<string, { name: string; n: number; changes: number; sum: number; abs: number; max: number }>();
  let gradeChanged = 0;
  let totalChanged = 0;
  let sum = 0;
  const deltas: number[] = [];
  for (const row of rows) {
    const input = JSON.parse(row.input);
    const result = scoreWithRuleSet(compiled, input);
    const d = Math.round(result.total * 100) - Math.round(row.total * 100); // hundredths of a point
    deltas.push(d);
    sum += d;
    const bucket = d <= -1000 ? 0 : d <= -500 ? 1 : d <= -100 ? 2 : d < 0 ? 3 : d === 0 ? 4 : d < 100 ? 5 : d < 500 ? 6 : d < 1000 ? 7 : 8;
    buckets[bucket]!++;
    if (d !== 0) totalChanged++;
    const changed = result.grade.code !== row.grade_code;
    if (changed) {
      gradeChanged++;
      transitions[`${row.grade_code}→${result.grade.code}`] = (transitions[`${row.grade_code}→${result.grade.code}`] ?? 0) + 1;
    }
    const u = units.get(row.unit_id) ?? { name: input.project.unitName, n: 0, changes: 0, sum: 0, abs: 0, max: 0 };
    units.set(row.unit_id, { ...u, n: u.n + 1, changes: u.changes + (changed ? 1 : 0), sum: u.sum + d, abs: u.abs + Math.abs(d), max: Math.max(u.max, Math.abs(d)) });
  }
  const top = [...units]
    .sort(([a, x], [b, y]) => y.abs - x.abs || (a < b ? -1 : 1))
    .slice(0, 10)
    .map(([unitId, u]) => ({ unitId, unitName: u.name, evaluations: u.n, gradeChanges: u.changes, sumDelta: u.sum / 100, sumAbsDelta: u.abs / 100, maxAbsDelta: u.max / 100 }));
  return {
    selected: rows.length,
    gradeChanged,
    transitions,
    totalChanged,
    buckets,
    min: Math.min(...deltas) / 100,
    max: Math.max(...deltas) / 100,
    mean: Math.round(sum / rows.length) / 100,
    top,
  };
}

function expectMatchesOneByOne(report: ImpactReport, rows: readonly StoredRow[], compiled: CompiledRuleSet) {
  const expected = oneByOne(rows, compiled);
  expect(report.selected).toBe(expected.selected);
  expect(report.scored).toBe(expected.selected);
  expect(report.failed).toBe(0);
  expect(report.gradeChanged).toBe(expected.gradeChanged);
  expect(report.gradeTransitions).toEqual(expected.transitions);
  expect(report.totalChanged).toBe(expected.totalChanged);
  expect(report.deltas.buckets.map((b) => b.count)).toEqual(expected.buckets);
  expect(report.deltas).toMatchObject({ min: expected.min, max: expected.max, mean: expected.mean });
  expect(report.unitsMostAffected).toEqual(expected.top);
  return expected;
}

async function refusal(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('previewImpact', () => {
  it('lets timers and I/O run between pages (a preview of 20,000 rows does not hold the event loop for its whole length)', async () => {
    const ticks: number[] = [];
    let pagesDone = 0;
    const timer = setInterval(() => ticks.push(pagesDone), 0);
    try {
      await previewImpact(deps, bureau, { candidate, batchSize: 10, onProgress: (done) => (pagesDone = done) });
    } finally {
      clearInterval(timer);
    }
    // the interval fired while the preview was still under way, between its pages
    expect(ticks.some((done) => done > 0 && done < 60)).toBe(true);
  });

  it('reports the grade changes, delta buckets and units that re-scoring each stored evaluation one by one gives', async () => {
    const report = await previewImpact(deps, bureau, { candidate, batchSize: 7 });
    expectMatchesOneByOne(report, storedRows(), candidate);
    // the same, as figures: 60 stored national-table evaluations (2020–2024), the Meizhou one left out
    expect(report).toMatchObject({
      candidate: { id: 'cn-mof-2020', version: '1.1.0', sha256: candidate.sha256, fiscalYears: { from: 2020, to: null } },
      selection: { rulesetId: 'cn-mof-2020', fiscalYearFrom: 2020, fiscalYearTo: null, years: null },
      selected: 60,
      failures: [],
      gradeChanged: 16,
      gradeTransitions: { 'good→excellent': 10, 'good→fair': 5, 'excellent→fair': 1 },
      totalChanged: 43,
    });
    expect(report.gradeChanges).toEqual([
      { from: { code: 'good', name: '良', label: '良好' }, to: { code: 'excellent', name: '优', label: '优秀' }, count: 10 },
      { from: { code: 'good', name: '良', label: '良好' }, to: { code: 'fair', name: '中', label: '中' }, count: 5 },
      { from: { code: 'excellent', name: '优', label: '优秀' }, to: { code: 'fair', name: '中', label: '中' }, count: 1 },
    ]);
    expect(report.deltas.buckets.map((b) => b.range)).toEqual(['≤ -10', '(-10, -5]', '(-5, -1]', '(-1, 0)', '0', '(0, 1)', '[1, 5)', '[5, 10)', '≥ 10']);
    expect(report.deltas).toMatchObject({ min: -9.6, max: 1.95 });
    expect(report.unitsMostAffected).toHaveLength(10);
    expect(report.unitsMostAffected[0]).toMatchObject({ unitId: 'unit-01', unitName: '示例单位1', evaluations: 5 });
  });

  it('stores nothing: no run, no result rows, the evaluations as they were', async () => {
    const before = { counts: tableCounts(), rows: storedRows('1 = 1') };
    await previewImpact(deps, bureau, { candidate });
    expect(tableCounts()).toEqual(before.counts);
    expect(before.counts).toMatchObject({ evaluations: 61, rescore_runs: 0, rescorings: 0 });
    expect(storedRows('1 = 1')).toEqual(before.rows);
  });

  it('selects only the candidate’s fiscal years, and of those the years asked for', async () => {
    const only = await previewImpact(deps, bureau, { candidate, years: [2024, 2022] });
    expect(only.selection.years).toEqual([2022, 2024]);
    expect(only.selected).toBe(29); // 15 of 2022, 14 of 2024
    expectMatchesOneByOne(only, storedRows("ruleset_id = 'cn-mof-2020' AND fiscal_year IN (2022, 2024)"), candidate);

    const narrow = candidateRuleSet() as any;
    narrow.fiscalYears = { from: 2022, to: 2023 };
    const ranged = compileChecked(narrow);
    const report = await previewImpact(deps, bureau, { candidate: ranged });
    expect(report.selection).toEqual({ rulesetId: 'cn-mof-2020', fiscalYearFrom: 2022, fiscalYearTo: 2023, years: null });
    expect(report.selected).toBe(30);
    expectMatchesOneByOne(report, storedRows("ruleset_id = 'cn-mof-2020' AND fiscal_year BETWEEN 2022 AND 2023"), ranged);

    const outside = await refusal(() => previewImpact(deps, bureau, { candidate: ranged, years: [2023, 2024] }));
    expect(outside).toMatchObject({ code: 'BAD_REQUEST', message: '所选年度有误' });
    expect(outside.details).toEqual([{ path: '$.years[1]', message: '2024 年不在候选规则集适用的财政年度（2022–2023 年）内' }]);
    const empty = await refusal(() => previewImpact(deps, bureau, { candidate, years: [] }));
    expect(empty.details).toEqual([{ path: '$.years', message: '至少一个年度' }]);
  });

  it('refuses a selection over the row cap before scoring anything', async () => {
    let progressed = 0;
    const e = await refusal(() => previewImpact(deps, bureau, { candidate, maxRows: 59, onProgress: () => progressed++ }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toBe('候选规则集适用的已保存评价有 60 条，超过单次预览上限 59 条；请用 years 选择较少的年度，或在服务器上运行 cli impact');
    expect(e.details).toEqual([{ path: '$.ruleset.fiscalYears', message: '选中 60 条，上限 59 条' }]);
    expect(progressed).toBe(0);
    expect((await previewImpact(deps, bureau, { candidate, maxRows: 60 })).scored).toBe(60);
    expect((await previewImpact(deps, bureau, { candidate, years: [2023], maxRows: 15 })).scored).toBe(15);
  });

  it('is the bureau’s alone', async () => {
    for (const p of [
      { tokenId: 'tok_r', role: 'reviewer', unitId: null },
      { tokenId: 'tok_u', role: 'unit', unitId: 'unit-01' },
    ] satisfies Principal[]) {
      const e = await refusal(() => previewImpact(deps, p, { candidate }));
      expect(e).toMatchObject({ code: 'FORBIDDEN', message: '只有财政局可以预览规则集修改对已保存评价的影响' });
      const viaDocument = await refusal(() => previewImpactOfDocument(deps, p, { ruleset: candidateRuleSet() }));
      expect(viaDocument.code).toBe('FORBIDDEN');
    }
  });
});

describe('previewImpactOfDocument (the API form)', () => {
  it('checks the candidate with the cases supplied with it, then previews under the cap', async () => {
    expect(IMPACT_MAX_ROWS).toBe(20000);
    // from 2024 on the shipped cases (2021–2023) are not the candidate's; the supplied ones, pinned to 1.1.0, are
    const nextYear = candidateRuleSet() as any;
    nextYear.fiscalYears = { from: 2024 };
    const report = await previewImpactOfDocument(deps, bureau, { ruleset: nextYear, years: [2024], cases: [...candidateCaseFiles().values()] });
    const compiled = compileChecked(nextYear);
    expect(report.candidate).toEqual({ id: 'cn-mof-2020', version: '1.1.0', sha256: compiled.sha256, fiscalYears: { from: 2024, to: null } });
    expect(report.selected).toBe(14);
    expectMatchesOneByOne(report, storedRows("ruleset_id = 'cn-mof-2020' AND fiscal_year = 2024"), compiled);
    // a supplied case must pass: one expecting another total refuses the candidate, naming the case
    const wrong = [...candidateCaseFiles().values()].map((c) => structuredClone(c) as any);
    const scored = wrong.findIndex((c) => 'total' in c.expect);
    wrong[scored].expect.total += 1;
    const failing = await refusal(() => previewImpactOfDocument(deps, bureau, { ruleset: nextYear, cases: wrong }));
    expect(failing.code).toBe('RULESET_INVALID');
    expect(failing.details.map((d) => d.path)).toContain(`$.cases[${scored}]`);
    // the coverage gate is for publishing: without cases the candidate is still previewed
    expect((await previewImpactOfDocument(deps, bureau, { ruleset: nextYear, years: [2024] })).selected).toBe(14);
  });

  it('previews a candidate that scores the shipped cases’ years differently: those cases are what it changes, not its yardstick', async () => {
    const report = await previewImpactOfDocument(deps, bureau, { ruleset: candidateRuleSet() });
    expect(report.selected).toBe(60);
    expectMatchesOneByOne(report, storedRows("ruleset_id = 'cn-mof-2020'"), compileChecked(candidateRuleSet()));
  });

  it('resolves a candidate written as an extension of a published version', async () => {
    const extension = { ...(readJson('rules/xx-province-2024/1.0.0.json') as any), id: 'cn-mof-2020', version: '1.2.0', fiscalYears: { from: 2020 } };
    const report = await previewImpactOfDocument(deps, bureau, { ruleset: extension });
    expect(report.candidate).toMatchObject({ id: 'cn-mof-2020', version: '1.2.0' });
    expect(report.selected).toBe(60);
    // the province's bands (优 ≥ 85, 良 ≥ 75) move grades up, its thresholds change no points
    expect(report.totalChanged).toBe(0);
    expect(Object.keys(report.gradeTransitions).every((k) => ['good→excellent', 'fair→good', 'poor→fair'].includes(k))).toBe(true);
  });

  it('refuses a malformed body with paths, never scoring', async () => {
    const extra = await refusal(() => previewImpactOfDocument(deps, bureau, { ruleset: candidateRuleSet(), limit: 5 }));
    expect(extra.code).toBe('RULESET_INVALID');
    expect(extra.details.map((d) => d.path)).toContain('$.limit');
    const notArray = await refusal(() => previewImpactOfDocument(deps, bureau, { ruleset: candidateRuleSet(), years: 2023 }));
    expect(notArray).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: '$.years', message: '应为数组' }] });
    const badYear = await refusal(() =>
      previewImpactOfDocument(deps, bureau, { ruleset: candidateRuleSet(), years: ['2023'], cases: [...candidateCaseFiles().values()] }),
    );
    expect(badYear.details).toEqual([{ path: '$.years[0]', message: '应为整数财政年度' }]);
    const noRuleSet = await refusal(() => previewImpactOfDocument(deps, bureau, []));
    expect(noRuleSet.code).toBe('RULESET_INVALID');
    const broken = candidateRuleSet() as any;
    broken.grades = 'none';
    const invalid = await refusal(() => previewImpactOfDocument(deps, bureau, { ruleset: broken }));
    expect(invalid.code).toBe('RULESET_INVALID');
    expect(invalid.details[0]!.path).toBe('$.ruleset.grades');
  });
});
