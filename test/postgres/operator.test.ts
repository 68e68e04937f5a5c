// The operator's way to tokens on PostgreSQL (README): `token create --sql-out` writes one INSERT, psql runs it, the
// service accepts the token; the README's psql UPDATE revokes it (401 from then on).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken, tokenInsertSql } from '../../src/services/tokens.js';
import { startPostgresTestService, type PostgresTestService } from '../http/harness.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { available, POSTGRESQL } from '../system-parts.js';

const REVOKE = (id: string) =>
  `UPDATE tokens SET revoked_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') WHERE id = '${id}' AND revoked_at IS NULL`;

describe.skipIf(!available(POSTGRESQL))('tokens on PostgreSQL through psql', () => {
  let server: PostgresServer;
  let service: PostgresTestService;
  let url: string;
  const psql = (...args: string[]) => {
    const r = spawnSync(join(dirname(POSTGRESQL.path!), 'psql'), [url, '-v', 'ON_ERROR_STOP=1', '-q', ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  beforeAll(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase();
    service = await startPostgresTestService(url);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await server?.stop();
  });

  it('an INSERT from --sql-out makes a working token; the README UPDATE revokes it', async () => {
    const { token, row } = newToken({ role: 'reviewer', label: "局里的 'A' 组" }, new Date());
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-token-'));
    const file = join(dir, 'token.sql');
    writeFileSync(file, `${tokenInsertSql(row)}\n`);
    psql('-f', file);
    rmSync(dir, { recursive: true, force: true });
    expect((await service.send('GET', '/v1/evaluations?limit=1', { token })).status).toBe(200);
    expect(psql('-At', '-c', `SELECT label FROM tokens WHERE id = '${row.id}'`).trim()).toBe("局里的 'A' 组");
    psql('-c', REVOKE(row.id));
    const revokedAt = psql('-At', '-c', `SELECT revoked_at FROM tokens WHERE id = '${row.id}'`).trim();
    expect(revokedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(revokedAt) - Date.now())).toBeLessThan(60_000);
    expect((await service.send('GET', '/v1/evaluations?limit=1', { token })).status).toBe(401);
  });
});
