// `token create --role unit --unit <unit-id> | --role reviewer | --role bureau [--label text]`:
// creates a token in the database at DATABASE_PATH and prints it alone on the last line.
import { DomainError } from '../domain/errors.js';
import { createToken } from '../services/tokens.js';
import type { Role } from '../storage/database.js';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../platform/sqlite.js';
import { parseArgs } from './args.js';

export async function tokenCommand(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, ['role', 'unit', 'label']);
  if (positional[0] !== 'create' || !options.role) {
    console.error('用法：npm run cli -- token create --role unit --unit <单位编号> | --role reviewer | --role bureau [--label 说明]');
    return 2;
  }
  const path = process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
  const database = openDatabase(path);
  try {
    const t = await createToken(
      database.db,
      {
        role: options.role as Role,
        ...(options.unit !== undefined ? { unitId: options.unit } : {}),
        ...(options.label !== undefined ? { label: options.label } : {}),
      },
      new Date(),
    );
    console.log(`已创建令牌 ${t.id}（角色 ${t.role}${t.unitId ? `，单位 ${t.unitId}` : ''}，数据库 ${path}）。令牌只显示这一次，请妥善保存：`);
    console.log(t.token);
    return 0;
  } catch (e) {
    if (e instanceof DomainError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  } finally {
    await database.close();
  }
}
