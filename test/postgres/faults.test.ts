// PostgreSQL faults as the operator and the client meet them: a server that cannot be reached or a database that does
// not exist stops start-up with one Chinese line (never the password); pools that may exceed max_connections are
// warned about; a read-only server makes /readyz and writes 503 (not 500); a server gone away likewise.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { openPostgres } from '../../src/platform/postgres.js';
import { startPostgresTestService, type PostgresTestService } from '../http/harness.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { example } from '../support.js';
import { available, POSTGRESQL } from '../system-parts.js';

describe.skipIf(!available(POSTGRESQL))('PostgreSQL faults', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer({ maxConnections: 20 });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('an unreachable server or a missing database: one Chinese line naming the cause, the password hidden', async () => {
    const closedPort = server.port === 1 ? 2 : 1;
    const unreachable = await openPostgres(`postgres://jxzp:s3cret-pw@127.0.0.1:${closedPort}/jxzp`, { log: () => {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(unreachable).toBeInstanceOf(DomainError);
    expect((unreachable as DomainError).code).toBe('STORAGE_UNAVAILABLE');
    expect((unreachable as DomainError).message).toMatch(/^无法打开数据库 postgres:\/\/jxzp:\*\*\*@127\.0\.0\.1:\d+\/jxzp：无法连接数据库服务器/);
    expect((unreachable as DomainError).message).not.toContain('s3cret-pw');
    expect((unreachable as DomainError).message).not.toContain('\n');

    const missing = await openPostgres(server.urlFor('no_such_db'), { log: () => {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((missing as DomainError).message).toMatch(/：数据库不存在（/);
  });

  it('warns once when pool size × instances reaches max_connections, and not below it', async () => {
    const url = await server.createDatabase();
    const lines: string[] = [];
    const under = await openPostgres(url, { poolSize: 9, instances: 2, log: (l) => lines.push(l) });
    await under.close();
    expect(lines).toEqual([]);
    const over = await openPostgres(url, { poolSize: 10, instances: 2, log: (l) => lines.push(l) });
    await over.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^警告：连接池 10（DATABASE_POOL_SIZE）× 实例数 2（INSTANCES）= 20，不小于 PostgreSQL 的 max_connections（20）/);
    // HTTP processes per instance count too
    const perProcess = await openPostgres(url, { poolSize: 5, processes: 2, instances: 2, log: (l) => lines.push(l) });
    await perProcess.close();
    expect(lines[1]).toMatch(/^警告：连接池 5（DATABASE_POOL_SIZE）× 每个实例的 HTTP 进程 2（HTTP_PROCESSES）× 实例数 2（INSTANCES）= 20，/);
    const quiet = await openPostgres(url, { poolSize: 50, warn: false, log: (l) => lines.push(l) });
    await quiet.close();
    expect(lines).toHaveLength(2);
  });

  describe('a service whose server turns read-only, then goes away', () => {
    let service: PostgresTestService;
    let database: string;
    beforeAll(async () => {
      const url = await server.createDatabase();
      database = new URL(url).pathname.slice(1);
      service = await startPostgresTestService(url);
    }, 60_000);
    afterAll(async () => {
      await service?.close();
    });

    it('read-only (as a hot standby would be): /readyz 503 naming it, a submission 503 with Retry-After, reads still answer', async () => {
      const before = await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, json: example('meizhou-2022.json') });
      expect(before.status).toBe(201);
      const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE ${database} SET default_transaction_read_only = on`);
        // the pool's open connections were made before: end them, as a failover would
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
        await new Promise((r) => setTimeout(r, 200));
        const ready = await service.send('GET', '/readyz');
        expect(ready.status, ready.text).toBe(503);
        expect(ready.body.error.code).toBe('STORAGE_UNAVAILABLE');
        expect(ready.body.error.message).toContain('只读');
        const refused = await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, json: example('meizhou-2022.json') });
        expect(refused.status, refused.text).toBe(503);
        expect(refused.body.error.code).toBe('STORAGE_UNAVAILABLE');
        expect(refused.headers.get('retry-after')).not.toBeNull();
        const read = await service.send('GET', `/v1/evaluations/${before.body.id}`, { token: service.tokens.unit });
        expect(read.status).toBe(200);
      } finally {
        await admin.query(`ALTER DATABASE ${database} SET default_transaction_read_only = off`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
        await admin.end();
      }
      await new Promise((r) => setTimeout(r, 200));
      expect((await service.send('GET', '/readyz')).status).toBe(200);
      expect((await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, json: example('meizhou-2022.json') })).status).toBe(201);
    });

    it('the server gone: /readyz and a submission answer 503, the process keeps running', async () => {
      await server.stop();
      const ready = await service.send('GET', '/readyz');
      expect(ready.status, ready.text).toBe(503);
      expect(ready.body.error.code).toBe('STORAGE_UNAVAILABLE');
      const refused = await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, json: example('meizhou-2022.json') });
      // the token is read first: that read meets the lost server and is answered 503 too
      expect(refused.status, refused.text).toBe(503);
      expect(refused.body.error.code).toBe('STORAGE_UNAVAILABLE');
      expect(refused.text).not.toMatch(/\n\s+at |ECONNREFUSED/);
    });
  });
});
