// An HTTP worker of a multi-process service: the same app and server as the single process, over its own
// connection for reads (WAL) and the rare other writes, but on SQLite its evaluations are written by the primary
// (evaluation-writer-ipc.ts). Without the primary nothing it accepts could be acknowledged, so when the IPC channel
// closes the worker exits and the supervisor restarts the whole service.
import { buildServiceDeps, type BuiltService } from './database-url.js';
import { WORKER_ORDINAL_ENV } from './cluster-primary.js';
import { EvaluationWriterClient, type PrimaryMessage, type WorkerMessage } from './evaluation-writer-ipc.js';
import { startHttpServer, stopGracefully, type NodeSettings } from './node-server.js';

export async function runWorker(settings: NodeSettings): Promise<void> {
  // before node:cluster's own listener, which exits 0 without a word
  process.prependListener('disconnect', () => {
    console.error(`主进程已退出，HTTP 进程 ${process.pid} 随之退出（不再能确认写入）`);
    process.exit(1);
  });
  let stop: ((why: string) => void) | undefined;
  let stopRequested = false;
  process.on('message', (m: PrimaryMessage) => {
    if (m?.type !== 'jxzp:stop') return;
    if (stop) stop('stop');
    else process.exit(0); // still starting: nothing in flight
  });
  const onSignal = (signal: string) => (stop ? stop(signal) : (stopRequested = true));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  // start-up notes (refused rule-set files) once, from the first worker; runtime errors from every worker
  let quiet = process.env[WORKER_ORDINAL_ENV] !== '1';
  const log = (line: string) => {
    if (!quiet) settings.log(line);
  };
  let built: BuiltService;
  try {
    built = await buildServiceDeps({
      databasePath: settings.databasePath,
      rulesDir: settings.rulesDir,
      log,
      ...(settings.evidenceDir ? { evidenceDir: settings.evidenceDir } : {}),
      ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
    });
  } catch (e) {
    // the primary prints it, once however many workers meet it
    const message: WorkerMessage = { type: 'jxzp:cannot-start', message: e instanceof Error ? e.message : String(e) };
    process.send!(message, undefined, undefined, () => process.exit(1));
    return;
  }
  quiet = false;

  let deps = built.deps;
  if (built.kind === 'sqlite') {
    const writer = new EvaluationWriterClient({
      get connected() {
        return process.connected;
      },
      send: (message: WorkerMessage, done: (error: Error | null) => void) => void process.send!(message, undefined, undefined, done),
      on: (event, listener) => process.on(event, listener),
    });
    deps = {
      ...deps,
      evaluations: { ...deps.evaluations, insert: (row) => writer.insert(row) },
      // ready when the writer answers over IPC that it can write the database now
      readiness: () => writer.ready(),
    };
  }
  const server = startHttpServer(settings, deps, ({ address, port }) => {
    process.send!({ type: 'jxzp:serving', address, port, describe: built.describe } satisfies WorkerMessage);
  });
  let stopping = false;
  stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    stopGracefully(server, () => built.close(), why, true);
  };
  if (stopRequested) stop('SIGTERM');
}
