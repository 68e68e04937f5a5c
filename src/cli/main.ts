// Command-line entry: `npm run cli -- <command> ...`. One command per file.
import { lintCommand } from './lint.js';
import { rescoreCommand } from './rescore.js';
import { scoreCommand } from './score.js';
import { testCommand } from './test.js';
import { tokenCommand } from './token.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  score: scoreCommand,
  lint: lintCommand,
  test: testCommand,
  token: tokenCommand,
  rescore: rescoreCommand,
};

const USAGE = `用法：npm run cli -- <命令> [参数]
  score <提交文件.json> [--format table|json] [--rules <目录>]   对一份提交评分（默认 table）
  lint [目录]                                                   检查规则集（默认 rules/）
  test [目录]                                                   运行规则集的测试用例（默认 rules/）
  token create --role unit --unit <单位编号> | --role reviewer | --role bureau
                                                                在 DATABASE_PATH 数据库中创建令牌（最后一行为令牌）
  rescore --ruleset <编号> --version <版本> [--year <年度>] [--from <原规则集>]
                                                                用指定版本重新评分已保存的评价，写入新结果（原结果不动）`;

const [command, ...args] = process.argv.slice(2);
const run = command ? COMMANDS[command] : undefined;
if (!run) {
  console.error(USAGE);
  process.exit(command ? 2 : 0);
}
process.exitCode = await run(args);
