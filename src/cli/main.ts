// Command-line entry: `npm run cli -- <command> ...`. One command per file; exit codes in args.ts.
import { DomainError } from '../domain/errors.js';
import { CliError, HelpRequested } from './args.js';
import { backupCommand } from './backup.js';
import { diffCommand } from './diff.js';
import { exportCommand } from './export.js';
import { impactCommand } from './impact.js';
import { importCommand } from './import.js';
import { lintCommand } from './lint.js';
import { publishCommand } from './publish.js';
import { rescoreCommand } from './rescore.js';
import { scoreCommand } from './score.js';
import { templateCommand } from './template.js';
import { showCommand } from './show.js';
import { tableExportCommand } from './table-export.js';
import { tableImportCommand } from './table-import.js';
import { testCommand } from './test.js';
import { tokenCommand } from './token.js';

const COMMANDS = new Map<string, (args: string[]) => Promise<number>>([
  ['score', scoreCommand],
  ['lint', lintCommand],
  ['test', testCommand],
  ['token', tokenCommand],
  ['rescore', rescoreCommand],
  ['impact', impactCommand],
  ['backup', backupCommand],
  ['diff', diffCommand],
  ['publish', publishCommand],
  ['template', templateCommand],
  ['import', importCommand],
  ['show', showCommand],
  ['export', exportCommand],
  ['table-export', tableExportCommand],
  ['table-import', tableImportCommand],
]);

export const USAGE = `用法：npm run cli -- <命令> [参数]   （每个命令都可加 --help 查看用法）
  score <提交文件.json> [--format table|json] [--rules <目录>]   对一份提交评分（默认 table）
  lint [目录]                                                   检查规则集（默认 rules/）
  test [目录] [--coverage]                                      运行规则集的测试用例（默认 rules/）；--coverage 逐条列出规则与等级的覆盖
  publish <规则集文件或目录> [--to <服务地址>]                   检查并发布规则集版本（连同测试用例；令牌取自 JXZP_TOKEN；不给 --to 时写入本机数据库）
  diff <旧版本> <新版本> [--format text|json]                    列出两个规则集版本间的变化（文件或 编号@版本号）
  token create --role unit --unit <单位编号> | --role reviewer | --role bureau [--label <说明>] [--expires <时长>] [--sql-out <文件>]
                                                                创建令牌（时长如 90d、12h；最后一行为令牌）
  token list [--format table|json]                              列出令牌（不显示令牌本身）
  token revoke <令牌编号>                                       吊销令牌
  rescore --ruleset <编号> --version <版本> [--year <年度>] [--from <原规则集>|all] [--batch <条数>]
                                                                用指定版本重新评分已保存的评价，写入新结果（原结果不动）
  impact <候选规则集.json> [--years <年度,…>] [--format text|json]   试算候选版本对已保存评价的影响（等级变化、分差分布、受影响单位），不保存
  backup <备份文件> [--force]                                   在线备份 SQLite 数据库（一致的副本；PostgreSQL 请用 pg_dump）
  template <编号>@<版本号> [--out <文件.xlsx>] [--from <提交.json|评价编号>]   写出自评表模板工作簿（可用上年数据预填）
  import <文件.xlsx>… [--out-dir <目录>]                         把填好的自评表工作簿转成提交 JSON（逐条指出有误的单元格）
  show <评价编号> [--format table|json|csv]                     显示一条已保存的评价（表格按终端宽度换行）
  export <评价编号>… [--format xlsx|docx] [--out-dir <目录>]     导出评分后的自评表（xlsx）或自评报告草稿（docx）
  table-export <编号>@<版本号> [--out <文件.xlsx>]               把规则集写成财政局可修改的评分表工作簿
  table-import <评分表.xlsx> --base <编号>@<版本号> [--out <文件>]  读回工作簿中的修改（分值、阈值、说明、名称、等级），写成新的未发布版本
数据库与服务相同：环境变量 DATABASE_URL 为 postgres:// 或 postgresql:// 时是 PostgreSQL，为路径或 file: URL 时是该 SQLite 文件；
不设 DATABASE_URL 时是 DATABASE_PATH 所指的 SQLite 文件（默认 data/jxzp.db）。
退出码：0 完成；1 命令已运行但发现问题；2 命令行有误（未知选项、缺少参数、文件不存在等）。`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) {
    console.error('缺少命令（用 npm run cli -- --help 查看用法）');
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const run = COMMANDS.get(command);
  if (!run) {
    console.error(`未知命令「${command}」（用 npm run cli -- --help 查看用法）`);
    return 2;
  }
  try {
    return await run(args);
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(e.usage);
      return 0;
    }
    if (e instanceof CliError) {
      console.error(`${e.message}（用 npm run cli -- ${command} --help 查看用法）`);
      return e.exitCode;
    }
    if (e instanceof DomainError) {
      console.error(e.message);
      if (process.env.JXZP_DEBUG) console.error(e);
      for (const d of e.details) console.error(`  ${d.path}：${d.message}`);
      return 2;
    }
    // An unexpected failure (a broken database file, a full disk): one line for the operator, the stack on request.
    console.error(`${command} 失败：${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    if (process.env.JXZP_DEBUG) console.error(e);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
