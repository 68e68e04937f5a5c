// HTTP_PROCESSES=2 over real HTTP: a primary that migrates a fresh file once and writes the evaluations, two HTTP
// workers sharing the port. The whole HTTP contract suite runs against it, an Idempotency-Key raced from many
// connections at once still stores one row, and a worker that dies is replaced while the other keeps serving.
import { mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/platform/sqlite.js';
import {
  createTokenWithCli,
  processAlive,
  runServiceToExit,
  serviceChildrenOf,
  startServiceProcess,
  stopAllServiceProcesses,
  type ServiceProcess,
} from '../service-process.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { example } from '../support.js';
import { available, POSTGRESQL } from '../system-parts.js';
import { contractSuite, type ContractTarget } from './contract.js';
import { clientFor, OTHER_UNIT, OWN_UNIT } from './harness.js';

const pgClient = pg.Client;
const databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-multi-')), 'jxzp.db');
const migrationFiles = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f));

let service: ServiceProcess | undefined;
/** the service on a fresh file, then the tokens (created only after it started, so that the service migrated the file) */
const ready: Promise<ContractTarget & { service: ServiceProcess }> = (async () => {
  service = await startServiceProcess({ DATABASE_PATH: databasePath, HTTP_PROCESSES: '2' }, 90_000);
  const tokens = {
    bureau: createTokenWithCli(databasePath, '--role', 'bureau'),
    reviewer: createTokenWithCli(databasePath, '--role', 'reviewer'),
    unit: createTokenWithCli(databasePath, '--role', 'unit', '--unit', OWN_UNIT),
    otherUnit: createTokenWithCli(databasePath, '--role', 'unit', '--unit', OTHER_UNIT),
  };
  return { service, tokens, send: clientFor((req) => fetch(req), service.base) };
})();

beforeAll(async () => {
  await ready;
}, 120_000);
afterAll(stopAllServiceProcesses);

describe('HTTP_PROCESSES=2', () => {
  it('a primary and two HTTP workers; the primary applied every migration once, before forking', async () => {
    const { service } = await ready;
    const workers = serviceChildrenOf(service.child.pid!);
    expect(workers).toHaveLength(2);
    const { stdout } = service.output();
    const migrationLines = stdout.split('\n').filter((l) => l.includes('数据库迁移'));
    expect(migrationLines).toEqual([`主进程已应用 ${migrationFiles.length} 个数据库迁移（${migrationFiles.sort().join('、')}），随后启动 HTTP 进程`]);
    expect(stdout).toContain(`2 个 HTTP 进程；主进程 ${service.child.pid} 为唯一写入进程`);
    // the start-up line comes once, from the primary, after both workers listen
    expect(stdout.match(/绩效自评评分服务已启动/g)).toHaveLength(1);
    const db = new Database(databasePath, { readonly: true });
    const rows = db.prepare('SELECT name, COUNT(*) AS n FROM schema_migrations GROUP BY name ORDER BY name').all();
    db.close();
    expect(rows).toEqual(migrationFiles.sort().map((name) => ({ name, n: 1 })));
  });

  it('/readyz in a worker asks the writer: ready', async () => {
    const { send } = await ready;
    for (let i = 0; i < 4; i++) {
      const r = await send('GET', '/readyz');
      expect(r.status, r.text).toBe(200);
      expect(r.body).toEqual({ status: 'ready' });
    }
  });

  it('the same Idempotency-Key sent 20× at once (5 keys): one row per key, every answer names it, one answer is not a replay', async () => {
    const { send, tokens } = await ready;
    for (let k = 0; k < 5; k++) {
      const key = `race-${k}-${Date.now()}`;
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          send('POST', '/v1/evaluations', { token: tokens.unit, json: example('meizhou-2022.json'), headers: { 'Idempotency-Key': key } }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
      const ids = new Set(replies.map((r) => r.body.id as string));
      expect(ids.size).toBe(1);
      expect(replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      const db = new Database(databasePath, { readonly: true });
      const stored = db.prepare('SELECT id FROM evaluations WHERE idempotency_key = ?').all(key);
      db.close();
      expect(stored).toEqual([{ id: [...ids][0] }]);
    }
  });
});

contractSuite('Node, HTTP_PROCESSES=2 over real HTTP', async () => ready);

// last: it kills a worker
describe('HTTP_PROCESSES=2: a worker that dies', () => {
  it('is replaced (one line naming it); the service answers throughout', async () => {
    const { service, tokens } = await ready;
    const [victim, other] = serviceChildrenOf(service.child.pid!);
    process.kill(victim!, 'SIGKILL');
    // once the primary has seen the exit (its line), it hands no more connections to the dead worker — one handed over
    // in between is lost with it (node:cluster's round-robin), as are the dead worker's own connections
    const exitLine = () => service.output().stderr.split('\n').filter((l) => l.includes('意外退出'));
    while (processAlive(victim!) || exitLine().length === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // and its channel's close, where node:cluster drops it from the round
    // the other worker keeps serving while the replacement starts (a new connection: the pooled ones may be the dead worker's)
    const during = await onNewConnection(service.base, 'POST', '/v1/evaluations', tokens.unit, example('meizhou-2022.json'));
    expect(during.status, JSON.stringify(during.body)).toBe(201);
    let workers: number[] = [];
    for (let i = 0; i < 600 && !(workers.length === 2 && !workers.includes(victim!)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      workers = serviceChildrenOf(service.child.pid!);
    }
    expect(workers).toHaveLength(2);
    expect(workers).toContain(other);
    expect(workers).not.toContain(victim);
    expect(processAlive(victim!)).toBe(false);
    expect(exitLine()).toEqual([expect.stringMatching(new RegExp(`^HTTP 进程 ${victim} 意外退出（信号 SIGKILL），`))]);
    const after = await onNewConnection(service.base, 'GET', `/v1/evaluations/${during.body.id}`, tokens.unit);
    expect(after.status).toBe(200);
    expect(after.body.total).toEqual(during.body.total);
  }, 90_000);
});

describe('HTTP_PROCESSES=2: a worker that cannot start', () => {
  it('the service does not start: one line from the primary, whatever the number of workers, and a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-multi-bad-'));
    const r = await runServiceToExit({ DATABASE_PATH: join(dir, 'jxzp.db'), RULES_DIR: join(dir, 'no-such-rules'), HTTP_PROCESSES: '3' }, 90_000);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, r.stderr).toEqual([expect.stringMatching(/^无法启动：.*no-such-rules/)]);
    expect(r.stdout).not.toContain('已启动');
  }, 120_000);
});

describe('HTTP_PROCESSES=2: SIGTERM to the primary', () => {
  it('a request in flight (half its body sent) is answered 201 and stored; workers and primary exit 0; one pair of lines', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jxzp-multi-term-')), 'jxzp.db');
    const token = createTokenWithCli(path, '--role', 'unit', '--unit', OWN_UNIT);
    const stopping = await startServiceProcess({ DATABASE_PATH: path, HTTP_PROCESSES: '2' }, 90_000);
    const workers = serviceChildrenOf(stopping.child.pid!);
    expect(workers).toHaveLength(2);
    const body = JSON.stringify(example('meizhou-2022.json'));
    const url = new URL('/v1/evaluations', stopping.base);
    let exitedEarly = false;
    void stopping.exited.then(() => (exitedEarly = true));
    const reply = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent: false,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.once('socket', (socket) =>
        socket.once('connect', () => {
          req.write(body.slice(0, 1000), () => {
            setTimeout(() => {
              stopping.child.kill('SIGTERM'); // the primary only: it stops the workers
              setTimeout(() => req.end(body.slice(1000)), 500);
            }, 300);
          });
        }),
      );
    });
    expect(exitedEarly).toBe(false);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const code = await Promise.race([stopping.exited, new Promise((r) => setTimeout(() => r('still running after 15 s'), 15_000))]);
    expect(code).toBe(0);
    expect(workers.filter(processAlive)).toEqual([]);
    const { stdout } = stopping.output();
    expect(stdout.match(/收到 SIGTERM/g)).toHaveLength(1);
    expect(stdout.match(/已停止/g)).toHaveLength(1);
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT id, total FROM evaluations WHERE id = ?').get(reply.body.id);
    db.close();
    expect(row).toEqual({ id: reply.body.id, total: 100 });
  }, 120_000);
});

describe.skipIf(!available(POSTGRESQL))('HTTP_PROCESSES=2 on PostgreSQL', () => {
  let server: PostgresServer | undefined;
  afterAll(async () => {
    await stopAllServiceProcesses();
    await server?.stop();
  });

  it('no writer process: the workers write directly; an Idempotency-Key raced 20× still stores one row', async () => {
    server = await startPostgresServer();
    const url = await server.createDatabase();
    const token = createTokenWithCli({ DATABASE_URL: url }, '--role', 'unit', '--unit', OWN_UNIT);
    const pg = await startServiceProcess({ DATABASE_URL: url, HTTP_PROCESSES: '2' }, 90_000);
    expect(serviceChildrenOf(pg.child.pid!)).toHaveLength(2);
    const { stdout } = pg.output();
    expect(stdout).toContain('2 个 HTTP 进程）');
    expect(stdout).not.toContain('写入进程');
    expect(stdout).not.toContain('数据库迁移');
    const send = clientFor((req) => fetch(req), pg.base);
    expect((await send('GET', '/readyz')).status).toBe(200);
    const key = `pg-race-${Date.now()}`;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => send('POST', '/v1/evaluations', { token, json: example('meizhou-2022.json'), headers: { 'Idempotency-Key': key } })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const client = new pgClient({ connectionString: url });
    await client.connect();
    try {
      const rows = (await client.query('SELECT id FROM evaluations WHERE idempotency_key = $1', [key])).rows;
      expect(rows).toEqual([{ id: replies[0]!.body.id }]);
    } finally {
      await client.end();
    }
  }, 180_000);
});

/** One request on a connection of its own (no pooled keep-alive connection that a killed worker held). */
function onNewConnection(base: string, method: string, path: string, token: string, json?: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(path, base);
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        agent: false,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
