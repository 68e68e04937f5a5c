// `cli template` and `cli import` as an operator runs them: template out (blank or prefilled from a submission), filled
// workbooks in (several at once), each failure naming its cells, and the progress bar on a terminal.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { runCli, STACK_TRACE } from '../cli/run-cli.js';
import { example, ROOT } from '../support.js';
import { expectedReadBack, inputAddress, registryOf, replaceCell } from './files.js';

describe('cli template / import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-wb-cli-'));
  const env = { DATABASE_PATH: join(dir, 'none.db') };

  it('template --from a submission, import it back: the same submission, 100 / 优', async () => {
    const out = join(dir, 'meizhou.xlsx');
    const t = await runCli(['template', 'gd-meizhou-2022@1.0.0', '--from', 'examples/meizhou-2022.json', '--out', out], env);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout.trim()).toBe(`已写出 ${out}（gd-meizhou-2022 1.0.0，预填自 examples/meizhou-2022.json）`);
    const i = await runCli(['import', out], env);
    expect(i.code, i.stderr + i.stdout).toBe(0);
    expect(i.stdout).toContain(`✓ ${out} → ${join(dir, 'meizhou.json')}（gd-meizhou-2022 1.0.0，复算总分 100，优）`);
    const written = JSON.parse(readFileSync(join(dir, 'meizhou.json'), 'utf8'));
    expect(canonicalJson(written)).toBe(canonicalJson(expectedReadBack(example('meizhou-2022.json'), '1.0.0')));
  });

  it('several files at once into --out-dir: a line per file, the failures naming their cells, exit 1', async () => {
    const good = join(dir, 'good.xlsx');
    const blank = join(dir, 'blank.xlsx');
    expect((await runCli(['template', 'gd-meizhou-2022@1.0.0', '--from', 'examples/meizhou-2022.json', '--out', good], env)).code).toBe(0);
    const compiled = registryOf().get('gd-meizhou-2022', '1.0.0')!;
    const spent = inputAddress(compiled, ['facts', 'payment', 'spent']);
    const bad = join(dir, 'bad.xlsx');
    writeFileSync(bad, replaceCell(new Uint8Array(readFileSync(good)), spent, `<c r="${spent}" s="6" t="inlineStr"><is><t>否</t></is></c>`));
    expect((await runCli(['template', 'cn-mof-2020@1.0.0', '--out', blank], env)).code).toBe(0);
    const r = await runCli(['import', good, bad, blank, '--out-dir', join(dir, 'json')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(''); // no terminal: no progress bar
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `✓ ${good} → ${join(dir, 'json', 'good.json')}（gd-meizhou-2022 1.0.0，复算总分 100，优）`,
      `✗ ${bad}：提交的数据与所用评分规则集不符`,
      `  $.facts.payment.spent：「实际支出」应为数值（自评表!${spent}）`,
      `✗ ${blank}：提交的数据不符合格式要求`,
      '  $.project：缺少必填项「project」（自评表!F2）',
      '共 3 个文件：写出 1 个，未通过 2 个',
    ]);
    expect(r.stdout).not.toMatch(STACK_TRACE);
  });

  it('shows the progress bar on a terminal', async () => {
    const good = join(dir, 'good.xlsx');
    // `script` gives the command a terminal; its output is what the terminal showed
    const shown = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', `${process.execPath} --import tsx src/cli/main.ts import ${good} ${good} --out-dir ${join(dir, 'tty')}`, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(shown).toContain('[###############...............]  50%  1/2');
    expect(shown).toContain('[##############################] 100%  2/2');
  });

  it('wrong arguments: one line, exit 2', async () => {
    const r = await runCli(['template', 'gd-meizhou-2022'], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('规则集应写成 <编号>@<版本号>，如 gd-meizhou-2022@1.0.0，不能是「gd-meizhou-2022」（用 npm run cli -- template --help 查看用法）');
    const i = await runCli(['import', join(dir, 'missing.xlsx')], env);
    expect(i.code).toBe(2);
    expect(i.stderr.trim()).toBe(`工作簿文件 ${join(dir, 'missing.xlsx')} 不存在（用 npm run cli -- import --help 查看用法）`);
  });
});
