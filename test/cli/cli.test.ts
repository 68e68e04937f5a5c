// The CLI as a person runs it: score the examples, lint and test rules/, and fail loudly on a broken copy.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support.js';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function brokenCopy(mutate: (doc: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-rules-'));
  cpSync(join(ROOT, 'rules'), dir, { recursive: true });
  const file = join(dir, 'gd-meizhou-2022', '1.0.0.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  mutate(doc);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return dir;
}

describe('cli score', () => {
  it('prints the seed example as JSON with total 100 and grade 优', () => {
    const r = cli('score', 'examples/meizhou-2022.json', '--format', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.total).toBe(100);
    expect(result.grade).toMatchObject({ code: 'excellent', name: '优', label: '优秀' });
    expect(result.ruleset).toMatchObject({ id: 'gd-meizhou-2022', version: '1.0.0' });
    expect(result.items.find((i: any) => i.id === 'payment').explanation).toBe('资金支出率 100.00%（44.99 ÷ 44.99 万元）≥ 100%，得满分 8 分');
  });

  it('prints a national example as an aligned Chinese table with shortfalls and discrepancies', () => {
    const r = cli('score', 'examples/national-road-maintenance-2023.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('总分 88.45 / 100，等级：良好（良）；距「优秀」（≥ 90 分）还差 1.55 分');
    expect(r.stdout).toContain('超过年度指标值（≤ 4万元）15.00%');
    expect(r.stdout).toMatch(/完成养护里程\s+20\s+16\s+4/);
    expect(r.stdout).toContain('预算执行率');
  });

  it('rejects a malformed submission with paths and a non-zero exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-sub-'));
    const file = join(dir, 'bad.json');
    const s = JSON.parse(readFileSync(join(ROOT, 'examples/meizhou-2022.json'), 'utf8'));
    delete s.facts.payment.spent;
    writeFileSync(file, JSON.stringify(s));
    const r = cli('score', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('$.facts.payment.spent：缺少「实际支出」');
    expect(r.stdout).not.toContain('总分');
  });
});

describe('cli lint and test', () => {
  it('pass on rules/', () => {
    const lint = cli('lint');
    expect(lint.code).toBe(0);
    const ruleFiles = readdirSync(join(ROOT, 'rules')).flatMap((id) =>
      readdirSync(join(ROOT, 'rules', id)).filter((f) => f.endsWith('.json')),
    );
    expect(ruleFiles.length).toBeGreaterThanOrEqual(2);
    expect(lint.stdout).toContain(`全部 ${ruleFiles.length} 个规则集文件检查通过`);
    const test = cli('test');
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    // every scoring rule of every shipped rule set is reached by some case (cli test --coverage checks bands too)
    expect(test.stdout).not.toContain('没有用例到达的计分规则');
  });

  it('fail with a clear report on a broken copy (overlapping bands)', () => {
    const dir = brokenCopy((doc) => {
      doc.rules.find((r: any) => r.name === 'payment.short').conditions.all[0].operator = 'lessThanInclusive';
    });
    const lint = cli('lint', dir);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('BAND_OVERLAP');
    expect(lint.stdout).toContain('资金支出率（paymentRate）= 1 时有 2 个计分情形同时适用');
    const test = cli('test', dir);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('规则集未通过检查');
  });

  it('test fails and names the case when a scoring change breaks a golden case', () => {
    const dir = brokenCopy((doc) => {
      doc.rules.find((r: any) => r.name === 'payment.met').event.params.award = { method: 'fraction', fraction: 0.5 };
    });
    const test = cli('test', dir);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('✗ gd-meizhou-2022 1.0.0 · 种子案例');
    expect(test.stdout).toContain('payment（资金支付）得分 4，期望 8');
    expect(test.stdout).toMatch(/^\d+ passed, [1-9]\d* failed$/m);
  });
});
