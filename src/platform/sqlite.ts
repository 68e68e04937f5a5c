// Node's embedded database: better-sqlite3 under kysely, with the SQL migrations in migrations/ applied in order.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely } from 'kysely';
import { DomainError } from '../domain/errors.js';
import type { Database as Schema, DB } from '../storage/database.js';
import { ImmediateSqliteDialect } from './sqlite-immediate.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const DEFAULT_DATABASE_PATH = 'data/jxzp.db';

export interface OpenDatabase {
  readonly db: DB;
  readonly sqlite: Database.Database;
  /** the migrations this open applied (empty when the file was up to date) */
  readonly migrationsApplied?: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) and migrates the database file. WAL, foreign keys, and full fsync on commit.
 * A path that cannot be a database (a directory, a path under a file, not an SQLite file, not writable for pending
 * migrations) is a DomainError STORAGE_UNAVAILABLE with a one-line Chinese message, for start-up to print as is.
 */
export function openDatabase(path: string): OpenDatabase {
  let sqlite: Database.Database | undefined;
  let applied: string[];
  try {
    if (path !== ':memory:') {
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new DomainError('STORAGE_UNAVAILABLE', `无法打开数据库 ${path}：这是一个目录，应为数据库文件的路径`);
      mkdirSync(dirname(path), { recursive: true });
    }
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before we answer, so nothing acknowledged is lost to a crash or power cut.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MILLIS}`);
    // 64 MiB of page cache (default 2 MiB): the id index takes random inserts, and its pages should stay in memory
    sqlite.pragma('cache_size = -65536');
    applied = migrate(sqlite);
  } catch (e) {
    sqlite?.close();
    if (e instanceof DomainError) throw e;
    throw new DomainError('STORAGE_UNAVAILABLE', `无法打开数据库 ${path}：${openFailureReason(e)}`, [], { cause: e });
  }
  // transactions begin IMMEDIATE: other processes may write the same file (several HTTP processes, the CLI)
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, migrationsApplied: applied, close: () => db.destroy() };
}

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY (then answered 503). */
export const BUSY_TIMEOUT_MILLIS = 5000;

function openFailureReason(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  const reasons: Readonly<Record<string, string>> = {
    ENOTDIR: '路径中的上级不是目录',
    EEXIST: '路径中的上级不是目录',
    EACCES: '没有访问权限',
    EPERM: '没有访问权限',
    EROFS: '文件系统只读',
    ENOSPC: '磁盘空间已满',
    SQLITE_CANTOPEN: '无法打开该文件（路径不存在、是目录或没有权限）',
    SQLITE_NOTADB: '该文件不是 SQLite 数据库',
    SQLITE_CORRUPT: '数据库文件已损坏',
    SQLITE_FULL: '磁盘空间已满',
    SQLITE_READONLY: '数据库只读，无法应用迁移',
    SQLITE_BUSY: '数据库被其他进程锁定',
  };
  const base = typeof code === 'string' ? code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1') : '';
  const reason = Object.hasOwn(reasons, base) ? reasons[base] : undefined;
  const message = (e instanceof Error ? e.message.split('\n')[0] : String(e)) ?? '';
  return reason ? `${reason}（${message}）` : message;
}

const NOT_WRITABLE: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  SQLITE_FULL: '存储空间已满',
  SQLITE_READONLY: '数据库只读',
  SQLITE_BUSY: '数据库被其他连接锁定',
  SQLITE_LOCKED: '数据库被锁定',
});

/**
 * Readiness: can this connection write now? `BEGIN IMMEDIATE` takes the write lock (fails when another connection
 * holds it past a short wait, or when the connection is query-only); a change rolled back straight away fails on a
 * connection SQLite could open only for reading (a read-only file or mount); a database at its page limit is full.
 * Throws the domain error the write would have met; nothing is written.
 */
export function checkWritable(sqlite: Database.Database, waitMillis = 250): void {
  if (sqlite.inTransaction) return; // our own write is under way: writable
  // a short wait: this runs on the event loop, and a probe must not stall requests for the full busy timeout
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma(`busy_timeout = ${Math.min(waitMillis, busyTimeout)}`);
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      const version = sqlite.pragma('user_version', { simple: true }) as number;
      sqlite.pragma(`user_version = ${version}`);
      const pages = sqlite.pragma('page_count', { simple: true }) as number;
      const free = sqlite.pragma('freelist_count', { simple: true }) as number;
      const max = sqlite.pragma('max_page_count', { simple: true }) as number;
      if (free === 0 && pages >= max) throw Object.assign(new Error('database is at max_page_count'), { code: 'SQLITE_FULL' });
    } finally {
      sqlite.exec('ROLLBACK');
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // not ready is 503 whatever the cause (a full disk answers 507 on the write itself); the message says which
    const why = typeof code === 'string' ? NOT_WRITABLE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')] : undefined;
    if (why) throw new DomainError('STORAGE_UNAVAILABLE', `服务暂不能保存新的评价：${why}`, [], { cause: e });
    throw e;
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * kysely prepares every query afresh; preparing costs more than running our small indexed queries. Statements are
 * reusable, so keep the most recent ones by SQL text (kysely always passes values as parameters, so the texts repeat).
 */
function withStatementCache(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // most recently used last
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** Applies migrations/NNNN_name.sql not yet recorded, each in its own transaction, in name order. */
export function migrate(sqlite: Database.Database, dir = MIGRATIONS_DIR): string[] {
  sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(sqlite.prepare('SELECT name FROM schema_migrations').all().map((r) => (r as { name: string }).name));
  const pending = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .filter((f) => !applied.has(f));
  const done: string[] = [];
  const isApplied = sqlite.prepare('SELECT 1 FROM schema_migrations WHERE name = ?').pluck();
  for (const file of pending) {
    const sql = readFileSync(join(dir, file), 'utf8');
    // IMMEDIATE, and checked again under the write lock: another process opening the same file may have applied it
    // since the list above was read
    sqlite
      .transaction(() => {
        if (isApplied.get(file) !== undefined) return;
        sqlite.exec(sql);
        sqlite.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
        done.push(file);
      })
      .immediate();
  }
  return done;
}
