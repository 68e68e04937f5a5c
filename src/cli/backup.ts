// `backup <file> [--force]`: an online, consistent copy of the SQLite database (DATABASE_URL path or file: URL, else
// DATABASE_PATH), taken with SQLite's backup API (better-sqlite3 `db.backup`) while the service may keep running: the
// copy includes what is still in the WAL, which a plain file copy of the .db would miss. On PostgreSQL (DATABASE_URL
// postgres://…) it refuses, exit 2, with the pg_dump command to use instead.
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, parseCommandArgs, requireDirectory } from './args.js';
import { cliDatabase, requireExistingStore } from './database.js';

const BACKUP = {
  usage: `用法：npm run cli -- backup <备份文件> [--force]
  在线备份 SQLite 数据库（DATABASE_URL 所指的文件，否则 DATABASE_PATH，默认 data/jxzp.db）：用 SQLite 的备份接口得到一份一致的副本，服务可以继续运行。
  备份先写入同目录下的临时文件，完成后再改名为 <备份文件>，中途失败不会留下半份备份。
  --force   <备份文件> 已存在时覆盖它（默认拒绝）
恢复：停止服务，把备份文件复制为数据库文件（并删除旧的 -wal、-shm 文件），再启动服务。
DATABASE_URL 为 postgres:// 时不用本命令，改用 PostgreSQL 的 pg_dump：
  pg_dump -Fc -d "$DATABASE_URL" -f <备份文件>      恢复（先停止服务）：pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" <备份文件>`,
  options: { force: { type: 'boolean' } },
  positionals: { names: ['<备份文件>'], required: 1 },
} as const;

/** A word the shell takes as it is, or the word in single quotes. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The one line for an operator on PostgreSQL: the pg_dump command, the URL left in the variable (never printed). */
export function pgDumpLine(target: string | undefined): string {
  const file = target === undefined ? '<备份文件>' : shellWord(target);
  return `数据库是 PostgreSQL（DATABASE_URL），backup 只备份 SQLite 文件；请改用 pg_dump 备份：pg_dump -Fc -d "$DATABASE_URL" -f ${file}`;
}

export async function backupCommand(args: string[]): Promise<number> {
  const choice = cliDatabase();
  if (choice.kind === 'postgres' && !args.includes('--help') && !args.includes('-h')) {
    // refused before the arguments are checked: whatever they are, this command cannot copy a PostgreSQL database
    console.error(pgDumpLine(args.find((a) => !a.startsWith('-'))));
    return 2;
  }
  const { values, positionals } = parseCommandArgs(args, BACKUP);
  if (choice.kind !== 'sqlite') throw new CliError(pgDumpLine(positionals[0]));
  const source = choice.path;
  const target = positionals[0]!;
  requireExistingStore(choice);
  if (resolve(target) === resolve(source)) throw new CliError('备份文件不能就是数据库本身');
  requireDirectory(dirname(resolve(target)), '备份文件所在目录');
  if (existsSync(target) && values.force !== true) throw new CliError(`备份文件 ${target} 已存在；要覆盖请加 --force`);
  if (existsSync(target) && !statSync(target).isFile()) throw new CliError(`${target} 不是文件`);

  const partial = `${target}.partial-${process.pid}`;
  const sqlite = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const started = Date.now();
    await sqlite.backup(partial);
    renameSync(partial, target);
    console.log(`已备份 ${source} → ${target}（${statSync(target).size} 字节，用时 ${Date.now() - started} 毫秒）`);
    return 0;
  } finally {
    sqlite.close();
    rmSync(partial, { force: true });
  }
}
