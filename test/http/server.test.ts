// A real server on an ephemeral port: restarts keep evaluations, the body limit holds over a socket,
// and verify notices a result tampered with in the database.
import { serve, type ServerType } from '@hono/node-server';
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import { createToken } from '../../src/services/tokens.js';
import { ROOT, example } from '../support.js';
import { clientFor } from './harness.js';

interface Running {
  base: string;
  stop(): Promise<void>;
  sqlite: import('better-sqlite3').Database;
  db: import('../../src/storage/database.js').DB;
}

const running: Running[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.stop();
});

async function start(databasePath: string, bodyLimitBytes?: number): Promise<Running> {
  const { deps, database } = await buildNodeDeps({
    databasePath,
    rulesDir: join(ROOT, 'rules'),
    log: () => {},
    ...(bodyLimitBytes !== undefined ? { bodyLimitBytes } : {}),
  });
  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const r: Running = {
    base: `http://127.0.0.1:${port}`,
    sqlite: database.sqlite,
    db: database.db,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => void database.close().then(resolve));
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
  running.push(r);
  return r;
}

const send = (base: string) => clientFor((req) => fetch(req), base);
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'jxzp-srv-')), 'service.db');

describe('real server', () => {
  it('keeps every acknowledged evaluation across a restart', async () => {
    const path = dbPath();
    const first = await start(path);
    const token = (await createToken(first.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await send(first.base)('POST', '/v1/evaluations', { token, json: example('meizhou-2022.json') });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    const before = await send(first.base)('GET', `/v1/evaluations/${ids[0]}`, { token });
    await running.pop()!.stop();

    const second = await start(path);
    for (const id of ids) {
      const r = await send(second.base)('GET', `/v1/evaluations/${id}`, { token });
      expect(r.status).toBe(200);
      expect(r.body.result.total).toBe(100);
      expect(r.body.result.grade.name).toBe('优');
    }
    expect((await send(second.base)('GET', `/v1/evaluations/${ids[0]}`, { token })).body).toEqual(before.body);
    const list = await send(second.base)('GET', '/v1/evaluations', { token });
    expect(list.body.evaluations.map((e: any) => e.id).sort()).toEqual([...ids].sort());
  });

  it('refuses bodies over the limit with 413, with or without Content-Length, and stores nothing', async () => {
    const srv = await start(dbPath(), 64 * 1024);
    const token = (await createToken(srv.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
    const big = example('meizhou-2022.json');
    big.remarks.economy = 'x'.repeat(1900);
    const padded = JSON.stringify({ ...big, $schema: 'y'.repeat(150) }) + ' '.repeat(70 * 1024);
    const sized = await send(srv.base)('POST', '/v1/evaluations', { token, raw: padded, headers: { 'Content-Type': 'application/json' } });
    expect(sized.status).toBe(413);
    expect(sized.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${srv.base}/v1/evaluations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write(' '.repeat(1024));
      req.end('{}');
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    const count = srv.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number };
    expect(count.n).toBe(0);
  });

  it('verify reports each difference when the stored result or input is tampered with', async () => {
    const srv = await start(dbPath());
    const token = (await createToken(srv.db, { role: 'reviewer' }, new Date())).token;
    const unit = (await createToken(srv.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
    const created = await send(srv.base)('POST', '/v1/evaluations', { token: unit, json: example('meizhou-2022.json') });
    const id = created.body.id;
    expect((await send(srv.base)('POST', `/v1/evaluations/${id}/verify`, { token })).body.identical).toBe(true);

    srv.sqlite.prepare(`UPDATE evaluations SET result = json_set(result, '$.total', 99.5, '$.items[5].points', 7.5) WHERE id = ?`).run(id);
    const tampered = await send(srv.base)('POST', `/v1/evaluations/${id}/verify`, { token });
    expect(tampered.status).toBe(200);
    expect(tampered.body.identical).toBe(false);
    expect(tampered.body.differences).toEqual([
      { path: '$.items[5].points', stored: 7.5, recomputed: 8 },
      { path: '$.total', stored: 99.5, recomputed: 100 },
    ]);

    srv.sqlite.prepare(`UPDATE evaluations SET input = json_set(input, '$.facts.payment.spent', 40) WHERE id = ?`).run(id);
    const inputTampered = await send(srv.base)('POST', `/v1/evaluations/${id}/verify`, { token });
    expect(inputTampered.body.identical).toBe(false);
    expect(inputTampered.body.inputSha256Matches).toBe(false);
  });
});
