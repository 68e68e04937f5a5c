// The Node entry as operators run it, one process per test in its own process group: graceful stop under SIGTERM,
// early rejections that close the connection cleanly, client aborts logged without a stack, a bad database path,
// /healthz answered while hostile requests are being handled, and one JSON access-log line per request.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hugeIndicatorSubmission, manyRulesRuleSet } from '../hostile.js';
import { runServiceToExit, startServiceProcess, stopAllServiceProcesses, type ServiceProcess } from '../service-process.js';
import { ROOT, example } from '../support.js';

afterEach(stopAllServiceProcesses);

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'jxzp-proc-')), 'jxzp.db');

function createToken(databasePath: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: databasePath },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').at(-1)!;
}

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  clientError?: string;
}

/** A request over a plain socket, writing the body in pieces; `between` runs after the first piece. */
function rawPost(base: string, path: string, headers: Record<string, string>, pieces: string[], between?: () => Promise<void>): Promise<RawReply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    let clientError: string | undefined;
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, ...(clientError ? { clientError } : {}) }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clientError = e.code ?? e.message;
      // an error after the response has been received is reported with it; before, it fails the request
      setTimeout(() => reject(e), 2_000).unref();
    });
    void (async () => {
      // the connection is accepted and the first piece (headers included) flushed before `between` runs, so a
      // signal sent there reaches a request the server is already reading, not one still in the listen backlog
      await new Promise<void>((ok) => req.once('socket', (s) => (s.connecting ? s.once('connect', () => ok()) : ok())));
      await new Promise<void>((ok) => req.write(pieces[0]!, () => ok()));
      if (between) {
        await new Promise((r) => setTimeout(r, 250));
        await between();
      }
      for (const p of pieces.slice(1)) req.write(p);
      req.end();
    })();
  });
}

describe('Node service process', () => {
  it('SIGTERM: a request in flight completes and is stored, then the process exits 0 within 10 s', async () => {
    const databasePath = freshPath();
    const token = createToken(databasePath, '--role', 'unit', '--unit', 'mz-hpf-center');
    const service = await startServiceProcess({ DATABASE_PATH: databasePath });
    const body = JSON.stringify(example('meizhou-2022.json'));
    const half = Math.floor(body.length / 2);
    let exitCode: number | string | undefined;
    void service.exited.then((c) => (exitCode = c));
    const reply = await rawPost(
      service.base,
      '/v1/evaluations',
      { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
      [body.slice(0, half), body.slice(half)],
      async () => {
        service.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300)); // the signal is handled while the body is half sent
      },
    );
    expect(exitCode).toBeUndefined(); // still serving the request in flight when it answered
    expect(reply.status).toBe(201);
    const id = JSON.parse(reply.body).id as string;
    const code = await Promise.race([service.exited, new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
    expect(code).toBe(0);
    expect(service.output().stdout).toContain('收到 SIGTERM');
    const db = new Database(databasePath, { readonly: true });
    const row = db.prepare('SELECT id, total FROM evaluations WHERE id = ?').get(id) as { id: string; total: number } | undefined;
    db.close();
    expect(row).toEqual({ id, total: 100 });
  });

  it('413 closes the connection (Connection: close), with and without Content-Length', async () => {
    const service = await startServiceProcess({ DATABASE_PATH: freshPath() });
    const big = 'x'.repeat(2 * 1024 * 1024);
    const withLength = await rawPost(service.base, '/v1/score', { 'Content-Type': 'application/json', 'Content-Length': String(big.length) }, [big]);
    expect(withLength.status).toBe(413);
    expect(withLength.headers.connection).toBe('close');
    expect(JSON.parse(withLength.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await rawPost(service.base, '/v1/score', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, [
      big.slice(0, 600_000),
      big.slice(600_000),
    ]);
    expect(chunked.status).toBe(413);
    expect(chunked.headers.connection).toBe('close');
    // an early 401 on a POST whose body was never read also ends the connection instead of leaving it half-read
    const unauthenticated = await rawPost(service.base, '/v1/evaluations', { 'Content-Type': 'application/json', 'Content-Length': '2' }, ['{}']);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.connection).toBe('close');
    const health = await fetch(`${service.base}/healthz`);
    expect(health.status).toBe(200);
  });

  it('a client that aborts mid-body costs one log line at most, never a stack', async () => {
    const databasePath = freshPath();
    const token = createToken(databasePath, '--role', 'unit', '--unit', 'mz-hpf-center');
    const service = await startServiceProcess({ DATABASE_PATH: databasePath });
    const url = new URL('/v1/evaluations', service.base);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': '5000' },
      });
      req.on('error', () => resolve());
      req.write('{"ruleset":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${service.base}/healthz`)).status).toBe(200);
    const { stderr } = service.output();
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(1);
  });

  it('refuses to start on a bad database path with one line and a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-bad-'));
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a directory');
    for (const databasePath of [dir, join(file, 'jxzp.db')]) {
      const r = await runServiceToExit({ DATABASE_PATH: databasePath });
      expect(r.code).not.toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^无法启动：/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('answers /healthz while a 100,000-indicator submission and a 2,000-rule rule set are being handled; neither gets a 5xx', async () => {
    const databasePath = freshPath();
    const unit = createToken(databasePath, '--role', 'unit', '--unit', 'mz-hpf-center');
    const bureau = createToken(databasePath, '--role', 'bureau');
    const service: ServiceProcess = await startServiceProcess({ DATABASE_PATH: databasePath });
    const order: string[] = [];
    const post = (path: string, token: string, body: unknown, name: string) =>
      fetch(`${service.base}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => {
        order.push(name);
        return { status: r.status, body: (await r.json()) as any };
      });
    const ruleSetBody = { ruleset: manyRulesRuleSet() };
    expect(JSON.stringify(ruleSetBody).length).toBeGreaterThan(500_000);
    const publishing = post('/v1/rulesets', bureau, ruleSetBody, 'publish');
    const submitting = post('/v1/evaluations', unit, hugeIndicatorSubmission(), 'submit');
    const healthStatuses: number[] = [];
    while (!order.includes('publish')) {
      const h = await fetch(`${service.base}/healthz`);
      healthStatuses.push(h.status);
      if (!order.includes('publish')) order.push('healthz');
      await new Promise((r) => setTimeout(r, 20));
    }
    const [published, submitted] = await Promise.all([publishing, submitting]);
    expect(healthStatuses.length).toBeGreaterThan(0);
    expect(healthStatuses.every((s) => s === 200)).toBe(true);
    // /healthz was answered before the publish check finished
    expect(order.indexOf('healthz')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('healthz')).toBeLessThan(order.indexOf('publish'));
    expect(published.status).toBe(422);
    expect(published.body.error.code).toBe('RULESET_INVALID');
    expect(submitted.status).toBe(422);
    expect(submitted.body.error.details.length).toBeLessThanOrEqual(100);
    expect(submitted.body.error.details.map((d: { path: string }) => d.path)).toContain('$.indicators');
  });

  it('writes one JSON access-log line per request: route pattern, status, role, unit — never the token', async () => {
    const databasePath = freshPath();
    const token = createToken(databasePath, '--role', 'unit', '--unit', 'mz-hpf-center');
    const service = await startServiceProcess({ DATABASE_PATH: databasePath });
    const created = await fetch(`${service.base}/v1/evaluations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(example('meizhou-2022.json')),
    });
    const id = ((await created.json()) as { id: string }).id;
    await fetch(`${service.base}/v1/evaluations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    await new Promise((r) => setTimeout(r, 200));
    const { stdout } = service.output();
    expect(stdout).not.toContain(token);
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ type: 'access', method: 'POST', route: '/v1/evaluations', status: 201, role: 'unit', unit: 'mz-hpf-center' });
    expect(lines[1]).toMatchObject({ method: 'GET', route: '/v1/evaluations/:id', status: 200 });
    expect(typeof lines[0]!.ms).toBe('number');
    expect(typeof lines[0]!.requestId).toBe('string');
  });
});
