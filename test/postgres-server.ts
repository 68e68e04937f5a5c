// A throwaway PostgreSQL server for tests and the bench: initdb in a fresh temporary folder (owned by the postgres
// user when we run as root: the server refuses root), started with pg_ctl on a random free port on 127.0.0.1 with its
// unix socket in that folder, a fresh database per caller, and everything stopped and removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { POSTGRESQL } from './system-parts.js';

export interface PostgresServer {
  readonly port: number;
  /** the temporary folder (data directory, socket, log) */
  readonly dir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  urlFor(database: string): string;
  /** CREATE DATABASE t_<random>; its URL */
  createDatabase(): Promise<string>;
  /** stops the server (immediate) and removes the folder; safe to call twice */
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /** fsync off and no synchronous commit: for tests, where the server itself never crashes (default true) */
  readonly fast?: boolean;
  readonly maxConnections?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const asRoot = () => process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error('以 root 运行时需要系统用户 postgres 来启动 PostgreSQL（Debian 软件包 postgresql 会创建它）');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Runs a PostgreSQL program (as the postgres user under root), in its own process group; rejects on a non-zero exit. */
function run(program: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv as string[], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      reject(new Error(`${program} 超时：${output}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${program} ${args.join(' ')} exited ${code}: ${output}`));
    });
  });
}

/** Starts a server; the caller stops it (afterAll). Requires available(POSTGRESQL). */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  if (!POSTGRESQL.path) throw new Error('PostgreSQL 未安装（Debian 软件包：postgresql）');
  const bin = dirname(POSTGRESQL.path);
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-pg-'));
  const data = join(dir, 'data');
  if (asRoot()) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  let stopped = false;
  const postmasterPid = (): number | null => {
    try {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  // synchronous, so it also runs from process 'exit' when a test run is cut short
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    const pid = postmasterPid();
    if (existsSync(data)) {
      const argv = [join(bin, 'pg_ctl'), 'stop', '-D', data, '-m', 'immediate', '-w', '-t', '20'];
      spawnSync(asRoot() ? 'runuser' : argv[0]!, asRoot() ? ['-u', 'postgres', '--', ...argv] : argv.slice(1), { stdio: 'ignore', timeout: 30_000, cwd: '/' });
    }
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* stopped */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      `-c max_connections=${options.maxConnections ?? 100}`,
      '-c shared_buffers=64MB',
      ...(options.fast ?? true ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
    ];
    await run(join(bin, 'pg_ctl'), ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', settings.join(' ')]);
  } catch (e) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'server.log'), 'utf8');
    } catch {
      /* none */
    }
    stopNow();
    throw new Error(`无法启动测试用 PostgreSQL：${e instanceof Error ? e.message : String(e)}\n${log}`);
  }
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    dir,
    urlFor,
    async createDatabase() {
      const name = `t_${Math.random().toString(36).slice(2, 12)}`;
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      stopNow();
      process.removeListener('exit', stopNow);
    },
  };
}
