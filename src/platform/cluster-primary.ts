// The primary of a multi-process service (HTTP_PROCESSES > 1). On SQLite it opens the database file and applies the
// migrations once, before any worker exists, then stays the one evaluation writer: every worker's submissions reach
// its EvaluationGroupCommit over IPC, so they still share one INSERT and one fsync. It serves no HTTP itself; it
// forks the HTTP workers (sharing the port), replaces one that dies, and on SIGTERM/SIGINT stops them gracefully
// before closing the database. On PostgreSQL every worker writes directly and the primary only forks and supervises.
import cluster, { type Worker } from 'node:cluster';
import { EvaluationGroupCommit } from '../services/group-commit.js';
import type { EvaluationsTable } from '../storage/database.js';
import { chooseDatabase } from './database-url.js';
import { isWorkerMessage, serveWriter, type PrimaryMessage, type WorkerMessage } from './evaluation-writer-ipc.js';
import { announce, SHUTDOWN_GRACE_MS, type NodeSettings } from './node-server.js';
import { checkWritable, openDatabase, type OpenDatabase } from './sqlite.js';

/** A worker that dies sooner than this after starting is replaced only after this long (no tight crash loop). */
const RESTART_DELAY_MS = 1_000;

/** Env var naming a worker's place (1 = the first), so that only the first repeats start-up notes. */
export const WORKER_ORDINAL_ENV = 'JXZP_HTTP_WORKER';

export function runPrimary(settings: NodeSettings): void {
  const n = settings.httpProcesses;
  const choice = chooseDatabase(settings.databaseUrl, settings.databasePath);
  let database: OpenDatabase | undefined;
  let writer: { insert(row: EvaluationsTable): Promise<boolean>; ready(): void; inFlight(): number } | undefined;
  if (choice.kind === 'sqlite') {
    try {
      database = openDatabase(choice.path);
    } catch (e) {
      console.error(`无法启动：${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    }
    const applied = database.migrationsApplied ?? [];
    if (applied.length > 0) console.log(`主进程已应用 ${applied.length} 个数据库迁移（${applied.join('、')}），随后启动 HTTP 进程`);
    const groupCommit = new EvaluationGroupCommit(database.db, (flush) => setImmediate(flush));
    const sqlite = database.sqlite;
    let pending = 0;
    writer = {
      insert: (row) => {
        pending++;
        return groupCommit.insert(row).finally(() => pending--);
      },
      ready: () => checkWritable(sqlite),
      inFlight: () => pending,
    };
  }

  // structured clone over the channel: rows are plain objects of strings and numbers
  cluster.setupPrimary({ serialization: 'advanced' });
  const live = new Set<Worker>();
  const serving = new Map<number, { address: string; port: number; describe: string }>();
  let announced = false;
  let stopping = false;

  let cannotStartTold = false;
  const onMessage = (workerId: number, m: WorkerMessage) => {
    if (m.type === 'jxzp:cannot-start' && !cannotStartTold) {
      cannotStartTold = true;
      console.error(`${announced ? 'HTTP 进程' : ''}无法启动：${m.message}`);
    }
    if (m.type !== 'jxzp:serving' || announced) return;
    serving.set(workerId, m);
    if (serving.size < n) return;
    announced = true;
    const role = database ? `；主进程 ${process.pid} 为唯一写入进程` : '';
    announce(settings, m.address, m.port, m.describe, `；${n} 个 HTTP 进程${role}`);
  };

  let ordinal = 0;
  const fork = () => {
    ordinal++;
    const worker = cluster.fork({ [WORKER_ORDINAL_ENV]: String(ordinal) });
    const startedAt = Date.now();
    live.add(worker);
    worker.on('error', () => {}); // a channel closing under a send: the exit handler below deals with the worker
    const channel = {
      send: (message: PrimaryMessage) => {
        // a worker gone since it asked has nobody to answer
        if (worker.isConnected()) worker.send(message, undefined, () => {});
      },
      on: (event: 'message', listener: (m: unknown) => void) => void worker.on(event, listener),
    };
    if (writer) serveWriter(channel, writer, (m) => onMessage(worker.id, m));
    else worker.on('message', (m: unknown) => isWorkerMessage(m) && onMessage(worker.id, m));
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (code !== 0) exitCode = 1; // it had to be forced (its own line says so)
        if (live.size === 0) void finish(0);
        return;
      }
      if (!announced) {
        // a worker that could not start: the service cannot start either (the reason was printed when it came)
        if (!cannotStartTold) {
          cannotStartTold = true;
          console.error(`无法启动：HTTP 进程 ${worker.process.pid} 在启动过程中退出（${signal ? `信号 ${signal}` : `退出码 ${code}`}）`);
        }
        stop(null);
        return;
      }
      const how = signal ? `信号 ${signal}` : `退出码 ${code}`;
      const soon = Date.now() - startedAt < RESTART_DELAY_MS;
      console.error(`HTTP 进程 ${worker.process.pid} 意外退出（${how}），${soon ? `${RESTART_DELAY_MS / 1000} 秒后` : '已'}启动新的 HTTP 进程替代`);
      if (soon) setTimeout(() => !stopping && fork(), RESTART_DELAY_MS);
      else fork();
    });
    return worker;
  };

  let exitCode = 0;
  /** `signal` null: a worker failed at start-up — stop the others quietly and exit 1. */
  function stop(signal: string | null) {
    if (stopping) return;
    stopping = true;
    if (signal) console.log(`收到 ${signal}，停止接收新请求，等待进行中的请求完成……`);
    else exitCode = 1;
    for (const w of live) if (w.isConnected()) w.send({ type: 'jxzp:stop' } satisfies PrimaryMessage, undefined, () => {});
    const forced = setTimeout(() => {
      console.error(`${SHUTDOWN_GRACE_MS / 1000} 秒内仍有请求未完成，强制退出`);
      for (const w of live) w.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + 2_000);
    forced.unref();
    if (live.size === 0) void finish(exitCode);
  }

  let finishing = false;
  async function finish(code: number) {
    if (finishing) return;
    finishing = true;
    // every worker has exited, so every request it answered had its commit; wait out any batch still being written
    while (writer && writer.inFlight() > 0) await new Promise((r) => setTimeout(r, 5));
    await database?.close();
    if (code === 0 && exitCode === 0) console.log('已停止');
    process.exit(exitCode || code);
  }

  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  for (let i = 0; i < n; i++) fork();
}
