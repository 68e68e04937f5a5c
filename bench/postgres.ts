// POST /v1/evaluations on PostgreSQL (issue #15): autocannon, 50 connections, examples/meizhou-2022.json, against one
// instance (group commit on and off) and two instances on one server (25 connections each, at the same time).
// A throwaway PostgreSQL 15 with its defaults for durability (fsync, synchronous_commit on) on a random port; each
// configuration gets a fresh database. `{ skipped }` when no PostgreSQL is installed.
// Runs from the sources (tsx) or compiled (npm run bench: build/bench/bench/postgres.js); each instance is this same
// file with --instance, so it runs compiled too.
import { serve } from '@hono/node-server';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp } from '../src/http/app.js';
import { buildServiceDeps, type BuiltService } from '../src/platform/database-url.js';
import { buildPostgresDeps } from '../src/platform/node-deps.js';
import { openPostgres } from '../src/platform/postgres.js';
import { createToken } from '../src/services/tokens.js';
import { startPostgresServer, type PostgresServer } from '../test/postgres-server.js';
import { POSTGRESQL } from '../test/system-parts.js';
import { runAutocannon, type Cannon } from './autocannon.js';

const THIS_FILE = fileURLToPath(import.meta.url);
/** The sources or the compiled tree (build/bench), with rules/ and migrations/ beside src/. */
const ROOT = join(dirname(THIS_FILE), '..');
/** The repository: the nearest folder with a package.json (node_modules, examples/). */
const REPO = (() => {
  for (let dir = ROOT; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return ROOT;
  }
})();
const FROM_SOURCES = THIS_FILE.endsWith('.ts');
const CONNECTIONS = 50;


const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function autocannon(url: string, bodyFile: string, token: string, connections: number, seconds: number, warmupSeconds: number): Promise<Cannon> {
  const m = await runAutocannon({ repo: REPO, url, bodyFile, headers: [`Authorization=Bearer ${token}`], connections, seconds, warmupSeconds });
  return { ...m, requestsPerSecond: round(m.requestsPerSecond) };
}

interface Instance {
  readonly base: string;
  readonly child: ChildProcess;
}

function startInstance(databaseUrl: string, evidenceDir: string, groupCommit: boolean): Promise<Instance> {
  const child = spawn(process.execPath, [...(FROM_SOURCES ? ['--import', 'tsx'] : []), THIS_FILE, '--instance'], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', EVIDENCE_DIR: evidenceDir, GROUP_COMMIT: groupCommit ? '1' : '0', LOG_LEVEL: 'silent' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance not ready: ${out}`)), 60_000);
    const onData = () => {
      const m = /ready (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ base: m[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited ${code}: ${out}`));
    });
  });
}

function stopInstance(i: Instance): Promise<void> {
  return new Promise((resolve) => {
    if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-i.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000);
    i.child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-i.child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** A fresh, migrated database with a unit token. */
async function freshDatabase(server: PostgresServer): Promise<{ url: string; token: string }> {
  const url = await server.createDatabase();
  const opened = await openPostgres(url, { poolSize: 1, log: () => {} });
  try {
    return { url, token: (await createToken(opened.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token };
  } finally {
    await opened.close();
  }
}

async function rows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM evaluations')).rows[0].n);
  } finally {
    await client.end();
  }
}

export async function postgresHttp(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  if (!POSTGRESQL.path) return { skipped: 'PostgreSQL 未安装（Debian 软件包：postgresql）' };
  const seconds = opts.quick ? 3 : 10;
  const warmup = opts.quick ? 1 : 2;
  const work = mkdtempSync(join(tmpdir(), 'jxzp-bench-pg-'));
  const bodyFile = join(work, 'seed.json');
  writeFileSync(bodyFile, readFileSync(join(REPO, 'examples/meizhou-2022.json')));
  // durable settings, as in production: fsync and synchronous_commit on
  const server = await startPostgresServer({ fast: false, maxConnections: 100 });
  const results: Record<string, unknown> = {};
  try {
    for (const groupCommit of [true, false]) {
      const db = await freshDatabase(server);
      const one = await startInstance(db.url, join(work, 'evidence'), groupCommit);
      try {
        const m = await autocannon(`${one.base}/v1/evaluations`, bodyFile, db.token, CONNECTIONS, seconds, warmup);
        results[`instances1_groupCommit${groupCommit ? 'On' : 'Off'}`] = { instances: 1, groupCommit, ...m, rowsStored: 0 };
      } finally {
        await stopInstance(one);
      }
      (results[`instances1_groupCommit${groupCommit ? 'On' : 'Off'}`] as Record<string, unknown>).rowsStored = await rows(db.url);
    }
    const on = results.instances1_groupCommitOn as Cannon;
    const off = results.instances1_groupCommitOff as Cannon;
    const faster = on.requestsPerSecond >= off.requestsPerSecond;
    // two instances at once on one server, each given half the connections, with the faster group-commit setting
    const db = await freshDatabase(server);
    const pair = await Promise.all([startInstance(db.url, join(work, 'evidence'), faster), startInstance(db.url, join(work, 'evidence'), faster)]);
    try {
      const each = await Promise.all(pair.map((i) => autocannon(`${i.base}/v1/evaluations`, bodyFile, db.token, CONNECTIONS / 2, seconds, warmup)));
      results.instances2 = {
        instances: 2,
        groupCommit: faster,
        requestsPerSecond: round(each.reduce((s, c) => s + c.requestsPerSecond, 0)),
        p50Millis: Math.max(...each.map((c) => c.p50Millis)),
        p99Millis: Math.max(...each.map((c) => c.p99Millis)),
        non2xx: each.reduce((s, c) => s + c.non2xx, 0),
        errors: each.reduce((s, c) => s + c.errors, 0),
        each,
      };
    } finally {
      await Promise.all(pair.map(stopInstance));
    }
    (results.instances2 as Record<string, unknown>).rowsStored = await rows(db.url);
    return {
      method:
        `autocannon in its own process, ${CONNECTIONS} connections in all, ${seconds} s after ${warmup} s of warm-up, POST examples/meizhou-2022.json; ` +
        'PostgreSQL 15 on this machine (fsync and synchronous_commit on), a fresh database per configuration; each instance a separate ' +
        `process (bench/postgres --instance, ${FROM_SOURCES ? 'from sources under tsx' : 'compiled'}, pool of 10); ` +
        'two instances: 25 connections each at once, requests/s summed, the worse p50/p99',
      groupCommitFaster: faster ? 'on' : 'off',
      ...results,
    };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * One stateless service instance over PostgreSQL (also test/postgres/instance-entry.ts): buildServiceDeps over
 * DATABASE_URL + createApp + @hono/node-server on 127.0.0.1:PORT (0 = any free port). Prints
 * `ready http://127.0.0.1:<port>` once it listens; SIGTERM closes the server, the pool and the checker.
 * GROUP_COMMIT=1|0 builds with group commit on or off instead of the default.
 */
export async function runInstance(): Promise<void> {
  const quiet = process.env.LOG_LEVEL === 'silent';
  const log = quiet ? () => {} : (line: string) => console.error(line);
  const rulesDir = join(ROOT, 'rules');
  const evidence = process.env.EVIDENCE_DIR ? { evidenceDir: process.env.EVIDENCE_DIR } : {};
  const groupCommit = process.env.GROUP_COMMIT;
  const build = async (): Promise<BuiltService> => {
    if (groupCommit !== '1' && groupCommit !== '0') {
      return buildServiceDeps({
        databasePath: join(ROOT, 'data', 'unused.db'),
        ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
        rulesDir,
        ...evidence,
        log,
      });
    }
    const b = await buildPostgresDeps({ databaseUrl: process.env.DATABASE_URL ?? '', rulesDir, ...evidence, log, groupCommit: groupCommit === '1' });
    return {
      deps: b.deps,
      kind: 'postgres',
      describe: `数据库 PostgreSQL ${b.database.url}，组提交${groupCommit === '1' ? '开' : '关'}`,
      close: async () => {
        await Promise.all([b.checker.close(), b.database.close()]);
      },
    };
  };
  let built: BuiltService;
  try {
    built = await build();
  } catch (e) {
    console.error(`无法启动：${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const app = createApp(built.deps);
  const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
    console.log(`ready http://127.0.0.1:${info.port} (${built.describe})`);
  }) as Server;
  process.on('SIGTERM', () => {
    server.close(() => void built.close().then(() => process.exit(0)));
    server.closeIdleConnections();
  });
}

// `npx tsx bench/postgres.ts [--quick]` runs the measurement alone; `--instance` is one service instance
if (process.argv[1] && THIS_FILE === process.argv[1]) {
  if (process.argv.includes('--instance')) await runInstance();
  else console.log(JSON.stringify(await postgresHttp({ quick: process.argv.includes('--quick') }), null, 2));
}
