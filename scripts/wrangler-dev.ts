// Starts the Worker under `wrangler dev --local` (workerd + a local D1 in a temp dir, migrations applied, one
// token per role inserted) on a free loopback port, for the HTTP contract suite. No network beyond loopback.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newToken, tokenInsertSql } from '../src/services/tokens.js';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OWN_UNIT = 'mz-hpf-center';
export const OTHER_UNIT = 'demo-county-transport';

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1', CI: 'true' };

function wrangler(args: string[]): string {
  const r = spawnSync(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: ENV, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A port free on 127.0.0.1 right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface WorkerService {
  base: string;
  tokens: { bureau: string; reviewer: string; unit: string; otherUnit: string };
  persistTo: string;
  /** pid of the wrangler process (workerd runs as its descendant) */
  pid(): number | undefined;
  output(): string;
  stop(): Promise<void>;
}

export async function startWorker(): Promise<WorkerService> {
  const persistTo = mkdtempSync(join(tmpdir(), 'jxzp-d1-'));
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
  const now = new Date();
  const made = {
    bureau: newToken({ role: 'bureau' }, now),
    reviewer: newToken({ role: 'reviewer' }, now),
    unit: newToken({ role: 'unit', unitId: OWN_UNIT }, now),
    otherUnit: newToken({ role: 'unit', unitId: OTHER_UNIT }, now),
  };
  const sqlFile = join(persistTo, 'tokens.sql');
  writeFileSync(sqlFile, Object.values(made).map((t) => tokenInsertSql(t.row)).join('\n'));
  wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', sqlFile]);

  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [WRANGLER, 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistTo, '--show-interactive-dev-session=false'],
    { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 90_000;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`wrangler dev exited: ${out}`));
      try {
        const r = await fetch(`${base}/healthz`);
        if (r.status === 200) return resolve();
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) return reject(new Error(`wrangler dev did not become ready: ${out}`));
      setTimeout(poll, 250);
    };
    void poll();
  });
  return {
    base,
    pid: () => child.pid,
    tokens: { bureau: made.bureau.token, reviewer: made.reviewer.token, unit: made.unit.token, otherUnit: made.otherUnit.token },
    persistTo,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
