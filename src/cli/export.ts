// `export <id>… [--format xlsx|docx] [--out-dir dir]`: stored evaluations (DATABASE_URL, else DATABASE_PATH) as the scored 自评表 workbook or
// the Word 自评报告 draft, one file each, with a progress bar on a terminal.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { getEvaluation } from '../services/evaluation-view.js';
import { LOCAL_OPERATOR } from '../services/policy.js';
import { oneOf, parseCommandArgs } from './args.js';
import { cliDatabase, openCliDeps, requireExistingStore } from './database.js';

const MAX_IDS = 500;

const EXPORT = {
  usage: `用法：npm run cli -- export <评价编号>… [--format xlsx|docx] [--out-dir <目录>]
  把服务数据库（DATABASE_URL 为 postgres:// 时是 PostgreSQL，否则 DATABASE_URL 或 DATABASE_PATH 所指的 SQLite 文件）中的评价导出为文件，每条一个：
  --format xlsx   评分后的自评表（默认）：自评分、复算分、复核分并列，差异标红，A4 横向
  --format docx   自评报告草稿（Word）：七个部分的标题，结论、指标分析、存在问题、下一步工作计划与评分表
  --out-dir       写入的目录（默认当前目录；不存在时创建）
一次最多 ${MAX_IDS} 条；终端上显示进度条。没有的编号逐条列出，退出码为 1，其余照常导出。`,
  options: { format: { type: 'string' }, 'out-dir': { type: 'string' } },
  positionals: { names: ['<评价编号>', ...Array.from({ length: MAX_IDS - 1 }, () => '[<评价编号>…]')], required: 1 },
} as const;

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / Math.max(1, total)) * 100)).padStart(3)}%  ${done}/${total}`;
}

export async function exportCommand(args: string[]): Promise<number> {
  const { positionals: ids, values } = parseCommandArgs(args, EXPORT);
  const format = oneOf('format', values.format, ['xlsx', 'docx'] as const, 'xlsx');
  const outDir = values['out-dir'] ?? '.';
  // a missing SQLite file is refused before the output folder is created
  requireExistingStore(cliDatabase());
  mkdirSync(outDir, { recursive: true });
  // exceljs and docx load only when this command runs, not for every command
  const { renderDocument, viewOfEvaluation } = await import('../report/files.js');
  const { deps, close } = await openCliDeps({ mustExist: true, log: () => {} });
  const tty = process.stderr.isTTY === true;
  const failures: string[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      try {
        const rendered = await renderDocument(viewOfEvaluation(await getEvaluation(deps, LOCAL_OPERATOR, id)), format);
        const file = join(outDir, rendered.fileName);
        // written whole or not at all: a partial file never carries the final name
        writeFileSync(`${file}.part`, rendered.bytes);
        renameSync(`${file}.part`, file);
        if (tty) process.stderr.write('\r\x1b[K');
        console.log(file);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failures.push(`✗ ${id}：${e.message}`);
      }
      if (tty) process.stderr.write(progressBar(i + 1, ids.length));
    }
    if (tty) process.stderr.write('\n');
  } finally {
    await close();
  }
  failures.forEach((f) => console.error(f));
  if (ids.length > 1 || failures.length > 0) console.error(`导出 ${ids.length - failures.length} 个文件${failures.length > 0 ? `，${failures.length} 条评价没有找到` : ''}`);
  return failures.length > 0 ? 1 : 0;
}
