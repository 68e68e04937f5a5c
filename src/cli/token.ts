// `token create --role unit --unit <unit-id> | --role reviewer | --role bureau [--label text] [--sql-out file]`:
// creates a token in the database at DATABASE_PATH (or, with --sql-out, writes the INSERT for D1 to a file)
// and prints the token alone on the last line.
import { writeFileSync } from 'node:fs';
import { createToken, newToken, tokenInsertSql, type TokenRequest } from '../services/tokens.js';
import type { Role } from '../storage/database.js';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../platform/sqlite.js';
import { exitOnDomainError, parseArgs } from './args.js';

export async function tokenCommand(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, ['role', 'unit', 'label', 'sql-out']);
  if (positional[0] !== 'create' || !options.role) {
    console.error('用法：npm run cli -- token create --role unit --unit <单位编号> | --role reviewer | --role bureau [--label 说明]');
    return 2;
  }
  const request: TokenRequest = {
    role: options.role as Role,
    ...(options.unit !== undefined ? { unitId: options.unit } : {}),
    ...(options.label !== undefined ? { label: options.label } : {}),
  };
  const sqlOut = options['sql-out'];
  if (sqlOut !== undefined) {
    return exitOnDomainError(() => {
      const { token, row } = newToken(request, new Date());
      writeFileSync(sqlOut, `${tokenInsertSql(row)}\n`);
      console.log(`已把令牌 ${row.id}（角色 ${row.role}${row.unit_id ? `，单位 ${row.unit_id}` : ''}）的 INSERT 语句写入 ${sqlOut}；用 wrangler d1 execute --file 写入 D1。令牌只显示这一次：`);
      console.log(token);
      return 0;
    });
  }
  const path = process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
  const database = openDatabase(path);
  try {
    return await exitOnDomainError(async () => {
      const t = await createToken(database.db, request, new Date());
      console.log(`已创建令牌 ${t.id}（角色 ${t.role}${t.unitId ? `，单位 ${t.unitId}` : ''}，数据库 ${path}）。令牌只显示这一次，请妥善保存：`);
      console.log(t.token);
      return 0;
    });
  } finally {
    await database.close();
  }
}
