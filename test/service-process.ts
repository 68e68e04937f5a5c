// The service as a separate process (`node --import tsx src/platform/node.ts`), started in its own process group and
// stopped with it, so nothing a test starts outlives the test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { ROOT } from './support.js';

export interface ServiceProcess {
  readonly base: string;
  readonly child: ChildProcess;
  /** everything written to stdout and stderr so far */
  output(): { stdout: string; stderr: string };
  /** resolves with the exit code (or signal name) */
  readonly exited: Promise<number | string>;
}

const started = new Set<ChildProcess>();

/** Spawns the Node entry in its own process group (so stopping it stops everything it started), collecting output. */
function spawnService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/platform/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  return { child, out };
}

export function startServiceProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
  const { child, out } = spawnService(env);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      started.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${out.stdout}${out.stderr}`)), timeoutMs);
    const onData = () => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out.stdout);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ base: `http://127.0.0.1:${m[1]}`, child, output: () => ({ ...out }), exited });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}: ${out.stdout}${out.stderr}`));
    });
  });
}

/** Runs the service entry expecting it to exit by itself (e.g. a start-up failure). */
export function runServiceToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const { child, out } = spawnService(env);
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      started.delete(child);
      resolve({ code: code ?? signal ?? 'unknown', ...out });
    });
  });
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** For afterEach/afterAll: kills the process group of every service still running. */
export async function stopAllServiceProcesses(): Promise<void> {
  const waits = [...started].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        killGroup(child);
      }),
  );
  await Promise.all(waits);
}

/**
 * Creates a token with the CLI (`token create …`), as an operator would, on the database file at `database` — or,
 * given an environment (e.g. `{ DATABASE_URL }`), on the database it names; returns the token.
 */
export function createTokenWithCli(database: string | Record<string, string>, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...(typeof database === 'string' ? { DATABASE_PATH: database } : database) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').at(-1)!;
}

/** The running service processes (`src/platform/node.ts`) whose parent is `pid`: a primary's HTTP workers. (Linux /proc.) */
export function serviceChildrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== pid || state === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('src/platform/node.ts')) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children.sort((a, b) => a - b);
}

/** Whether a process is alive (not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}
