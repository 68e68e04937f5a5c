// `backup <file> [--force]`: an online, consistent copy of the SQLite database at DATABASE_PATH, taken with SQLite's
// backup API (better-sqlite3 `db.backup`) while the service may keep running: the copy includes what is still in the
// WAL, which a plain file copy of the .db would miss.
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, databasePath, parseCommandArgs, requireDirectory, requireExistingDatabase } from './args.js';

const BACKUP = {
  usage: `用法：npm run cli -- backup <备份文件> [--force]
  在线备份 DATABASE_PATH 数据库（默认 data/jxzp.db）：用 SQLite 的备份接口得到一份一致的副本，服务可以继续运行。
  备份先写入同目录下的临时文件，完成后再改名为 <备份文件>，中途失败不会留下半份备份。
  --force   <备份文件> 已存在时覆盖它（默认拒绝）
恢复：停止服务，把备份文件复制为 DATABASE_PATH 所指的文件（并删除旧的 -wal、-shm 文件），再启动服务。`,
  options: { force: { type: 'boolean' } },
  positionals: { names: ['<备份文件>'], required: 1 },
} as const;

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, BACKUP);
  const source = databasePath();
  const target = positionals[0]!;
  requireExistingDatabase(source);
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
