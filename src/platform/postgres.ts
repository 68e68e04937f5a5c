// PostgreSQL as the service's store (DATABASE_URL=postgres://…): a pg Pool under kysely, with the SQL migrations in
// migrations/postgres/ applied in order under an advisory lock, so several instances starting together on an empty
// database do not race. The mirror of sqlite.ts: the same repositories and services run on either.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DomainError } from '../domain/errors.js';
import type { Database as Schema, DB } from '../storage/database.js';
import { MIGRATIONS_DIR } from './sqlite.js';

export const POSTGRES_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'postgres');
export const DEFAULT_POOL_SIZE = 10;
/** The advisory lock the migration runner holds for its transaction (any constant; the same for every instance). */
export const MIGRATION_LOCK_KEY = 4_815_162_342;

export interface OpenPostgres {
  readonly db: DB;
  readonly pool: pg.Pool;
  /** the URL without its password */
  readonly url: string;
  readonly poolSize: number;
  /** the migrations this open applied (empty when the database was up to date) */
  readonly migrationsApplied: readonly string[];
  /** can new evaluations be written now: the server answers and is not a read-only standby; else STORAGE_UNAVAILABLE */
  readiness(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenPostgresOptions {
  /** connections in this process's pool (DATABASE_POOL_SIZE, default 10) */
  readonly poolSize?: number;
  /** how many service instances share the server (INSTANCES, default 1): only for the max_connections warning */
  readonly instances?: number;
  /** HTTP processes per instance, each with its own pool (HTTP_PROCESSES; default 1): for the same warning */
  readonly processes?: number;
  /** print the max_connections warning (default true; one HTTP worker of several says it for all) */
  readonly warn?: boolean;
  readonly log?: (line: string) => void;
  readonly migrationsDir?: string;
}

/** The URL with any password replaced by `***`, for logs and the start-up line. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** A positive whole number from the environment variable `name`, or `fallback` when unset; a bad value is refused. */
export function positiveIntegerFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new DomainError('BAD_REQUEST', `环境变量 ${name} 应为正整数，收到「${text}」`);
  return n;
}

/** Opens a pool on `url`, applies pending migrations, and warns when the pools may exceed max_connections. */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<OpenPostgres> {
  const shown = redactUrl(url);
  const log = options.log ?? console.error;
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const instances = options.instances ?? 1;
  const processes = options.processes ?? 1;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // a server that cannot be reached fails the request (503) instead of holding it
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'jxzp',
  });
  // an idle connection the server ends (restart, failover) must not crash the process: the pool replaces it
  pool.on('error', (e) => log(`数据库连接中断（连接池将重新连接）：${e.message}`));
  // a connection lost while checked out (a query in flight, or between taking it and querying) makes pg emit 'error'
  // on the client, where the pool is not listening: without a listener of our own that would end the process. The
  // query itself fails (answered 503) and the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  let applied: string[];
  try {
    applied = await migratePostgres(pool, options.migrationsDir ?? POSTGRES_MIGRATIONS_DIR);
    const max = Number((await pool.query<{ max_connections: string }>('SHOW max_connections')).rows[0]?.max_connections);
    const wanted = poolSize * processes * instances;
    if (options.warn !== false && Number.isFinite(max) && wanted >= max) {
      const perInstance = processes > 1 ? `× 每个实例的 HTTP 进程 ${processes}（HTTP_PROCESSES）` : '';
      log(
        `警告：连接池 ${poolSize}（DATABASE_POOL_SIZE）${perInstance}× 实例数 ${instances}（INSTANCES）= ${wanted}，` +
          `不小于 PostgreSQL 的 max_connections（${max}），连接可能不够用；请调小 DATABASE_POOL_SIZE 或调大 max_connections`,
      );
    }
  } catch (e) {
    await pool.end().catch(() => {});
    if (e instanceof DomainError) throw new DomainError(e.code, `无法打开数据库 ${shown}：${e.message}`, [], { cause: e });
    throw new DomainError('STORAGE_UNAVAILABLE', `无法打开数据库 ${shown}：${postgresFailureReason(e)}`, [], { cause: e });
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: faultMappingPool(pool) }) });
  return {
    db,
    pool,
    url: shown,
    poolSize,
    migrationsApplied: applied,
    readiness: () => checkPostgresWritable(pool),
    close: async () => {
      // kysely ends only a pool it has used; the pool was used for the migrations either way
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * Applies migrations/postgres/NNNN_name.sql not yet recorded in schema_migrations, in name order, all in one
 * transaction holding pg_advisory_xact_lock: an instance starting while another migrates waits, then finds nothing
 * pending. A failing file rolls back every file of this run.
 */
export async function migratePostgres(pool: pg.Pool, dir = POSTGRES_MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const pending = files.filter((f) => !applied.has(f));
    for (const file of pending) {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        await client.query(text);
      } catch (e) {
        throw new DomainError('STORAGE_UNAVAILABLE', `迁移 ${file} 失败：${e instanceof Error ? e.message : String(e)}`, [], { cause: e });
      }
      await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [file, new Date().toISOString()]);
    }
    await client.query('COMMIT');
    return pending;
  } catch (e) {
    failed = true;
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release(failed);
  }
}

/**
 * Readiness: the server answers (`SELECT 1`) and takes writes (`transaction_read_only` is off: not a hot standby, not
 * default_transaction_read_only). Throws STORAGE_UNAVAILABLE with the reason in Chinese; nothing is written.
 */
export async function checkPostgresWritable(pool: pg.Pool): Promise<void> {
  let readOnly: string | undefined;
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT 1');
      readOnly = (await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only')).rows[0]?.transaction_read_only;
    } finally {
      client.release();
    }
  } catch (e) {
    throw postgresFault(e) ?? new DomainError('STORAGE_UNAVAILABLE', `服务暂不能保存新的评价：${postgresFailureReason(e)}`, [], { cause: e });
  }
  if (readOnly === 'on') throw new DomainError('STORAGE_UNAVAILABLE', '服务暂不能保存新的评价：数据库只读（可能连到了备用服务器）');
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Why the server could not be used, in one Chinese line for the operator (never the password). */
export function postgresFailureReason(e: unknown): string {
  const code = String((e as { code?: unknown })?.code ?? '');
  const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
  if (CONNECTION_CODES.has(code) || /timeout|terminated/i.test(message)) return `无法连接数据库服务器（${message}）`;
  if (code === '28P01' || code === '28000') return `数据库拒绝登录，请检查用户名和密码（${message}）`;
  if (code === '3D000') return `数据库不存在（${message}）`;
  if (code === '53300') return `数据库连接数已满（${message}）`;
  if (code === '42501') return `数据库用户没有所需权限（${message}）`;
  return message;
}

/**
 * A PostgreSQL fault a request can meet, as the domain error SQLite's equivalent becomes (src/http/errors.ts maps
 * SQLITE_FULL / READONLY / BUSY the same way): 507 for a full disk, 503 for a read-only server, a lock or statement
 * timeout, a lost or refused connection. Anything else (a bug, a constraint) is left as it is.
 */
export function postgresFault(e: unknown): DomainError | null {
  if (e instanceof DomainError || !(e instanceof Error)) return null;
  const code = String((e as { code?: unknown }).code ?? '');
  const cause = { cause: e };
  if (code === '53100') return new DomainError('STORAGE_FULL', '存储空间已满，本次提交未保存；请联系管理员扩容后重试（已保存的评价仍可查询）', [], cause);
  if (code === '25006') return new DomainError('STORAGE_UNAVAILABLE', '数据库当前只读，本次提交未保存；请稍后重试（已保存的评价仍可查询）', [], cause);
  if (code === '40001' || code === '40P01' || code === '55P03' || code === '57014') {
    return new DomainError('STORAGE_UNAVAILABLE', '数据库繁忙（等待锁超时），本次操作未完成；请稍后重试', [], cause);
  }
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || /Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) {
    return new DomainError('STORAGE_UNAVAILABLE', '暂时无法连接数据库，本次操作未完成；请稍后重试', [], cause);
  }
  return null;
}

/** The pool kysely uses: the same connections, with faults turned into domain errors (so answered 503/507, not 500). */
function faultMappingPool(pool: pg.Pool) {
  const wrapped = new WeakMap<pg.PoolClient, { query: (sql: string, params: unknown[]) => Promise<pg.QueryResult>; release: (destroy?: boolean) => void }>();
  const rethrow = (e: unknown): never => {
    throw postgresFault(e) ?? e;
  };
  return {
    async connect() {
      const client = await pool.connect().catch(rethrow);
      let w = wrapped.get(client);
      if (!w) {
        w = {
          query: (sql: string, params: unknown[]) => client.query(sql, params).catch(rethrow),
          release: (destroy?: boolean) => client.release(destroy),
        };
        wrapped.set(client, w);
      }
      return w;
    },
    // ended by OpenPostgres.close()
    end: async () => {},
  } as unknown as pg.Pool;
}
