// `cli impact` over a database of stored evaluations: its printed counts are those of re-scoring each one by one
// under the candidate; a candidate that fails its checks exits 1 with the diagnostics, a missing file exits 2.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileChecked, type CompiledRuleSet } from '../../src/engine/compiled.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { ROOT } from '../support.js';
import { candidateCaseFiles, candidateRuleSet, shippedCaseFilesPinned, storedSubmissions } from '../services/impact-candidate.js';
import { STACK_TRACE, runCli } from './run-cli.js';

let dir: string;
let env: Record<string, string>;
let candidateFile: string;
let candidate: CompiledRuleSet;
/** what re-scoring each stored evaluation one by one gives */
const expected = { gradeChanged: 0, totalChanged: 0, transitions: {} as Record<string, number>, buckets: [0, 0, 0, 0, 0, 0, 0, 0, 0] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jxzp-impact-cli-'));
  const databasePath = join(dir, 'i.db');
  const { deps, database, checker } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  try {
    for (const s of storedSubmissions()) {
      await submitEvaluation(deps, { tokenId: `tok_${s.project.unitId}`, role: 'unit', unitId: s.project.unitId }, s, undefined);
    }
    candidate = compileChecked(candidateRuleSet());
    const rows = database.sqlite.prepare("SELECT input, total, grade_code FROM evaluations WHERE ruleset_id = 'cn-mof-2020'").all() as {
      input: string;
      total: number;
      grade_code: string;
    }[];
    for (const row of rows) {
      const result = scoreWithRuleSet(candidate, JSON.parse(row.input));
      const d = Math.round(result.total * 100) - Math.round(row.total * 100);
      if (d !== 0) expected.totalChanged++;
      expected.buckets[d <= -1000 ? 0 : d <= -500 ? 1 : d <= -100 ? 2 : d < 0 ? 3 : d === 0 ? 4 : d < 100 ? 5 : d < 500 ? 6 : d < 1000 ? 7 : 8]!++;
      if (result.grade.code !== row.grade_code) {
        expected.gradeChanged++;
        const key = `${row.grade_code}→${result.grade.code}`;
        expected.transitions[key] = (expected.transitions[key] ?? 0) + 1;
      }
    }
  } finally {
    await checker.close();
    await database.close();
  }
  // a rules directory as the bureau would keep it with 1.1.0 coming: 1.0.0's cases pinned to it, 1.1.0's added
  const rulesDir = join(dir, 'rules');
  mkdirSync(join(rulesDir, 'cn-mof-2020', 'cases'), { recursive: true });
  cpSync(join(ROOT, 'rules/cn-mof-2020/1.0.0.json'), join(rulesDir, 'cn-mof-2020/1.0.0.json'));
  for (const [name, doc] of [...shippedCaseFilesPinned(), ...candidateCaseFiles()]) {
    writeFileSync(join(rulesDir, 'cn-mof-2020/cases', name), JSON.stringify(doc));
  }
  candidateFile = join(dir, 'candidate-1.1.0.json');
  writeFileSync(candidateFile, JSON.stringify(candidateRuleSet()));
  env = { DATABASE_PATH: databasePath, RULES_DIR: rulesDir };
}, 60_000);

describe('cli impact', () => {
  it('prints the counts, grade changes and delta buckets that re-scoring one by one gives', async () => {
    const r = await runCli(['impact', candidateFile], env);
    expect(r.code, r.stderr).toBe(0);
    expect(expected).toMatchObject({ gradeChanged: 16, totalChanged: 43 });
    expect(r.stdout).toContain(`影响预览（试算，不保存）：候选规则集 cn-mof-2020 1.1.0，sha256 ${candidate.sha256.slice(0, 16)}…`);
    expect(r.stdout).toContain('  选取：规则集 cn-mof-2020 的已保存评价，财政年度 2020 年起\n');
    expect(r.stdout).toContain('  选中 60 条，试算 60 条，无法用候选版本评分 0 条');
    expect(r.stdout).toContain(`  总分变化 ${expected.totalChanged} 条；等级变化 ${expected.gradeChanged} 条`);
    expect(r.stdout).toContain(
      [
        '等级变化（原 → 新）：',
        `  良（良好） → 优（优秀）：${expected.transitions['good→excellent']} 条`,
        `  良（良好） → 中：${expected.transitions['good→fair']} 条`,
        `  优（优秀） → 中：${expected.transitions['excellent→fair']} 条`,
      ].join('\n'),
    );
    expect(Object.keys(expected.transitions).sort()).toEqual(['excellent→fair', 'good→excellent', 'good→fair']);
    const ranges = ['≤ -10', '(-10, -5]', '(-5, -1]', '(-1, 0)', '0', '(0, 1)', '[1, 5)', '[5, 10)', '≥ 10'];
    const bucketLines = ranges.map((range, i) => `  ${range.padEnd(10)} ${String(expected.buckets[i]).padStart(6)} 条`);
    expect(r.stdout).toContain(['总分变化分布（新总分 − 原总分）：', ...bucketLines].join('\n'));
    expect(r.stdout).toMatch(/最小 -9\.6，最大 \+1\.95，平均 -?\d/);
    expect(r.stdout).toMatch(/受影响最大的单位（按总分变化绝对值合计）：\n {2}unit-\d\d 示例单位\d+：评价 5 条/);
    expect(r.stdout.match(/^ {2}unit-\d\d /gm)).toHaveLength(10);
  }, 60_000);

  it('--format json prints the report object; --years narrows the selection', async () => {
    const [all, some] = await Promise.all([
      runCli(['impact', candidateFile, '--format', 'json'], env),
      runCli(['impact', candidateFile, '--years', '2022,2024', '--format', 'json'], env),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const report = JSON.parse(all.stdout);
    expect(report).toMatchObject({ selected: 60, scored: 60, gradeChanged: expected.gradeChanged, totalChanged: expected.totalChanged, gradeTransitions: expected.transitions });
    expect(report.deltas.buckets.map((b: { count: number }) => b.count)).toEqual(expected.buckets);
    expect(some.code, some.stderr).toBe(0);
    expect(JSON.parse(some.stdout)).toMatchObject({ selection: { years: [2022, 2024] }, selected: 29, scored: 29 });
  }, 60_000);

  it('a candidate failing its checks exits 1 with one diagnostic a line; a missing file or a bad year exits 2; the shipped cases are no yardstick', async () => {
    const broken = candidateRuleSet() as any;
    broken.grades[0].min = 'ninety';
    const brokenFile = join(dir, 'broken.json');
    writeFileSync(brokenFile, JSON.stringify(broken));
    const [bad, shippedCases, missing, outside] = await Promise.all([
      runCli(['impact', brokenFile], env),
      // with the repository's rules/, whose 2021–2023 cases the candidate scores differently: previewed all the same
      runCli(['impact', candidateFile, '--format', 'json'], { ...env, RULES_DIR: join(ROOT, 'rules') }),
      runCli(['impact', join(dir, 'nope.json')], env),
      runCli(['impact', candidateFile, '--years', '2019'], env),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(`候选规则集文件 ${brokenFile} 未通过检查，未试算：`);
    expect(bad.stderr).toMatch(/^ {2}\[错误\] SCHEMA_VIOLATION \(schema\) \$\.grades\[0\]\.min：/m);
    expect(bad.stderr).not.toMatch(STACK_TRACE);

    expect(shippedCases.code, shippedCases.stderr).toBe(0);
    expect(JSON.parse(shippedCases.stdout)).toMatchObject({ candidate: { id: 'cn-mof-2020', version: '1.1.0' }, selected: 60 });

    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`候选规则集文件 ${join(dir, 'nope.json')} 不存在（用 npm run cli -- impact --help 查看用法）`);

    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('所选年度有误');
    expect(outside.stderr).toContain('$.years[0]：2019 年不在候选规则集适用的财政年度（2020 年起）内');
  }, 60_000);
});
