// The production build: `npm run build` compiles src/ to plain JS that node runs without tsx, imports only
// dependencies (not devDependencies), finds migrations/ from its own place, and serves /healthz.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support.js';

// Beside dist/ at the repository root, so the compiled files reach migrations/, schemas/ and rules/ as dist/ does.
const outDir = mkdtempSync(join(ROOT, '.build-test-'));
let service: ChildProcess | undefined;
let build: ReturnType<typeof spawnSync>;

beforeAll(() => {
  build = spawnSync('npm', ['run', 'build', '--', '--outDir', outDir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}, 130_000);

afterAll(() => {
  // the service runs in its own process group: end the group, so nothing outlives the test
  if (service?.pid !== undefined && service.exitCode === null) {
    try {
      process.kill(-service.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(outDir, { recursive: true, force: true });
});

function compiledFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.m?js$/.test(f))
    .map((f) => join(dir, f));
}

describe('npm run build', () => {
  it('compiles without errors, the generated validators included', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    const files = compiledFiles(outDir).map((f) => relative(outDir, f));
    expect(files).toContain(join('platform', 'node.js'));
    expect(files).toContain(join('cli', 'main.js'));
    expect(files).toContain(join('validation', 'generated', 'validators.js'));
    expect(files).toContain(join('validation', 'generated', 'quick-validators.js'));
  });

  it('imports nothing but node built-ins and runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const outside = new Set<string>();
    const seen = new Set<string>();
    for (const file of compiledFiles(outDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
        const specifier = m[1] ?? m[2] ?? m[3]!;
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        seen.add(name);
        if (!allowed.has(name)) outside.add(`${relative(outDir, file)}: ${specifier}`);
      }
    }
    // the scan does find the package imports (so an empty list below means something)
    expect([...seen]).toEqual(expect.arrayContaining(['better-sqlite3', 'hono', 'kysely', 'json-rules-engine']));
    expect([...outside]).toEqual([]);
  });

  it('the compiled service starts with plain node on a fresh database and answers /healthz', async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-build-')), 'prod.db');
    service = spawn(process.execPath, [join(outDir, 'platform', 'node.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DATABASE_PATH: databasePath, NODE_OPTIONS: '' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = service;
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`service did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${m[1]}`);
        }
      });
      child.stderr!.on('data', (d) => (out += d));
      child.on('exit', (code) => reject(new Error(`service exited with ${code}: ${out}`)));
    });
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    // every migration was found from the compiled file's place and applied
    const token = spawnSync(process.execPath, [join(outDir, 'cli', 'main.js'), 'token', 'list', '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(token.status, token.stderr).toBe(0);
    expect(JSON.parse(token.stdout)).toEqual([]);
  });
});
