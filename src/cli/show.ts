// `show <id> [--format table|json|csv]`: one stored evaluation (the service's database: DATABASE_URL, else DATABASE_PATH) as a table wrapping to the terminal, or as JSON or CSV.
import { getEvaluation } from '../services/evaluation-view.js';
import { LOCAL_OPERATOR } from '../services/policy.js';
import { CliError, exitOnDomainError, oneOf, parseCommandArgs } from './args.js';
import { openCliDeps } from './database.js';

const SHOW = {
  usage: `用法：npm run cli -- show <评价编号> [--format table|json|csv] [--width <列数>]
  显示服务数据库（DATABASE_URL 为 postgres:// 时是 PostgreSQL，否则 DATABASE_URL 或 DATABASE_PATH 所指的 SQLite 文件）中的一条评价：逐项分值、自评分、复算分、复核分与说明（≠ 标出自评分与复算分不一致的指标）。
  --format table|json|csv   表格（默认，按终端宽度换行）、报告视图的 JSON、或 CSV（UTF-8）
  --width <列数>            表格宽度（默认终端宽度，非终端时 100；最小 60）`,
  options: { format: { type: 'string' }, width: { type: 'string' } },
  positionals: { names: ['<评价编号>'], required: 1 },
} as const;

export async function showCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, SHOW);
  const format = oneOf('format', values.format, ['table', 'json', 'csv'] as const, 'table');
  if (values.width !== undefined && !/^\d{1,4}$/.test(values.width)) {
    throw new CliError(`--width 应为整数列数，不能是「${values.width}」`);
  }
  const { deps, close } = await openCliDeps({ mustExist: true, log: () => {} });
  try {
    return await exitOnDomainError(async () => {
      // the renderers load exceljs and docx: only when this command runs, not for every command
      const { viewOfEvaluation } = await import('../report/files.js');
      const { renderCsv, renderTerminalTable } = await import('../report/terminal.js');
      const view = viewOfEvaluation(await getEvaluation(deps, LOCAL_OPERATOR, positionals[0]!));
      if (format === 'json') process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      else if (format === 'csv') process.stdout.write(renderCsv(view));
      else {
        const width = values.width !== undefined ? Number(values.width) : (process.stdout.columns ?? 100);
        process.stdout.write(`${renderTerminalTable(view, width)}\n`);
      }
      return 0;
    });
  } finally {
    await close();
  }
}
