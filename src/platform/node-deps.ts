// Builds the service's deps on Node: the database (the SQLite file, or PostgreSQL when DATABASE_URL says so), rule
// sets from rules/ (bad files refused and reported), clock.
import cluster from 'node:cluster';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../http/env.js';
import { folderBlobStore } from './blob-folder.js';
import { EvaluationGroupCommit } from '../services/group-commit.js';
import { formatDiagnostic, loadRegistry } from './rules-dir.js';
import { serviceDepsOver } from './service-deps.js';
import { DEFAULT_POOL_SIZE, openPostgres, positiveIntegerFromEnv, type OpenPostgres } from './postgres.js';
import { DEFAULT_DATABASE_PATH, checkWritable, openDatabase, type OpenDatabase } from './sqlite.js';
import { ThreadChecker } from './thread-checker.js';
import { RescorePool } from './rescore-pool.js';

export interface NodeDepsOptions {
  readonly databasePath: string;
  readonly rulesDir: string;
  readonly bodyLimitBytes?: number;
  readonly log?: (line: string) => void;
  /** where 佐证材料 files go: EVIDENCE_DIR, else an `evidence` folder beside the database file */
  readonly evidenceDir?: string;
}

/** A PostgreSQL store, as buildPostgresDeps / buildNodeDeps with a postgres:// URL give it. */
export interface PostgresDatabase extends OpenPostgres {
  readonly kind: 'postgres';
  readonly sqlite?: undefined;
}

/** Either store: `db` and `close()` are common; `sqlite` only on SQLite. */
export type NodeDatabase = (OpenDatabase & { readonly kind?: 'sqlite' }) | PostgresDatabase;

export interface PostgresDepsOptions extends Omit<NodeDepsOptions, 'databasePath'> {
  readonly databaseUrl: string;
  /** evidence goes beside this path when evidenceDir is not given (default data/jxzp.db → data/evidence) */
  readonly databasePath?: string;
  /** DATABASE_POOL_SIZE (default 10) */
  readonly poolSize?: number;
  /** INSTANCES (default 1), for the max_connections warning */
  readonly instances?: number;
  /** write evaluations submitted together in one INSERT (as on SQLite); default: see POSTGRES_GROUP_COMMIT */
  readonly groupCommit?: boolean;
}

/**
 * Group commit on PostgreSQL, measured with autocannon, 50 connections, POST /v1/evaluations, one instance, durable
 * server settings (bench/postgres.ts): on 209 requests/s (p50 204 ms, p99 1161 ms), off 126 (p50 337 ms, p99 1822 ms)
 * on a loaded 2-core machine. One multi-row INSERT is one commit and one WAL flush for the lot, so on it stays.
 */
export const POSTGRES_GROUP_COMMIT = true;

const isPostgresUrl = (url: string): boolean => /^postgres(?:ql)?:\/\//i.test(url.trim());

function evidenceDirFor(options: NodeDepsOptions): string {
  if (options.evidenceDir) return options.evidenceDir;
  // an in-memory database keeps its files in a fresh temporary folder, gone with the machine's temp
  return options.databasePath === ':memory:' ? mkdtempSync(join(tmpdir(), 'jxzp-evidence-')) : join(dirname(options.databasePath), 'evidence');
}

/**
 * The service over the SQLite file at `databasePath`; or, when `databaseUrl` is a postgres:// URL, over PostgreSQL
 * (DATABASE_POOL_SIZE and INSTANCES read from the environment). A `file:` URL or a path in `databaseUrl` is SQLite.
 */
export async function buildNodeDeps(
  options: NodeDepsOptions & { readonly databaseUrl?: undefined },
): Promise<{ deps: AppDeps; database: OpenDatabase; checker: ThreadChecker }>;
export async function buildNodeDeps(
  options: NodeDepsOptions & { readonly databaseUrl?: string | undefined },
): Promise<{ deps: AppDeps; database: NodeDatabase; checker: ThreadChecker }>;
export async function buildNodeDeps(
  options: NodeDepsOptions & { readonly databaseUrl?: string | undefined },
): Promise<{ deps: AppDeps; database: NodeDatabase; checker: ThreadChecker }> {
  const { databaseUrl, ...rest } = options;
  const url = databaseUrl?.trim();
  if (url && isPostgresUrl(url)) return buildPostgresDeps({ ...rest, databaseUrl: url });
  if (url) return buildSqliteDeps({ ...rest, databasePath: sqlitePathOf(url) });
  return buildSqliteDeps(rest);
}

/** A `file:` URL or a plain path as the SQLite file's path. */
export function sqlitePathOf(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (/^file:/i.test(url)) return decodeURIComponent(url.slice('file:'.length));
  return url;
}

async function buildSqliteDeps(options: NodeDepsOptions): Promise<{ deps: AppDeps; database: OpenDatabase; checker: ThreadChecker }> {
  const log = options.log ?? console.error;
  const database = openDatabase(options.databasePath);
  const { registry, refused, report } = await loadRegistry(options.rulesDir);
  for (const f of refused) {
    log(`已拒绝规则集文件 ${f.file}（不会用它评分）：`);
    f.report.diagnostics.filter((d) => d.severity === 'error').forEach((d) => log(formatDiagnostic(d)));
  }
  // publishing checks run off the event loop
  const checker = new ThreadChecker();
  return {
    deps: {
      ...serviceDepsOver(database.db, {
        bundled: registry,
        bundledCases: report.cases,
        checkRuleSet: checker.check,
        groupCommit: new EvaluationGroupCommit(database.db, (flush) => setImmediate(flush)),
        readiness: async () => checkWritable(database.sqlite),
        blobs: folderBlobStore(evidenceDirFor(options)),
      }),
      log,
      // batch re-scoring and the impact preview score on worker threads (started on first use, never keeping the process alive)
      rescoreScorer: new RescorePool().scorer,
      ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    },
    database,
    checker,
  };
}

/** The service over PostgreSQL at `databaseUrl`: migrated on open, one pool, the same services and repositories. */
export async function buildPostgresDeps(options: PostgresDepsOptions): Promise<{ deps: AppDeps; database: PostgresDatabase; checker: ThreadChecker }> {
  const log = options.log ?? console.error;
  const poolSize = options.poolSize ?? positiveIntegerFromEnv('DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE);
  const instances = options.instances ?? positiveIntegerFromEnv('INSTANCES', 1);
  // an HTTP worker of a multi-process instance (src/platform/cluster-worker.ts): its siblings have pools too, and the
  // first worker alone says so when they may not fit
  const processes = cluster.isWorker ? positiveIntegerFromEnv('HTTP_PROCESSES', availableParallelism()) : 1;
  const warn = !cluster.isWorker || cluster.worker?.id === 1;
  const { registry, refused, report } = await loadRegistry(options.rulesDir);
  const opened = await openPostgres(options.databaseUrl, { poolSize, instances, processes, warn, log });
  const database: PostgresDatabase = Object.assign(opened, { kind: 'postgres' as const });
  for (const f of refused) {
    log(`已拒绝规则集文件 ${f.file}（不会用它评分）：`);
    f.report.diagnostics.filter((d) => d.severity === 'error').forEach((d) => log(formatDiagnostic(d)));
  }
  const checker = new ThreadChecker();
  const evidenceDir = options.evidenceDir ?? join(dirname(options.databasePath ?? DEFAULT_DATABASE_PATH), 'evidence');
  const groupCommit = options.groupCommit ?? POSTGRES_GROUP_COMMIT;
  return {
    deps: {
      ...serviceDepsOver(database.db, {
        bundled: registry,
        bundledCases: report.cases,
        checkRuleSet: checker.check,
        ...(groupCommit ? { groupCommit: new EvaluationGroupCommit(database.db, (flush) => setImmediate(flush)) } : {}),
        readiness: () => database.readiness(),
        blobs: folderBlobStore(evidenceDir),
      }),
      log,
      // batch re-scoring and the impact preview score on worker threads (started on first use, never keeping the process alive)
      rescoreScorer: new RescorePool().scorer,
      ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    },
    database,
    checker,
  };
}
