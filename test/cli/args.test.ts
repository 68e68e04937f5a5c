// The CLI's command line as an operator gets it wrong: --help everywhere, typos, missing arguments and missing files
// each answer with usage or one line and a documented exit code — never a stack trace.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, runCli, STACK_TRACE } from './run-cli.js';

const HELP_COMMANDS: readonly (readonly string[])[] = [
  [],
  ['score'],
  ['lint'],
  ['test'],
  ['diff'],
  ['impact'],
  ['publish'],
  ['token'],
  ['token', 'create'],
  ['token', 'list'],
  ['token', 'revoke'],
  ['rescore'],
  ['backup'],
  ['template'],
  ['import'],
  ['show'],
  ['export'],
  ['table-export'],
  ['table-import'],
];

describe.concurrent('cli --help', () => {
  it.each(HELP_COMMANDS.map((c) => [c.join(' ') || '(no command)', c] as const))('%s --help exits 0 with usage in Chinese', async (_, command) => {
    const r = await runCli([...command, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^用法：npm run cli -- /);
    expect(r.stderr).toBe('');
  });

  it('-h is the same as --help', async () => {
    const r = await runCli(['lint', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：npm run cli -- lint [目录]');
  });
});

describe.concurrent('cli errors are one line with exit 2', () => {
  const dbDir = mkdtempSync(join(tmpdir(), 'jxzp-cli-args-'));
  const missingDb = { DATABASE_PATH: join(dbDir, 'absent.db') };
  const cases: readonly (readonly [string, readonly string[], RegExp, Record<string, string>?])[] = [
    ['unknown option', ['lint', '--typo'], /未知选项 --typo/],
    ['unknown short option', ['score', 'examples/meizhou-2022.json', '-x'], /未知选项 -x/],
    ['option without its value', ['score', 'examples/meizhou-2022.json', '--format'], /选项 --format 缺少取值/],
    ['flag given a value', ['backup', join(dbDir, 'b.db'), '--force=yes'], /选项 --force 不带取值/],
    ['bad option value', ['score', 'examples/meizhou-2022.json', '--format', 'xml'], /--format 只能是 table、json/],
    ['missing argument', ['score'], /缺少参数 <提交文件\.json>/],
    ['extra argument', ['lint', 'rules', 'more'], /多余的参数「more」/],
    ['missing required option', ['token', 'create'], /缺少选项 --role/],
    ['missing token id', ['token', 'revoke'], /缺少参数 <令牌编号>/],
    ['missing backup file', ['backup'], /缺少参数 <备份文件>/],
    ['unknown command', ['grade'], /未知命令「grade」/],
    ['unknown subcommand', ['token', 'delete'], /未知子命令「delete」/],
    ['no command', [], /缺少命令/],
    ['rescore without version', ['rescore', '--ruleset', 'gd-meizhou-2022'], /缺少选项 --version/],
    ['bad token lifetime', ['token', 'create', '--role', 'bureau', '--expires', '90 days'], /有效期应写成整数小时或天数/],
    ['lint on a missing directory', ['lint', '/nonexistent/rules'], /规则集目录 \/nonexistent\/rules 不存在/],
    ['test on a missing directory', ['test', '/nonexistent/rules'], /规则集目录 \/nonexistent\/rules 不存在/],
    ['score on a missing file', ['score', '/nonexistent/submission.json'], /提交文件 \/nonexistent\/submission\.json 不存在/],
    ['score with a missing rules directory', ['score', 'examples/meizhou-2022.json', '--rules', '/nonexistent'], /规则集目录 \/nonexistent 不存在/],
    ['token list on a missing database', ['token', 'list'], /数据库文件 .*absent\.db 不存在/, missingDb],
    ['backup of a missing database', ['backup', join(dbDir, 'copy.db')], /数据库文件 .*absent\.db 不存在/, missingDb],
    ['rescore on a missing database', ['rescore', '--ruleset', 'gd-meizhou-2022', '--version', '1.0.0'], /数据库文件 .*absent\.db 不存在/, missingDb],
  ];

  it.each(cases.map(([name, args, message, env]) => ({ name, args, message, env })))('$name', async ({ args, message, env }) => {
    const r = await runCli(args, env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});
