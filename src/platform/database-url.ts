// Which store the service runs on: DATABASE_URL `postgres://…` / `postgresql://…` is PostgreSQL; a path or a `file:`
// URL (or no URL, with DATABASE_PATH) is the embedded SQLite file. The one place the Node entries make that choice.
import type { AppDeps } from '../http/env.js';
import { buildNodeDeps, buildPostgresDeps, sqlitePathOf, type NodeDepsOptions } from './node-deps.js';
import { redactUrl } from './postgres.js';
import type { OpenDatabase } from './sqlite.js';

export { redactUrl };

export interface BuiltService {
  readonly deps: AppDeps;
  readonly kind: 'sqlite' | 'postgres';
  /** present when kind === 'sqlite' */
  readonly sqlite?: OpenDatabase;
  /** for the start-up line, e.g. `数据库 data/jxzp.db` (never a password) */
  readonly describe: string;
  /** the publishing checker and the database */
  close(): Promise<void>;
}

export type DatabaseChoice = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(?:ql)?:\/\//i.test(url.trim());
}

/** DATABASE_URL when set (a PostgreSQL URL, a `file:` URL or a plain path), else the SQLite file at `databasePath`. */
export function chooseDatabase(databaseUrl: string | undefined, databasePath: string): DatabaseChoice {
  const url = databaseUrl?.trim();
  if (!url) return { kind: 'sqlite', path: databasePath };
  if (isPostgresUrl(url)) return { kind: 'postgres', url };
  // file:///abs/path, file:relative/path, file::memory:, or a plain path
  return { kind: 'sqlite', path: sqlitePathOf(url) };
}

/** Builds the service over the store DATABASE_URL (or DATABASE_PATH) names. */
export async function buildServiceDeps(options: NodeDepsOptions & { readonly databaseUrl?: string }): Promise<BuiltService> {
  const choice = chooseDatabase(options.databaseUrl, options.databasePath);
  const { databaseUrl: _url, ...rest } = options;
  if (choice.kind === 'sqlite') {
    const built = await buildNodeDeps({ ...rest, databasePath: choice.path });
    return {
      deps: built.deps,
      kind: 'sqlite',
      sqlite: built.database,
      describe: `数据库 ${choice.path}`,
      close: async () => {
        await Promise.all([built.checker.close(), built.database.close()]);
      },
    };
  }
  const built = await buildPostgresDeps({ ...rest, databaseUrl: choice.url });
  return {
    deps: built.deps,
    kind: 'postgres',
    describe: `数据库 PostgreSQL ${built.database.url}`,
    close: async () => {
      await Promise.all([built.checker.close(), built.database.close()]);
    },
  };
}
