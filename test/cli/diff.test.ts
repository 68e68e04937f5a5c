// `cli diff` as an operator runs it: the change notice between rule-set files or id@version, JSON output, and one-line
// refusals with the documented exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support.js';
import { lines, runCli, STACK_TRACE } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'jxzp-diff-'));

/** A changed copy of a shipped rule file, written to the temporary directory. */
function changedCopy(name: string, source: string, change: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(join(ROOT, source), 'utf8'));
  change(doc);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

const node = (doc: any, id: string) => doc.indicators.find((n: any) => n.id === id);

/** The done-when copy: 产出 50→45, 满意度 10→15, the 优 band 90→85. */
const doneWhen = changedCopy('mof-changed.json', 'rules/cn-mof-2020/1.0.0.json', (d) => {
  node(d, 'output').points = 45;
  node(d, 'satisfaction').points = 15;
  d.grades.find((g: any) => g.name === '优').min = 85;
});

const THREE_LINES = ['等级「优」（优秀）：下限 90 → 85 分', '产出指标：分值 50 → 45 分', '满意度指标：分值 10 → 15 分'];
const HEADER = '评分规则变更通知：项目支出绩效自评表（全国通用，财预〔2020〕10号）。旧版本 cn-mof-2020 1.0.0，新版本 1.0.0，共 3 处变化。';

describe('cli diff', () => {
  it('prints exactly three change lines, each before → after, for two files', async () => {
    const r = await runCli(['diff', 'rules/cn-mof-2020/1.0.0.json', doneWhen]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([HEADER, ...THREE_LINES]);
    expect(lines(r.stdout).filter((l) => l.includes(' → '))).toEqual(THREE_LINES);
  });

  it('reads id@version from the rules directory', async () => {
    const r = await runCli(['diff', 'cn-mof-2020@1.0.0', doneWhen]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([HEADER, ...THREE_LINES]);
  });

  it('--format json gives from, to, the structural changes and the notice lines', async () => {
    const r = await runCli(['diff', 'cn-mof-2020@1.0.0', doneWhen, '--format', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.from).toEqual({ id: 'cn-mof-2020', version: '1.0.0' });
    expect(body.to).toEqual({ id: 'cn-mof-2020', version: '1.0.0' });
    expect(body.header).toBe(HEADER);
    expect(body.notice).toEqual(THREE_LINES);
    expect(body.changes.map((c: any) => [c.kind, c.from, c.to])).toEqual([
      ['gradeBandMinChanged', 90, 85],
      ['indicatorPointsChanged', 50, 45],
      ['indicatorPointsChanged', 10, 15],
    ]);
    expect(body.changes[1].location).toEqual({ before: '$.indicators[1].points', after: '$.indicators[1].points' });
  });

  it('says in one line that two equal versions do not differ, and exits 0', async () => {
    const r = await runCli(['diff', 'gd-meizhou-2022@1.0.0', 'rules/gd-meizhou-2022/1.0.0.json']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(2);
    expect(lines(r.stdout)[1]).toBe('两个版本的评分规则没有差异');
  });

  it('a threshold changed in a shared, parametrised rule group is one line per rule of the group, naming its indicators', async () => {
    const changed = changedCopy('city-changed.json', 'rules/xx-city-2024/1.0.0.json', (d) => {
      d.sharedRuleGroups.rateReached.parameters.fullRate.default = 0.95;
    });
    const r = await runCli(['diff', 'xx-city-2024@1.0.0', changed]);
    expect(r.code).toBe(0);
    const group = '规则组「比率达到 100% 得满分，否则按比例」（用于 资金到位、资金支付、效率性、效果性）';
    const facts = '资金到位率／资金支出率／产出完成率／效果目标达成率';
    expect(lines(r.stdout).slice(1)).toEqual([
      `${group}：4 条规则（达到 100%）的条件 ${facts} ≥ 100% → ≥ 95%`,
      `${group}：4 条规则（未达到 100%，按比例计分）的条件 ${facts} < 100% → < 95%`,
    ]);
  });

  it('a file that does not exist: one line on stderr, exit 2', async () => {
    const r = await runCli(['diff', 'rules/cn-mof-2020/9.9.9.json', doneWhen]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('规则集文件 rules/cn-mof-2020/9.9.9.json 不存在');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('an unknown version of a rule set: one line, exit 2', async () => {
    const r = await runCli(['diff', 'cn-mof-2020@9.9.9', doneWhen]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('规则集目录 rules 中没有规则集 cn-mof-2020 的版本 9.9.9');
  });

  it('a file that is not a rule set: one line naming the file and the first problem, exit 1', async () => {
    const broken = changedCopy('broken.json', 'rules/cn-mof-2020/1.0.0.json', (d) => {
      node(d, 'output').points = -5;
    });
    const r = await runCli(['diff', 'cn-mof-2020@1.0.0', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`规则集文件 ${broken} 不符合规则集格式：$.indicators[1].points`);
  });

  it('a wrong --format or a missing argument is a command-line error, exit 2', async () => {
    const [format, missing] = await Promise.all([
      runCli(['diff', 'cn-mof-2020@1.0.0', doneWhen, '--format', 'xml']),
      runCli(['diff', 'cn-mof-2020@1.0.0']),
    ]);
    expect(format.code).toBe(2);
    expect(lines(format.stderr)).toEqual(['选项 --format 只能是 text、json，不能是「xml」（用 npm run cli -- diff --help 查看用法）']);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(['缺少参数 <新版本>（用 npm run cli -- diff --help 查看用法）']);
  });
});
