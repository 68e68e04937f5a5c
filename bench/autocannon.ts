// autocannon in its own process (so the load generator does not share the server's event loop), as bench/run.ts and
// bench/postgres.ts run it: POST a body file for `seconds` after `warmupSeconds` of warm-up, the measured figures back.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Cannon {
  /** unrounded: each caller rounds as it reports */
  requestsPerSecond: number;
  p50Millis: number;
  p99Millis: number;
  non2xx: number;
  errors: number;
}

export interface CannonRun {
  /** the repository (its node_modules holds autocannon) */
  readonly repo: string;
  readonly url: string;
  readonly bodyFile: string;
  /** extra headers as autocannon takes them, e.g. `Authorization=Bearer …` */
  readonly headers: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

export function runAutocannon(run: CannonRun): Promise<Cannon> {
  const args = [
    join(run.repo, 'node_modules/autocannon/autocannon.js'),
    '-c', String(run.connections), '-d', String(run.seconds), '-m', 'POST', '-i', run.bodyFile, '-j',
    '-H', 'Content-Type=application/json',
    ...run.headers.flatMap((h) => ['-H', h]),
    '--warmup', '[', '-c', String(run.connections), '-d', String(run.warmupSeconds), ']',
    run.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon failed: ${stderr}`));
      // with --warmup autocannon prints the warm-up's document, then the measured one, one per line
      const r = JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1)!);
      resolve({ requestsPerSecond: r.requests.average, p50Millis: r.latency.p50, p99Millis: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    });
  });
}
