// `cli publish` (issue #11, item 4): a rule-set version is resolved, checked and case-covered locally, then published
// to the local database or to a running service, the token taken from JXZP_TOKEN and never from the command line.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess, stopAllServiceProcesses } from '../service-process.js';
import { ROOT, readJson } from '../support.js';
import { lines, runCli, STACK_TRACE } from './run-cli.js';

let dir: string;
let rulesDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jxzp-publish-'));
  // a service that ships only the national table: the province's extension is new to it
  rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  cpSync(join(ROOT, 'rules', 'cn-mof-2020'), join(rulesDir, 'cn-mof-2020'), { recursive: true });
});
afterAll(async () => {
  await stopAllServiceProcesses();
  rmSync(dir, { recursive: true, force: true });
});

const storedVersions = (databasePath: string) => {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare('SELECT id, version, sha256, document FROM rulesets ORDER BY id, version').all() as { id: string; version: string; sha256: string; document: string }[];
  } finally {
    db.close();
  }
};

describe('cli publish', () => {
  it('to the local database: checks, publishes the resolved version with its cases; the same again changes nothing', async () => {
    const env = { DATABASE_PATH: join(dir, 'local.db'), RULES_DIR: rulesDir };
    const first = await runCli(['publish', 'rules/xx-province-2024/1.0.0.json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(lines(first.stdout)).toEqual([
      'rules/xx-province-2024/1.0.0.json：xx-province-2024 1.0.0 通过全部检查；xx-province-2024 1.0.0：全部 10 条计分规则和 4 档等级都有用例覆盖',
      expect.stringMatching(/^已发布 xx-province-2024 1\.0\.0 到本机数据库 .*local\.db（sha256 [0-9a-f]{64}，随附测试用例 6 个）$/),
    ]);
    const [row] = storedVersions(env.DATABASE_PATH);
    const stored = JSON.parse(row!.document);
    // what is stored is the resolved rule set: no extends, the lineage, the national rules with the province's changes
    expect(stored.extends).toBeUndefined();
    expect(stored.basedOn).toEqual([{ id: 'cn-mof-2020', version: '1.0.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(stored.rules).toHaveLength(10);

    const again = await runCli(['publish', 'rules/xx-province-2024'], env);
    expect(again.code).toBe(0);
    expect(lines(again.stdout)[1]).toMatch(/^xx-province-2024 1\.0\.0 已在本机数据库 .*中，内容相同/);
    expect(storedVersions(env.DATABASE_PATH)).toHaveLength(1);
  }, 90_000);

  it('refuses a version whose cases leave a rule or band unexercised, listing them; nothing is stored', async () => {
    const candidate = join(dir, 'uncovered');
    cpSync(join(ROOT, 'rules', 'xx-province-2024'), candidate, { recursive: true });
    rmSync(join(candidate, 'cases', 'water-supply-excellent.json'));
    rmSync(join(candidate, 'cases', 'waste-collection-fair.json')); // the only 中; budgetExecution.low is reached by 差 too
    const env = { DATABASE_PATH: join(dir, 'refused.db'), RULES_DIR: rulesDir };
    const r = await runCli(['publish', join(candidate, '1.0.0.json')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(lines(r.stderr)).toEqual([
      `${join(candidate, '1.0.0.json')} 未通过检查，未发布：`,
      '  [错误] CASE_COVERAGE_INCOMPLETE (goldenCases) $.rules[0]：没有测试用例覆盖计分规则 budgetExecution.full（预算执行率（资金支出率）：执行率达到 100%）；请增加一个适用该情形的用例',
      '  [错误] CASE_COVERAGE_INCOMPLETE (goldenCases) $.grades[2]：没有测试用例的总分落在等级 中（合格，60 ≤ 总分 < 75） 内；请增加一个该等级的用例',
    ]);
    expect(storedVersions(env.DATABASE_PATH)).toEqual([]);
  }, 90_000);

  it('to a running service: the bureau token from JXZP_TOKEN; without it, a usage error; a unit token is refused', async () => {
    const databasePath = join(dir, 'served.db');
    const service = await startServiceProcess({ DATABASE_PATH: databasePath, RULES_DIR: rulesDir });
    const token = async (...args: string[]) => {
      const r = await runCli(['token', 'create', ...args], { DATABASE_PATH: databasePath });
      expect(r.code, r.stderr).toBe(0);
      return lines(r.stdout).at(-1)!;
    };
    const [bureau, unit] = [await token('--role', 'bureau'), await token('--role', 'unit', '--unit', 'demo-unit')];

    const noToken = await runCli(['publish', 'rules/xx-province-2024', '--to', service.base], { RULES_DIR: rulesDir, JXZP_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(lines(noToken.stderr)).toEqual(['发布到服务须在环境变量 JXZP_TOKEN 中给出财政局令牌（令牌不写在命令行上）（用 npm run cli -- publish --help 查看用法）']);

    const asUnit = await runCli(['publish', 'rules/xx-province-2024', '--to', service.base], { RULES_DIR: rulesDir, JXZP_TOKEN: unit });
    expect(asUnit.code).toBe(1);
    expect(asUnit.stderr).toContain('拒绝发布（HTTP 403 FORBIDDEN）');

    const ok = await runCli(['publish', 'rules/xx-province-2024', '--to', service.base], { RULES_DIR: rulesDir, JXZP_TOKEN: bureau });
    expect(ok.code, ok.stderr).toBe(0);
    expect(lines(ok.stdout)[1]).toMatch(new RegExp(`^已发布 xx-province-2024 1\\.0\\.0 到服务 ${service.base} （sha256 [0-9a-f]{64}，随附测试用例 6 个）$`));
    // the service scores every one of the province's golden cases exactly as it expects
    const scored = readdirSync(join(ROOT, 'rules/xx-province-2024/cases')).filter((f) => f.endsWith('.json'));
    expect(scored).toHaveLength(6);
    for (const name of scored) {
      const c = readJson<{ submission: unknown; expect: { total: number; grade: string } }>(`rules/xx-province-2024/cases/${name}`);
      const r = await fetch(`${service.base}/v1/score`, { method: 'POST', headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' }, body: JSON.stringify(c.submission) });
      const body = (await r.json()) as { total: number; grade: { code: string }; ruleset: { id: string } };
      expect([body.ruleset.id, body.total, body.grade.code]).toEqual(['xx-province-2024', c.expect.total, c.expect.grade]);
    }
  }, 120_000);

  it('a missing file or a bad --to is one line and exit 2', async () => {
    const [missing, badUrl] = await Promise.all([
      runCli(['publish', join(dir, 'nope.json')]),
      runCli(['publish', 'rules/xx-province-2024', '--to', 'ftp://x'], { JXZP_TOKEN: 't' }),
    ]);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([`规则集文件或目录 ${join(dir, 'nope.json')} 不存在（用 npm run cli -- publish --help 查看用法）`]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--to 应为 http:// 或 https:// 开头的服务地址');
  }, 60_000);
});
