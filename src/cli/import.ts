// `import <file.xlsx>… [--out-dir dir]`: reads filled 自评表 workbooks into submission JSON (<name>.json beside each, or
// in the directory), checked as the service checks an upload; a progress bar on a terminal, a line per file.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import type { CompiledRuleSet } from '../engine/compiled.js';
import { scoreWithRuleSet } from '../engine/score.js';
import { loadRegistry } from '../platform/rules-dir.js';
import { readWorkbook, withCells, workbookRuleSet, ZIP_LIMITS } from '../workbook/index.js';
import { CliError, parseCommandArgs } from './args.js';
import { cliDatabase, openCliDeps } from './database.js';

/** files one run takes */
const MAX_FILES = 500;

const IMPORT = {
  usage: `用法：npm run cli -- import <文件.xlsx>… [--out-dir <目录>]
  把填好的自评表工作簿转成提交 JSON：每个文件写出同名的 .json（默认在工作簿旁边，或写到 --out-dir），
  与上传到服务时一样检查（格式、规则集版本、各项数据），有误时逐条指出单元格（如 自评表!F12）并不写出该文件。
  一次至多 ${MAX_FILES} 个文件；终端上显示进度条。有文件未通过时退出码为 1。
规则集取自 RULES_DIR（默认 rules/），其中没有的版本再到 DATABASE_PATH 数据库的已发布版本中找。`,
  options: { 'out-dir': { type: 'string' } },
  positionals: { names: Array.from({ length: MAX_FILES }, () => '<文件.xlsx>'), required: 1 },
} as const;

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}%  ${done}/${total}`;
}

export async function importCommand(args: string[]): Promise<number> {
  const { positionals: files, values } = parseCommandArgs(args, IMPORT);
  for (const f of files) {
    if (!existsSync(f) || !statSync(f).isFile()) throw new CliError(`工作簿文件 ${f} 不存在`);
  }
  const outDir = values['out-dir'];
  if (outDir !== undefined) mkdirSync(outDir, { recursive: true });
  const { registry } = await loadRegistry(process.env.RULES_DIR ?? 'rules');
  // versions not in rules/: the published ones in the database, opened only when needed
  let opened: Awaited<ReturnType<typeof openCliDeps>> | undefined;
  const lookup = async (id: string, version: string): Promise<CompiledRuleSet | undefined> => {
    const bundled = registry.get(id, version);
    if (bundled) return bundled;
    const choice = cliDatabase();
    if (choice.kind === 'sqlite' && !existsSync(choice.path)) return undefined;
    opened ??= await openCliDeps({ mustExist: false });
    return opened.deps.ruleSets.get(id, version);
  };

  const tty = process.stderr.isTTY === true && files.length > 1;
  const lines: string[] = [];
  let failed = 0;
  try {
    for (const [i, file] of files.entries()) {
      const out = join(outDir ?? dirname(file), `${basename(file, extname(file))}.json`);
      try {
        if (statSync(file).size > ZIP_LIMITS.maxFileBytes) throw new DomainError('PAYLOAD_TOO_LARGE', `工作簿文件超过上限 ${ZIP_LIMITS.maxFileBytes / 1024 / 1024} MiB`);
        const bytes = new Uint8Array(readFileSync(file));
        const { id, version } = workbookRuleSet(bytes);
        const compiled = await lookup(id, version);
        if (!compiled) throw new DomainError('SUBMISSION_INVALID', `此工作簿是规则集 ${id} ${version} 的模板，找不到该版本`);
        const read = readWorkbook(bytes, compiled);
        let total: number;
        let grade: string;
        try {
          const result = scoreWithRuleSet(compiled, read.submission);
          total = result.total;
          grade = result.grade.name;
        } catch (e) {
          throw e instanceof DomainError ? new DomainError(e.code, e.message, withCells(e.details, read.cells)) : e;
        }
        writeFileSync(out, `${JSON.stringify(read.submission, null, 2)}\n`);
        lines.push(`✓ ${file} → ${out}（${id} ${version}，复算总分 ${total}，${grade}）`);
        for (const w of read.warnings) lines.push(`  提示：${w.message}`);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failed++;
        lines.push(`✗ ${file}：${e.message}`);
        for (const d of e.details) if (d.message !== e.message) lines.push(`  ${d.path === '$' ? '' : `${d.path}：`}${d.message}`);
      }
      if (tty) process.stderr.write(progressBar(i + 1, files.length));
    }
  } finally {
    if (tty) process.stderr.write('\n');
    await opened?.close();
  }
  console.log(lines.join('\n'));
  console.log(`共 ${files.length} 个文件：写出 ${files.length - failed} 个，未通过 ${failed} 个`);
  return failed > 0 ? 1 : 0;
}
