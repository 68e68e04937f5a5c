// The operator CLI on PostgreSQL (DATABASE_URL=postgres://…), run as separate processes as an operator would: token
// create / list / revoke against a fresh database, the token used on a service over the same database; publish into
// it and the version listed by that service; show and export of an evaluation stored there; backup refused with the
// pg_dump command (which then works); a database it cannot open is one line with the password hidden. And DATABASE_URL
// naming an SQLite file (a path or a file: URL) wins over DATABASE_PATH, as it does for the service.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { buildPostgresDeps } from '../../src/platform/node-deps.js';
import { lines, STACK_TRACE } from '../cli/run-cli.js';
import { clientFor, type Send } from '../http/harness.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { example, ROOT } from '../support.js';
import { available, POSTGRESQL } from '../system-parts.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const children = new Set<ChildProcess>();
const killGroup = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* gone */
  }
};

/**
 * `npm run cli -- …` as a child in its own process group, with only the database settings given here (DATABASE_URL
 * and DATABASE_PATH from the test's own environment are dropped); killed with its group after `timeoutMs`.
 */
function cli(args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  const { DATABASE_URL: _u, DATABASE_PATH: _p, JXZP_DEBUG: _d, ...inherited } = process.env;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      killGroup(child);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
let rulesDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jxzp-cli-pg-'));
  // rules/ with the national table only: the province's extension is new to the database and to the service
  rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  cpSync(join(ROOT, 'rules', 'cn-mof-2020'), join(rulesDir, 'cn-mof-2020'), { recursive: true });
});
afterAll(() => {
  for (const child of children) killGroup(child);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available(POSTGRESQL))('cli on PostgreSQL (DATABASE_URL)', () => {
  let server: PostgresServer;
  let url: string;
  let env: Record<string, string>;
  let sqlitePath: string;
  let client: pg.Client;
  let service: { send: Send; close(): Promise<void> } | undefined;
  const shownUrl = () => `PostgreSQL ${url}`;

  beforeAll(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase();
    // DATABASE_PATH is set too, to a file that must never appear: DATABASE_URL wins
    sqlitePath = join(dir, 'must-not-exist.db');
    env = { DATABASE_URL: url, DATABASE_PATH: sqlitePath, RULES_DIR: rulesDir };
    client = new pg.Client({ connectionString: url });
    await client.connect();
  }, 90_000);
  afterAll(async () => {
    await service?.close();
    await client?.end();
    await server?.stop();
  });

  /** The service over the same database (migrated by the CLI before it), with the same rules/ as the CLI. */
  async function startService(): Promise<{ send: Send; close(): Promise<void> }> {
    const { deps, database, checker } = await buildPostgresDeps({ databaseUrl: url, rulesDir, evidenceDir: join(dir, 'evidence'), log: () => {} });
    const app = createApp(deps);
    return { send: clientFor((req) => app.fetch(req)), close: async () => void (await Promise.all([checker.close(), database.close()])) };
  }

  let unitToken = '';
  let unitTokenId = '';
  let evaluationId = '';

  it('token create on a fresh database: migrates it, stores the hash of the printed token, and the process exits promptly', async () => {
    const tables = async () => (await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tokens'`)).rows[0]!.n;
    expect(await tables()).toBe('0');
    const r = await cli(['token', 'create', '--role', 'unit', '--unit', 'demo-county-transport', '--label', '示例县交通运输局', '--expires', '90d'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    unitToken = out[1]!;
    expect(unitToken).toMatch(/^jxzp_[0-9a-f]{64}$/);
    unitTokenId = /令牌 (tok_[0-9a-f]+)/.exec(out[0]!)?.[1] ?? '';
    expect(out[0]).toContain(`（角色 unit，单位 demo-county-transport，`);
    expect(out[0]).toContain(`数据库 ${shownUrl()}）`);
    // a leaked pool would keep the process alive for its idle timeout (30 s)
    expect(r.ms).toBeLessThan(20_000);

    expect(await tables()).toBe('1');
    const rows = (await client.query('SELECT id, token_hash, role, unit_id, label, revoked_at, expires_at FROM tokens')).rows;
    expect(rows).toEqual([
      { id: unitTokenId, token_hash: sha256(unitToken), role: 'unit', unit_id: 'demo-county-transport', label: '示例县交通运输局', revoked_at: null, expires_at: expect.any(String) },
    ]);
    expect(Date.parse(rows[0].expires_at) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    expect(existsSync(sqlitePath)).toBe(false);
  }, 90_000);

  it('token list: the token without its secret, as JSON and as a table', async () => {
    const [json, table] = await Promise.all([cli(['token', 'list', '--format', 'json'], env), cli(['token', 'list'], env)]);
    expect(json.code, json.stderr).toBe(0);
    const listed = JSON.parse(json.stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: unitTokenId, role: 'unit', unit_id: 'demo-county-transport', label: '示例县交通运输局', revoked_at: null });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(unitTokenId);
    expect(table.stdout).toContain('预算单位');
    for (const out of [json.stdout, table.stdout]) {
      expect(out).not.toContain(unitToken.slice(5));
      expect(out).not.toContain(sha256(unitToken));
    }
    expect(existsSync(sqlitePath)).toBe(false);
  }, 90_000);

  it('the CLI-made token works on a service over the same database; show and export read what it stored', async () => {
    service = await startService();
    const submitted = await service.send('POST', '/v1/evaluations', { token: unitToken, json: example('national-road-maintenance-2023.json') });
    expect(submitted.status, submitted.text).toBe(201);
    evaluationId = submitted.body.evaluation?.id ?? submitted.body.id;
    expect(evaluationId).toMatch(/^ev_/);
    expect((await client.query('SELECT count(*)::int AS n FROM evaluations WHERE id = $1', [evaluationId])).rows[0].n).toBe(1);

    const outDir = join(dir, 'export');
    const [shown, exported, missing] = await Promise.all([
      cli(['show', evaluationId, '--format', 'json'], env),
      cli(['export', evaluationId, '--out-dir', outDir], env),
      cli(['show', 'ev_nothing'], env),
    ]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).summary).toMatchObject({ total: 88.45, grade: { label: '良好' } });
    expect(exported.code, exported.stderr).toBe(0);
    const file = join(outDir, `农村公路日常养护-2023-自评表-${evaluationId}.xlsx`);
    expect(lines(exported.stdout)).toEqual([file]);
    expect(readdirSync(outDir)).toEqual([`农村公路日常养护-2023-自评表-${evaluationId}.xlsx`]);
    expect(statSync(file).size).toBeGreaterThan(1000);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(['没有编号为「ev_nothing」的评价记录']);
    expect(existsSync(sqlitePath)).toBe(false);
  }, 120_000);

  it('token revoke: the service refuses the token from then on; revoking again is not an error', async () => {
    expect((await service!.send('GET', '/v1/evaluations?limit=1', { token: unitToken })).status).toBe(200);
    const r = await cli(['token', 'revoke', unitTokenId], env);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(new RegExp(`^已吊销令牌 ${unitTokenId}（\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z）$`))]);
    const revokedAt = (await client.query('SELECT revoked_at FROM tokens WHERE id = $1', [unitTokenId])).rows[0].revoked_at;
    expect(Math.abs(Date.parse(revokedAt) - Date.now())).toBeLessThan(60_000);
    expect((await service!.send('GET', '/v1/evaluations?limit=1', { token: unitToken })).status).toBe(401);

    const [again, unknown] = await Promise.all([cli(['token', 'revoke', unitTokenId], env), cli(['token', 'revoke', 'tok_nope'], env)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`令牌 ${unitTokenId} 已于 ${revokedAt} 吊销，无需再次吊销`);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toEqual(['没有编号为「tok_nope」的令牌（用 token list 查看令牌编号）']);
  }, 90_000);

  it('publish into the database: stored, listed by the service as published; the same again changes nothing', async () => {
    const first = await cli(['publish', 'rules/xx-province-2024/1.0.0.json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(lines(first.stdout)[1]).toMatch(
      new RegExp(`^已发布 xx-province-2024 1\\.0\\.0 到数据库 PostgreSQL ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} （sha256 [0-9a-f]{64}，随附测试用例 6 个）$`),
    );
    const stored = (await client.query('SELECT id, version, sha256 FROM rulesets ORDER BY id, version')).rows;
    expect(stored).toEqual([{ id: 'xx-province-2024', version: '1.0.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(first.stdout).toContain(`sha256 ${stored[0].sha256}`);

    // a bureau token from the CLI, to read the catalogue through the service
    const bureau = await cli(['token', 'create', '--role', 'bureau'], env);
    expect(bureau.code, bureau.stderr).toBe(0);
    const listing = await service!.send('GET', '/v1/rulesets', { token: lines(bureau.stdout).at(-1)! });
    expect(listing.status, listing.text).toBe(200);
    const entries: { id: string; versions: { version: string; sha256: string; publishedAt: string | null }[] }[] = listing.body.rulesets ?? listing.body;
    const province = entries.find((e) => e.id === 'xx-province-2024');
    expect(province?.versions).toEqual([expect.objectContaining({ version: '1.0.0', sha256: stored[0].sha256, publishedAt: expect.any(String) })]);

    const again = await cli(['publish', 'rules/xx-province-2024'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(lines(again.stdout)[1]).toMatch(/^xx-province-2024 1\.0\.0 已在数据库 PostgreSQL postgres:\/\/.* 中，内容相同/);
    expect((await client.query('SELECT count(*)::int AS n FROM rulesets')).rows[0].n).toBe(1);
    expect(existsSync(sqlitePath)).toBe(false);
  }, 120_000);

  it('backup refuses with the pg_dump command, exit 2, one line; that command makes a dump', async () => {
    const target = join(dir, 'jxzp.dump');
    // the postgresql:// spelling, and a password that must not be printed (the server trusts local connections)
    const withPassword = url.replace('postgres://postgres@', 'postgresql://postgres:s3cret-pw@');
    const r = await cli(['backup', target], { ...env, DATABASE_URL: withPassword });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `数据库是 PostgreSQL（DATABASE_URL），backup 只备份 SQLite 文件；请改用 pg_dump 备份：pg_dump -Fc -d "$DATABASE_URL" -f ${target}`,
    ]);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(existsSync(target)).toBe(false);
    // with --force, or without a file, the same refusal
    const [forced, bare] = await Promise.all([cli(['backup', target, '--force'], env), cli(['backup'], env)]);
    expect([forced.code, bare.code]).toEqual([2, 2]);
    expect(lines(bare.stderr)).toEqual([expect.stringContaining('pg_dump -Fc -d "$DATABASE_URL" -f <备份文件>')]);

    // the command as printed, run by a shell with DATABASE_URL set, writes a dump holding the tokens table
    const command = lines(r.stderr)[0]!.split('：').at(-1)!;
    const bin = dirname(POSTGRESQL.path!);
    const dump = spawnSync('sh', ['-c', command], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DATABASE_URL: withPassword }, encoding: 'utf8', timeout: 60_000 });
    expect(dump.status, dump.stderr).toBe(0);
    const contents = spawnSync(join(bin, 'pg_restore'), ['--list', target], { encoding: 'utf8', timeout: 30_000 });
    expect(contents.status, contents.stderr).toBe(0);
    expect(contents.stdout).toMatch(/TABLE public tokens /);
  }, 120_000);

  it('a database it cannot open: one line naming the URL without its password, exit 2, no stack', async () => {
    const absent = url.replace(/\/[^/]+$/, '/no_such_db').replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
    const closedPort = `postgres://jxzp:s3cret-pw@127.0.0.1:1/jxzp`;
    const [a, b, c] = await Promise.all([
      cli(['token', 'list'], { ...env, DATABASE_URL: absent }),
      cli(['show', 'ev_x'], { ...env, DATABASE_URL: closedPort }),
      cli(['publish', 'rules/xx-province-2024'], { ...env, DATABASE_URL: closedPort }),
    ]);
    expect(lines(a.stderr)).toEqual([expect.stringMatching(/^无法打开数据库 postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_db：数据库不存在/)]);
    for (const r of [b, c]) expect(lines(r.stderr).at(-1)).toMatch(/^无法打开数据库 postgres:\/\/jxzp:\*\*\*@127\.0\.0\.1:1\/jxzp：无法连接数据库服务器/);
    expect(lines(b.stderr)).toHaveLength(1);
    for (const r of [a, b, c]) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('s3cret-pw');
      expect(r.stdout).not.toContain('s3cret-pw');
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
  }, 90_000);
});

describe('cli with DATABASE_URL naming an SQLite file', () => {
  it('a file: URL or a path in DATABASE_URL is used instead of DATABASE_PATH, by token and backup', async () => {
    const chosen = join(dir, 'url', 'chosen.db');
    const ignored = join(dir, 'ignored.db');
    const created = await cli(['token', 'create', '--role', 'reviewer'], { DATABASE_URL: pathToFileURL(chosen).href, DATABASE_PATH: ignored });
    expect(created.code, created.stderr).toBe(0);
    expect(lines(created.stdout)[0]).toContain(`数据库 ${chosen}）`);
    expect(existsSync(ignored)).toBe(false);
    const db = new Database(chosen, { readonly: true });
    try {
      expect(db.prepare('SELECT token_hash FROM tokens').all()).toEqual([{ token_hash: sha256(lines(created.stdout).at(-1)!) }]);
    } finally {
      db.close();
    }
    const target = join(dir, 'chosen-copy.db');
    const backup = await cli(['backup', target], { DATABASE_URL: chosen, DATABASE_PATH: ignored });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`已备份 ${chosen} → ${target}`);
    const missing = await cli(['token', 'list'], { DATABASE_URL: `file:${join(dir, 'absent.db')}` });
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([`数据库文件 ${join(dir, 'absent.db')} 不存在（取自环境变量 DATABASE_URL）（用 npm run cli -- token --help 查看用法）`]);
  }, 90_000);
});
