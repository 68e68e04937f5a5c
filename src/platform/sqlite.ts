// Node's embedded database: better-sqlite3 under kysely, with the SQL migrations in migrations/ applied in order.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema, DB } from '../storage/database.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const DEFAULT_DATABASE_PATH = 'data/jxzp.db';

export interface OpenDatabase {
  readonly db: DB;
  readonly sqlite: Database.Database;
  close(): Promise<void>;
}

/** Opens (creating if needed) and migrates the database file. WAL, foreign keys, and full fsync on commit. */
export function openDatabase(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer, so nothing acknowledged is lost to a crash or power cut.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  migrate(sqlite);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, close: () => db.destroy() };
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
  for (const file of pending) {
    const sql = readFileSync(join(dir, file), 'utf8');
    sqlite.transaction(() => {
      sqlite.exec(sql);
      sqlite.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
    })();
  }
  return pending;
}
