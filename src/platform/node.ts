// Node entry (`npm start`): the service on PORT (8787) over the store DATABASE_URL names, else the embedded SQLite
// database at DATABASE_PATH. HTTP_PROCESSES (default: the machine's cores) HTTP processes share the port; with 1 this
// one process does everything, with more a primary runs the migrations, forks the HTTP workers and writes the
// evaluations they send it (cluster-primary.ts, cluster-worker.ts).
import cluster from 'node:cluster';
import { runPrimary } from './cluster-primary.js';
import { runWorker } from './cluster-worker.js';
import { buildServiceDeps, chooseDatabase, type BuiltService } from './database-url.js';
import { announce, settingsFromEnv, startHttpServer, stopGracefully, type NodeSettings } from './node-server.js';

export { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, SHUTDOWN_GRACE_MS } from './node-server.js';

async function runSingleProcess(settings: NodeSettings): Promise<void> {
  let built: BuiltService;
  try {
    built = await buildServiceDeps({
      databasePath: settings.databasePath,
      rulesDir: settings.rulesDir,
      log: settings.log,
      ...(settings.evidenceDir ? { evidenceDir: settings.evidenceDir } : {}),
      ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
    });
  } catch (e) {
    // one line for the operator, never a stack: the usual causes are a bad path or a database that is not ours
    console.error(`无法启动：${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const server = startHttpServer(settings, built.deps, ({ address, port }) => announce(settings, address, port, built.describe));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopGracefully(server, () => built.close(), signal);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const settings = settingsFromEnv();
// an in-memory SQLite database belongs to one process: it cannot be shared by several
const choice = chooseDatabase(settings.databaseUrl, settings.databasePath);
const shareable = !(choice.kind === 'sqlite' && choice.path === ':memory:');
if (cluster.isWorker) await runWorker(settings);
else if (settings.httpProcesses > 1 && shareable) runPrimary(settings);
else await runSingleProcess(settings);
