// The database the operator commands work on, chosen exactly as the service chooses it (src/platform/database-url.ts):
// DATABASE_URL `postgres://…` / `postgresql://…` is PostgreSQL; a path or a `file:` URL is that SQLite file; without
// DATABASE_URL, the SQLite file at DATABASE_PATH (default data/jxzp.db). Whatever is opened here is closed by the
// caller's `close()` (the pool ended, the checker threads stopped), so a command's process exits as soon as it is done.
// Nothing here prints a password: PostgreSQL URLs are shown redacted.
import { existsSync, statSync } from 'node:fs';
import type { AppDeps } from '../http/env.js';
import { chooseDatabase, redactUrl, type DatabaseChoice } from '../platform/database-url.js';
import { buildNodeDeps, buildPostgresDeps } from '../platform/node-deps.js';
import { openPostgres } from '../platform/postgres.js';
import { openDatabase } from '../platform/sqlite.js';
import type { DB } from '../storage/database.js';
import { CliError, databasePath } from './args.js';

/** Connections a command's pool may open: the commands run one query at a time, a transaction at most beside it. */
export const CLI_POOL_SIZE = 4;

/** DATABASE_URL when set, else DATABASE_PATH: the service's own choice. */
export function cliDatabase(): DatabaseChoice {
  return chooseDatabase(process.env.DATABASE_URL, databasePath());
}

/** For messages: the SQLite file's path, or `PostgreSQL <URL without its password>`. */
export function describeDatabase(choice: DatabaseChoice): string {
  return choice.kind === 'sqlite' ? choice.path : `PostgreSQL ${redactUrl(choice.url)}`;
}

/** A command that reads or changes stored data must not create an empty SQLite file by mistake (PostgreSQL: no check). */
export function requireExistingStore(choice: DatabaseChoice): void {
  if (choice.kind !== 'sqlite' || choice.path === ':memory:') return;
  const named = process.env.DATABASE_URL?.trim() ? '取自环境变量 DATABASE_URL' : '用环境变量 DATABASE_PATH 或 DATABASE_URL 指定';
  if (!existsSync(choice.path)) throw new CliError(`数据库文件 ${choice.path} 不存在（${named}）`);
  if (!statSync(choice.path).isFile()) throw new CliError(`数据库 ${choice.path} 不是文件`);
}

export interface CliStore {
  readonly choice: DatabaseChoice;
  readonly db: DB;
  /** as describeDatabase */
  readonly where: string;
  close(): Promise<void>;
}

/** The database alone (tokens): SQLite opened (and migrated), or a small PostgreSQL pool (migrated on open). */
export async function openCliStore(options: { readonly mustExist: boolean }): Promise<CliStore> {
  const choice = cliDatabase();
  if (options.mustExist) requireExistingStore(choice);
  const where = describeDatabase(choice);
  if (choice.kind === 'sqlite') {
    const database = openDatabase(choice.path);
    return { choice, db: database.db, where, close: () => database.close() };
  }
  // an unreachable or refusing server throws a DomainError whose message names the URL redacted
  const database = await openPostgres(choice.url, { poolSize: CLI_POOL_SIZE, warn: false });
  return { choice, db: database.db, where, close: () => database.close() };
}

export interface CliDeps {
  readonly choice: DatabaseChoice;
  readonly deps: AppDeps;
  readonly where: string;
  /** the checker threads and the database */
  close(): Promise<void>;
}

/** The services over the chosen database, as the service builds them (rule sets from RULES_DIR, default rules/). */
export async function openCliDeps(options: { readonly mustExist: boolean; readonly log?: (line: string) => void }): Promise<CliDeps> {
  const choice = cliDatabase();
  if (options.mustExist) requireExistingStore(choice);
  const common = {
    rulesDir: process.env.RULES_DIR ?? 'rules',
    ...(options.log ? { log: options.log } : {}),
    ...(process.env.EVIDENCE_DIR ? { evidenceDir: process.env.EVIDENCE_DIR } : {}),
  };
  const built =
    choice.kind === 'sqlite'
      ? await buildNodeDeps({ ...common, databasePath: choice.path })
      : await buildPostgresDeps({ ...common, databaseUrl: choice.url, databasePath: databasePath(), poolSize: CLI_POOL_SIZE, instances: 1 });
  return {
    choice,
    deps: built.deps,
    where: describeDatabase(choice),
    close: async () => {
      await Promise.all([built.checker.close(), built.database.close()]);
    },
  };
}
