// `token create|list|revoke`: API tokens in the service's database — PostgreSQL when DATABASE_URL is postgres://…,
// else the SQLite file (DATABASE_URL path or file: URL, or DATABASE_PATH) — or, with create --sql-out, the INSERT for
// D1 written to a file. create prints the token alone on the last line; list never shows a token or its hash.
import { writeFileSync } from 'node:fs';
import {
  createToken,
  listTokens,
  newToken,
  parseTokenLifetime,
  revokeToken,
  tokenInsertSql,
  type TokenRequest,
  type TokenSummary,
} from '../services/tokens.js';
import type { Role } from '../storage/database.js';
import { CliError, HelpRequested, oneOf, parseCommandArgs, requireOption } from './args.js';
import { openCliStore } from './database.js';
import { renderTable } from './table.js';

const CREATE = {
  usage: `用法：npm run cli -- token create --role unit --unit <单位编号> | --role reviewer | --role bureau [--label <说明>] [--expires <时长>] [--sql-out <文件>]
  在服务的数据库中创建一个令牌（DATABASE_URL 为 postgres:// 时是 PostgreSQL，否则是 SQLite 文件 DATABASE_URL 或 DATABASE_PATH）；
  令牌只显示这一次，在最后一行单独输出。
  --role      bureau（财政局）、reviewer（复核人员）或 unit（预算单位）
  --unit      预算单位令牌绑定的单位编号（仅 --role unit，且必填）
  --label     说明，如持有人
  --expires   有效期：整数小时或天数，如 12h、90d（最长 3650d）；过期后与吊销一样被拒绝（401）。不写则不过期
  --sql-out   不写数据库，而把 INSERT 语句写入此文件，供 wrangler d1 execute --file 写入 D1（或用 psql -f 写入 PostgreSQL）`,
  options: {
    role: { type: 'string' },
    unit: { type: 'string' },
    label: { type: 'string' },
    expires: { type: 'string' },
    'sql-out': { type: 'string' },
  },
} as const;

const LIST = {
  usage: `用法：npm run cli -- token list [--format table|json]
  列出服务数据库（DATABASE_URL 或 DATABASE_PATH）中的令牌：编号、角色、单位、说明、创建时间、最近使用（至多每小时记录一次）、到期时间、吊销时间。
  不显示令牌本身，也不显示其散列。`,
  options: { format: { type: 'string' } },
} as const;

const REVOKE = {
  usage: `用法：npm run cli -- token revoke <令牌编号>
  吊销一个令牌（编号形如 tok_…，见 token list），此后用它的请求得到 401。再次吊销同一令牌不算错误。`,
  options: {},
  positionals: { names: ['<令牌编号>'], required: 1 },
} as const;

const TOKEN_USAGE = `用法：npm run cli -- token <create|list|revoke> [参数]
  token create --role unit --unit <单位编号> | --role reviewer | --role bureau [--label <说明>] [--expires <时长>] [--sql-out <文件>]
  token list [--format table|json]
  token revoke <令牌编号>
每个子命令都可加 --help 查看用法。`;

export async function tokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create':
      return createCommand(rest);
    case 'list':
      return listCommand(rest);
    case 'revoke':
      return revokeCommand(rest);
    case '--help':
    case '-h':
      throw new HelpRequested(TOKEN_USAGE);
    case undefined:
      throw new CliError('缺少子命令 create、list 或 revoke');
    default:
      throw new CliError(`未知子命令「${sub}」，应为 create、list 或 revoke`);
  }
}

async function createCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, CREATE);
  const role = requireOption('role', values.role);
  const now = new Date();
  const request: TokenRequest = {
    role: role as Role,
    ...(values.unit !== undefined ? { unitId: values.unit } : {}),
    ...(values.label !== undefined ? { label: values.label } : {}),
    ...(values.expires !== undefined ? { expiresAt: new Date(now.getTime() + parseTokenLifetime(values.expires)) } : {}),
  };
  const expiry = (iso: string | null) => (iso ? `，${iso} 到期` : '');
  const sqlOut = values['sql-out'];
  if (sqlOut !== undefined) {
    const { token, row } = newToken(request, now);
    writeFileSync(sqlOut, `${tokenInsertSql(row)}\n`);
    console.log(`已把令牌 ${row.id}（角色 ${row.role}${row.unit_id ? `，单位 ${row.unit_id}` : ''}${expiry(row.expires_at)}）的 INSERT 语句写入 ${sqlOut}；用 wrangler d1 execute --file 写入 D1（须先应用 migrations/）。令牌只显示这一次：`);
    console.log(token);
    return 0;
  }
  const database = await openCliStore({ mustExist: false });
  try {
    const t = await createToken(database.db, request, now);
    console.log(`已创建令牌 ${t.id}（角色 ${t.role}${t.unitId ? `，单位 ${t.unitId}` : ''}${expiry(t.expiresAt)}，数据库 ${database.where}）。令牌只显示这一次，请妥善保存：`);
    console.log(t.token);
    return 0;
  } finally {
    await database.close();
  }
}

const ROLE_NAMES: ReadonlyMap<string, string> = new Map([
  ['bureau', '财政局'],
  ['reviewer', '复核人员'],
  ['unit', '预算单位'],
]);

function renderTokens(tokens: readonly TokenSummary[], now: Date): string {
  const nowIso = now.toISOString();
  const rows = tokens.map((t) => [
    t.id,
    ROLE_NAMES.get(t.role) ?? t.role,
    t.unit_id ?? '—',
    t.label ?? '',
    t.created_at,
    t.last_used_at ?? '未使用',
    t.expires_at === null ? '不过期' : `${t.expires_at}${t.expires_at <= nowIso ? '（已过期）' : ''}`,
    t.revoked_at ?? '—',
  ]);
  return renderTable(['编号', '角色', '单位', '说明', '创建时间', '最近使用', '到期', '吊销'], rows);
}

async function listCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, LIST);
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  const database = await openCliStore({ mustExist: true });
  try {
    const tokens = await listTokens(database.db);
    if (format === 'json') console.log(JSON.stringify(tokens, null, 2));
    else console.log(tokens.length === 0 ? `数据库 ${database.where} 中还没有令牌` : renderTokens(tokens, new Date()));
    return 0;
  } finally {
    await database.close();
  }
}

async function revokeCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, REVOKE);
  const database = await openCliStore({ mustExist: true });
  try {
    const { token, alreadyRevoked } = await revokeToken(database.db, positionals[0]!, new Date());
    console.log(alreadyRevoked ? `令牌 ${token.id} 已于 ${token.revoked_at} 吊销，无需再次吊销` : `已吊销令牌 ${token.id}（${token.revoked_at}）`);
    return 0;
  } finally {
    await database.close();
  }
}
